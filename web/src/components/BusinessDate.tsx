/**
 * A business record's date as the business sees it — the business date it was made on (营业日期, which end-of-day
 * moves, not the clock) — with the wall-clock time it was recorded as the detail, in a tooltip.
 */
import { Tooltip } from 'antd';
import { dateTime } from '../lib/format';

export function BusinessDate({ date, at }: { date: string; at?: string | null | undefined }) {
  if (!at) return <>{date}</>;
  return (
    <Tooltip title={dateTime(at)}>
      <span data-testid="business-date-value" style={{ borderBottom: '1px dotted currentColor', cursor: 'help' }}>
        {date}
      </span>
    </Tooltip>
  );
}

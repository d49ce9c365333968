/**
 * Confirmation before an irreversible step that moves money or takes on an obligation (issue, transfer, split,
 * repay, accept a quote, fund): the amount in figures and, for CNY, in capital figures (大写), and what follows.
 * One hook for every page, so each such step asks the same way.
 */
import { App, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { amountInCapitals } from '../lib/capital';
import { groupDigits } from '../lib/format';

export interface MoneyConfirmation {
  /** What the user is about to do, e.g. "签发数字债权凭证". */
  title: string;
  amount: string;
  currency: string;
  /** What follows once confirmed, one sentence each (e.g. "贵司承担到期无条件付款义务"). */
  consequences?: string[];
  okText?: string;
  /** Runs on OK; the dialog stays open, with a spinner, until the returned promise settles. */
  onOk: () => Promise<unknown>;
}

export function useConfirmMoney(): (c: MoneyConfirmation) => void {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  return (c) => {
    const capitals = amountInCapitals(c.amount, c.currency);
    void modal.confirm({
      title: c.title,
      okText: c.okText ?? t('common.confirm'),
      cancelText: t('common.cancel'),
      width: 480,
      content: (
        <div data-testid="confirm-money">
          <Typography.Paragraph style={{ marginBottom: 4 }}>
            {t('confirmMoney.amount')}{' '}
            <Typography.Text strong data-testid="confirm-money-amount">
              {c.currency} {groupDigits(c.amount)}
            </Typography.Text>
          </Typography.Paragraph>
          {capitals && (
            <Typography.Paragraph style={{ marginBottom: 8 }}>
              {t('confirmMoney.capitals')}{' '}
              <Typography.Text strong data-testid="confirm-money-capitals">
                人民币{capitals}
              </Typography.Text>
            </Typography.Paragraph>
          )}
          {c.consequences && c.consequences.length > 0 && (
            <>
              <Typography.Text type="secondary">{t('confirmMoney.follows')}</Typography.Text>
              <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
                {c.consequences.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            </>
          )}
          <Typography.Paragraph type="warning" style={{ marginTop: 8, marginBottom: 0 }}>
            {t('confirmMoney.irreversible')}
          </Typography.Paragraph>
        </div>
      ),
      onOk: () => c.onOk(),
    });
  };
}

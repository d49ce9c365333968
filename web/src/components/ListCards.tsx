/**
 * A list as cards, one per row, for phones (lists.ts useNarrow): the row's number as the title, its status as
 * the extra, and the key fields as label–value lines that wrap inside the screen instead of scrolling sideways.
 */
import { useState, type ReactNode } from 'react';
import { Card, Empty, Flex, Pagination, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export interface CardField {
  /** also the field's key: labels are unique within a card */
  label: string;
  value: ReactNode;
}

interface ListCardsProps<T> {
  items: readonly T[] | undefined;
  rowKey: (item: T) => string;
  loading?: boolean;
  title: (item: T) => ReactNode;
  extra?: (item: T) => ReactNode;
  /** The key fields; `false` / `null` leave a field out. */
  fields: (item: T) => (CardField | false | null | undefined)[];
  /** Buttons under the fields (the table's actions column). */
  actions?: (item: T) => ReactNode;
  onOpen?: (item: T) => void;
  /** Paging done by the server; without it the cards page themselves, 20 at a time. */
  pagination?: { current: number; pageSize: number; total: number; onChange: (page: number) => void };
  empty?: ReactNode;
  testId?: string;
}

const PAGE = 20;

export function ListCards<T>(props: ListCardsProps<T>) {
  const { t } = useTranslation();
  const [localPage, setLocalPage] = useState(1);
  const items = props.items ?? [];
  const paging = props.pagination ?? { current: localPage, pageSize: PAGE, total: items.length, onChange: setLocalPage };
  const shown = props.pagination ? items : items.slice((paging.current - 1) * PAGE, paging.current * PAGE);
  return (
    <Spin spinning={!!props.loading}>
      <Flex vertical gap={8} data-testid={props.testId} style={{ minWidth: 0 }}>
        {shown.length === 0 && !props.loading && (props.empty ?? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />)}
        {shown.map((item) => {
          const actions = props.actions?.(item);
          return (
            <Card
              key={props.rowKey(item)}
              size="small"
              hoverable={!!props.onOpen}
              onClick={props.onOpen ? () => props.onOpen?.(item) : undefined}
              title={props.title(item)}
              extra={props.extra?.(item)}
              data-testid="list-card"
              style={{ cursor: props.onOpen ? 'pointer' : undefined }}
            >
              <Flex vertical gap={4}>
                {props.fields(item).map((field) =>
                  field ? (
                    <Flex key={field.label} justify="space-between" gap={12} align="baseline">
                      <Typography.Text type="secondary" style={{ flex: 'none' }}>
                        {field.label}
                      </Typography.Text>
                      <span style={{ minWidth: 0, textAlign: 'right', overflowWrap: 'anywhere' }}>{field.value}</span>
                    </Flex>
                  ) : null,
                )}
                {actions && (
                  // a button's click is its own, not the card's
                  <Flex wrap gap={8} justify="flex-end" style={{ marginTop: 4 }} onClick={(e) => e.stopPropagation()}>
                    {actions}
                  </Flex>
                )}
              </Flex>
            </Card>
          );
        })}
        {paging.total > paging.pageSize && (
          <Pagination
            simple
            size="small"
            align="center"
            current={paging.current}
            pageSize={paging.pageSize}
            total={paging.total}
            onChange={paging.onChange}
            showTotal={(n) => t('common.total', { count: n })}
          />
        )}
      </Flex>
    </Spin>
  );
}

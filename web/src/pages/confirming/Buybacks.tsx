/**
 * 到期回购 (maturity buybacks): the core's notices (and the bank's view of them), each paid by the core after a
 * confirmation with the amount in capitals — the core pays face − value released, the goods still in store become
 * its own, the bank pays the bill from margin and proceeds and the surplus goes back to the dealer. The card is also
 * what a bill's page shows when its bill has a buyback.
 */
import { App, Button, Card, Descriptions, Empty, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useConfirmMoney } from '../../components/ConfirmMoney';
import { ListCards } from '../../components/ListCards';
import { useMe } from '../../lib/auth';
import { csApi, csPaths } from '../../lib/confirming';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import type { CsBuyback } from '../../lib/types';
import { BuybackStatusTag, csMoney } from './Tags';

function usePayBuyback(onPaid: () => void) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const confirmMoney = useConfirmMoney();
  return (b: CsBuyback, currency: string) =>
    confirmMoney({
      title: t('cs.bb.payTitle', { no: b.billNo }),
      amount: b.amount,
      currency,
      consequences: [t('cs.bb.payFollows1'), t('cs.bb.payFollows2'), t('cs.bb.payFollows3')],
      okText: t('cs.bb.pay'),
      onOk: () =>
        csApi
          .payBuyback(b.id)
          .then(() => {
            void message.success(t('cs.bb.paid'));
            onPaid();
          })
          .catch(notify),
    });
}

const canPay = (b: CsBuyback, orgId: string, write: boolean) => write && b.status === 'noticed' && b.core.id === orgId;

export function BuybackCard({ buyback, currency, onPaid }: { buyback: CsBuyback; currency: string; onPaid: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const narrow = useNarrow();
  const pay = usePayBuyback(onPaid);
  const cur = buyback.currency || currency;
  return (
    <Card size="small" title={t('cs.bill.buyback')} extra={<BuybackStatusTag status={buyback.status} />} data-testid="cs-buyback-card">
      <Typography.Paragraph type="secondary">{t('cs.bb.explain')}</Typography.Paragraph>
      <Descriptions column={narrow ? 1 : 3} size="small" bordered>
        <Descriptions.Item label={t('cs.bb.amount')}>
          <Typography.Text strong data-testid="cs-buyback-amount">
            {csMoney(buyback.amount, cur)}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('cs.bb.exposure')}>{csMoney(buyback.exposure, cur)}</Descriptions.Item>
        <Descriptions.Item label={t('cs.bb.margin')}>{csMoney(buyback.margin, cur)}</Descriptions.Item>
        <Descriptions.Item label={t('cs.bb.released')}>{csMoney(buyback.released, cur)}</Descriptions.Item>
        <Descriptions.Item label={t('cs.bb.surplus')}>{csMoney(buyback.surplus, cur)}</Descriptions.Item>
        <Descriptions.Item label={t('cs.bb.dueDate')}>{buyback.dueDate}</Descriptions.Item>
        {buyback.paidOn && <Descriptions.Item label={t('cs.bb.paidOn')}>{buyback.paidOn}</Descriptions.Item>}
      </Descriptions>
      {canPay(buyback, me.organization.id, me.permissions.includes('loan:write')) && (
        <Button type="primary" style={{ marginTop: 12 }} block={narrow} onClick={() => pay(buyback, cur)} data-testid="cs-buyback-pay">
          {t('cs.bb.pay')}
        </Button>
      )}
    </Card>
  );
}

export function BuybacksPage() {
  const { t } = useTranslation();
  const me = useMe();
  const narrow = useNarrow();
  const { data, loading, reload } = useRemote<{ items: CsBuyback[] }>(csPaths.buybacks());
  // a 待办 item opens the list on its buyback (?buyback=<id>): that one first, highlighted
  const [params] = useSearchParams();
  const focus = params.get('buyback');
  const items = data?.items && focus ? [...data.items].sort((a, b) => Number(b.id === focus) - Number(a.id === focus)) : data?.items;
  const pay = usePayBuyback(reload);
  const write = me.permissions.includes('loan:write');
  const cur = (b: CsBuyback) => b.currency;
  const payButton = (b: CsBuyback) =>
    canPay(b, me.organization.id, write) ? (
      <Button size="small" type="primary" onClick={() => pay(b, cur(b))} data-testid="cs-buyback-pay">
        {t('cs.bb.pay')}
      </Button>
    ) : null;
  return (
    <Card title={t('cs.bb.title')} data-testid="cs-buybacks">
      <Typography.Paragraph type="secondary">{t('cs.bb.explain')}</Typography.Paragraph>
      {narrow ? (
        <ListCards
          items={items}
          loading={loading}
          rowKey={(b) => b.id}
          title={(b) => <Link to={`/confirming/bills/${b.billId}`}>{b.billNo}</Link>}
          extra={(b) => <BuybackStatusTag status={b.status} />}
          empty={<Empty description={t('cs.bb.none')} />}
          fields={(b) => [
            { label: t('cs.bill.dealer'), value: b.dealer.name },
            { label: t('cs.bb.amount'), value: csMoney(b.amount, cur(b)) },
            { label: t('cs.bb.surplus'), value: csMoney(b.surplus, cur(b)) },
            { label: t('cs.bb.dueDate'), value: b.dueDate },
          ]}
          actions={payButton}
        />
      ) : (
        <Table<CsBuyback>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={items}
          onRow={(b) => (b.id === focus ? { style: { background: '#fffbe6' } } : {})}
          data-testid="cs-buyback-table"
          pagination={{ pageSize: 20 }}
          locale={{ emptyText: <Empty description={t('cs.bb.none')} /> }}
          columns={[
            { title: t('cs.bb.bill'), render: (_, b) => <Link to={`/confirming/bills/${b.billId}`}>{b.billNo}</Link> },
            { title: t('cs.bill.dealer'), render: (_, b) => b.dealer.name },
            { title: t('cs.bill.core'), render: (_, b) => b.core.name },
            { title: t('cs.bb.amount'), align: 'right', render: (_, b) => csMoney(b.amount, cur(b)) },
            { title: t('cs.bb.exposure'), align: 'right', render: (_, b) => csMoney(b.exposure, cur(b)) },
            { title: t('cs.bb.released'), align: 'right', render: (_, b) => csMoney(b.released, cur(b)) },
            { title: t('cs.bb.surplus'), align: 'right', render: (_, b) => csMoney(b.surplus, cur(b)) },
            { title: t('cs.bb.dueDate'), dataIndex: 'dueDate' },
            { title: t('cs.bb.status'), render: (_, b) => <BuybackStatusTag status={b.status} /> },
            { title: t('common.actions'), render: (_, b) => payButton(b) },
          ]}
        />
      )}
    </Card>
  );
}

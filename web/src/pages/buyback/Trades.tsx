/**
 * 回购交易管理: the trades from trigger to resale. On a trade's page the institution's maker confirms the quantity and
 * price (the covered lots at today's buyback value; a checker of the institution approves, as every money-moving action
 * here), and records the resale that ends the pre-sale supervision. The funder and the borrower read their trades.
 */
import { App, Button, Card, Descriptions, Empty, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useConfirmMoney } from '../../components/ConfirmMoney';
import { PendingApprovals, isPendingApproval, usePendingMessage } from '../../components/DualControl';
import { useMe } from '../../lib/auth';
import { bbApi, bbPaths, type BbCoverage, type BbTrade } from '../../lib/buyback';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import { bbMoney, TradeStatusTag, TriggerTag } from './common';

export function TradesPage() {
  const { t } = useTranslation();
  const { data, loading } = useRemote<{ items: BbTrade[] }>(bbPaths.trades());
  return (
    <Card title={t('bb.nav.trades')} data-testid="bb-trades">
      <Typography.Paragraph type="secondary">{t('bb.trades.explain')}</Typography.Paragraph>
      <Table<BbTrade>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data?.items}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty description={t('bb.trades.none')} /> }}
        columns={[
          { title: t('bb.trades.no'), render: (_, x) => <Link to={`/buyback/trades/${x.id}`}>{x.tradeNo}</Link> },
          { title: t('bb.trades.trigger'), render: (_, x) => <TriggerTag trigger={x.trigger} /> },
          { title: t('bb.trades.triggeredOn'), dataIndex: 'triggeredOn' },
          { title: t('bb.borrower'), dataIndex: 'borrowerName' },
          { title: t('bb.funder'), dataIndex: 'funderName' },
          { title: t('bb.trades.amount'), align: 'right', render: (_, x) => bbMoney(x.amount, x.currency) },
          { title: t('bb.trades.repaid'), align: 'right', render: (_, x) => bbMoney(x.repaid, x.currency) },
          { title: t('bb.trades.status'), render: (_, x) => <TradeStatusTag status={x.status} /> },
        ]}
      />
    </Card>
  );
}

export function TradeDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const narrow = useNarrow();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const pendingMessage = usePendingMessage();
  const confirmMoney = useConfirmMoney();
  const { data: trade, reload } = useRemote<BbTrade>(bbPaths.trade(id));
  const assets = useRemote<{ items: BbCoverage[] }>(trade?.status === 'open' ? bbPaths.assets('active') : null);
  const [version, setVersion] = useState(0);
  const [reselling, setReselling] = useState(false);
  // a buyer on the platform pays from its settlement account; an outside buyer's payment is received through clearing
  const buyers = useRemote<{ items: { id: string; name: string }[] }>(
    reselling ? '/api/v1/parties?pageSize=100&memberStatus=member' : null,
  );
  const [form] = Form.useForm();
  const buyerOrgId = Form.useWatch('buyerOrgId', form);
  if (!trade) return <Card loading />;
  const mine = me.organization.id === trade.institutionOrgId && me.permissions.includes('loan:write');
  const coverage = assets.data?.items.find((c) => c.id === trade.coverageId);
  const confirm = () =>
    coverage &&
    confirmMoney({
      title: t('bb.trade.confirmTitle', { no: trade.tradeNo }),
      amount: coverage.buybackValue,
      currency: trade.currency,
      consequences: [t('bb.trade.follows1'), t('bb.trade.follows2'), t('bb.trade.follows3')],
      okText: t('bb.trade.confirm'),
      onOk: () =>
        bbApi
          .confirm(trade.id, coverage.buybackValue)
          .then((r) => {
            if (isPendingApproval(r)) pendingMessage();
            else void message.success(t('bb.trade.paid'));
            setVersion((v) => v + 1);
            reload();
          })
          .catch(notify),
    });
  const resell = async () => {
    const v = await form.validateFields();
    try {
      const member = buyers.data?.items.find((o) => o.id === v.buyerOrgId);
      await bbApi.resell(trade.id, member?.name ?? v.buyerName, v.price, v.buyerOrgId);
      void message.success(t('bb.trade.resold'));
      setReselling(false);
      reload();
    } catch (error) {
      notify(error);
    }
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={`${t('bb.trades.no')} ${trade.tradeNo}`} extra={<TradeStatusTag status={trade.status} />} data-testid="bb-trade">
        <Descriptions column={narrow ? 1 : 3} size="small" bordered>
          <Descriptions.Item label={t('bb.trades.trigger')}>
            <TriggerTag trigger={trade.trigger} /> {trade.triggeredOn}
          </Descriptions.Item>
          <Descriptions.Item label={t('bb.institution')}>{trade.institutionName}</Descriptions.Item>
          <Descriptions.Item label={t('bb.funder')}>{trade.funderName}</Descriptions.Item>
          <Descriptions.Item label={t('bb.borrower')}>{trade.borrowerName}</Descriptions.Item>
          <Descriptions.Item label={t('bb.trades.amount')}>
            <b data-testid="bb-trade-amount">{bbMoney(trade.amount ?? coverage?.buybackValue, trade.currency)}</b>
          </Descriptions.Item>
          <Descriptions.Item label={t('bb.trades.repaid')}>{bbMoney(trade.repaid, trade.currency)}</Descriptions.Item>
          <Descriptions.Item label={t('bb.trades.surplus')}>{bbMoney(trade.surplus, trade.currency)}</Descriptions.Item>
          <Descriptions.Item label={t('bb.trades.shortfall')}>{bbMoney(trade.shortfall, trade.currency)}</Descriptions.Item>
          <Descriptions.Item label={t('bb.trades.paidOn')}>{trade.paidOn ?? '—'}</Descriptions.Item>
          {trade.buyerName && <Descriptions.Item label={t('bb.trade.buyer')}>{trade.buyerName}</Descriptions.Item>}
          {trade.resalePrice && (
            <Descriptions.Item label={t('bb.trade.resalePrice')}>{bbMoney(trade.resalePrice, trade.currency)}</Descriptions.Item>
          )}
        </Descriptions>
        {mine && (
          <Space style={{ marginTop: 12 }} wrap>
            {trade.status === 'open' && (
              <Button type="primary" onClick={confirm} disabled={!coverage} data-testid="bb-confirm">
                {t('bb.trade.confirm')}
              </Button>
            )}
            {trade.status === 'paid' && (
              <Button type="primary" onClick={() => setReselling(true)} data-testid="bb-resell">
                {t('bb.trade.resell')}
              </Button>
            )}
          </Space>
        )}
      </Card>
      {mine && <PendingApprovals refId={trade.id} version={version} />}
      <Card title={t('bb.trade.lots')} size="small">
        <Table
          rowKey="lotId"
          size="small"
          pagination={false}
          scroll={{ x: 700 }}
          dataSource={
            trade.lots.length ? trade.lots : (coverage?.lots ?? []).map((l) => ({ ...l, value: l.buybackValue, underSupervision: false }))
          }
          columns={[
            { title: t('bb.lot'), dataIndex: 'lotNo' },
            { title: t('bb.goods'), dataIndex: 'skuName' },
            { title: t('bb.quantity'), align: 'right', render: (_, l) => `${l.quantity} ${l.unit ?? ''}` },
            { title: t('bb.warehouse'), dataIndex: 'warehouseName' },
            { title: t('bb.unitPrice'), align: 'right', render: (_, l) => bbMoney(l.unitPrice, trade.currency) },
            { title: t('bb.buybackValue'), align: 'right', render: (_, l) => bbMoney(l.value, trade.currency) },
            { title: t('bb.nav.supervision'), render: (_, l) => (l.underSupervision ? t('bb.supervision.under') : '—') },
          ]}
        />
      </Card>
      <Modal open={reselling} title={t('bb.trade.resell')} onCancel={() => setReselling(false)} onOk={resell} okText={t('common.confirm')}>
        <Typography.Paragraph type="secondary">{t('bb.trade.resellHint')}</Typography.Paragraph>
        <Form form={form} layout="vertical">
          <Form.Item name="buyerOrgId" label={t('bb.trade.buyerMember')} extra={t('bb.trade.buyerMemberHint')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              data-testid="bb-buyer-org"
              options={(buyers.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
            />
          </Form.Item>
          {!buyerOrgId && (
            <Form.Item name="buyerName" label={t('bb.trade.buyer')} rules={[{ required: true, max: 200 }]}>
              <Input data-testid="bb-buyer" />
            </Form.Item>
          )}
          <Form.Item name="price" label={t('bb.trade.resalePrice')} rules={[{ required: true, pattern: /^\d+(\.\d{1,2})?$/ }]}>
            <Input data-testid="bb-resale-price" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

/**
 * 回购资产管理: the pledged lots the institution's agreements cover (category, quantity, warehouse, state) at today's
 * buyback value — fed from the operator's inventory, never typed twice. The institution or the funder attaches an
 * agreement to a loan application's pledge; the funder may demand a buyback. And the data the operator and the
 * institution exchanged (the catalogue and prices pushed, the trades' data returned).
 */
import { App, Button, Card, Empty, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useMe } from '../../lib/auth';
import { bbApi, bbPaths, type BbAgreement, type BbCoverage, type BbExchange } from '../../lib/buyback';
import { dateTime } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { bbMoney, useCategoryNames } from './common';

function Attach({ open, onClose }: { open: boolean; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm();
  const agreements = useRemote<{ items: BbAgreement[] }>(open ? bbPaths.agreements() : null);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await bbApi.attach(v.agreementId, v.applicationId.trim());
      void message.success(t('bb.assets.attached'));
      form.resetFields();
      onClose(true);
    } catch (error) {
      notify(error);
    }
  };
  return (
    <Modal open={open} title={t('bb.assets.attach')} onCancel={() => onClose(false)} onOk={submit} okText={t('common.confirm')}>
      <Typography.Paragraph type="secondary">{t('bb.assets.attachHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item name="agreementId" label={t('bb.nav.agreements')} rules={[{ required: true }]}>
          <Select options={(agreements.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.agreementNo} · ${a.funderName}` }))} />
        </Form.Item>
        <Form.Item name="applicationId" label={t('bb.assets.applicationId')} rules={[{ required: true, pattern: /^[0-9a-f-]{36}$/i }]}>
          <Input placeholder="00000000-0000-0000-0000-000000000000" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function AssetsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const notify = useNotifyError();
  const names = useCategoryNames();
  const [status, setStatus] = useState<string>('active');
  const { data, loading, reload } = useRemote<{ items: BbCoverage[] }>(bbPaths.assets(status));
  const [attaching, setAttaching] = useState(false);
  const type = me.organization.type;
  const write = me.permissions.includes('loan:write');
  const demand = (c: BbCoverage) =>
    modal.confirm({
      title: t('bb.assets.demandTitle', { borrower: c.borrowerName }),
      content: t('bb.assets.demandHint', { value: bbMoney(c.buybackValue, c.currency) }),
      okText: t('bb.assets.demand'),
      onOk: () =>
        bbApi
          .demand(c.id)
          .then((trade) => {
            void message.success(t('bb.assets.demanded'));
            navigate(`/buyback/trades/${trade.id}`);
          })
          .catch(notify),
    });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={t('bb.nav.assets')}
        data-testid="bb-assets"
        extra={
          <Space>
            <Select
              value={status}
              onChange={setStatus}
              style={{ width: 120 }}
              options={['active', 'traded', 'ended'].map((s) => ({ value: s, label: t(`bb.coverage.${s}`) }))}
            />
            {write && (type === 'buyback' || type === 'bank') && (
              <Button onClick={() => setAttaching(true)} data-testid="bb-attach">
                {t('bb.assets.attach')}
              </Button>
            )}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('bb.assets.explain')}</Typography.Paragraph>
        <Table<BbCoverage>
          // keyed on the data: the lots open under each coverage once it has loaded
          key={data ? `loaded-${status}` : 'loading'}
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={data?.items}
          scroll={{ x: 800 }}
          locale={{ emptyText: <Empty description={t('bb.assets.none')} /> }}
          expandable={{
            defaultExpandAllRows: true,
            expandedRowRender: (c) => (
              <Table
                rowKey="lotId"
                size="small"
                pagination={false}
                dataSource={c.lots}
                columns={[
                  { title: t('bb.lot'), dataIndex: 'lotNo' },
                  { title: t('bb.goods'), render: (_, l) => l.skuName },
                  { title: t('bb.category'), render: (_, l) => names(l.categoryId) },
                  { title: t('bb.quantity'), align: 'right', render: (_, l) => `${l.quantity} ${l.unit}` },
                  { title: t('bb.warehouse'), dataIndex: 'warehouseName' },
                  { title: t('bb.lotStatus'), render: (_, l) => <Tag>{t(`inv.lotStatus.${l.status}`, { defaultValue: l.status })}</Tag> },
                  { title: t('bb.valuationPrice'), align: 'right', render: (_, l) => bbMoney(l.valuationPrice, c.currency) },
                  { title: t('bb.unitPrice'), align: 'right', render: (_, l) => bbMoney(l.unitPrice, c.currency) },
                  { title: t('bb.buybackValue'), align: 'right', render: (_, l) => <b>{bbMoney(l.buybackValue, c.currency)}</b> },
                ]}
              />
            ),
          }}
          columns={[
            { title: t('bb.agr.no'), dataIndex: 'agreementNo' },
            { title: t('bb.borrower'), dataIndex: 'borrowerName' },
            { title: t('bb.funder'), dataIndex: 'funderName' },
            { title: t('bb.assets.attachedOn'), dataIndex: 'attachedOn' },
            { title: t('bb.reserved'), align: 'right', render: (_, c) => bbMoney(c.reserved, c.currency) },
            {
              title: t('bb.buybackValue'),
              align: 'right',
              render: (_, c) => <b data-testid="bb-coverage-value">{bbMoney(c.buybackValue, c.currency)}</b>,
            },
            {
              title: t('common.actions'),
              render: (_, c) =>
                c.openTradeId ? (
                  <Link to={`/buyback/trades/${c.openTradeId}`} data-testid="bb-open-trade">
                    {t('bb.assets.openTrade')}
                  </Link>
                ) : type === 'bank' && write && c.status === 'active' ? (
                  <Button size="small" danger onClick={() => demand(c)} data-testid="bb-demand">
                    {t('bb.assets.demand')}
                  </Button>
                ) : null,
            },
          ]}
        />
        <Attach
          open={attaching}
          onClose={(done) => {
            setAttaching(false);
            if (done) reload();
          }}
        />
      </Card>
      {(type === 'buyback' || type === 'operator') && <Exchanges />}
    </Space>
  );
}

/** 数据交换: each step of the seed's data flow between the operator and the institution, recorded. */
function Exchanges() {
  const { t } = useTranslation();
  const me = useMe();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const { data, loading, reload } = useRemote<{ items: BbExchange[] }>(bbPaths.exchanges());
  const pull = () =>
    bbApi
      .push()
      .then(() => {
        void message.success(t('bb.exchange.pushed'));
        reload();
      })
      .catch(notify);
  return (
    <Card
      title={t('bb.exchange.title')}
      data-testid="bb-exchanges"
      extra={
        me.organization.type === 'buyback' && (
          <Button onClick={pull} data-testid="bb-pull">
            {t('bb.exchange.pull')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('bb.exchange.explain')}</Typography.Paragraph>
      <Table<BbExchange>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data?.items}
        pagination={{ pageSize: 8 }}
        columns={[
          { title: t('bb.exchange.when'), render: (_, e) => dateTime(e.createdAt) },
          {
            title: t('bb.exchange.direction'),
            render: (_, e) => <Tag color={e.direction === 'to_institution' ? 'blue' : 'green'}>{t(`bb.exchange.${e.direction}`)}</Tag>,
          },
          { title: t('bb.exchange.kind'), render: (_, e) => t(`bb.exchange.${e.kind}`) },
          {
            title: t('bb.exchange.summary'),
            render: (_, e) =>
              Object.entries(e.summary)
                .filter(([, v]) => typeof v !== 'object')
                .map(([k, v]) => `${k}: ${String(v)}`)
                .join(' · '),
          },
        ]}
      />
    </Card>
  );
}

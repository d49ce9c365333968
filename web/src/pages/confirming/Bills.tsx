/**
 * 银承 (bank acceptance bills under a 保兑仓 network): the list each party sees (the dealer its own, the core those it is
 * payee of, the bank those it accepts), filtered by state, and the dealer's application — the network, the face, the
 * margin ratio (≥ the network's minimum), the maturity (at most 6 months after the business date), the trade
 * contract and its goods lines whose running total must equal the face, exactly. Phones get cards.
 */
import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Empty, Flex, Form, Input, Radio, Row, Select, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ListCards } from '../../components/ListCards';
import { useMe } from '../../lib/auth';
import { csApi, csPaths, firstMargin, lineValue, orderMatchesFace, orderTotal } from '../../lib/confirming';
import { fractionToPercent, percent, percentToFraction } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import { amountPattern, scaleOf } from '../../lib/money';
import { CS_BILL_STATUSES, type CsBill, type CsBillStatus, type CsDealer, type CsNetwork, type InventorySku } from '../../lib/types';
import { ratioAtLeast } from './NetworkDetail';
import { BillStatusTag, csMoney } from './Tags';

export function BillsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const narrow = useNarrow();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') as CsBillStatus | null) ?? undefined;
  const { data, loading } = useRemote<{ items: CsBill[] }>(csPaths.bills({ status }));
  const type = me.organization.type;
  const isDealer = type === 'dealer' && me.permissions.includes('loan:write');
  const open = (b: CsBill) => navigate(`/confirming/bills/${b.id}`);
  const filter = (
    <Select<CsBillStatus | 'all'>
      style={{ minWidth: 160, marginBottom: 12 }}
      value={status ?? 'all'}
      data-testid="cs-bill-filter"
      onChange={(v) => setParams(v === 'all' ? {} : { status: v })}
      options={[{ value: 'all', label: t('cs.all') }, ...CS_BILL_STATUSES.map((s) => ({ value: s, label: t(`cs.billStatus.${s}`) }))]}
    />
  );
  return (
    <Card
      title={t('cs.bill.title')}
      extra={
        isDealer && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/confirming/bills/new')} data-testid="cs-bill-apply">
            {narrow ? null : t('cs.bill.apply')}
          </Button>
        )
      }
      data-testid="cs-bills"
    >
      {filter}
      {narrow ? (
        <ListCards
          testId="cs-bill-cards"
          items={data?.items}
          loading={loading}
          rowKey={(b) => b.id}
          title={(b) => b.billNo}
          extra={(b) => <BillStatusTag status={b.status} />}
          onOpen={open}
          empty={<Empty description={t('cs.bill.none')} />}
          fields={(b) => [
            me.organization.id !== b.dealer.id && { label: t('cs.bill.dealer'), value: b.dealer.name },
            { label: t('cs.bill.face'), value: csMoney(b.face, b.currency) },
            { label: t('cs.bill.margin'), value: csMoney(b.margin, b.currency) },
            { label: t('cs.bill.available'), value: csMoney(b.available, b.currency) },
            { label: t('cs.bill.maturityDate'), value: b.maturityDate },
          ]}
        />
      ) : (
        <Table<CsBill>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={data?.items}
          data-testid="cs-bill-table"
          pagination={{ pageSize: 20 }}
          locale={{ emptyText: <Empty description={t('cs.bill.none')} /> }}
          onRow={(b) => ({ onClick: () => open(b), style: { cursor: 'pointer' } })}
          columns={[
            {
              title: t('cs.bill.no'),
              dataIndex: 'billNo',
              render: (v: string, b) => (
                <>
                  <Link to={`/confirming/bills/${b.id}`}>{v}</Link>
                  {b.kind === 'loan' && <Tag style={{ marginInlineStart: 8 }}>{t('cs.bill.kinds.loan')}</Tag>}
                </>
              ),
            },
            // the column that would repeat the reader's own name is left out (lists.ts ownSide: the same convention)
            ...(type === 'dealer' ? [] : [{ title: t('cs.bill.dealer'), render: (_: unknown, b: CsBill) => b.dealer.name }]),
            ...(type === 'core' ? [] : [{ title: t('cs.bill.core'), render: (_: unknown, b: CsBill) => b.core.name }]),
            ...(type === 'bank' ? [] : [{ title: t('cs.bill.bank'), render: (_: unknown, b: CsBill) => b.bank.name }]),
            { title: t('cs.bill.face'), align: 'right', render: (_, b) => csMoney(b.face, b.currency) },
            { title: t('cs.bill.margin'), align: 'right', render: (_, b) => csMoney(b.margin, b.currency) },
            { title: t('cs.bill.exposure'), align: 'right', render: (_, b) => csMoney(b.exposure, b.currency) },
            { title: t('cs.bill.available'), align: 'right', render: (_, b) => csMoney(b.available, b.currency) },
            { title: t('cs.bill.maturityDate'), dataIndex: 'maturityDate' },
            { title: t('cs.bill.status'), render: (_, b) => <BillStatusTag status={b.status} /> },
          ]}
        />
      )}
    </Card>
  );
}

interface BillFormValues {
  kind: 'bill' | 'loan';
  networkId: string;
  face: string;
  marginRatio: string;
  maturityDate: Dayjs;
  contractNo: string;
  goods: { skuId?: string; quantity?: string; unitPrice?: string }[];
  note?: string;
}

const PCT = /^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/;

/** /confirming/bills/new: the dealer's application (status 06 in the network, its agreements signed). */
export function BillApplyPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const navigate = useNavigate();
  const narrow = useNarrow();
  const [form] = Form.useForm<BillFormValues>();
  const [saving, setSaving] = useState(false);
  const networks = useRemote<{ items: CsNetwork[] }>(csPaths.networks());
  const admissions = useRemote<{ items: CsDealer[] }>(csPaths.dealers());
  const skus = useRemote<InventorySku[]>('/api/v1/inventory/skus?limit=1000');
  const businessDate = useRemote<{ businessDate: string }>('/api/v1/business-date').data?.businessDate;
  const networkId = Form.useWatch('networkId', form);
  const kind = Form.useWatch('kind', form) ?? 'bill';
  const face = Form.useWatch('face', form) ?? '';
  const ratio = Form.useWatch('marginRatio', form) ?? '';
  const goods = Form.useWatch('goods', form) ?? [];
  // networks where this dealer's credit is granted (06)
  const usable = useMemo(() => {
    const granted = new Set((admissions.data?.items ?? []).filter((d) => d.status === '06').map((d) => d.networkId));
    return (networks.data?.items ?? []).filter((n) => n.status === '04' && granted.has(n.id));
  }, [networks.data, admissions.data]);
  const network = usable.find((n) => n.id === networkId);
  const currency = network?.currency ?? 'CNY';
  const pattern = amountPattern(scaleOf(currency));
  const total = orderTotal(goods, currency);
  const faceOk = pattern.test(face.trim());
  const matches = faceOk && orderMatchesFace(total, face);
  const margin = faceOk && PCT.test(ratio.trim()) ? firstMargin(face.trim(), percentToFraction(ratio.trim()), currency) : null;
  const latest = businessDate ? dayjs(businessDate).add(6, 'month') : null;
  const skuOf = (id?: string) => skus.data?.find((s) => s.id === id);
  const submit = (v: BillFormValues) => {
    if (!orderMatchesFace(orderTotal(v.goods, currency), v.face)) {
      void message.error(
        t('cs.bill.faceMismatch', { total: csMoney(orderTotal(v.goods, currency), currency), face: csMoney(v.face, currency) }),
      );
      return;
    }
    setSaving(true);
    csApi
      .applyBill({
        kind: v.kind,
        networkId: v.networkId,
        face: v.face.trim(),
        marginRatio: percentToFraction(v.marginRatio.trim()),
        maturityDate: v.maturityDate.format('YYYY-MM-DD'),
        contractNo: v.contractNo.trim(),
        goods: v.goods.map((g) => ({ skuId: g.skuId ?? '', quantity: (g.quantity ?? '').trim(), unitPrice: (g.unitPrice ?? '').trim() })),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      })
      .then((b) => {
        void message.success(t('cs.bill.applied'));
        navigate(`/confirming/bills/${b.id}`);
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  const col = narrow ? 24 : 12;
  return (
    <Card title={t(kind === 'loan' ? 'cs.bill.applyLoanTitle' : 'cs.bill.applyTitle')} data-testid="cs-bill-form">
      {!networks.loading && !admissions.loading && usable.length === 0 && (
        <Alert type="info" showIcon title={t('cs.bill.noNetwork')} style={{ marginBottom: 16 }} />
      )}
      <Form<BillFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ kind: 'bill', goods: [{}] }}
        onValuesChange={(changed: Partial<BillFormValues>) => {
          const n = changed.networkId ? usable.find((x) => x.id === changed.networkId) : undefined;
          if (n && !form.getFieldValue('marginRatio')) form.setFieldsValue({ marginRatio: fractionToPercent(n.minMarginRatio) });
        }}
      >
        <Form.Item name="kind" label={t('cs.bill.kind')} extra={kind === 'loan' ? t('cs.bill.loanHint') : t('cs.bill.billHint')}>
          <Radio.Group
            data-testid="cs-bill-kind"
            optionType="button"
            options={[
              { value: 'bill', label: t('cs.bill.kinds.bill') },
              { value: 'loan', label: t('cs.bill.kinds.loan') },
            ]}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col span={col}>
            <Form.Item name="networkId" label={t('cs.bill.network')} rules={[{ required: true, message: t('common.required') }]}>
              <Select
                data-testid="cs-bill-network"
                loading={networks.loading}
                options={usable.map((n) => ({ value: n.id, label: `${n.networkNo} · ${n.core.name} · ${n.bank.name}` }))}
              />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="contractNo" label={t('cs.bill.contractNo')} rules={[{ required: true, message: t('common.required') }]}>
              <Input data-testid="cs-bill-contract" />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item
              name="face"
              label={`${t('cs.bill.face')} (${currency})`}
              rules={[
                { required: true, message: t('common.required') },
                { pattern, message: t('fin.form.amountFormat') },
              ]}
            >
              <Input inputMode="decimal" data-testid="cs-bill-face" />
            </Form.Item>
          </Col>
          <Col span={narrow ? 24 : 6}>
            <Form.Item
              name="marginRatio"
              label={t('cs.bill.marginRatio')}
              extra={network ? `≥ ${percent(network.minMarginRatio)}` : undefined}
              rules={[
                { required: true, message: t('common.required') },
                { pattern: PCT, message: t('cs.net.ratioFormat') },
                {
                  validator: (_, value: string) =>
                    !value || !network || !PCT.test(value.trim()) || ratioAtLeast(value.trim(), network.minMarginRatio)
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('cs.bill.marginBelow', { min: percent(network.minMarginRatio) }))),
                },
              ]}
            >
              <Input inputMode="decimal" suffix="%" data-testid="cs-bill-ratio" />
            </Form.Item>
          </Col>
          <Col span={narrow ? 24 : 6}>
            <Form.Item
              name="maturityDate"
              label={t('cs.bill.maturityDate')}
              extra={t('cs.bill.term')}
              rules={[
                { required: true, message: t('common.required') },
                {
                  validator: (_, value: Dayjs | undefined) => {
                    if (!value || !businessDate || !latest) return Promise.resolve();
                    if (!value.isAfter(dayjs(businessDate), 'day')) return Promise.reject(new Error(t('cs.bill.maturityPast')));
                    if (value.isAfter(latest, 'day'))
                      return Promise.reject(new Error(t('cs.bill.maturityTooLong', { latest: latest.format('YYYY-MM-DD') })));
                    return Promise.resolve();
                  },
                },
              ]}
            >
              <DatePicker
                style={{ width: '100%' }}
                data-testid="cs-bill-maturity"
                disabledDate={(d) => !!businessDate && !!latest && (!d.isAfter(dayjs(businessDate), 'day') || d.isAfter(latest, 'day'))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('cs.bill.goods')}</Typography.Title>
        <Form.List name="goods">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((field, index) => {
                const line = goods[index] ?? {};
                const sku = skuOf(line.skuId);
                const value = line.quantity && line.unitPrice ? lineValue(line.quantity, line.unitPrice, currency) : null;
                return (
                  <Row gutter={8} key={field.key} align="top" data-testid="cs-bill-line">
                    <Col span={narrow ? 24 : 9}>
                      <Form.Item
                        name={[field.name, 'skuId']}
                        rules={[{ required: true, message: t('common.required') }]}
                        style={{ marginBottom: 8 }}
                      >
                        <Select
                          showSearch
                          optionFilterProp="label"
                          placeholder={t('cs.bill.sku')}
                          loading={skus.loading}
                          data-testid="cs-bill-sku"
                          options={(skus.data ?? []).map((s) => ({
                            value: s.id,
                            label: `${s.code} ${s.name}${s.spec ? ` ${s.spec}` : ''}`,
                          }))}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={narrow ? 10 : 5}>
                      <Form.Item
                        name={[field.name, 'quantity']}
                        rules={[
                          { required: true, message: t('common.required') },
                          { pattern: /^\d{1,12}(\.\d{1,6})?$/, message: t('fin.form.amountFormat') },
                        ]}
                        style={{ marginBottom: 8 }}
                      >
                        <Input inputMode="decimal" placeholder={t('cs.bill.quantity')} suffix={sku?.unit} data-testid="cs-bill-quantity" />
                      </Form.Item>
                    </Col>
                    <Col span={narrow ? 14 : 5}>
                      <Form.Item
                        name={[field.name, 'unitPrice']}
                        rules={[
                          { required: true, message: t('common.required') },
                          { pattern, message: t('fin.form.amountFormat') },
                        ]}
                        style={{ marginBottom: 8 }}
                      >
                        <Input inputMode="decimal" placeholder={t('cs.bill.unitPrice')} data-testid="cs-bill-price" />
                      </Form.Item>
                    </Col>
                    <Col span={narrow ? 20 : 4} style={{ textAlign: 'right', paddingTop: 5 }}>
                      <Typography.Text data-testid="cs-bill-line-value">{value ? csMoney(value, currency) : '—'}</Typography.Text>
                    </Col>
                    <Col span={narrow ? 4 : 1} style={{ textAlign: 'right' }}>
                      {fields.length > 1 && (
                        <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label="remove" />
                      )}
                    </Col>
                  </Row>
                );
              })}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} data-testid="cs-bill-add-line">
                {t('cs.bill.addLine')}
              </Button>
            </Flex>
          )}
        </Form.List>
        <Flex justify="space-between" wrap gap={8} style={{ margin: '16px 0' }}>
          <Typography.Text strong>
            {t('cs.bill.runningTotal')}:{' '}
            <span data-testid="cs-bill-total" style={{ color: faceOk ? (matches ? '#389e0d' : '#cf1322') : undefined }}>
              {csMoney(total, currency)}
            </span>
          </Typography.Text>
          {faceOk && (
            <Typography.Text type={matches ? 'success' : 'danger'} data-testid="cs-bill-total-check">
              {matches
                ? t('cs.bill.faceMatches')
                : t('cs.bill.faceMismatch', { total: csMoney(total, currency), face: csMoney(face.trim(), currency) })}
            </Typography.Text>
          )}
        </Flex>
        {margin && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('cs.bill.firstMarginHint', { margin: csMoney(margin, currency) })}
          />
        )}
        <Form.Item name="note" label={t('cs.bill.note')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Flex gap={8} wrap>
          <Button
            type="primary"
            htmlType="submit"
            loading={saving}
            disabled={faceOk && !matches}
            data-testid="cs-bill-submit"
            block={narrow}
          >
            {t('cs.bill.submit')}
          </Button>
          <Button onClick={() => navigate('/confirming/bills')} block={narrow}>
            {t('common.cancel')}
          </Button>
        </Flex>
      </Form>
    </Card>
  );
}

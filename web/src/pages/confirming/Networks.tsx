/**
 * 保兑仓网络 (docs/API.md (保兑仓), Networks): the list every party of a network sees (the core its own, the bank
 * those submitted to it, the dealer those it is in, the warehouse those naming it) and the core's application form
 * with every field of the seed, in sections, saved as 01 未提交审核 and submitted (03) from its page. Ratios are typed
 * as percentages and sent as fractions; amounts stay decimal strings. Phones get cards.
 */
import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Divider,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Switch,
  Table,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ListCards } from '../../components/ListCards';
import { useMe } from '../../lib/auth';
import { compact, csApi, csPaths } from '../../lib/confirming';
import { compareDecimal, fractionToPercent, percent, percentToFraction } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import { amountPattern, scaleOf } from '../../lib/money';
import {
  CS_RELEASE_RULES,
  type CsNetwork,
  type CsNetworkDetail,
  type CsNetworkInput,
  type InventoryCategory,
  type InventoryWarehouse,
  type Page,
  type Party,
  type Product,
} from '../../lib/types';
import { csMoney, NetworkStatusTag } from './Tags';

export function NetworksPage() {
  const { t } = useTranslation();
  const me = useMe();
  const narrow = useNarrow();
  const navigate = useNavigate();
  const { data, loading } = useRemote<{ items: CsNetwork[] }>(csPaths.networks());
  const isCore = me.organization.type === 'core' && me.permissions.includes('loan:write');
  const open = (n: CsNetwork) => navigate(`/confirming/networks/${n.id}`);
  return (
    <Card
      title={t('cs.net.title')}
      extra={
        isCore && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => navigate('/confirming/networks/new')}
            data-testid="cs-network-create"
          >
            {narrow ? null : t('cs.net.create')}
          </Button>
        )
      }
      data-testid="cs-networks"
    >
      {narrow ? (
        <ListCards
          testId="cs-network-cards"
          items={data?.items}
          loading={loading}
          rowKey={(n) => n.id}
          title={(n) => `${t('cs.net.no')} ${n.networkNo}`}
          extra={(n) => <NetworkStatusTag status={n.status} />}
          onOpen={open}
          empty={<Empty description={t('cs.net.noNetworks')} />}
          fields={(n) => [
            { label: t('cs.net.core'), value: n.core.name },
            { label: t('cs.net.bank'), value: n.bank.name },
            { label: t('cs.net.mainGoods'), value: n.mainGoods },
            { label: t('cs.net.totalLimit'), value: csMoney(n.totalLimit, n.currency) },
            { label: t('cs.net.room'), value: csMoney(n.room, n.currency) },
          ]}
        />
      ) : (
        <Table<CsNetwork>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={data?.items}
          data-testid="cs-network-table"
          pagination={{ pageSize: 20 }}
          locale={{ emptyText: <Empty description={t('cs.net.noNetworks')} /> }}
          onRow={(n) => ({ onClick: () => open(n), style: { cursor: 'pointer' } })}
          columns={[
            {
              title: t('cs.net.no'),
              dataIndex: 'networkNo',
              render: (v: string, n) => <Link to={`/confirming/networks/${n.id}`}>{v}</Link>,
            },
            ...(me.organization.type === 'core' ? [] : [{ title: t('cs.net.core'), render: (_: unknown, n: CsNetwork) => n.core.name }]),
            ...(me.organization.type === 'bank' ? [] : [{ title: t('cs.net.bank'), render: (_: unknown, n: CsNetwork) => n.bank.name }]),
            { title: t('cs.net.mainGoods'), dataIndex: 'mainGoods' },
            { title: t('cs.net.totalLimit'), align: 'right', render: (_, n) => csMoney(n.totalLimit, n.currency) },
            { title: t('cs.net.recommendedTotal'), align: 'right', render: (_, n) => csMoney(n.recommendedTotal, n.currency) },
            { title: t('cs.net.minMarginRatio'), align: 'right', render: (_, n) => percent(n.minMarginRatio) },
            { title: t('cs.net.enteredOn'), dataIndex: 'enteredOn' },
            { title: t('cs.net.status'), render: (_, n) => <NetworkStatusTag status={n.status} /> },
          ]}
        />
      )}
    </Card>
  );
}

interface NetworkFormValues {
  bankOrgId: string;
  authorisedBranch: string;
  rating?: string;
  mainGoods: string;
  categoryId?: string;
  currency: CsNetworkInput['currency'];
  totalLimit: string;
  buybackCoversExposure: boolean;
  dealerMarginRatio: string;
  minMarginRatio: string;
  inventoryReallocatable: boolean;
  dealerProductIds: string[];
  supplierProductIds: string[];
  firstBatchCollateral: boolean;
  deliveryDays: number;
  supervisionMode: 'bank' | 'third_party';
  warehouseId?: string;
  releaseRule: CsNetworkInput['releaseRule'];
  overview?: string;
}

const PCT = /^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/;

function toValues(n: CsNetwork): NetworkFormValues {
  return {
    bankOrgId: n.bank.id,
    authorisedBranch: n.authorisedBranch,
    rating: n.rating ?? undefined,
    mainGoods: n.mainGoods,
    categoryId: n.categoryId ?? undefined,
    currency: n.currency,
    totalLimit: n.totalLimit,
    buybackCoversExposure: n.buybackCoversExposure,
    dealerMarginRatio: fractionToPercent(n.dealerMarginRatio),
    minMarginRatio: fractionToPercent(n.minMarginRatio),
    inventoryReallocatable: n.inventoryReallocatable,
    dealerProductIds: n.dealerProductIds,
    supplierProductIds: n.supplierProductIds,
    firstBatchCollateral: n.firstBatchCollateral,
    deliveryDays: n.deliveryDays,
    supervisionMode: n.supervisionMode,
    warehouseId: n.warehouse?.id,
    releaseRule: n.releaseRule,
    overview: n.overview ?? undefined,
  };
}

function toInput(v: NetworkFormValues): CsNetworkInput {
  return compact<CsNetworkInput>({
    bankOrgId: v.bankOrgId,
    authorisedBranch: v.authorisedBranch.trim(),
    rating: v.rating?.trim(),
    mainGoods: v.mainGoods.trim(),
    categoryId: v.categoryId,
    currency: v.currency,
    totalLimit: v.totalLimit.trim(),
    buybackCoversExposure: v.buybackCoversExposure,
    dealerMarginRatio: percentToFraction(v.dealerMarginRatio),
    minMarginRatio: percentToFraction(v.minMarginRatio),
    inventoryReallocatable: v.inventoryReallocatable,
    dealerProductIds: v.dealerProductIds ?? [],
    supplierProductIds: v.supplierProductIds ?? [],
    firstBatchCollateral: v.firstBatchCollateral,
    deliveryDays: v.deliveryDays,
    supervisionMode: v.supervisionMode,
    warehouseId: v.warehouseId,
    releaseRule: v.releaseRule,
    overview: v.overview?.trim(),
  });
}

/** /confirming/networks/new and /confirming/networks/:id/edit (the core; 01 or 02). */
export function NetworkFormPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const navigate = useNavigate();
  const narrow = useNarrow();
  const [form] = Form.useForm<NetworkFormValues>();
  const [saving, setSaving] = useState(false);
  const existing = useRemote<CsNetworkDetail>(id ? csPaths.network(id) : null);
  const banks = useRemote<Page<Party>>('/api/v1/parties?type=bank&pageSize=100');
  const products = useRemote<Product[]>('/api/v1/products?status=published');
  const categories = useRemote<InventoryCategory[]>('/api/v1/inventory/categories');
  const warehouses = useRemote<InventoryWarehouse[]>('/api/v1/inventory/warehouses?limit=1000');
  const currency = Form.useWatch('currency', form) ?? 'CNY';
  useEffect(() => {
    if (existing.data) form.setFieldsValue(toValues(existing.data));
  }, [existing.data, form]);
  const pattern = amountPattern(scaleOf(currency));
  const ratio = [
    { required: true, message: t('common.required') },
    { pattern: PCT, message: t('cs.net.ratioFormat') },
  ];
  const productOptions = (products.data ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }));
  const save = (v: NetworkFormValues) => {
    setSaving(true);
    const body = toInput(v);
    // the bank and the currency are the application's own: a PATCH does not take them
    const { bankOrgId: _bank, currency: _currency, ...patchBody } = body;
    (id ? csApi.updateNetwork(id, patchBody) : csApi.createNetwork(body))
      .then((n) => {
        void message.success(t('cs.net.saved'));
        navigate(`/confirming/networks/${n.id}`);
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  const col = narrow ? 24 : 12;
  return (
    <Card
      title={id ? t('cs.net.editTitle', { no: existing.data?.networkNo ?? '' }) : t('cs.net.createTitle')}
      loading={!!id && !existing.data}
      data-testid="cs-network-form"
    >
      <Form<NetworkFormValues>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{
          currency: 'CNY',
          buybackCoversExposure: true,
          minMarginRatio: '30',
          dealerMarginRatio: '30',
          inventoryReallocatable: false,
          dealerProductIds: [],
          supplierProductIds: [],
          firstBatchCollateral: false,
          deliveryDays: 7,
          supervisionMode: 'third_party',
          releaseRule: 'proportional',
        }}
      >
        <Divider titlePlacement="start">{t('cs.net.sectionBasic')}</Divider>
        <Row gutter={16}>
          <Col span={col}>
            <Form.Item name="bankOrgId" label={t('cs.net.bank')} rules={[{ required: true, message: t('common.required') }]}>
              <Select
                data-testid="cs-network-bank"
                loading={banks.loading}
                options={(banks.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))}
                disabled={!!id}
              />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item
              name="authorisedBranch"
              label={t('cs.net.authorisedBranch')}
              extra={t('cs.net.authorisedBranchHint')}
              rules={[{ required: true, message: t('common.required') }, { max: 100 }]}
            >
              <Input data-testid="cs-network-branch" maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="rating" label={t('cs.net.rating')} rules={[{ max: 20 }]}>
              <Input maxLength={20} />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="overview" label={t('cs.net.overview')} rules={[{ max: 2000 }]}>
              <Input.TextArea rows={1} autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('cs.net.sectionLimit')}</Divider>
        <Row gutter={16}>
          <Col span={narrow ? 24 : 8}>
            <Form.Item name="currency" label={t('cs.net.currency')}>
              <Select options={[{ value: 'CNY', label: 'CNY' }]} />
            </Form.Item>
          </Col>
          <Col span={narrow ? 24 : 16}>
            <Form.Item
              name="totalLimit"
              label={t('cs.net.totalLimit')}
              rules={[
                { required: true, message: t('common.required') },
                { pattern, message: t('fin.form.amountFormat') },
              ]}
            >
              <Input inputMode="decimal" data-testid="cs-network-limit" />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="dealerMarginRatio" label={t('cs.net.dealerMarginRatio')} rules={ratio}>
              <Input inputMode="decimal" suffix="%" data-testid="cs-network-dealer-ratio" />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item
              name="minMarginRatio"
              label={t('cs.net.minMarginRatio')}
              dependencies={['dealerMarginRatio']}
              rules={[
                ...ratio,
                ({ getFieldValue }) => ({
                  validator: (_, value: string) => {
                    const dealer = getFieldValue('dealerMarginRatio') as string | undefined;
                    if (!value || !dealer || !PCT.test(value) || !PCT.test(dealer) || compareDecimal(value, dealer) <= 0)
                      return Promise.resolve();
                    return Promise.reject(new Error(t('cs.net.minAboveDealer')));
                  },
                }),
              ]}
            >
              <Input inputMode="decimal" suffix="%" data-testid="cs-network-min-ratio" />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="buybackCoversExposure" label={t('cs.net.buybackCoversExposure')} valuePropName="checked">
              <Switch checkedChildren="1" unCheckedChildren="0" />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="releaseRule" label={t('cs.net.releaseRule')}>
              <Select options={CS_RELEASE_RULES.map((r) => ({ value: r, label: t(`cs.releaseRule.${r}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('cs.net.sectionGoods')}</Divider>
        <Row gutter={16}>
          <Col span={col}>
            <Form.Item
              name="mainGoods"
              label={t('cs.net.mainGoods')}
              rules={[{ required: true, message: t('common.required') }, { max: 150 }]}
            >
              <Input maxLength={150} data-testid="cs-network-goods" />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="categoryId" label={t('cs.net.category')}>
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                loading={categories.loading}
                options={(categories.data ?? []).map((c) => ({ value: c.id, label: `${c.code} ${c.name}` }))}
              />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="supervisionMode" label={t('cs.net.supervisionMode')}>
              <Radio.Group
                options={[
                  { value: 'bank', label: t('cs.supervisionMode.bank') },
                  { value: 'third_party', label: t('cs.supervisionMode.third_party') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item
              name="warehouseId"
              label={t('cs.net.warehouse')}
              dependencies={['supervisionMode']}
              rules={[
                ({ getFieldValue }) => ({ required: getFieldValue('supervisionMode') === 'third_party', message: t('common.required') }),
              ]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                data-testid="cs-network-warehouse"
                loading={warehouses.loading}
                options={(warehouses.data ?? [])
                  .filter((w) => w.status === 'active')
                  .map((w) => ({ value: w.id, label: `${w.name} · ${w.orgName ?? ''}` }))}
              />
            </Form.Item>
          </Col>
          <Col span={narrow ? 12 : 6}>
            <Form.Item name="deliveryDays" label={t('cs.net.deliveryDays')} rules={[{ required: true, message: t('common.required') }]}>
              <InputNumber min={0} max={365} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={narrow ? 12 : 6}>
            <Form.Item name="firstBatchCollateral" label={t('cs.net.firstBatchCollateral')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="inventoryReallocatable" label={t('cs.net.inventoryReallocatable')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('cs.net.sectionProducts')}</Divider>
        <Row gutter={16}>
          <Col span={col}>
            <Form.Item name="dealerProductIds" label={t('cs.net.dealerProducts')}>
              <Select mode="multiple" allowClear options={productOptions} loading={products.loading} />
            </Form.Item>
          </Col>
          <Col span={col}>
            <Form.Item name="supplierProductIds" label={t('cs.net.supplierProducts')}>
              <Select mode="multiple" allowClear options={productOptions} loading={products.loading} />
            </Form.Item>
          </Col>
        </Row>
        {existing.data && existing.data.status !== '01' && existing.data.status !== '02' && (
          <Alert type="warning" showIcon title={t('cs.net.submitted')} style={{ marginBottom: 16 }} />
        )}
        <Flex gap={8} wrap>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="cs-network-save" block={narrow}>
            {t('cs.net.saveDraft')}
          </Button>
          <Button onClick={() => navigate(id ? `/confirming/networks/${id}` : '/confirming/networks')} block={narrow}>
            {t('common.cancel')}
          </Button>
        </Flex>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('cs.networkStatus.01')} → {t('cs.net.submit')}
        </Typography.Paragraph>
      </Form>
    </Card>
  );
}

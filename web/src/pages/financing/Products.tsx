/** 产品工厂: a funder's products (create, versions, publish, retire); other members see the published catalogue. */
import { useState } from 'react';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  Popconfirm,
  Result,
  Segmented,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ProductForm } from '../../components/financing/ProductForm';
import { ProductStatusTag } from '../../components/financing/Tags';
import { KeyTerms, TermsView } from '../../components/financing/Terms';
import { post } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { dateTime, groupDigits, ratePct } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import type { Me, Product, ProductVersion } from '../../lib/types';

export function canManageProducts(me: Me): boolean {
  return me.permissions.includes('product:manage');
}

function currentTerms(p: Product): ProductVersion | undefined {
  return p.versions.find((v) => v.version === p.publishedVersion) ?? p.versions[0];
}

export function ProductsPage() {
  const me = useMe();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const manage = canManageProducts(me);
  const [status, setStatus] = useState<string>(manage ? '' : 'published');
  const products = useRemote<Product[]>(`/api/v1/products${status ? `?status=${status}` : ''}`);
  const [creating, setCreating] = useState(false);

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {manage ? t('nav.products') : t('nav.productCatalog')}
        </Typography.Title>
      }
      extra={
        manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="product-create">
            {t('fin.product.create')}
          </Button>
        )
      }
    >
      {manage && (
        <Segmented
          style={{ marginBottom: 12 }}
          value={status}
          onChange={(v) => setStatus(v as string)}
          options={[
            { value: '', label: t('common.all') },
            { value: 'draft', label: t('fin.productStatus.draft') },
            { value: 'published', label: t('fin.productStatus.published') },
            { value: 'retired', label: t('fin.productStatus.retired') },
          ]}
        />
      )}
      <Table<Product>
        rowKey="id"
        size="middle"
        loading={products.loading}
        dataSource={products.data}
        scroll={{ x: 1100 }}
        data-testid="product-table"
        onRow={(r) => ({ onClick: () => navigate(`/products/${r.id}`), style: { cursor: 'pointer' } })}
        pagination={{ pageSize: 20 }}
        columns={[
          {
            title: t('fin.product.name'),
            dataIndex: 'name',
            fixed: 'left',
            width: 220,
            render: (name: string, r) => (
              <Space orientation="vertical" size={0}>
                <Typography.Link>{name}</Typography.Link>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.code}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('fin.product.mode'),
            dataIndex: 'mode',
            width: 120,
            render: (m: string) => <Tag color="blue">{t(`credit.productNames.${m}`, { defaultValue: m })}</Tag>,
          },
          ...(manage ? [] : [{ title: t('fin.product.owner'), dataIndex: 'ownerName', width: 220 }]),
          {
            title: t('fin.terms.annualRate'),
            key: 'rate',
            width: 100,
            align: 'right',
            render: (_: unknown, r) => ratePct(currentTerms(r)?.terms.annualRate),
          },
          {
            title: t('fin.terms.amountRange'),
            key: 'amount',
            width: 220,
            align: 'right',
            render: (_: unknown, r) => {
              const terms = currentTerms(r)?.terms;
              return terms ? `${groupDigits(terms.minAmount)} ~ ${groupDigits(terms.maxAmount)}` : '—';
            },
          },
          {
            title: t('fin.terms.termMonths'),
            key: 'term',
            width: 100,
            render: (_: unknown, r) => {
              const terms = currentTerms(r)?.terms;
              return terms ? `${terms.minTermMonths} ~ ${terms.maxTermMonths}` : '—';
            },
          },
          {
            title: t('fin.terms.repaymentMethod'),
            key: 'method',
            width: 130,
            render: (_: unknown, r) => (currentTerms(r) ? t(`fin.method.${currentTerms(r)!.terms.repaymentMethod}`) : '—'),
          },
          {
            title: t('fin.product.publishedVersion'),
            dataIndex: 'publishedVersion',
            width: 100,
            render: (v: number | null) => (v ? `v${v}` : '—'),
          },
          { title: t('fin.product.status'), dataIndex: 'status', width: 90, render: (s: string) => <ProductStatusTag status={s} /> },
        ]}
      />
      <ProductForm open={creating} onClose={() => setCreating(false)} onSaved={(p) => navigate(`/products/${p.id}`)} />
    </Card>
  );
}

export function ProductPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const product = useRemote<Product>(`/api/v1/products/${id}`);
  const [selected, setSelected] = useState<number>();
  const [editing, setEditing] = useState<number>();

  if (product.error?.status === 404) return <Result status="404" title="404" subTitle={product.error.message} />;
  const p = product.data;
  if (!p) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const owner = canManageProducts(me) && (p.ownerOrgId === me.organization.id || me.organization.type === 'operator');
  const version = p.versions.find((v) => v.version === selected) ?? currentTerms(p);
  const latest = p.versions[0];
  const act = (path: string, done: string) =>
    post<Product>(path)
      .then((next) => {
        void message.success(done);
        setSelected(undefined);
        product.reload();
        return next;
      })
      .catch(notify);

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card>
        <Breadcrumb
          items={[{ title: <Link to="/products">{owner ? t('nav.products') : t('nav.productCatalog')}</Link> }, { title: p.name }]}
        />
        <Space wrap style={{ justifyContent: 'space-between', width: '100%', marginTop: 8 }}>
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="product-title">
              {p.name}
            </Typography.Title>
            <Tag>{p.code}</Tag>
            <ProductStatusTag status={p.status} />
            <Tag color="blue">{t(`credit.productNames.${p.mode}`, { defaultValue: p.mode })}</Tag>
          </Space>
          {owner && p.status !== 'retired' && (
            <Space wrap>
              {latest?.status === 'published' && (
                <Button
                  onClick={() => void act(`/api/v1/products/${p.id}/versions`, t('fin.product.newVersionDone'))}
                  data-testid="product-new-version"
                >
                  {t('fin.product.newVersion')}
                </Button>
              )}
              <Popconfirm
                title={t('fin.product.retireConfirm')}
                onConfirm={() => void act(`/api/v1/products/${p.id}/retire`, t('fin.product.retired'))}
              >
                <Button danger data-testid="product-retire">
                  {t('fin.product.retire')}
                </Button>
              </Popconfirm>
            </Space>
          )}
        </Space>
        <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginTop: 12 }}>
          <Descriptions.Item label={t('fin.product.owner')}>{p.ownerName}</Descriptions.Item>
          <Descriptions.Item label={t('fin.product.publishedVersion')}>
            {p.publishedVersion ? `v${p.publishedVersion}` : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('fin.product.description')}>{p.description ?? '—'}</Descriptions.Item>
        </Descriptions>
        {version && <KeyTerms terms={version.terms} />}
      </Card>
      <Card title={t('fin.product.versions')}>
        <Table<ProductVersion>
          rowKey="version"
          size="small"
          pagination={false}
          dataSource={p.versions}
          scroll={{ x: 700 }}
          data-testid="product-versions"
          rowClassName={(r) => (r.version === version?.version ? 'ant-table-row-selected' : '')}
          onRow={(r) => ({ onClick: () => setSelected(r.version), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('fin.product.version'), dataIndex: 'version', width: 80, render: (v: number) => `v${v}` },
            { title: t('fin.product.status'), dataIndex: 'status', width: 90, render: (s: string) => <ProductStatusTag status={s} /> },
            { title: t('fin.terms.annualRate'), key: 'rate', width: 100, render: (_: unknown, r) => ratePct(r.terms.annualRate) },
            { title: t('audit.time'), dataIndex: 'createdAt', width: 170, render: dateTime },
            {
              title: t('fin.product.publishedAt'),
              dataIndex: 'publishedAt',
              width: 170,
              render: (v: string | null) => (v ? dateTime(v) : '—'),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 200,
              render: (_: unknown, r) =>
                owner && r.status === 'draft' && p.status !== 'retired' ? (
                  <Space onClick={(e) => e.stopPropagation()}>
                    <Button size="small" onClick={() => setEditing(r.version)} data-testid="product-edit-draft">
                      {t('common.edit')}
                    </Button>
                    <Popconfirm
                      title={t('fin.product.publishConfirm')}
                      onConfirm={() => void act(`/api/v1/products/${p.id}/versions/${r.version}/publish`, t('fin.product.publishedDone'))}
                    >
                      <Button size="small" type="primary" data-testid="product-publish">
                        {t('fin.product.publish')}
                      </Button>
                    </Popconfirm>
                  </Space>
                ) : (
                  <Typography.Text type="secondary">{r.status === 'published' ? t('fin.product.frozen') : ''}</Typography.Text>
                ),
            },
          ]}
        />
      </Card>
      {version && (
        <Card title={t('fin.product.termsOf', { version: version.version })} extra={<ProductStatusTag status={version.status} />}>
          {version.status === 'published' && (
            <Alert type="info" showIcon title={t('fin.product.publishedReadOnly')} style={{ marginBottom: 12 }} />
          )}
          <TermsView terms={version.terms} mode={product.data?.mode} ownerOrgId={product.data?.ownerOrgId} />
        </Card>
      )}
      <ProductForm
        open={editing !== undefined}
        product={p}
        version={editing}
        onClose={() => setEditing(undefined)}
        onSaved={() => product.reload()}
      />
    </Space>
  );
}

/**
 * 贷款: the loan portfolio the caller may see, searched by number or counterparty and filtered by status, five-tier
 * classification, product and overdue-only (all on the server). Status, days past due, class and the outstanding
 * amount stay in view (fixed columns); phones get one card per loan.
 */
import { useState } from 'react';
import { Card, Checkbox, Input, Select, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { LoanStatusTag, TierTag } from '../../components/financing/Tags';
import { query } from '../../lib/api';
import { groupDigits, ratePct } from '../../lib/format';
import { useRemote } from '../../lib/hooks';
import { TIERS, type Loan, type Page, type Product } from '../../lib/types';
import { useMe } from '../../lib/auth';
import { ownSide, useNarrow } from '../../lib/lists';
import { ListCards } from '../../components/ListCards';

const PAGE = 20;

export function LoansPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const side = ownSide(useMe());
  const narrow = useNarrow();
  const [q, setQ] = useState<string>();
  const [overdue, setOverdue] = useState(false);
  const [status, setStatus] = useState<string>();
  const [classification, setClassification] = useState<string>();
  const [productId, setProductId] = useState<string>();
  const [page, setPage] = useState(1);
  const loans = useRemote<Page<Loan>>(
    `/api/v1/loans${query({ q, status, classification, productId, overdue: overdue ? 'true' : undefined, limit: PAGE, offset: (page - 1) * PAGE })}`,
  );
  const products = useRemote<Product[]>('/api/v1/products');
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.loans')}
        </Typography.Title>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('lists.loanSearch')}
          style={{ width: 260, maxWidth: '100%' }}
          onSearch={(v) => filter(setQ)(v.trim() || undefined)}
          data-testid="loan-search"
        />
        <Select
          allowClear
          placeholder={t('fin.loan.status')}
          style={{ width: 140 }}
          value={status}
          onChange={filter(setStatus)}
          options={(['current', 'overdue', 'closed', 'written_off'] as const).map((s) => ({ value: s, label: t(`fin.loanStatus.${s}`) }))}
          data-testid="loan-filter-status"
        />
        <Select
          allowClear
          placeholder={t('fin.loan.classification')}
          style={{ width: 140 }}
          value={classification}
          onChange={filter(setClassification)}
          options={TIERS.map((s) => ({ value: s, label: t(`fin.tier.${s}`) }))}
          data-testid="loan-filter-tier"
        />
        <Select
          allowClear
          placeholder={t('fin.app.product')}
          style={{ width: 220 }}
          value={productId}
          onChange={filter(setProductId)}
          options={(products.data ?? []).map((p) => ({ value: p.id, label: `${p.name}（${p.ownerName ?? ''}）` }))}
          showSearch
          optionFilterProp="label"
        />
        <Checkbox checked={overdue} onChange={(e) => filter(setOverdue)(e.target.checked)} data-testid="loan-filter-overdue">
          {t('lists.overdueOnly')}
        </Checkbox>
      </Space>
      {narrow ? (
        <ListCards<Loan>
          items={loans.data?.items}
          rowKey={(r) => r.id}
          loading={loans.loading}
          testId="loan-cards"
          onOpen={(r) => navigate(`/loans/${r.id}`)}
          pagination={{ current: page, pageSize: PAGE, total: loans.data?.total ?? 0, onChange: setPage }}
          title={(r) => <Typography.Link>{r.loanNo}</Typography.Link>}
          extra={(r) => <LoanStatusTag status={r.status} />}
          fields={(r) => [
            side !== 'borrower' && { label: t('fin.app.borrower'), value: r.borrowerName },
            side !== 'funder' && { label: t('fin.app.funder'), value: r.funderName },
            {
              label: t('fin.loan.outstanding'),
              value: (
                <Typography.Text strong>
                  {groupDigits(r.outstandingPrincipal)} {r.currency}
                </Typography.Text>
              ),
            },
            {
              label: t('fin.loan.dpd'),
              value: r.daysPastDue > 0 ? <Typography.Text type="danger">{r.daysPastDue}</Typography.Text> : 0,
            },
            {
              label: t('fin.loan.classification'),
              value: <TierTag tier={r.classification} override={!!r.classificationOverride} reason={r.classificationReason} />,
            },
            { label: t('fin.loan.period'), value: `${r.startDate} ~ ${r.maturityDate}` },
          ]}
        />
      ) : (
        <Table<Loan>
          rowKey="id"
          size="middle"
          loading={loans.loading}
          dataSource={loans.data?.items}
          scroll={{ x: 'max-content' }}
          data-testid="loan-table"
          onRow={(r) => ({ onClick: () => navigate(`/loans/${r.id}`), style: { cursor: 'pointer' } })}
          pagination={{
            current: page,
            pageSize: PAGE,
            total: loans.data?.total ?? 0,
            onChange: setPage,
            showTotal: (n) => t('common.total', { count: n }),
            showSizeChanger: false,
          }}
          columns={[
            {
              title: t('fin.loan.no'),
              dataIndex: 'loanNo',
              width: 190,
              fixed: 'left',
              render: (v: string) => <Typography.Link>{v}</Typography.Link>,
            },
            ...(side === 'borrower' ? [] : [{ title: t('fin.app.borrower'), dataIndex: 'borrowerName', width: 210 }]),
            ...(side === 'funder' ? [] : [{ title: t('fin.app.funder'), dataIndex: 'funderName', width: 210 }]),
            { title: t('fin.app.product'), dataIndex: 'productName', width: 170 },
            { title: t('fin.loan.principal'), dataIndex: 'principal', width: 140, align: 'right', render: (v: string) => groupDigits(v) },
            { title: t('fin.terms.annualRate'), dataIndex: 'annualRate', width: 90, align: 'right', render: ratePct },
            { title: t('fin.loan.period'), key: 'period', width: 200, render: (_: unknown, r) => `${r.startDate} ~ ${r.maturityDate}` },
            // what an officer works by stays in view at the right, however narrow the window
            {
              title: t('fin.loan.outstanding'),
              dataIndex: 'outstandingPrincipal',
              width: 140,
              align: 'right',
              fixed: 'right',
              render: (v: string) => <Typography.Text strong>{groupDigits(v)}</Typography.Text>,
            },
            {
              title: t('fin.loan.dpd'),
              dataIndex: 'daysPastDue',
              width: 90,
              align: 'right',
              fixed: 'right',
              render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : 0),
            },
            {
              title: t('fin.loan.status'),
              dataIndex: 'status',
              width: 90,
              fixed: 'right',
              render: (s: string) => <LoanStatusTag status={s} />,
            },
            {
              title: t('fin.loan.classification'),
              dataIndex: 'classification',
              width: 110,
              fixed: 'right',
              render: (c: Loan['classification'], r) => (
                <TierTag tier={c} override={!!r.classificationOverride} reason={r.classificationReason} />
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}

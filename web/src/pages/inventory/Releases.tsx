/**
 * 提货/解押 requests (static pledges, against repayment): the list each party works from — the funder's to approve
 * first, the warehouse's approved ones to check out first, the borrower's all — and the pieces the application page
 * and a request's page share: the status tag, the allowance (what the repayments free) and a compact table. Cards at
 * phone width (warehouse staff work on a phone), a table on a desk.
 */
import { useEffect, useState } from 'react';
import { Card, Descriptions, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ListCards } from '../../components/ListCards';
import { get, query } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { groupDigits, ratePct } from '../../lib/format';
import { useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import type { Party, ReleaseAllowance, ReleaseRequest, ReleaseStatus } from '../../lib/types';

const STATUS_COLOR: Record<ReleaseStatus, string> = {
  requested: 'processing',
  approved: 'purple',
  rejected: 'red',
  cancelled: 'default',
  executed: 'green',
};

export function ReleaseStatusTag({ status }: { status: ReleaseStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="release-status" data-status={status}>
      {t(`invRel.status.${status}`)}
    </Tag>
  );
}

/** 可解押额度: principal repaid ÷ pledge rate − released = available, as the server computes it. */
export function AllowanceView({ allowance }: { allowance: ReleaseAllowance }) {
  const { t } = useTranslation();
  const money = (v: string) => `${groupDigits(v)} ${allowance.currency}`;
  return (
    <div data-testid="release-allowance">
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3, xxl: 5 }}>
        <Descriptions.Item label={t('invRel.allowance.principalRepaid')}>{money(allowance.principalRepaid)}</Descriptions.Item>
        <Descriptions.Item label={t('invRel.allowance.pledgeRate')}>{ratePct(allowance.pledgeRate)}</Descriptions.Item>
        <Descriptions.Item label={t('invRel.allowance.releasable')}>{money(allowance.releasable)}</Descriptions.Item>
        <Descriptions.Item label={t('invRel.allowance.released')}>{money(allowance.released)}</Descriptions.Item>
        <Descriptions.Item label={t('invRel.allowance.available')}>
          <Typography.Text strong data-testid="release-available">
            {money(allowance.available)}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('invRel.allowance.formula')}
      </Typography.Text>
    </div>
  );
}

/** The pledgors' names (a request carries the organisation's id): whose goods, at a glance in the funder's list. */
function usePledgorNames(releases: ReleaseRequest[] | undefined) {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const key = [...new Set((releases ?? []).map((r) => r.pledgorOrgId))].sort().join(',');
  useEffect(() => {
    if (!key) return;
    let cancelled = false;
    void Promise.all(key.split(',').map((id) => get<Party>(`/api/v1/parties/${id}`).catch(() => undefined))).then((parties) => {
      if (!cancelled) setNames(new Map(parties.flatMap((p) => (p ? [[p.id, p.name] as const] : []))));
    });
    return () => {
      cancelled = true;
    };
  }, [key]);
  return names;
}

/** Release requests as a table on a desk, cards on a phone; each opens its page. */
export function ReleaseList({
  releases,
  loading,
  showApplication = true,
}: {
  releases?: ReleaseRequest[];
  loading?: boolean;
  showApplication?: boolean;
}) {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const navigate = useNavigate();
  const money = (r: ReleaseRequest) => `${groupDigits(r.value)} ${r.currency}`;
  const names = usePledgorNames(showApplication ? releases : undefined);
  const pledgor = (r: ReleaseRequest) => names.get(r.pledgorOrgId) ?? '—';
  if (narrow)
    return (
      <ListCards
        testId="release-cards"
        items={releases}
        loading={loading}
        rowKey={(r) => r.id}
        title={(r) => r.releaseNo}
        extra={(r) => <ReleaseStatusTag status={r.status} />}
        onOpen={(r) => navigate(`/inventory/releases/${r.id}`)}
        empty={<Typography.Text type="secondary">{t('invRel.none')}</Typography.Text>}
        fields={(r) => [
          showApplication && names.has(r.pledgorOrgId) ? { label: t('invRel.borrower'), value: pledgor(r) } : null,
          { label: t('invRel.value'), value: money(r) },
          { label: t('invRel.businessDate'), value: r.businessDate },
          r.decidedOn ? { label: t('invRel.decidedOn'), value: r.decidedOn } : null,
        ]}
      />
    );
  return (
    <Table<ReleaseRequest>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={releases}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: t('invRel.none') }}
      data-testid="release-table"
      columns={[
        {
          title: t('invRel.releaseNo'),
          dataIndex: 'releaseNo',
          render: (v: string, r) => (
            <Link to={`/inventory/releases/${r.id}`} data-testid="release-link">
              {v}
            </Link>
          ),
        },
        ...(showApplication
          ? [
              { title: t('invRel.borrower'), key: 'pledgor', render: (_: unknown, r: ReleaseRequest) => pledgor(r) },
              {
                title: t('invRel.application'),
                key: 'application',
                render: (_: unknown, r: ReleaseRequest) => (
                  <Link to={`/applications/${r.applicationId}`}>{t('invRel.openApplication')}</Link>
                ),
              },
            ]
          : []),
        { title: t('invRel.value'), key: 'value', align: 'right' as const, render: (_, r) => money(r) },
        { title: t('invRel.businessDate'), dataIndex: 'businessDate' },
        { title: t('invRel.decidedOn'), dataIndex: 'decidedOn', render: (v: string | null) => v ?? '—' },
        { title: t('invRel.note'), dataIndex: 'note', ellipsis: true, render: (v: string | null) => v ?? '—' },
        { title: t('inv.status'), dataIndex: 'status', render: (s: ReleaseStatus) => <ReleaseStatusTag status={s} /> },
      ]}
    />
  );
}

function ReleaseTab({ status }: { status?: ReleaseStatus }) {
  const { data, loading } = useRemote<ReleaseRequest[]>(`/api/v1/inventory/releases${query({ status, limit: 500 })}`);
  return <ReleaseList releases={data} loading={loading} />;
}

/** /inventory/releases: the funder starts on what waits for its decision, the warehouse on what it may check out. */
export function ReleasesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const type = me.organization.type;
  const funder = ['bank', 'factor', 'guarantor'].includes(type);
  const first = funder ? 'requested' : type === 'warehouse' ? 'approved' : 'all';
  const tab = params.get('tab') ?? first;
  const tabs: ('requested' | 'approved' | 'all')[] = funder
    ? ['requested', 'all']
    : type === 'warehouse'
      ? ['approved', 'all']
      : ['all', 'requested', 'approved'];
  return (
    <Card data-testid="releases-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('invRel.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key })}
        destroyOnHidden
        items={tabs.map((key) => ({
          key,
          label: t(`invRel.tabs.${key}`),
          children: <ReleaseTab status={key === 'all' ? undefined : key} />,
        }))}
      />
    </Card>
  );
}

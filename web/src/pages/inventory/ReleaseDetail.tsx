/**
 * A release request (提货/解押), for every party that sees it (notices link here): what is asked and what it is worth;
 * the funder reads the allowance the repayments give and approves or rejects with its own comment; the borrower
 * withdraws a request still waiting; once approved, the warehouse finds the lots now out of the pledge and opens
 * each one to check it out (LotDetail's check-out form) — on a phone, as cards.
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Input, Popconfirm, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { ExportOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { BusinessDate } from '../../components/BusinessDate';
import { ListCards } from '../../components/ListCards';
import { get, post } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { groupDigits } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import type { ApplicationDetail, InventoryLotDetail, ReleaseAllowance, ReleaseRequest, WarehouseReceipt } from '../../lib/types';
import { LotStatusTag } from './Inventory';
import { AllowanceView, ReleaseStatusTag } from './Releases';

/** Lots and receipts by id, as far as the caller may read them (a lot out of the pledge is not the funder's to see). */
function useSubjects(lotIds: string[], receiptIds: string[]) {
  const [lots, setLots] = useState<Map<string, InventoryLotDetail>>(new Map());
  const [receipts, setReceipts] = useState<Map<string, WarehouseReceipt>>(new Map());
  const key = `${lotIds.join(',')}|${receiptIds.join(',')}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the ids are named by `key`
  useEffect(() => {
    let cancelled = false;
    const quiet = <T,>(path: string) => get<T>(path).catch(() => undefined);
    void Promise.all([
      Promise.all(lotIds.map((id) => quiet<InventoryLotDetail>(`/api/v1/inventory/lots/${id}`))),
      Promise.all(receiptIds.map((id) => quiet<WarehouseReceipt>(`/api/v1/inventory/receipts/${id}`))),
    ]).then(([l, r]) => {
      if (cancelled) return;
      setLots(new Map(l.flatMap((x) => (x ? [[x.id, x] as const] : []))));
      setReceipts(new Map(r.flatMap((x) => (x ? [[x.id, x] as const] : []))));
    });
    return () => {
      cancelled = true;
    };
  }, [key]);
  return { lots, receipts };
}

function Decision({ release, onDone }: { release: ReleaseRequest; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<'approve' | 'reject'>();
  const decide = (action: 'approve' | 'reject') => {
    setBusy(action);
    return post(`/api/v1/inventory/releases/${release.id}/${action}`, { comment: comment.trim() || undefined })
      .then(() => {
        void message.success(t(action === 'approve' ? 'invRel.approved' : 'invRel.rejected'));
        onDone();
      })
      .catch(notify)
      .finally(() => setBusy(undefined));
  };
  return (
    <Card title={t('invRel.decision')} size="small" styles={{ header: { background: '#e6f4ff' } }} data-testid="release-decision">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Input.TextArea
          rows={2}
          maxLength={500}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          placeholder={t('invRel.commentHint')}
          data-testid="release-comment"
        />
        <Space wrap>
          <Popconfirm
            title={t('invRel.approveConfirm')}
            onConfirm={() => decide('approve')}
            okButtonProps={{ 'data-testid': 'release-approve-confirm' } as never}
          >
            <Button type="primary" loading={busy === 'approve'} data-testid="release-approve">
              {t('invRel.approve')}
            </Button>
          </Popconfirm>
          <Popconfirm
            title={t('invRel.rejectConfirm')}
            onConfirm={() => decide('reject')}
            okButtonProps={{ danger: true, 'data-testid': 'release-reject-confirm' } as never}
          >
            <Button danger loading={busy === 'reject'} data-testid="release-reject">
              {t('invRel.reject')}
            </Button>
          </Popconfirm>
        </Space>
      </Space>
    </Card>
  );
}

/** The lots out of the pledge, each with the way to its check-out (the warehouse's), cards on a phone. */
function FreedLots({ ids, lots, canCheckOut }: { ids: string[]; lots: Map<string, InventoryLotDetail>; canCheckOut: boolean }) {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const rows = ids.map((id) => ({ id, lot: lots.get(id) }));
  const action = (id: string, lot?: InventoryLotDetail) =>
    lot?.status === 'checked_out' ? null : (
      <Link to={`/inventory/lots/${id}`} data-testid="release-check-out">
        <Button type={canCheckOut ? 'primary' : 'default'} size="small" icon={<ExportOutlined />}>
          {canCheckOut ? t('invRel.toCheckOut') : t('common.detail')}
        </Button>
      </Link>
    );
  if (narrow)
    return (
      <ListCards
        testId="freed-lot-cards"
        items={rows}
        rowKey={(r) => r.id}
        title={(r) => r.lot?.lotNo ?? r.id.slice(0, 8)}
        extra={(r) => (r.lot ? <LotStatusTag status={r.lot.status} /> : null)}
        fields={(r) => [
          r.lot ? { label: t('inv.sku'), value: r.lot.skuName } : null,
          r.lot ? { label: t('inv.quantity'), value: `${r.lot.quantity} ${r.lot.unit}` } : null,
          r.lot ? { label: t('inv.warehouse'), value: r.lot.warehouseOrgName } : null,
        ]}
        actions={(r) => action(r.id, r.lot)}
      />
    );
  return (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={rows}
      data-testid="freed-lots"
      columns={[
        {
          title: t('inv.lotNo'),
          key: 'lotNo',
          render: (_, r) => <Link to={`/inventory/lots/${r.id}`}>{r.lot?.lotNo ?? r.id.slice(0, 8)}</Link>,
        },
        { title: t('inv.sku'), key: 'sku', render: (_, r) => r.lot?.skuName ?? '—' },
        { title: t('inv.quantity'), key: 'q', align: 'right', render: (_, r) => (r.lot ? `${r.lot.quantity} ${r.lot.unit}` : '—') },
        { title: t('inv.status'), key: 's', render: (_, r) => (r.lot ? <LotStatusTag status={r.lot.status} /> : '—') },
        { title: '', key: 'a', render: (_, r) => action(r.id, r.lot) },
      ]}
    />
  );
}

export function ReleaseDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const narrow = useNarrow();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const { data: r, error, reload } = useRemote<ReleaseRequest>(`/api/v1/inventory/releases/${id}`);
  const mine = me.organization.id;
  const borrower = r?.pledgorOrgId === mine;
  const funder = r?.funderOrgId === mine;
  // the allowance is the pledgor's, the funder's and the operator's to read (the warehouse's answer would be 404)
  const allowance = useRemote<ReleaseAllowance>(
    r && (borrower || funder || me.organization.type === 'operator')
      ? `/api/v1/inventory/applications/${r.applicationId}/release-allowance`
      : null,
  );
  const application = useRemote<ApplicationDetail>(
    r && me.organization.type !== 'warehouse' ? `/api/v1/applications/${r.applicationId}` : null,
  );
  const freedIds = r?.items.flatMap((i) => i.freedLotIds) ?? [];
  const subjects = useSubjects(
    [...(r?.items.flatMap((i) => (i.lotId ? [i.lotId] : [])) ?? []), ...freedIds],
    r?.items.flatMap((i) => (i.receiptId ? [i.receiptId] : [])) ?? [],
  );
  if (error?.status === 404) return <Result status="404" title="404" subTitle={error.message} />;
  if (!r) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const write = me.permissions.includes('loan:write');
  const warehouse = me.organization.type === 'warehouse';
  const money = (v: string) => `${groupDigits(v)} ${r.currency}`;
  const cancel = () =>
    post(`/api/v1/inventory/releases/${r.id}/cancel`)
      .then(() => {
        void message.success(t('invRel.cancelled'));
        reload();
      })
      .catch(notify);
  const items = r.items.map((i) => {
    const lot = i.lotId ? subjects.lots.get(i.lotId) : undefined;
    const receipt = i.receiptId ? subjects.receipts.get(i.receiptId) : undefined;
    return {
      ...i,
      no: lot?.lotNo ?? receipt?.receiptNo ?? (i.lotId ?? i.receiptId ?? '').slice(0, 8),
      path: i.lotId ? `/inventory/lots/${i.lotId}` : `/inventory/receipts/${i.receiptId}`,
      sku: lot?.skuName ?? receipt?.skuName ?? '—',
      amount: i.subject === 'receipt' ? (receipt ? `${receipt.quantity} ${receipt.unit}` : '—') : `${i.quantity ?? ''} ${lot?.unit ?? ''}`,
    };
  });
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="release-detail">
      <Card>
        <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0, wordBreak: 'break-all' }} data-testid="release-title">
              {t('invRel.one')} {r.releaseNo}
            </Typography.Title>
            <ReleaseStatusTag status={r.status} />
          </Space>
          {borrower && write && r.status === 'requested' && (
            <Popconfirm
              title={t('invRel.cancelConfirm')}
              onConfirm={cancel}
              okButtonProps={{ 'data-testid': 'release-cancel-confirm' } as never}
            >
              <Button danger data-testid="release-cancel">
                {t('invRel.cancel')}
              </Button>
            </Popconfirm>
          )}
        </Space>
        <Descriptions size="small" column={narrow ? 1 : 3} style={{ marginTop: 12 }}>
          <Descriptions.Item label={t('invRel.value')}>
            <Typography.Text strong data-testid="release-value">
              {money(r.value)}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('invRel.businessDate')}>
            <BusinessDate date={r.businessDate} at={r.createdAt} />
          </Descriptions.Item>
          <Descriptions.Item label={t('invRel.decidedOn')}>
            {r.decidedOn ? <BusinessDate date={r.decidedOn} at={r.decidedAt ?? undefined} /> : '—'}
          </Descriptions.Item>
          {!warehouse && (
            <Descriptions.Item label={t('invRel.application')}>
              <Link to={`/applications/${r.applicationId}`}>{application.data?.applicationNo ?? t('invRel.openApplication')}</Link>
            </Descriptions.Item>
          )}
          {application.data && <Descriptions.Item label={t('invRel.borrower')}>{application.data.borrowerName}</Descriptions.Item>}
          <Descriptions.Item label={t('invRel.note')}>{r.note ?? '—'}</Descriptions.Item>
          {funder && <Descriptions.Item label={t('invRel.comment')}>{r.comment ?? '—'}</Descriptions.Item>}
        </Descriptions>
      </Card>
      {allowance.data && (
        <Card title={t('invRel.allowance.title')} size="small">
          <AllowanceView allowance={allowance.data} />
        </Card>
      )}
      {funder && write && r.status === 'requested' && (
        <Decision
          release={r}
          onDone={() => {
            reload();
            allowance.reload();
          }}
        />
      )}
      <Card title={t('invRel.items')} size="small">
        {narrow ? (
          <ListCards
            testId="release-item-cards"
            items={items}
            rowKey={(i) => i.pledgeId}
            title={(i) => <Link to={i.path}>{i.no}</Link>}
            extra={(i) => <Tag>{t(`invRel.goods.${i.subject}`)}</Tag>}
            fields={(i) => [
              { label: t('inv.sku'), value: i.sku },
              { label: t('invRel.quantity'), value: i.amount },
              i.serials.length ? { label: t('invRel.serials'), value: i.serials.join('、') } : null,
              { label: t('invRel.value'), value: money(i.value) },
            ]}
          />
        ) : (
          <Table
            rowKey="pledgeId"
            size="small"
            pagination={false}
            dataSource={items}
            columns={[
              { title: t('invRel.goods.subject'), key: 'subject', render: (_, i) => <Tag>{t(`invRel.goods.${i.subject}`)}</Tag> },
              { title: t('invRel.no'), key: 'no', render: (_, i) => <Link to={i.path}>{i.no}</Link> },
              { title: t('inv.sku'), dataIndex: 'sku' },
              { title: t('invRel.quantity'), dataIndex: 'amount', align: 'right' },
              { title: t('invRel.serials'), dataIndex: 'serials', render: (s: string[]) => (s.length ? s.join('、') : '—') },
              { title: t('invRel.value'), dataIndex: 'value', align: 'right', render: (v: string) => money(v) },
            ]}
          />
        )}
      </Card>
      {/* goods out of the pledge are no longer the funder's to read: the warehouse and the pledgor follow them */}
      {(r.status === 'approved' || r.status === 'executed') && freedIds.length > 0 && !funder ? (
        <Card title={t('invRel.freed')} size="small" data-testid="release-freed">
          {warehouse && r.status === 'approved' && (
            <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('invRel.freedHint')} />
          )}
          <FreedLots ids={freedIds} lots={subjects.lots} canCheckOut={warehouse && write} />
        </Card>
      ) : (
        r.status === 'requested' && <Alert type="info" showIcon title={t('invRel.waitingApproval')} />
      )}
    </Space>
  );
}

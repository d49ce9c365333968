/**
 * The goods an application pledged (动产质押 / 仓单质押), on its page: each pledge with its lot or receipt, its value
 * when pledged and today. Under a static pledge, what the repayments free (可解押额度), the borrower's 申请提货/解押 and
 * the application's release requests; under a dynamic pledge, the borrower's 换货 against the minimum controlled value.
 */
import { useState } from 'react';
import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import { ExportOutlined, SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ListCards } from '../../components/ListCards';
import { query } from '../../lib/api';
import { useMe } from '../../lib/auth';
import { groupDigits } from '../../lib/format';
import { useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import { fromMinor, scaleOf } from '../../lib/money';
import type { ApplicationDetail, GoodsPledge, ReleaseAllowance, ReleaseRequest } from '../../lib/types';
import { usePledgedGoods } from './goodsValue';
import { ReleaseRequestModal } from './ReleaseRequest';
import { AllowanceView, ReleaseList } from './Releases';
import { SwapModal } from './SwapModal';

function PledgeStatusTag({ status }: { status: GoodsPledge['status'] }) {
  const { t } = useTranslation();
  return <Tag color={status === 'active' ? 'purple' : 'default'}>{t(`invRel.goods.statuses.${status}`)}</Tag>;
}

type WithGoods = ApplicationDetail & { goodsPledges?: GoodsPledge[] };

export function ApplicationGoodsCard({ app, onChanged }: { app: ApplicationDetail; onChanged: () => void }) {
  const pledges = (app as WithGoods).goodsPledges ?? [];
  if (pledges.length === 0) return null;
  return <GoodsCard app={app} pledges={pledges} onChanged={onChanged} />;
}

function GoodsCard({ app, pledges, onChanged }: { app: ApplicationDetail; pledges: GoodsPledge[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const narrow = useNarrow();
  const [open, setOpen] = useState<'release' | 'swap'>();
  const mine = me.organization.id;
  const borrower = app.borrowerOrgId === mine;
  const party = borrower || app.funderOrgId === mine || me.organization.type === 'operator';
  const write = me.permissions.includes('loan:write');
  const kind = pledges[0]!.kind;
  const live = pledges.some((p) => p.status === 'active');
  const allowance = useRemote<ReleaseAllowance>(
    party && kind === 'static' ? `/api/v1/inventory/applications/${app.id}/release-allowance` : null,
  );
  const releases = useRemote<ReleaseRequest[]>(
    party && kind === 'static' ? `/api/v1/inventory/releases${query({ applicationId: app.id, limit: 100 })}` : null,
  );
  // the minimum controlled value is the pledge's (inventory's pledge list), for the swap's figures
  const pledgeRows = useRemote<{ id: string; applicationId: string | null; minControlledValue: string | null }[]>(
    party && kind === 'dynamic' ? '/api/v1/inventory/pledges?status=active&limit=500' : null,
  );
  const minControlledValue = pledgeRows.data?.find((p) => p.applicationId === app.id)?.minControlledValue ?? null;
  const goods = usePledgedGoods(pledges, app.currency);
  // what is still pledged: the goods to release or swap out, valued today
  const pledged = goods?.filter((g) => g.pledge?.status === 'active');
  const today = new Map((pledged ?? []).map((g) => [g.pledge?.id, g.valueMinor]));
  const scale = scaleOf(app.currency);
  const done = () => {
    setOpen(undefined);
    allowance.reload();
    releases.reload();
    onChanged();
  };
  const subjectLink = (p: GoodsPledge) => {
    const line = goods?.find((g) => g.pledge?.id === p.id);
    const path = p.subject === 'lot' ? `/inventory/lots/${p.lotId}` : `/inventory/receipts/${p.receiptId}`;
    return (
      <Space size={4} wrap>
        <Tag>{t(`invRel.goods.${p.subject}`)}</Tag>
        <Link to={path}>{line ? `${line.no} · ${line.skuName} · ${line.quantity} ${line.unit}` : t('common.detail')}</Link>
      </Space>
    );
  };
  const todayText = (p: GoodsPledge) => {
    const v = today.get(p.id);
    return v === undefined || v === null ? '—' : groupDigits(fromMinor(v, scale));
  };
  const canRelease = borrower && write && kind === 'static' && live && !!allowance.data;
  const canSwap = borrower && write && kind === 'dynamic' && live;
  return (
    <Card
      title={t('invRel.goods.title')}
      size="small"
      data-testid="application-goods"
      extra={
        <Space wrap>
          <Tag color={kind === 'dynamic' ? 'cyan' : 'purple'}>{t(`invRel.goods.kinds.${kind}`)}</Tag>
          {canRelease && (
            <Button type="primary" icon={<ExportOutlined />} onClick={() => setOpen('release')} data-testid="release-open">
              {t('invRel.request.open')}
            </Button>
          )}
          {canSwap && (
            <Button type="primary" icon={<SwapOutlined />} onClick={() => setOpen('swap')} data-testid="swap-open">
              {t('invRel.swap.open')}
            </Button>
          )}
        </Space>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        {narrow ? (
          <ListCards
            testId="pledge-cards"
            items={pledges}
            rowKey={(p) => p.id}
            title={(p) => p.pledgeNo}
            extra={(p) => <PledgeStatusTag status={p.status} />}
            fields={(p) => [
              { label: t('invRel.goods.subject'), value: subjectLink(p) },
              { label: t('invRel.goods.value'), value: p.value ? groupDigits(p.value) : '—' },
              p.status === 'active' ? { label: t('invRel.goods.todayValue'), value: todayText(p) } : null,
            ]}
          />
        ) : (
          <Table<GoodsPledge>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={pledges}
            columns={[
              { title: t('invRel.goods.pledgeNo'), dataIndex: 'pledgeNo' },
              {
                title: t('invRel.goods.subject'),
                key: 'subject',
                render: (_, p) => {
                  const line = goods?.find((g) => g.pledge?.id === p.id);
                  const path = p.subject === 'lot' ? `/inventory/lots/${p.lotId}` : `/inventory/receipts/${p.receiptId}`;
                  return (
                    <Space size={4} wrap>
                      <Tag>{t(`invRel.goods.${p.subject}`)}</Tag>
                      <Link to={path}>{line ? `${line.no} · ${line.skuName} · ${line.quantity} ${line.unit}` : t('common.detail')}</Link>
                    </Space>
                  );
                },
              },
              {
                title: t('invRel.goods.value'),
                dataIndex: 'value',
                align: 'right',
                render: (v: string | null) => (v ? groupDigits(v) : '—'),
              },
              {
                title: t('invRel.goods.todayValue'),
                key: 'today',
                align: 'right',
                render: (_, p) => {
                  const v = today.get(p.id);
                  return v === undefined || v === null ? '—' : groupDigits(fromMinor(v, scale));
                },
              },
              {
                title: t('invRel.goods.status'),
                dataIndex: 'status',
                render: (s: GoodsPledge['status']) => (
                  <Tag color={s === 'active' ? 'purple' : 'default'}>{t(`invRel.goods.statuses.${s}`)}</Tag>
                ),
              },
            ]}
          />
        )}
        {kind === 'dynamic' && <Typography.Text type="secondary">{t('invRel.goods.dynamicHint')}</Typography.Text>}
        {allowance.data && (
          <Card type="inner" size="small" title={t('invRel.allowance.title')}>
            <AllowanceView allowance={allowance.data} />
          </Card>
        )}
        {kind === 'static' && party && (
          <Card type="inner" size="small" title={t('invRel.title')} data-testid="application-releases">
            <ReleaseList releases={releases.data} loading={releases.loading} showApplication={false} />
          </Card>
        )}
      </Space>
      {open === 'release' && allowance.data && (
        <ReleaseRequestModal applicationId={app.id} allowance={allowance.data} goods={pledged} onClose={() => setOpen(undefined)} />
      )}
      {open === 'swap' && (
        <SwapModal
          applicationId={app.id}
          currency={app.currency}
          minControlledValue={minControlledValue}
          pledged={pledged}
          onClose={() => setOpen(undefined)}
          onDone={done}
        />
      )}
    </Card>
  );
}

/** Status tags and helpers shared by the certificate and receivable pages. */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../lib/auth';
import { useRemote } from '../../lib/hooks';
import type { Graph } from '../../lib/types';

const CERT_COLOR: Record<string, string> = {
  issued: 'processing',
  accepted: 'green',
  rejected: 'default',
  cancelled: 'default',
  cleared: 'purple',
  overdue: 'red',
};
export function CertificateStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={CERT_COLOR[status]} data-testid="cert-status-tag" data-status={status}>
      {t(`cert.statuses.${status}`, { defaultValue: status })}
    </Tag>
  );
}

const PIECE_COLOR: Record<string, string> = {
  pending: 'processing',
  live: 'green',
  consumed: 'default',
  cleared: 'purple',
  void: 'default',
};
export function PieceStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={PIECE_COLOR[status]} data-status={status}>
      {t(`cert.pieceStatuses.${status}`, { defaultValue: status })}
    </Tag>
  );
}

const RECEIVABLE_COLOR: Record<string, string> = { pending: 'processing', confirmed: 'green', rejected: 'default', settled: 'purple' };
export function ReceivableStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={RECEIVABLE_COLOR[status]} data-testid="receivable-status" data-status={status}>
      {t(`recv.statuses.${status}`, { defaultValue: status })}
    </Tag>
  );
}

const DEAL_COLOR: Record<string, string> = {
  requested: 'processing',
  offered: 'gold',
  notified: 'blue',
  funded: 'green',
  settled: 'purple',
  declined: 'default',
  cancelled: 'default',
  defaulted: 'red',
};
export function FactoringStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={DEAL_COLOR[status]} data-status={status}>
      {t(`recv.dealStatuses.${status}`, { defaultValue: status })}
    </Tag>
  );
}

/** The organisation's own active suppliers (who may receive its certificates), from the relationship graph. */
export function useMySuppliers(enabled = true): { id: string; name: string }[] {
  const me = useMe();
  const graph = useRemote<Graph>(enabled ? '/api/v1/relationships/graph' : null);
  const names = new Map((graph.data?.nodes ?? []).map((n) => [n.id, n.name]));
  const seen = new Set<string>();
  return (graph.data?.edges ?? [])
    .filter((e) => e.kind === 'supplier' && e.status === 'active' && e.fromOrgId === me.organization.id)
    .filter((e) => (seen.has(e.toOrgId) ? false : (seen.add(e.toOrgId), true)))
    .map((e) => ({ id: e.toOrgId, name: names.get(e.toOrgId) ?? e.toOrgId }));
}

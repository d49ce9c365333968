/**
 * 溯源 and portfolio views: the lineage of a certificate as a tree of pieces (who issued, every split and
 * transfer, who financed, who was paid at clearing) with its XLSX export, and a holder's portfolio by maturity
 * month and by issuer.
 */
import ExcelJS from 'exceljs';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { requirePermission } from '../../kernel/permissions';
import { organizationNames } from '../parties';
import { certificatePieces, certificates } from './schema';
import { getCertificate } from './service';

type Certificate = Awaited<ReturnType<typeof getCertificate>>;

export interface LineageNode {
  id: string;
  parentId: string | null;
  path: string;
  depth: number;
  holderName: string | null;
  amount: string;
  status: string;
  origin: string;
  tier: number;
  children: LineageNode[];
}

/** The pieces as a tree (root = the issued piece); `path` numbers each node like 1.2.1. */
export function lineageTree(cert: Certificate): LineageNode | null {
  const nodes = new Map<string, LineageNode>();
  for (const p of cert.pieces)
    nodes.set(p.id, {
      id: p.id,
      parentId: p.parentId,
      path: '',
      depth: 0,
      holderName: p.holderName,
      amount: p.amount,
      status: p.status,
      origin: p.origin,
      tier: p.tier,
      children: [],
    });
  let root: LineageNode | null = null;
  for (const n of nodes.values()) {
    const parent = n.parentId ? nodes.get(n.parentId) : undefined;
    if (parent) parent.children.push(n);
    else root ??= n;
  }
  const number = (n: LineageNode, path: string, depth: number) => {
    n.path = path;
    n.depth = depth;
    n.children.forEach((c, i) => number(c, `${path}.${i + 1}`, depth + 1));
  };
  // The piece passed on (or financed) first, what the holder kept after it.
  for (const n of nodes.values()) n.children.sort((a, b) => Number(a.origin === 'remainder') - Number(b.origin === 'remainder'));
  if (root) number(root, '1', 0);
  return root;
}

const LABELS = {
  'zh-CN': {
    summary: '凭证信息',
    tree: '拆转链路',
    events: '流转记录',
    clearing: '清分结果',
    fields: ['凭证编号', '开立方', '资金方', '首位持有人', '面值', '开立日', '到期日', '状态', '兑付日', '对账'],
    treeCols: ['节点', '层级', '持有人', '金额', '状态', '来源', '供应商级次'],
    eventCols: ['营业日', '事件', '转出方', '接收方', '金额'],
    clearingCols: ['持有人', '清分金额'],
    balanced: '平衡',
    unbalanced: '不平衡',
  },
  en: {
    summary: 'Certificate',
    tree: 'Lineage',
    events: 'Events',
    clearing: 'Clearing',
    fields: [
      'Certificate no.',
      'Issuer',
      'Funder',
      'First holder',
      'Face value',
      'Issued',
      'Maturity',
      'Status',
      'Paid on',
      'Reconciliation',
    ],
    treeCols: ['Node', 'Depth', 'Holder', 'Amount', 'Status', 'Origin', 'Supplier tier'],
    eventCols: ['Business date', 'Event', 'From', 'To', 'Amount'],
    clearingCols: ['Holder', 'Cleared amount'],
    balanced: 'balanced',
    unbalanced: 'NOT balanced',
  },
} as const;

function header(sheet: ExcelJS.Worksheet, cols: readonly string[]) {
  const row = sheet.addRow([...cols]);
  row.font = { bold: true };
  row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F4FF' } };
  cols.forEach((_, i) => (sheet.getColumn(i + 1).width = i === 0 ? 14 : 20));
}

/** The lineage as a workbook: summary, tree (indented), events in order, and what each holder was paid. */
export async function lineageWorkbook(ctx: Ctx, id: string, locale: 'zh-CN' | 'en'): Promise<{ fileName: string; content: Buffer }> {
  const cert = await getCertificate(ctx, id);
  const L = LABELS[locale];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'OpenSCF';
  const summary = workbook.addWorksheet(L.summary);
  const values = [
    cert.certNo,
    cert.issuerName,
    cert.funderName,
    cert.firstHolderName,
    Number(cert.face),
    cert.issueDate,
    cert.maturityDate,
    cert.status,
    cert.paidOn ?? '',
    cert.reconciliation.balanced ? L.balanced : L.unbalanced,
  ];
  L.fields.forEach((f, i) => {
    const row = summary.addRow([f, values[i]]);
    row.getCell(1).font = { bold: true };
  });
  summary.getCell('B5').numFmt = '#,##0.00';
  summary.getColumn(1).width = 16;
  summary.getColumn(2).width = 34;

  const tree = workbook.addWorksheet(L.tree);
  header(tree, L.treeCols);
  const walk = (n: LineageNode) => {
    const row = tree.addRow([
      n.path,
      n.depth,
      `${'　'.repeat(n.depth)}${n.holderName ?? ''}`,
      Number(n.amount),
      n.status,
      n.origin,
      n.tier,
    ]);
    row.getCell(4).numFmt = '#,##0.00';
    n.children.forEach(walk);
  };
  const root = lineageTree(cert);
  if (root) walk(root);

  const events = workbook.addWorksheet(L.events);
  header(events, L.eventCols);
  for (const e of cert.events) {
    const row = events.addRow([e.businessDate, e.kind, e.fromName ?? '', e.toName ?? '', e.amount === null ? '' : Number(e.amount)]);
    row.getCell(5).numFmt = '#,##0.00';
  }

  const clearing = workbook.addWorksheet(L.clearing);
  header(clearing, L.clearingCols);
  const cleared = new Map<string, bigint>();
  const currency = cert.currency as Currency;
  for (const p of cert.pieces.filter((x) => x.status === 'cleared')) {
    const minor = parseAmountMinor(p.amount, currency);
    cleared.set(p.holderName ?? p.holderOrgId, (cleared.get(p.holderName ?? p.holderOrgId) ?? 0n) + minor);
  }
  for (const [holder, amount] of cleared) clearing.addRow([holder, Number(formatAmount(amount, currency))]).getCell(2).numFmt = '#,##0.00';
  return { fileName: `lineage-${cert.certNo}.xlsx`, content: Buffer.from(await workbook.xlsx.writeBuffer()) };
}

/** What the caller holds (live and pending pieces) by maturity month and by issuer — the funder's portfolio view. */
export async function portfolio(ctx: Ctx) {
  requirePermission(ctx.actor, 'loan:read');
  const rows = await ctx.db
    .select({
      issuer: certificates.issuerOrgId,
      maturity: certificates.maturityDate,
      currency: certificates.currency,
      amount: sql<string>`sum(${certificatePieces.amountMinor})::text`,
    })
    .from(certificatePieces)
    .innerJoin(certificates, eq(certificates.id, certificatePieces.certificateId))
    .where(and(eq(certificatePieces.holderOrgId, ctx.actor.orgId), inArray(certificatePieces.status, ['live', 'pending'])))
    .groupBy(certificates.issuerOrgId, certificates.maturityDate, certificates.currency);
  const names = await organizationNames(
    ctx.db,
    rows.map((r) => r.issuer),
  );
  const byMonth = new Map<string, bigint>();
  const byIssuer = new Map<string, bigint>();
  let total = 0n;
  for (const r of rows) {
    if (r.currency !== 'CNY') continue; // certificates are issued in CNY only (issueCertificate: CERT_CURRENCY)
    const minor = BigInt(r.amount);
    total += minor;
    byMonth.set(r.maturity.slice(0, 7), (byMonth.get(r.maturity.slice(0, 7)) ?? 0n) + minor);
    byIssuer.set(r.issuer, (byIssuer.get(r.issuer) ?? 0n) + minor);
  }
  return {
    currency: 'CNY',
    total: formatAmount(total, 'CNY'),
    byMaturityMonth: [...byMonth.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, v]) => ({ month, amount: formatAmount(v, 'CNY') })),
    byIssuer: [...byIssuer.entries()]
      .sort(([, a], [, b]) => (b > a ? 1 : b < a ? -1 : 0))
      .map(([orgId, v]) => ({ orgId, name: names.get(orgId) ?? null, amount: formatAmount(v, 'CNY') })),
  };
}

/**
 * Credit's workbench cards and alerts, from the lines as `listLines` answers them (figures from the ledger):
 *  - a funder: the lines it granted that are near full (utilisation ≥ NEAR_FULL) or expire within EXPIRING_DAYS;
 *  - a holder (supplier, dealer, core): its available credit per funder;
 *  - a core enterprise: its network's utilisation (the lines allocated from its own, per holder).
 */
import { Decimal } from 'decimal.js';
import type { Ctx } from '../../kernel/context';
import { FUNDER_TYPES } from '../../kernel/context';
import { addDays, type BusinessDate } from '../../kernel/dates';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { can } from '../../kernel/permissions';
import { workbenchCard, workbenchItem, type Alert, type WorkbenchCard } from '../../kernel/registry';
import { listLines, networkUtilisation, type LineDto } from './lines';

/** A line used or occupied to this share of its limit is near full. */
export const NEAR_FULL = new Decimal('0.9');
/** A line that ends within this many days is expiring. */
export const EXPIRING_DAYS = 30;
const CURRENCY: Currency = 'CNY';

const pct = (utilisation: string) => `${new Decimal(utilisation).mul(100).toFixed(2)}%`;

async function liveLines(ctx: Ctx, role: 'granted' | 'held'): Promise<LineDto[]> {
  const lines = await listLines(ctx, { role, rootsOnly: false, status: 'active', limit: 200, offset: 0 });
  return lines.filter((l) => l.currency === CURRENCY);
}

function isNearFull(line: LineDto): boolean {
  return new Decimal(line.utilisation).gte(NEAR_FULL);
}

function isExpiring(line: LineDto, date: BusinessDate): boolean {
  return line.validTo <= addDays(date, EXPIRING_DAYS);
}

function watchedLines(lines: readonly LineDto[], date: BusinessDate): LineDto[] {
  return lines.filter((l) => isNearFull(l) || isExpiring(l, date));
}

async function funderCards(ctx: Ctx, date: BusinessDate): Promise<WorkbenchCard[]> {
  const lines = await liveLines(ctx, 'granted');
  const watched = watchedLines(lines, date);
  return [
    workbenchCard({
      key: 'credit.watch',
      kind: 'list',
      title: { zh: '额度将满或将到期', en: 'Credit lines near full or expiring' },
      currency: CURRENCY,
      value: null,
      count: watched.length,
      items: watched.slice(0, 8).map((l) =>
        workbenchItem(l.id, { zh: l.holderName ?? l.holderOrgId, en: l.holderName ?? l.holderOrgId }, l.available, {
          note: isExpiring(l, date) ? l.validTo : pct(l.utilisation),
          link: `/credit/${l.id}`,
        }),
      ),
      link: '/credit',
    }),
  ];
}

async function holderCards(ctx: Ctx): Promise<WorkbenchCard[]> {
  const lines = await liveLines(ctx, 'held');
  if (lines.length === 0) return [];
  const byFunder = new Map<string, { name: string; availableMinor: bigint; lines: number }>();
  for (const l of lines) {
    const entry = byFunder.get(l.funderOrgId) ?? { name: l.funderName ?? l.funderOrgId, availableMinor: 0n, lines: 0 };
    entry.availableMinor += parseAmountMinor(l.available, CURRENCY);
    entry.lines += 1;
    byFunder.set(l.funderOrgId, entry);
  }
  const total = [...byFunder.values()].reduce((s, f) => s + f.availableMinor, 0n);
  return [
    workbenchCard({
      key: 'credit.available',
      kind: 'breakdown',
      title: { zh: '可用额度（按资金方）', en: 'Available credit by funder' },
      currency: CURRENCY,
      value: formatAmount(total, CURRENCY),
      count: lines.length,
      items: [...byFunder.entries()].map(([id, f]) =>
        workbenchItem(id, { zh: f.name, en: f.name }, formatAmount(f.availableMinor, CURRENCY), { count: f.lines, link: '/credit' }),
      ),
      link: '/credit',
    }),
  ];
}

async function networkCards(ctx: Ctx): Promise<WorkbenchCard[]> {
  const groups = await networkUtilisation(ctx, ctx.actor.orgId);
  const rows = groups.find((g) => g.currency === CURRENCY)?.rows ?? [];
  if (rows.length === 0) return [];
  const c = CURRENCY as Currency;
  const limitMinor = rows.reduce((s, r) => s + parseAmountMinor(r.limit, c), 0n);
  const takenMinor = rows.reduce((s, r) => s + parseAmountMinor(r.used, c) + parseAmountMinor(r.occupied, c), 0n);
  return [
    workbenchCard({
      key: 'credit.network',
      kind: 'breakdown',
      title: { zh: '网络额度使用', en: "Network's credit utilisation" },
      currency: CURRENCY,
      value: formatAmount(takenMinor, c),
      count: rows.length,
      items: rows.map((r) =>
        workbenchItem(r.holderOrgId, { zh: r.holderName ?? '', en: r.holderName ?? '' }, r.available, {
          note: `${r.used} / ${r.limit}`,
          count: r.lines,
          link: '/credit-network',
        }),
      ),
      link: limitMinor > 0n ? '/credit-network' : '/credit',
    }),
  ];
}

export async function creditCards(ctx: Ctx, date: BusinessDate): Promise<WorkbenchCard[]> {
  if (!can(ctx.actor, 'credit:read')) return [];
  if (FUNDER_TYPES.includes(ctx.actor.orgType)) return funderCards(ctx, date);
  if (ctx.actor.orgType === 'core') return [...(await networkCards(ctx)), ...(await holderCards(ctx))];
  return holderCards(ctx);
}

/** 预警: the funder's lines near full or expiring (the holder hears of its own through the funder). */
export async function creditLineAlerts(ctx: Ctx, date: BusinessDate): Promise<Alert[]> {
  if (!can(ctx.actor, 'credit:read') || !FUNDER_TYPES.includes(ctx.actor.orgType)) return [];
  return watchedLines(await liveLines(ctx, 'granted'), date).map((l) => ({
    source: isNearFull(l) ? 'credit_line_near_limit' : 'credit_line_expiring',
    severity: 'warning',
    id: l.id,
    title: `${l.holderName ?? ''} · ${pct(l.utilisation)}`,
    amount: l.available,
    currency: l.currency,
    date: l.validTo,
    link: `/credit/${l.id}`,
  }));
}

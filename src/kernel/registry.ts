/**
 * Registration points: a module contributes to the platform's shared places from its own index.ts, with one call,
 * instead of a central file that names every module (the way end-of-day once called certificate and factoring
 * reminders by name). The composition root (src/modules.ts) imports every module, so every registration has run
 * before the server, the command line or the demo seed start working.
 *
 *  - end-of-day steps: `registerEodStep` (run by financing's end-of-day runner, in `order`, under the run's lease);
 *  - work queue items (待办): `registerWorkSource`, called by the work queue route (workflow's `workQueue`) for
 *    the caller, each source listing what the caller's organisation and roles must act on;
 *  - search providers (全局搜索): `registerSearchProvider`, called by GET /api/v1/search for the caller, each finding
 *    its module's records by number or name within the same scope as its list;
 *  - workbench cards (工作台): `registerWorkbenchCards`, each module its cards for the organisation types it serves;
 *  - alerts (预警): `registerAlertSource`, each module the records of the caller's organisation in an alarming state.
 */
import type { Ctx } from './context';
import type { BusinessDate } from './dates';

/** Counters a step adds to the run's record (shown on the portal's 日终 page and by the command line). */
export interface EodCounters {
  loans?: number;
  interestMinor?: bigint;
  penaltyMinor?: bigint;
  newlyOverdue?: number;
}

/** What a step gets from the runner. */
export interface EodStepContext {
  /** The platform acting (the operator's system actor), on the database outside any transaction. */
  ctx: Ctx;
  /** The business date being closed (D); the run moves the platform to D + 1 after the last step. */
  date: BusinessDate;
  /**
   * Runs `work` in ONE transaction that commits only while this process still holds the run (its lease), adding
   * the counters to the run's record in the same transaction.
   */
  commit<T>(work: (tx: Ctx) => Promise<T>, counters?: (result: T) => EodCounters): Promise<T>;
  /** Loans accrued so far, for the progress bar. */
  report(loansDone: number): void;
  /** Progress of a step that is not about loans (e.g. `1200 pledges valued`), shown after the step's name. */
  note(detail: string): void;
  /**
   * Tuning of the run: the chunk size (loans per accrual chunk; applications per marking-to-market chunk) and the
   * chunks in flight at once (accrual, marking to market).
   */
  tuning: { chunkSize?: number | undefined; workers?: number | undefined };
}

/**
 * A step of end-of-day. Steps run in `order` (ascending); each must be safe to run again (a resumed run repeats
 * the step it stopped in): guards such as a last-accrued date, deterministic ids or dedupe keys make them so.
 * Orders in use: 100 accrual, 200 billing, 300 ageing, 340 保兑仓 maturity, 345 buyback triggers, 350 marking to market,
 * 360 insurance premiums overdue and policies lapsed, 400 postings, 500–599 reminders (530 insurance premiums), 600
 * credit-line expiry.
 */
export interface EodStep {
  name: string;
  order: number;
  run(step: EodStepContext): Promise<void>;
}

const eodSteps: EodStep[] = [];

export function registerEodStep(step: EodStep): void {
  if (eodSteps.some((s) => s.name === step.name)) throw new Error(`end-of-day step ${step.name} registered twice`);
  if (eodSteps.some((s) => s.order === step.order)) throw new Error(`end-of-day step order ${step.order} taken (${step.name})`);
  eodSteps.push(step);
  eodSteps.sort((a, b) => a.order - b.order);
}

/** The registered steps, in order. */
export function eodStepsInOrder(): readonly EodStep[] {
  return eodSteps;
}

// --- work queue (待办) -------------------------------------------------------------------------------------------

/**
 * One thing the caller has to do, as a source computes it from its records' state (never stored): it leaves the
 * queue when the record leaves that state (confirmed, accepted, signed, decided…).
 */
export interface WorkItem {
  /** What to do: one of its source's `kinds` (approval, payable_confirmation, certificate_acceptance …). */
  kind: string;
  /** The record (or approval task) the work is on; with `kind`, the item's key in the queue. */
  id: string;
  title: string;
  /** The other party of the record (the creditor asking for 确权, the funder quoting, the borrower …). */
  counterpartyOrgId: string | null;
  counterpartyName: string | null;
  /** A decimal string in the currency's major units ("1234.56"), with its currency; null when the work has none. */
  amount: string | null;
  currency: string | null;
  /** When it is due: a business date 'YYYY-MM-DD', or an ISO instant for a deadline in hours (approval tasks). */
  due: string | null;
  overdue: boolean;
  /** When the work arrived (ISO instant). */
  createdAt: string;
  /** The web route of the record (/applications/:id, /certificates/:id …). */
  link: string;
}

/**
 * A module's contribution to the work queue: `list` answers the items of the caller (ctx.actor) — its organisation's
 * records only (tenant isolation is the source's job, as every read's), and only what the caller's roles may act on
 * (a viewer without the permission the action needs gets none); at most WORK_SOURCE_LIMIT items.
 */
export interface WorkSource {
  name: string;
  /** The kinds it lists (counted, zero included, for the badges). */
  kinds: readonly string[];
  list(ctx: Ctx): Promise<WorkItem[]>;
}

/** The most items one source answers (the oldest due first): a queue longer than that is worked from its module's list. */
export const WORK_SOURCE_LIMIT = 200;

const workSources: WorkSource[] = [];

export function registerWorkSource(source: WorkSource): void {
  if (workSources.some((s) => s.name === source.name)) throw new Error(`work source ${source.name} registered twice`);
  workSources.push(source);
}

/** The registered sources, in registration order. */
export function workSourcesInOrder(): readonly WorkSource[] {
  return workSources;
}

// --- search (全局搜索) -------------------------------------------------------------------------------------------

/** One record a search found: what the header's dropdown shows and where it opens. */
export interface SearchHit {
  id: string;
  /** The record's number or name (合同号, 借据号, 客户名称 …). */
  label: string;
  /** A second line: the counterparty, the credit code, the status … */
  secondary: string | null;
  /** The web route of the record (/parties/:id, /loans/:id …). */
  link: string;
}

/** What a provider answers: at most `limit` hits, the best first (prefix matches before substring ones), and how many matched. */
export interface SearchResult {
  hits: SearchHit[];
  total: number;
}

/**
 * A module's contribution to the global search: `search` finds the caller's (ctx.actor) records matching `term` —
 * scoped exactly like the module's own list endpoint (reuse the list's visibility condition, never a second rule),
 * and nothing at all when the caller's roles may not read the list. `term` is trimmed and non-empty; match it with
 * `matchesTerm` (kernel/search-sql.ts) so every kind matches the same way.
 */
export interface SearchProvider {
  /** The kind of record (party, application, contract, loan …), the results' group. */
  kind: string;
  search(ctx: Ctx, term: string, limit: number): Promise<SearchResult>;
}

const searchProviders: SearchProvider[] = [];

export function registerSearchProvider(provider: SearchProvider): void {
  if (searchProviders.some((p) => p.kind === provider.kind)) throw new Error(`search provider ${provider.kind} registered twice`);
  searchProviders.push(provider);
}

/** The registered providers, in registration order (the order of the groups). */
export function searchProvidersInOrder(): readonly SearchProvider[] {
  return searchProviders;
}

// --- workbench (工作台) -------------------------------------------------------------------------------------------

/** Words for a reader in each of the two languages the platform speaks (a card's title, a breakdown's label). */
export interface Words {
  zh: string;
  en: string;
}

/**
 * One line of a card: a breakdown's part (a product, a tier, a DPD bucket), a series' point (a maturity month) or a
 * list's row (a credit line, a loan's next repayment). `value` is a decimal string in the card's currency's major
 * units ("1234.56") or a count ("12") for a card without currency; `count` the records behind it when it is money.
 */
export interface WorkbenchItem {
  key: string;
  label: Words;
  value: string;
  count: number | null;
  /** A date or a second figure to show beside the value ("2026-12-20", "87.50%"). */
  note: string | null;
  link: string | null;
}

/**
 * A workbench card. `figure`: one number; `breakdown`: a number and its parts; `series`: points for a chart (the web
 * draws bars or a pie); `list`: rows. `link` is the web route of the list behind the card, with the filters that list
 * supports in its query string.
 */
export interface WorkbenchCard {
  key: string;
  kind: 'figure' | 'breakdown' | 'series' | 'list';
  title: Words;
  /** The currency of every amount on the card; null when its figures are counts. */
  currency: string | null;
  value: string | null;
  count: number | null;
  items: WorkbenchItem[];
  link: string | null;
}

/**
 * A module's cards for the organisation types it serves: `cards` answers the caller's (ctx.actor's) organisation's
 * business for the business date — its own records only, through the module's own reads (tenant isolation is the
 * provider's job, as every read's); a caller without the permission the reads need gets no card rather than an error.
 */
export interface WorkbenchCards {
  module: string;
  orgTypes: readonly string[] | 'all';
  cards(ctx: Ctx, date: BusinessDate): Promise<WorkbenchCard[]>;
}

const workbenchProviders: WorkbenchCards[] = [];

export function registerWorkbenchCards(provider: WorkbenchCards): void {
  if (workbenchProviders.some((p) => p.module === provider.module))
    throw new Error(`workbench cards of ${provider.module} registered twice`);
  workbenchProviders.push(provider);
}

/** The providers serving `orgType`, in registration order (the composition root's order of modules). */
export function workbenchProvidersFor(orgType: string): readonly WorkbenchCards[] {
  return workbenchProviders.filter((p) => p.orgTypes === 'all' || p.orgTypes.includes(orgType));
}

// --- alerts (预警) -------------------------------------------------------------------------------------------------

/** Something that went wrong or is about to, for the caller's organisation: where it comes from and where to look. */
export interface Alert {
  /** The source's name (margin_call, loan_overdue, pledge_underinsured, credit_line_near_limit, policy_lapsed…). */
  source: string;
  severity: 'warning' | 'critical';
  id: string;
  title: string;
  amount: string | null;
  currency: string | null;
  /** The business date it arose on or is due on. */
  date: string | null;
  link: string;
}

/** A module's alerts for the caller: its organisation's records in an alarming state, computed (never stored). */
export interface AlertSource {
  name: string;
  list(ctx: Ctx, date: BusinessDate): Promise<Alert[]>;
}

/** The most alerts one source answers (the worst first): more are read from the module's own list. */
export const ALERT_SOURCE_LIMIT = 50;

const alertSources: AlertSource[] = [];

export function registerAlertSource(source: AlertSource): void {
  if (alertSources.some((s) => s.name === source.name)) throw new Error(`alert source ${source.name} registered twice`);
  alertSources.push(source);
}

export function alertSourcesInOrder(): readonly AlertSource[] {
  return alertSources;
}

/** A card with nothing but what is given (no count, no items, counts rather than money unless a currency is given). */
export function workbenchCard(
  c: Pick<WorkbenchCard, 'key' | 'kind' | 'title' | 'value' | 'link'> & Partial<Pick<WorkbenchCard, 'count' | 'items' | 'currency'>>,
): WorkbenchCard {
  return { count: null, items: [], currency: null, ...c };
}

export function workbenchItem(key: string, label: Words, value: string, extra: Partial<WorkbenchItem> = {}): WorkbenchItem {
  return { key, label, value, count: null, note: null, link: null, ...extra };
}

/**
 * A breakdown card of records counted by status (a queue): every status of `words` in its order, zero included;
 * the card's value is the count of the statuses in `open` (what is still to be worked).
 */
export function statusCountsCard<S extends string>(c: {
  key: string;
  title: Words;
  words: Readonly<Record<S, Words>>;
  counts: readonly { status: string; n: bigint | number }[];
  open: readonly S[];
  link: string;
}): WorkbenchCard {
  const countOf = (status: string) => Number(c.counts.find((r) => r.status === status)?.n ?? 0);
  const statuses = Object.keys(c.words) as S[];
  return workbenchCard({
    key: c.key,
    kind: 'breakdown',
    title: c.title,
    value: String(c.open.reduce((s, status) => s + countOf(status), 0)),
    items: statuses.map((status) => workbenchItem(status, c.words[status], String(countOf(status)), { link: c.link })),
    link: c.link,
  });
}

/** An alert from a work item a module already lists (a margin call to meet, a pledge to insure): the same record, link and amount. */
export function alertOfWorkItem(item: WorkItem, source: string, severity: Alert['severity']): Alert {
  return {
    source,
    severity,
    id: item.id,
    title: item.counterpartyName ? `${item.title} · ${item.counterpartyName}` : item.title,
    amount: item.amount,
    currency: item.currency,
    date: item.due,
    link: item.link,
  };
}

/**
 * The credit line's lifecycle and balance view — pure functions.
 *
 *   inactive ──activate──▶ active ──freeze──▶ frozen ──unfreeze──▶ active
 *                            │ ▲                │
 *                          clear restore       expire
 *                            ▼ │                ▼
 *                          cleared ──expire──▶ expired   (active ──expire──▶ expired)
 *
 * Occupation needs the line AND every ancestor it was allocated from to be active and in validity.
 */
import { AppError } from '../../kernel/errors';
import { transitionTable } from '../../kernel/lifecycle';

export const LINE_STATUSES = ['inactive', 'active', 'frozen', 'cleared', 'expired'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];
export type LineAction =
  | 'activate'
  | 'freeze'
  | 'unfreeze'
  | 'clear'
  | 'restore'
  | 'expire'
  | 'increase'
  | 'decrease'
  | 'allocate'
  | 'take_back';

/** For each status, the actions allowed and the status they lead to. Anything else is ILLEGAL_TRANSITION. */
const lines = transitionTable<LineStatus, LineAction>(LINE_STATUSES, {
  inactive: { activate: 'active', expire: 'expired' },
  active: {
    freeze: 'frozen',
    clear: 'cleared',
    expire: 'expired',
    increase: 'active',
    decrease: 'active',
    allocate: 'active',
    take_back: 'active',
  },
  frozen: { unfreeze: 'active', expire: 'expired', increase: 'frozen', take_back: 'frozen' },
  cleared: { restore: 'active', expire: 'expired', take_back: 'cleared' },
  expired: {},
});

export const nextStatus = lines.next;

export const canDo = lines.allows;

/** The error that explains why a line (or an ancestor) in `status` cannot be occupied. */
export function occupationBlocker(status: LineStatus): AppError | null {
  switch (status) {
    case 'active':
      return null;
    case 'frozen':
      return new AppError('CREDIT_LINE_FROZEN');
    case 'cleared':
      return new AppError('CREDIT_LINE_CLEARED');
    case 'expired':
      return new AppError('CREDIT_LINE_EXPIRED');
    case 'inactive':
      return new AppError('CREDIT_LINE_NOT_ACTIVE');
  }
}

export interface LedgerBalances {
  debitsPending: bigint;
  debitsPosted: bigint;
  creditsPending: bigint;
  creditsPosted: bigint;
}

export interface Flow {
  debits: bigint;
  credits: bigint;
}

/** Reason codes a line's figures are derived from (the ledger module's TRANSFER_CODES values). */
export interface FigureCodes {
  grant: number;
  increase: number;
  decrease: number;
  allocate: number;
  takeBack: number;
  clear: number;
  restore: number;
  expire: number;
}

export interface LineFigures {
  limitMinor: bigint;
  allocatedMinor: bigint;
  occupiedMinor: bigint;
  usedMinor: bigint;
  frozenMinor: bigint;
  clearedMinor: bigint;
  expiredMinor: bigint;
  availableMinor: bigint;
}

/**
 * A line's figures from its ledger accounts: `available` is what the ledger lets be taken (credits −
 * debits − pending debits of the line account); the rest explains where the limit went, so that
 * available = limit − allocated − occupied − used − frozen − cleared − expired.
 *
 *   limit     = grants + increases + allocations received − decreases − take-backs given up
 *   allocated = allocations to children − take-backs − what children cleared/expired back + children restored
 *   cleared   = own clears − own restores; expired = own expiry sweep
 */
export function lineFigures(input: {
  codes: FigureCodes;
  isChild: boolean;
  lineFlows: ReadonlyMap<number, Flow>;
  line: LedgerBalances;
  usage: LedgerBalances;
  frozen: LedgerBalances;
}): LineFigures {
  const { codes, lineFlows } = input;
  const f = (code: number): Flow => lineFlows.get(code) ?? { debits: 0n, credits: 0n };
  // On a child line, ALLOCATE/TAKE_BACK credits/debits are its own limit; on a parent, flows to children.
  // Each code's direction tells which: the line's own receipts are credits, its gifts to children debits.
  const limitMinor =
    f(codes.grant).credits +
    f(codes.increase).credits -
    f(codes.decrease).debits +
    (input.isChild ? f(codes.allocate).credits - f(codes.takeBack).debits : 0n);
  const allocatedMinor =
    f(codes.allocate).debits - f(codes.takeBack).credits - f(codes.clear).credits - f(codes.expire).credits + f(codes.restore).debits;
  return {
    limitMinor,
    allocatedMinor,
    occupiedMinor: input.usage.creditsPending,
    usedMinor: input.usage.creditsPosted - input.usage.debitsPosted,
    frozenMinor: input.frozen.creditsPending,
    clearedMinor: f(codes.clear).debits - f(codes.restore).credits,
    expiredMinor: f(codes.expire).debits,
    availableMinor: input.line.creditsPosted - input.line.debitsPosted - input.line.debitsPending,
  };
}

/** Sums figures over a subtree (roll-up through the allocation hierarchy): limit counts only at the top. */
export function rollUp(top: LineFigures, descendants: readonly LineFigures[]): LineFigures {
  const total = { ...top };
  for (const d of descendants) {
    total.occupiedMinor += d.occupiedMinor;
    total.usedMinor += d.usedMinor;
    total.frozenMinor += d.frozenMinor;
    total.clearedMinor += d.clearedMinor;
    total.expiredMinor += d.expiredMinor;
    total.availableMinor += d.availableMinor;
  }
  // Allocations inside the tree are not "gone": the roll-up shows what the whole tree still has.
  total.allocatedMinor = 0n;
  return total;
}

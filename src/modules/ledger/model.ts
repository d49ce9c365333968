/**
 * A pure, in-memory model of the ledger's transfer semantics — the specification the SQL engine
 * (migrations/0002_ledger_engine.sql) must agree with. Property tests run random batches through both and
 * compare every result and balance.
 */

export type TransferKind = 'posted' | 'pending' | 'post_pending' | 'void_pending';

export interface ModelAccount {
  id: string;
  ledger: number;
  debitsMustNotExceedCredits: boolean;
  creditsMustNotExceedDebits: boolean;
  closed: boolean;
  debitsPending: bigint;
  debitsPosted: bigint;
  creditsPending: bigint;
  creditsPosted: bigint;
}

export interface TransferInput {
  id: string;
  debitAccountId?: string | undefined;
  creditAccountId?: string | undefined;
  amountMinor?: bigint | undefined;
  kind?: TransferKind | undefined;
  pendingId?: string | undefined;
  ledger: number;
  code: number;
  linked?: boolean | undefined;
  timeoutSeconds?: number | undefined;
  refType?: string | undefined;
  refId?: string | undefined;
}

interface StoredTransfer {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amountMinor: bigint;
  kind: TransferKind;
  pendingId: string | undefined;
  ledger: number;
  code: number;
  refType: string | undefined;
  refId: string | undefined;
}

interface Hold {
  transferId: string;
  debitAccountId: string;
  creditAccountId: string;
  amountMinor: bigint;
  state: 'pending' | 'posted' | 'voided' | 'expired';
}

export interface LedgerModel {
  accounts: Map<string, ModelAccount>;
  transfers: Map<string, StoredTransfer>;
  holds: Map<string, Hold>;
  failed: Set<string>;
}

export function emptyModel(): LedgerModel {
  return { accounts: new Map(), transfers: new Map(), holds: new Map(), failed: new Set() };
}

function clone(model: LedgerModel): LedgerModel {
  return {
    accounts: new Map([...model.accounts].map(([k, v]) => [k, { ...v }])),
    transfers: new Map(model.transfers),
    holds: new Map([...model.holds].map(([k, v]) => [k, { ...v }])),
    failed: new Set(model.failed),
  };
}

function sameAsStored(t: TransferInput, s: StoredTransfer): boolean {
  const kind = t.kind ?? 'posted';
  return (
    s.kind === kind &&
    s.code === t.code &&
    s.ledger === t.ledger &&
    s.pendingId === t.pendingId &&
    (t.debitAccountId === undefined || s.debitAccountId === t.debitAccountId) &&
    (t.creditAccountId === undefined || s.creditAccountId === t.creditAccountId) &&
    (t.amountMinor === undefined ||
      s.amountMinor === t.amountMinor ||
      ((kind === 'post_pending' || kind === 'void_pending') && t.amountMinor === 0n)) &&
    s.refType === t.refType &&
    s.refId === t.refId
  );
}

/** Applies one transfer to `m` in place; returns its result code. */
function applyOne(m: LedgerModel, t: TransferInput): string {
  const stored = m.transfers.get(t.id);
  if (stored) return sameAsStored(t, stored) ? 'exists' : 'exists_with_different_fields';
  if (m.failed.has(t.id)) return 'id_already_failed';
  const kind = t.kind ?? 'posted';
  if (t.code <= 0) return 'code_must_not_be_zero';
  if (kind === 'posted' || kind === 'pending') {
    if (t.pendingId !== undefined) return 'pending_id_must_be_null';
    if (t.amountMinor === undefined || t.amountMinor <= 0n) return 'amount_must_not_be_zero';
    if (!t.debitAccountId || !t.creditAccountId) return 'accounts_must_not_be_null';
    if (t.debitAccountId === t.creditAccountId) return 'accounts_must_be_different';
    if ((t.timeoutSeconds ?? 0) !== 0 && kind !== 'pending') return 'timeout_reserved_for_pending_transfer';
    const da = m.accounts.get(t.debitAccountId);
    if (!da) return 'debit_account_not_found';
    const ca = m.accounts.get(t.creditAccountId);
    if (!ca) return 'credit_account_not_found';
    if (da.ledger !== ca.ledger) return 'accounts_must_have_the_same_ledger';
    if (t.ledger !== da.ledger) return 'transfer_must_have_the_same_ledger_as_accounts';
    if (da.closed) return 'debit_account_already_closed';
    if (ca.closed) return 'credit_account_already_closed';
    const amount = t.amountMinor;
    if (da.debitsMustNotExceedCredits && da.debitsPending + da.debitsPosted + amount > da.creditsPosted) return 'exceeds_credits';
    if (ca.creditsMustNotExceedDebits && ca.creditsPending + ca.creditsPosted + amount > ca.debitsPosted) return 'exceeds_debits';
    if (kind === 'posted') {
      da.debitsPosted += amount;
      ca.creditsPosted += amount;
    } else {
      da.debitsPending += amount;
      ca.creditsPending += amount;
      m.holds.set(t.id, { transferId: t.id, debitAccountId: da.id, creditAccountId: ca.id, amountMinor: amount, state: 'pending' });
    }
    m.transfers.set(t.id, {
      id: t.id,
      debitAccountId: da.id,
      creditAccountId: ca.id,
      amountMinor: amount,
      kind,
      pendingId: undefined,
      ledger: t.ledger,
      code: t.code,
      refType: t.refType,
      refId: t.refId,
    });
    return 'ok';
  }
  if (t.pendingId === undefined) return 'pending_id_must_not_be_null';
  if (t.pendingId === t.id) return 'pending_id_must_be_different';
  const hold = m.holds.get(t.pendingId);
  if (!hold) return m.transfers.has(t.pendingId) ? 'pending_transfer_not_pending' : 'pending_transfer_not_found';
  if (hold.state === 'posted') return 'pending_transfer_already_posted';
  if (hold.state === 'voided') return 'pending_transfer_already_voided';
  if (hold.state === 'expired') return 'pending_transfer_expired';
  if (t.debitAccountId !== undefined && t.debitAccountId !== hold.debitAccountId) return 'pending_transfer_has_different_debit_account_id';
  if (t.creditAccountId !== undefined && t.creditAccountId !== hold.creditAccountId)
    return 'pending_transfer_has_different_credit_account_id';
  const da = m.accounts.get(hold.debitAccountId)!;
  const ca = m.accounts.get(hold.creditAccountId)!;
  if (t.ledger !== da.ledger) return 'pending_transfer_has_different_ledger';
  let amount: bigint;
  if (kind === 'void_pending') {
    if (t.amountMinor !== undefined && t.amountMinor !== 0n && t.amountMinor !== hold.amountMinor)
      return 'pending_transfer_has_different_amount';
    amount = hold.amountMinor;
  } else {
    amount = t.amountMinor === undefined || t.amountMinor === 0n ? hold.amountMinor : t.amountMinor;
    if (amount < 0n) return 'amount_must_not_be_negative';
    if (amount > hold.amountMinor) return 'exceeds_pending_transfer_amount';
  }
  da.debitsPending -= hold.amountMinor;
  ca.creditsPending -= hold.amountMinor;
  if (kind === 'post_pending') {
    da.debitsPosted += amount;
    ca.creditsPosted += amount;
    hold.state = 'posted';
  } else {
    hold.state = 'voided';
  }
  m.transfers.set(t.id, {
    id: t.id,
    debitAccountId: da.id,
    creditAccountId: ca.id,
    amountMinor: amount,
    kind,
    pendingId: t.pendingId,
    ledger: t.ledger,
    code: t.code,
    refType: t.refType,
    refId: t.refId,
  });
  return 'ok';
}

/**
 * Applies a batch in order. A run of transfers with `linked` set, ended by the first one without it, is a
 * chain: if any member fails, none applies (the failing one keeps its code, the others get
 * linked_event_failed). A chain still open at the end of the batch fails (TigerBeetle): its last transfer
 * answers linked_event_chain_open, the first failure before it keeps its code, the others linked_event_failed.
 */
export function applyBatch(model: LedgerModel, batch: readonly TransferInput[]): { model: LedgerModel; results: string[] } {
  let m = clone(model);
  const results: string[] = new Array(batch.length);
  let i = 0;
  while (i < batch.length) {
    const start = i;
    while (i < batch.length - 1 && batch[i]!.linked) i++;
    const open = batch[i]!.linked === true;
    if (open && start === i) {
      results[i] = 'linked_event_chain_open';
    } else if (start === i) {
      results[i] = applyOne(m, batch[i]!);
    } else {
      const attempt = clone(m);
      let failedAt = -1;
      for (let j = start; j <= i; j++) {
        const r = open && j === i ? 'linked_event_chain_open' : applyOne(attempt, batch[j]!);
        results[j] = r;
        if (r !== 'ok' && r !== 'exists') {
          failedAt = j;
          break;
        }
      }
      if (failedAt >= 0) {
        for (let j = start; j <= i; j++) {
          if (open && j === i) results[j] = 'linked_event_chain_open';
          else if (j !== failedAt) results[j] = 'linked_event_failed';
        }
      } else {
        m = attempt;
      }
    }
    i++;
  }
  batch.forEach((t, j) => {
    if (!['ok', 'exists', 'exists_with_different_fields', 'id_already_failed'].includes(results[j]!)) m.failed.add(t.id);
  });
  return { model: m, results };
}

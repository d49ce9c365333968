/**
 * 台账: a project's money entries — review fee, guarantee fee installments, the margin deposit and its refund, the
 * compensation (代偿) and recoveries (追偿). The project's A角 enters one; it goes to the guarantor's flow
 * `guarantee_ledger_check` (a built-in default of 风控复核 then 财务复核, migration 0045; a guarantor publishes its own
 * naming its risk and finance checkers) and is posted to the ledger only when the last check passes, in that
 * checker's transaction — or refused (rejected, returned). The three are three people: the workflow refuses a case's
 * initiator and anybody who decided another of its steps, and a CHECK keeps the poster apart from the maker.
 *
 * Postings (ledger codes 540–549) follow the guarantee companies' chart: fees to 担保费收入; the margin into and out
 * of the project's 存入保证金; the compensation paid to the lender with the margin set off first, the rest from the
 * guarantor's settlement account, and Dr 应收代偿款 / Cr the debtor's 代偿债务 for what the guarantor paid of its own;
 * a recovery settles 应收代偿款 first and the excess is 追偿收入.
 */
import { and, desc, eq, ne } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName, type Executor } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { nameUuid, uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import {
  ACCOUNT_CODES,
  TRANSFER_CODES,
  accountBalances,
  createAccounts,
  createTransfers,
  moneyLedger,
  orgAccount,
  settlementAccount,
  type TransferInput,
} from '../ledger';
import { operatorOrganizationId } from '../parties';
import { notify, registerCaseEvents, startCase } from '../workflow';
import { readsGuarantorSide } from './access';
import { compensationSplit, recoverySplit } from './model';
import { guarantorProject, PROJECT_SUBJECT, transition, visibleProject } from './projects';
import {
  counterGuarantees,
  custodyEvents,
  entries,
  feeInstallments,
  projects,
  type EntryKind,
  type EntryRow,
  type ProjectRow,
} from './schema';

export const ENTRY_SUBJECT = 'guarantee_entry';
export const LEDGER_CHECK_FLOW = 'guarantee_ledger_check';

/** The statuses of the project in which each kind of entry may be made. */
const ENTRY_WINDOW: Record<EntryKind, readonly ProjectRow['status'][]> = {
  review_fee: ['approved', 'fees_collected', 'contracted', 'in_force'],
  guarantee_fee: ['approved', 'fees_collected', 'contracted', 'in_force'],
  margin_in: ['approved', 'fees_collected', 'contracted'],
  margin_refund: ['released'],
  compensation: ['in_force'],
  recovery: ['compensated'],
};

export const ENTRY_LABELS: Record<EntryKind, string> = {
  review_fee: '评审费',
  guarantee_fee: '担保费',
  margin_in: '存入保证金',
  margin_refund: '退还保证金',
  compensation: '代偿',
  recovery: '追偿',
};

// --- the project's accounts ----------------------------------------------------------------------------------------

/** 存入保证金 of a project (owned by the guarantor; never overdrawn). */
async function marginAccount(db: Executor, p: ProjectRow): Promise<string> {
  return projectAccount(db, p, ACCOUNT_CODES.GUAR_MARGIN, p.guarantorOrgId, '存入保证金 margin deposit', true);
}
/** 应收代偿款 of a project (the guarantor's, debit-normal). */
function receivableAccount(db: Executor, p: ProjectRow): Promise<string> {
  return projectAccount(db, p, ACCOUNT_CODES.GUAR_COMP_RECEIVABLE, p.guarantorOrgId, '应收代偿款 compensation receivable', false);
}
/** The debtor's 代偿债务 matching the receivable (the applicant's, credit-normal). */
function obligationAccount(db: Executor, p: ProjectRow): Promise<string> {
  return projectAccount(db, p, ACCOUNT_CODES.GUAR_COMP_OBLIGATION, p.applicantOrgId, '代偿债务 compensation owed', false);
}

async function projectAccount(db: Executor, p: ProjectRow, code: number, ownerOrgId: string, name: string, guarded: boolean) {
  const ledger = moneyLedger(p.currency as Currency);
  const id = projectAccountId(p, code);
  await createAccounts(db, [
    { id, ledger, code, ownerOrgId, name, debitsMustNotExceedCredits: guarded, refType: PROJECT_SUBJECT, refId: p.id },
  ]);
  return id;
}

function incomeAccount(db: Executor, p: ProjectRow, code: number, name: string): Promise<string> {
  return orgAccount(db, { orgId: p.guarantorOrgId, ledger: moneyLedger(p.currency as Currency), code, name });
}

/** An off-platform counterparty's side of a payment: the platform's clearing account (money from / to outside). */
async function clearingAccount(db: Executor, currency: Currency): Promise<string> {
  const operator = await operatorOrganizationId(db);
  if (!operator) throw new AppError('SERVICE_UNAVAILABLE');
  return orgAccount(db, { orgId: operator, ledger: moneyLedger(currency), code: ACCOUNT_CODES.CLEARING, name: '清算户 clearing' });
}

function projectAccountId(p: ProjectRow, code: number): string {
  return nameUuid(`guarantee:${p.id}:${moneyLedger(p.currency as Currency)}:${code}`);
}

/** The project's balances: margin held, compensation receivable outstanding (zero for an account not opened yet). */
export async function projectBalances(db: Executor, p: ProjectRow) {
  const margin = projectAccountId(p, ACCOUNT_CODES.GUAR_MARGIN);
  const receivable = projectAccountId(p, ACCOUNT_CODES.GUAR_COMP_RECEIVABLE);
  const rows = await accountBalances(db, [margin, receivable]);
  const m = rows.get(margin);
  const r = rows.get(receivable);
  return {
    marginHeldMinor: m ? m.creditsPosted - m.debitsPosted : 0n,
    receivableMinor: r ? r.debitsPosted - r.creditsPosted : 0n,
  };
}

// --- entering -------------------------------------------------------------------------------------------------------

export interface EntryInput {
  kind: EntryKind;
  /** compensation and recovery: the amount; the others take theirs from the project (fee, installment, margin). */
  amount?: string | undefined;
  installmentId?: string | undefined;
  source?: 'debtor' | 'counter_guarantee' | undefined;
  counterGuaranteeId?: string | undefined;
  note?: string | undefined;
}

/** What an entry of `kind` is for: its amount and the record it pays (checked again when it is posted). */
async function entryAmount(tx: Ctx, p: ProjectRow, input: EntryInput): Promise<bigint> {
  const c = p.currency as Currency;
  switch (input.kind) {
    case 'review_fee':
      if (p.reviewFeeMinor <= 0n) throw new AppError('GUARANTEE_ENTRY_NOT_ALLOWED', { status: p.status, kind: input.kind });
      return p.reviewFeeMinor;
    case 'margin_in':
      if (p.marginMinor <= 0n) throw new AppError('GUARANTEE_ENTRY_NOT_ALLOWED', { status: p.status, kind: input.kind });
      return p.marginMinor;
    case 'guarantee_fee': {
      if (!input.installmentId) throw new AppError('VALIDATION_FAILED', { field: 'installmentId', reason: 'required' });
      const [i] = await tx.db
        .select()
        .from(feeInstallments)
        .where(and(eq(feeInstallments.id, input.installmentId), eq(feeInstallments.projectId, p.id)));
      if (!i) throw new AppError('NOT_FOUND', { objectType: 'guarantee_fee_installment', id: input.installmentId });
      if (i.status !== 'due' || i.amountMinor <= 0n) throw new AppError('GUARANTEE_ENTRY_PENDING');
      return i.amountMinor;
    }
    case 'margin_refund': {
      const { marginHeldMinor } = await projectBalances(tx.db, p);
      if (marginHeldMinor <= 0n) throw new AppError('GUARANTEE_ENTRY_NOT_ALLOWED', { status: p.status, kind: input.kind });
      return marginHeldMinor;
    }
    case 'compensation':
    case 'recovery': {
      if (!input.amount) throw new AppError('VALIDATION_FAILED', { field: 'amount', reason: 'required' });
      const amountMinor = parseAmountMinor(input.amount, c);
      if (amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.amount });
      if (input.kind === 'compensation' && amountMinor > p.amountMinor)
        throw new AppError('GUARANTEE_AMOUNT_EXCEEDED', { limit: formatAmount(p.amountMinor, c) });
      return amountMinor;
    }
  }
}

async function requireCounterGuarantee(tx: Ctx, p: ProjectRow, id: string | undefined) {
  if (!id) throw new AppError('VALIDATION_FAILED', { field: 'counterGuaranteeId', reason: 'required for proceeds of a counter-guarantee' });
  const [cg] = await tx.db
    .select()
    .from(counterGuarantees)
    .where(and(eq(counterGuarantees.id, id), eq(counterGuarantees.projectId, p.id)));
  if (!cg) throw new AppError('NOT_FOUND', { objectType: 'guarantee_counter_guarantee', id });
  if (cg.status !== 'pledged') throw new AppError('ILLEGAL_TRANSITION', { from: cg.status, action: 'realise' });
  return cg;
}

/**
 * 录入台账: the project's A角 enters a money entry; it waits for risk control and finance (the flow
 * guarantee_ledger_check). 403 GUARANTEE_NOT_OFFICER_A for anybody else of the guarantor; 409
 * GUARANTEE_ENTRY_NOT_ALLOWED outside the project's window for the kind; 409 GUARANTEE_ENTRY_PENDING for an item
 * entered already (a partial unique index decides a race).
 */
export async function enterEntry(ctx: Ctx, projectId: string, input: EntryInput) {
  requirePermission(ctx.actor, 'loan:write');
  const p = await guarantorProject(ctx, projectId);
  if (p.officerAUserId !== ctx.actor.userId) throw new AppError('GUARANTEE_NOT_OFFICER_A');
  if (!ENTRY_WINDOW[input.kind].includes(p.status))
    throw new AppError('GUARANTEE_ENTRY_NOT_ALLOWED', { status: p.status, kind: input.kind });
  if (input.kind === 'recovery' && !input.source) throw new AppError('VALIDATION_FAILED', { field: 'source', reason: 'required' });
  return withTransaction(ctx, async (tx) => {
    const amountMinor = await entryAmount(tx, p, input);
    if (input.kind === 'recovery' && input.source === 'counter_guarantee') await requireCounterGuarantee(tx, p, input.counterGuaranteeId);
    const today = await currentBusinessDate(tx);
    const c = p.currency as Currency;
    const row = {
      id: uuidv7(),
      projectId,
      guarantorOrgId: p.guarantorOrgId,
      kind: input.kind,
      currency: p.currency,
      amountMinor,
      installmentId: input.kind === 'guarantee_fee' ? input.installmentId! : null,
      counterGuaranteeId: input.source === 'counter_guarantee' ? input.counterGuaranteeId! : null,
      source: input.kind === 'recovery' ? input.source! : null,
      note: input.note ?? '',
      enteredBy: ctx.actor.userId,
      businessDate: today,
    };
    await tx.db
      .insert(entries)
      .values(row)
      .catch((error: unknown) => {
        const name = constraintName(error);
        if (name === 'guarantee_entries_one_per_installment' || name === 'guarantee_entries_one_of_kind')
          throw new AppError('GUARANTEE_ENTRY_PENDING');
        throw error;
      });
    await startCase(tx, {
      ownerOrgId: p.guarantorOrgId,
      flowKey: LEDGER_CHECK_FLOW,
      subjectType: ENTRY_SUBJECT,
      subjectId: row.id,
      subjectOrgId: p.applicantOrgId,
      title: `台账 ${p.projectNo} · ${ENTRY_LABELS[input.kind]} ${formatAmount(amountMinor, c)}`,
      facts: { amount: formatAmount(amountMinor, c), mode: `guarantee_${input.kind}` },
    });
    await recordAudit(tx, {
      action: 'guarantee.entry.enter',
      objectType: ENTRY_SUBJECT,
      objectId: row.id,
      subjectOrgId: p.guarantorOrgId,
      after: { ...row, amountMinor: formatAmount(amountMinor, c) },
    });
    return entryDto(await lockedEntry(tx, row.id), p);
  });
}

async function lockedEntry(tx: Ctx, id: string): Promise<EntryRow> {
  const [row] = await tx.db.select().from(entries).where(eq(entries.id, id)).for('update');
  if (!row) throw new AppError('NOT_FOUND', { objectType: ENTRY_SUBJECT, id });
  return row;
}

// --- posting (the last check passed) ---------------------------------------------------------------------------

function transfer(p: ProjectRow, e: EntryRow, code: number, debitAccountId: string, creditAccountId: string, amountMinor: bigint) {
  return {
    id: uuidv7(),
    debitAccountId,
    creditAccountId,
    amountMinor,
    ledger: moneyLedger(p.currency as Currency),
    code,
    refType: ENTRY_SUBJECT,
    refId: e.id,
  } satisfies TransferInput;
}

/** The transfers an entry posts, and what it split (compensation: set off / paid; recovery: settles / income). */
async function plan(tx: Ctx, p: ProjectRow, e: EntryRow): Promise<{ transfers: TransferInput[]; a: bigint | null; b: bigint | null }> {
  const c = p.currency as Currency;
  const db = tx.db;
  const applicant = () => settlementAccount(db, p.applicantOrgId, c);
  const lender = () => (p.lenderOrgId ? settlementAccount(db, p.lenderOrgId, c) : clearingAccount(db, c));
  const C = TRANSFER_CODES;
  switch (e.kind) {
    case 'review_fee':
    case 'guarantee_fee': {
      const income = await incomeAccount(db, p, ACCOUNT_CODES.GUAR_FEE_INCOME, '担保费收入 guarantee fee income');
      const code = e.kind === 'review_fee' ? C.GUAR_REVIEW_FEE : C.GUAR_FEE;
      return { transfers: [transfer(p, e, code, await applicant(), income, e.amountMinor)], a: null, b: null };
    }
    case 'margin_in':
      return {
        transfers: [transfer(p, e, C.GUAR_MARGIN_IN, await applicant(), await marginAccount(db, p), e.amountMinor)],
        a: null,
        b: null,
      };
    case 'margin_refund': {
      const { marginHeldMinor } = await projectBalances(db, p);
      if (marginHeldMinor < e.amountMinor) throw new AppError('GUARANTEE_AMOUNT_EXCEEDED', { limit: formatAmount(marginHeldMinor, c) });
      return {
        transfers: [transfer(p, e, C.GUAR_MARGIN_REFUND, await marginAccount(db, p), await applicant(), e.amountMinor)],
        a: null,
        b: null,
      };
    }
    case 'compensation': {
      const { marginHeldMinor } = await projectBalances(db, p);
      const { setOffMinor, paidMinor } = compensationSplit(e.amountMinor, marginHeldMinor);
      const out: TransferInput[] = [];
      if (setOffMinor > 0n) out.push(transfer(p, e, C.GUAR_MARGIN_SETOFF, await marginAccount(db, p), await lender(), setOffMinor));
      if (paidMinor > 0n) {
        out.push(transfer(p, e, C.GUAR_COMPENSATION, await settlementAccount(db, p.guarantorOrgId, c), await lender(), paidMinor));
        out.push(transfer(p, e, C.GUAR_COMP_RECEIVABLE, await receivableAccount(db, p), await obligationAccount(db, p), paidMinor));
      }
      return { transfers: out, a: setOffMinor, b: paidMinor };
    }
    case 'recovery': {
      const { receivableMinor } = await projectBalances(db, p);
      const { settlesMinor, incomeMinor } = recoverySplit(e.amountMinor, receivableMinor);
      const from = e.source === 'debtor' ? await applicant() : await clearingAccount(db, c);
      const out: TransferInput[] = [];
      if (settlesMinor > 0n) {
        out.push(transfer(p, e, C.GUAR_RECOVERY, from, await settlementAccount(db, p.guarantorOrgId, c), settlesMinor));
        out.push(transfer(p, e, C.GUAR_RECOVERY_SETTLE, await obligationAccount(db, p), await receivableAccount(db, p), settlesMinor));
      }
      if (incomeMinor > 0n)
        out.push(
          transfer(
            p,
            e,
            C.GUAR_RECOVERY_INCOME,
            from,
            await incomeAccount(db, p, ACCOUNT_CODES.GUAR_RECOVERY_INCOME, '追偿收入 recovery income'),
            incomeMinor,
          ),
        );
      return { transfers: out, a: settlesMinor, b: incomeMinor };
    }
  }
}

/**
 * Posts an entry whose last check passed, in the last checker's transaction: the transfers (all or none: a refusal
 * throws and the approval rolls back — 409 INSUFFICIENT_FUNDS when the payer's settlement account is short), the
 * entry `posted` by a conditional update, and what the entry pays: its installment, the project's fee collection
 * (review fee, margin and the first installment posted → fees_collected), the compensation (→ compensated), a
 * realised counter-guarantee.
 */
async function postEntry(tx: Ctx, entryId: string): Promise<void> {
  const e = await lockedEntry(tx, entryId);
  if (e.status !== 'checking') return;
  const [p] = await tx.db.select().from(projects).where(eq(projects.id, e.projectId)).for('update');
  if (!p || !ENTRY_WINDOW[e.kind].includes(p.status))
    throw new AppError('GUARANTEE_ENTRY_NOT_ALLOWED', { status: p?.status ?? '', kind: e.kind });
  const today = await currentBusinessDate(tx);
  const { transfers, a, b } = await plan(tx, p, e);
  const results = await createTransfers(tx, transfers);
  for (const r of results) {
    if (r.result === 'exceeds_credits') throw new AppError('INSUFFICIENT_FUNDS');
    if (r.result !== 'ok') throw new Error(`guarantee entry refused by the ledger: ${r.result}`);
  }
  const [posted] = await tx.db
    .update(entries)
    .set({ status: 'posted', postedBy: tx.actor.userId, postedOn: today, splitAMinor: a, splitBMinor: b })
    .where(and(eq(entries.id, e.id), eq(entries.status, 'checking')))
    .returning();
  if (!posted) throw new AppError('ILLEGAL_TRANSITION', { from: e.status, action: 'post' });
  if (e.installmentId)
    await tx.db
      .update(feeInstallments)
      .set({ status: 'paid', paidOn: today, entryId: e.id })
      .where(and(eq(feeInstallments.id, e.installmentId), eq(feeInstallments.status, 'due')));
  if (e.kind === 'compensation') {
    await transition(
      tx,
      p.id,
      'compensate',
      { compensatedOn: today },
      { compensation: formatAmount(e.amountMinor, p.currency as Currency) },
    );
  }
  if (e.counterGuaranteeId) {
    await tx.db
      .update(counterGuarantees)
      .set({ status: 'realised', realisedMinor: e.amountMinor })
      .where(and(eq(counterGuarantees.id, e.counterGuaranteeId), eq(counterGuarantees.status, 'pledged')));
    await tx.db.insert(custodyEvents).values({
      id: uuidv7(),
      counterGuaranteeId: e.counterGuaranteeId,
      guarantorOrgId: p.guarantorOrgId,
      kind: 'realised',
      note: `处置变现 ${formatAmount(e.amountMinor, p.currency as Currency)}`,
      businessDate: today,
      createdBy: tx.actor.userId,
    });
  }
  if (p.status === 'approved' && (await upfrontCollected(tx, p))) await transition(tx, p.id, 'collect');
  await recordAudit(tx, {
    action: 'guarantee.entry.post',
    objectType: ENTRY_SUBJECT,
    objectId: e.id,
    subjectOrgId: p.guarantorOrgId,
    before: { status: 'checking' },
    after: {
      status: 'posted',
      transfers: transfers.map((t) => ({ id: t.id, code: t.code, amount: formatAmount(t.amountMinor!, p.currency as Currency) })),
    },
  });
  await notify(tx, {
    orgId: p.guarantorOrgId,
    userId: e.enteredBy,
    kind: 'guarantee_entry_posted',
    params: {
      projectNo: p.projectNo,
      entry: ENTRY_LABELS[e.kind],
      amount: { amount: formatAmount(e.amountMinor, p.currency as Currency), currency: p.currency },
    },
    subject: { type: PROJECT_SUBJECT, id: p.id },
  });
}

/** 收费完成: the review fee, the margin and the first fee installment (those the project asks) are posted. */
async function upfrontCollected(tx: Ctx, p: ProjectRow): Promise<boolean> {
  const posted = await tx.db
    .select({ kind: entries.kind })
    .from(entries)
    .where(and(eq(entries.projectId, p.id), eq(entries.status, 'posted')));
  const kinds = new Set(posted.map((r) => r.kind));
  const [first] = await tx.db
    .select({ status: feeInstallments.status })
    .from(feeInstallments)
    .where(and(eq(feeInstallments.projectId, p.id), eq(feeInstallments.seq, 1)));
  return (
    (p.reviewFeeMinor === 0n || kinds.has('review_fee')) &&
    (p.marginMinor === 0n || kinds.has('margin_in')) &&
    (first === undefined || first.status === 'paid')
  );
}

async function refuseEntry(tx: Ctx, entryId: string, decision: 'rejected' | 'returned'): Promise<void> {
  const [e] = await tx.db
    .update(entries)
    .set({ status: 'rejected' })
    .where(and(eq(entries.id, entryId), eq(entries.status, 'checking')))
    .returning();
  if (!e) return;
  await recordAudit(tx, {
    action: `guarantee.entry.${decision}`,
    objectType: ENTRY_SUBJECT,
    objectId: e.id,
    subjectOrgId: e.guarantorOrgId,
    before: { status: 'checking' },
    after: { status: 'rejected' },
  });
}

registerCaseEvents(ENTRY_SUBJECT, {
  onApproved: (ctx, c) => postEntry(ctx, c.subjectId),
  onRejected: (ctx, c) => refuseEntry(ctx, c.subjectId, 'rejected'),
  onReturned: (ctx, c) => refuseEntry(ctx, c.subjectId, 'returned'),
});

// --- reading ------------------------------------------------------------------------------------------------------

function entryDto(e: EntryRow, p: Pick<ProjectRow, 'projectNo'>) {
  const c = e.currency as Currency;
  const opt = (v: bigint | null) => (v === null ? null : formatAmount(v, c));
  return {
    id: e.id,
    projectId: e.projectId,
    projectNo: p.projectNo,
    kind: e.kind,
    currency: e.currency,
    amount: formatAmount(e.amountMinor, c),
    installmentId: e.installmentId,
    counterGuaranteeId: e.counterGuaranteeId,
    source: e.source,
    note: e.note,
    status: e.status,
    enteredBy: e.enteredBy,
    postedBy: e.postedBy,
    postedOn: e.postedOn,
    marginSetOff: e.kind === 'compensation' ? opt(e.splitAMinor) : null,
    paidByGuarantor: e.kind === 'compensation' ? opt(e.splitBMinor) : null,
    settlesReceivable: e.kind === 'recovery' ? opt(e.splitAMinor) : null,
    recoveryIncome: e.kind === 'recovery' ? opt(e.splitBMinor) : null,
    businessDate: e.businessDate,
    createdAt: e.createdAt.toISOString(),
  };
}

/** 台账: the guarantor's entries (one project's, or all), with their check state. The guarantor's alone. */
export async function listEntries(
  ctx: Ctx,
  filter: { projectId?: string | undefined; status?: EntryRow['status'] | undefined; limit: number },
) {
  requirePermission(ctx.actor, 'loan:read');
  if (filter.projectId) {
    const p = await visibleProject(ctx, filter.projectId);
    if (!readsGuarantorSide(ctx.actor, p)) throw new AppError('NOT_FOUND', { objectType: PROJECT_SUBJECT, id: p.id });
  }
  const rows = await ctx.db
    .select({ e: entries, projectNo: projects.projectNo })
    .from(entries)
    .innerJoin(projects, eq(projects.id, entries.projectId))
    .where(
      and(
        eq(entries.guarantorOrgId, ctx.actor.orgId),
        filter.projectId ? eq(entries.projectId, filter.projectId) : undefined,
        filter.status ? eq(entries.status, filter.status) : ne(entries.status, 'rejected'),
      ),
    )
    .orderBy(desc(entries.createdAt))
    .limit(filter.limit);
  return rows.map((r) => entryDto(r.e, { projectNo: r.projectNo }));
}

/** The project's money as the guarantor reads it: margin held, receivable outstanding. */
export async function projectMoney(ctx: Ctx, p: ProjectRow) {
  const c = p.currency as Currency;
  const { marginHeldMinor, receivableMinor } = await projectBalances(ctx.db, p);
  return { marginHeld: formatAmount(marginHeldMinor, c), compensationReceivable: formatAmount(receivableMinor, c) };
}

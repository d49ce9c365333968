/**
 * 担保项目: the application (the applicant — a customer of the guarantor — or the guarantor's officer enters it),
 * 受理 (the guarantor names its A角/B角 and the fee terms; the review flow `guarantee_project` starts: 初审 → 复审 →
 * 审保会, a built-in default of two steps that the guarantor replaces with its own, its committee voting with quorum
 * and pass ratio), approval (the fee schedule is made), fee collection (台账, entries.ts), contract signing, the
 * lender's loan confirmation (在保), release (解保) or compensation (代偿) and recovery (追偿), closing.
 *
 * Every transition is one conditional update from the statuses the lifecycle allows (`transition`): of two racing
 * requests one moves the project, the other answers 409 ILLEGAL_TRANSITION. Every write is audited.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { constraintName } from '../../kernel/db';
import { addMonths, parseBusinessDate } from '../../kernel/dates';
import { AppError } from '../../kernel/errors';
import { documentNo, uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { loanByNo } from '../financing';
import { findUserById } from '../identity';
import { accessLevel, findOrganization, organizationNames } from '../parties';
import { clearNotices, notify, registerCaseEvents, startCase } from '../workflow';
import { projectVisible, readsGuarantorSide, requireGuarantor } from './access';
import { projectLifecycle, type ProjectAction } from './lifecycle';
import { feeSchedule, guaranteeFeeMinor, riskWeight, type FeeFrequency, type WeightingClass } from './model';
import { counterGuarantees, custodyEvents, feeInstallments, projects, type ProjectRow, type ProjectStatus } from './schema';

export const PROJECT_SUBJECT = 'guarantee_project';
export const PROJECT_FLOW = 'guarantee_project';

const LENDER_TYPES = ['bank', 'factor'];
const APPLICANT_TYPES = ['core', 'supplier', 'dealer'];

export interface ApplyInput {
  /** The guarantor's officer names the applicant; an applicant names the guarantor. */
  applicantOrgId?: string | undefined;
  guarantorOrgId?: string | undefined;
  lenderOrgId?: string | undefined;
  lenderName?: string | undefined;
  currency: Currency;
  amount: string;
  termMonths: number;
  purpose: string;
  repaymentSource: string;
  weightingClass: WeightingClass;
  proposedCounterGuarantees?: string | undefined;
}

/**
 * 担保申请. 404 for an applicant or guarantor the caller does not see; 409 GUARANTEE_NOT_CUSTOMER when the applicant
 * is not the guarantor's customer (no relationship between them).
 */
export async function applyForGuarantee(ctx: Ctx, input: ApplyInput) {
  requirePermission(ctx.actor, 'loan:write');
  const asGuarantor = ctx.actor.orgType === 'guarantor';
  const guarantorOrgId = asGuarantor ? ctx.actor.orgId : input.guarantorOrgId;
  const applicantOrgId = asGuarantor ? input.applicantOrgId : ctx.actor.orgId;
  if (!guarantorOrgId) throw new AppError('VALIDATION_FAILED', { field: 'guarantorOrgId', reason: 'required' });
  if (!applicantOrgId) throw new AppError('VALIDATION_FAILED', { field: 'applicantOrgId', reason: 'required' });
  if (!asGuarantor && !APPLICANT_TYPES.includes(ctx.actor.orgType))
    throw new AppError('FORBIDDEN', { reason: 'an enterprise applies for a guarantee, or the guarantor enters it' });
  const guarantor = await findOrganization(ctx, guarantorOrgId);
  if (guarantor?.type !== 'guarantor') throw new AppError('NOT_FOUND', { objectType: 'party', id: guarantorOrgId });
  const applicant = await findOrganization(ctx, applicantOrgId);
  if (!applicant || !APPLICANT_TYPES.includes(applicant.type)) throw new AppError('NOT_FOUND', { objectType: 'party', id: applicantOrgId });
  // a customer of the guarantor: the guarantor sees it through a relationship
  const level = await accessLevel({ ...ctx, actor: { ...ctx.actor, orgId: guarantorOrgId, orgType: 'guarantor' } }, applicantOrgId);
  if (level === 'none') throw new AppError('GUARANTEE_NOT_CUSTOMER');
  let lenderName = input.lenderName?.trim() ?? '';
  if (input.lenderOrgId) {
    const lender = await findOrganization(ctx, input.lenderOrgId);
    if (!lender || !LENDER_TYPES.includes(lender.type))
      throw new AppError('VALIDATION_FAILED', { field: 'lenderOrgId', reason: 'not a funder' });
    lenderName = lender.shortName ?? lender.name;
  } else if (!lenderName) throw new AppError('VALIDATION_FAILED', { field: 'lenderName', reason: 'a lender on the platform or by name' });
  const amountMinor = parseAmountMinor(input.amount, input.currency);
  if (amountMinor <= 0n) throw new AppError('INVALID_AMOUNT', { value: input.amount });
  return withTransaction(ctx, async (tx) => {
    const today = await currentBusinessDate(tx);
    const row = {
      id: uuidv7(),
      projectNo: documentNo('DB', today),
      guarantorOrgId,
      applicantOrgId,
      lenderOrgId: input.lenderOrgId ?? null,
      lenderName,
      currency: input.currency,
      amountMinor,
      termMonths: input.termMonths,
      purpose: input.purpose,
      repaymentSource: input.repaymentSource,
      weightingClass: input.weightingClass,
      proposedCounterGuarantees: input.proposedCounterGuarantees ?? '',
      feeMethod: 'fixed' as const,
      feeMinor: 0n,
      feeFrequency: 'one_off' as const,
      status: 'applied' as const,
      businessDate: today,
      createdBy: ctx.actor.userId,
    };
    await tx.db.insert(projects).values(row);
    if (!asGuarantor)
      await notify(tx, {
        orgId: guarantorOrgId,
        kind: 'guarantee_applied',
        params: { projectNo: row.projectNo, applicant: applicant.shortName ?? applicant.name, amount: money(amountMinor, input.currency) },
        subject: { type: PROJECT_SUBJECT, id: row.id },
      });
    await recordAudit(tx, {
      action: 'guarantee.project.apply',
      objectType: PROJECT_SUBJECT,
      objectId: row.id,
      subjectOrgId: guarantorOrgId,
      after: { ...row, amountMinor: input.amount },
    });
    return row.id;
  });
}

function money(amountMinor: bigint, currency: string) {
  return { amount: formatAmount(amountMinor, currency as Currency), currency };
}

/**
 * One transition as a conditional update: the row moves only from a status the lifecycle allows for `action`; a
 * racing second request finds it moved and gets 409 ILLEGAL_TRANSITION. Audited with the status before and after.
 */
export async function transition(
  tx: Ctx,
  id: string,
  action: ProjectAction,
  set: Partial<typeof projects.$inferInsert> = {},
  audit: Record<string, unknown> = {},
): Promise<ProjectRow> {
  const from = projectLifecycle.statusesAllowing(action);
  const [row] = await tx.db
    .select({ status: projects.status, guarantorOrgId: projects.guarantorOrgId })
    .from(projects)
    .where(eq(projects.id, id));
  if (!row) throw new AppError('NOT_FOUND', { objectType: PROJECT_SUBJECT, id });
  const to = projectLifecycle.next(row.status, action);
  const [after] = await tx.db
    .update(projects)
    .set({ ...set, status: to, updatedAt: new Date(), version: sql`${projects.version} + 1` })
    .where(and(eq(projects.id, id), inArray(projects.status, from), eq(projects.status, row.status)))
    .returning();
  if (!after) {
    const [now] = await tx.db.select({ status: projects.status }).from(projects).where(eq(projects.id, id));
    throw new AppError('ILLEGAL_TRANSITION', { from: now?.status ?? row.status, action });
  }
  await recordAudit(tx, {
    action: `guarantee.project.${action}`,
    objectType: PROJECT_SUBJECT,
    objectId: id,
    subjectOrgId: row.guarantorOrgId,
    before: { status: row.status },
    after: { status: to, ...audit },
  });
  return after;
}

/** A project the caller sees (404 otherwise). */
export async function visibleProject(ctx: Ctx, id: string): Promise<ProjectRow> {
  const [row] = await ctx.db
    .select()
    .from(projects)
    .where(and(eq(projects.id, id), projectVisible(ctx.actor)));
  if (!row) throw new AppError('NOT_FOUND', { objectType: PROJECT_SUBJECT, id });
  return row;
}

/** A project of the caller's own guarantor organisation (404 for anybody else). */
export async function guarantorProject(ctx: Ctx, id: string): Promise<ProjectRow> {
  const p = await visibleProject(ctx, id);
  requireGuarantor(ctx.actor, p);
  return p;
}

export interface AcceptInput {
  officerAUserId: string;
  officerBUserId: string;
  weightingClass?: WeightingClass | undefined;
  feeMethod: 'ratio' | 'fixed';
  feeRate?: string | undefined;
  fee?: string | undefined;
  feeFrequency: FeeFrequency;
  reviewFee: string;
  margin: string;
  startDate: string;
  riskNote?: string | undefined;
}

async function requireOfficer(ctx: Ctx, userId: string, orgId: string, field: string): Promise<void> {
  const user = await findUserById(ctx.db, userId);
  if (user?.orgId !== orgId || user.status !== 'active')
    throw new AppError('VALIDATION_FAILED', { field, reason: 'not an active user of the guarantor' });
}

/**
 * 受理: the guarantor names the A角 and B角 (two different users of its own), the weighting class and the fee terms
 * (ratio: amount × annual rate × term; or fixed), and starts the review flow. The A角 and B角 prepared the case:
 * neither decides its steps (workflow's preparers).
 */
export async function acceptProject(ctx: Ctx, id: string, input: AcceptInput) {
  requirePermission(ctx.actor, 'loan:write');
  const p = await guarantorProject(ctx, id);
  if (input.officerAUserId === input.officerBUserId)
    throw new AppError('VALIDATION_FAILED', { field: 'officerBUserId', reason: 'A角 and B角 are two people' });
  await requireOfficer(ctx, input.officerAUserId, p.guarantorOrgId, 'officerAUserId');
  await requireOfficer(ctx, input.officerBUserId, p.guarantorOrgId, 'officerBUserId');
  const c = p.currency as Currency;
  if (input.feeMethod === 'ratio' && !input.feeRate) throw new AppError('VALIDATION_FAILED', { field: 'feeRate', reason: 'required' });
  if (input.feeMethod === 'fixed' && !input.fee) throw new AppError('VALIDATION_FAILED', { field: 'fee', reason: 'required' });
  const feeMinor =
    input.feeMethod === 'ratio'
      ? guaranteeFeeMinor({ method: 'ratio', amountMinor: p.amountMinor, annualRate: input.feeRate!, termMonths: p.termMonths })
      : guaranteeFeeMinor({ method: 'fixed', fixedMinor: parseAmountMinor(input.fee!, c) });
  const startDate = parseBusinessDate(input.startDate);
  return withTransaction(ctx, async (tx) => {
    const after = await transition(
      tx,
      id,
      'accept',
      {
        officerAUserId: input.officerAUserId,
        officerBUserId: input.officerBUserId,
        weightingClass: input.weightingClass ?? p.weightingClass,
        feeMethod: input.feeMethod,
        feeRate: input.feeMethod === 'ratio' ? input.feeRate! : null,
        feeMinor,
        feeFrequency: input.feeFrequency,
        reviewFeeMinor: parseAmountMinor(input.reviewFee, c),
        marginMinor: parseAmountMinor(input.margin, c),
        startDate,
        maturityDate: addMonths(startDate, p.termMonths),
        riskNote: input.riskNote ?? p.riskNote,
      },
      { officerAUserId: input.officerAUserId, officerBUserId: input.officerBUserId, fee: formatAmount(feeMinor, c) },
    );
    const names = await organizationNames(tx.db, [p.applicantOrgId]);
    await startCase(tx, {
      ownerOrgId: p.guarantorOrgId,
      flowKey: PROJECT_FLOW,
      subjectType: PROJECT_SUBJECT,
      subjectId: id,
      subjectOrgId: p.applicantOrgId,
      title: `担保项目 ${p.projectNo} · ${names.get(p.applicantOrgId) ?? ''} · ${formatAmount(p.amountMinor, c)}`,
      facts: { amount: formatAmount(p.amountMinor, c), mode: 'guarantee', product: after.weightingClass },
      preparers: [input.officerAUserId, input.officerBUserId],
    });
    await clearNotices(tx, { subjectType: PROJECT_SUBJECT, subjectId: id, kind: 'guarantee_applied' });
    return id;
  });
}

/** The review flow passed (审保会 included): the fee schedule is made from the planned start, fees fall due. */
async function onApproved(tx: Ctx, id: string): Promise<void> {
  const p = await transition(tx, id, 'approve');
  const schedule = feeSchedule(p.feeMinor, p.feeFrequency, parseBusinessDate(p.startDate!), p.termMonths);
  if (p.feeMinor > 0n)
    await tx.db
      .insert(feeInstallments)
      .values(schedule.map((i) => ({ id: uuidv7(), projectId: id, guarantorOrgId: p.guarantorOrgId, ...i })));
  await notify(tx, {
    orgId: p.applicantOrgId,
    kind: 'guarantee_approved',
    params: { projectNo: p.projectNo, amount: money(p.amountMinor, p.currency) },
    subject: { type: PROJECT_SUBJECT, id },
  });
}

registerCaseEvents(PROJECT_SUBJECT, {
  onApproved: (ctx, c) => onApproved(ctx, c.subjectId),
  async onRejected(ctx, c) {
    const p = await transition(ctx, c.subjectId, 'reject');
    await notify(ctx, {
      orgId: p.applicantOrgId,
      kind: 'guarantee_rejected',
      params: { projectNo: p.projectNo },
      subject: { type: PROJECT_SUBJECT, id: p.id },
    });
  },
  async onReturned(ctx, c) {
    await transition(ctx, c.subjectId, 'return');
  },
});

/** The guarantor's internal notes: risk notes, the committee's minutes (审保会纪要). Never answered to anybody else. */
export async function recordNotes(ctx: Ctx, id: string, input: { riskNote?: string | undefined; committeeMinutes?: string | undefined }) {
  requirePermission(ctx.actor, 'loan:read');
  const p = await guarantorProject(ctx, id);
  return withTransaction(ctx, async (tx) => {
    const set = {
      riskNote: input.riskNote ?? p.riskNote,
      committeeMinutes: input.committeeMinutes ?? p.committeeMinutes,
      updatedAt: new Date(),
    };
    await tx.db.update(projects).set(set).where(eq(projects.id, id));
    await recordAudit(tx, {
      action: 'guarantee.project.notes',
      objectType: PROJECT_SUBJECT,
      objectId: id,
      subjectOrgId: p.guarantorOrgId,
      before: { riskNote: p.riskNote, committeeMinutes: p.committeeMinutes },
      after: set,
    });
    return id;
  });
}

/** 签约: the guarantee contract is signed (fees collected first). */
export async function signContract(ctx: Ctx, id: string, input: { contractNo?: string | undefined }) {
  requirePermission(ctx.actor, 'loan:write');
  const p = await guarantorProject(ctx, id);
  return withTransaction(ctx, async (tx) => {
    const today = await currentBusinessDate(tx);
    const contractNo = input.contractNo?.trim() || documentNo('DBHT', today);
    await transition(tx, id, 'sign', { contractNo }, { contractNo });
    if (p.lenderOrgId)
      await notify(tx, {
        orgId: p.lenderOrgId,
        kind: 'guarantee_to_confirm',
        params: { projectNo: p.projectNo, amount: money(p.amountMinor, p.currency) },
        subject: { type: PROJECT_SUBJECT, id },
      });
    return id;
  });
}

/**
 * Who confirms for the lender: the lender's own users when it is on the platform; the guarantor's officer records an
 * off-platform lender's confirmation (and release) by hand. Anybody else: 404 (the lender before the contract too).
 */
function requireLenderSide(ctx: Ctx, p: ProjectRow): void {
  const mine = p.lenderOrgId ? ctx.actor.orgId === p.lenderOrgId : ctx.actor.orgId === p.guarantorOrgId;
  if (!mine) throw new AppError('NOT_FOUND', { objectType: PROJECT_SUBJECT, id: p.id });
}

/**
 * 放款确认: the lender confirms the loan was made; the guarantee is in force (在保). An on-platform lender names its
 * loan (借据号) when the loan is on the platform: it must be its loan to the applicant (409 GUARANTEE_LOAN_MISMATCH),
 * not yet guaranteed by another project in force (409 GUARANTEE_LOAN_TAKEN, a partial unique index decides a race).
 */
export async function confirmLoan(ctx: Ctx, id: string, input: { loanNo?: string | undefined; loanRef?: string | undefined }) {
  requirePermission(ctx.actor, 'loan:write');
  const p = await visibleProject(ctx, id);
  requireLenderSide(ctx, p);
  let loanId: string | null = null;
  if (input.loanNo) {
    const loan = await loanByNo(ctx.db, input.loanNo);
    if (!loan || loan.funderOrgId !== p.lenderOrgId || loan.borrowerOrgId !== p.applicantOrgId)
      throw new AppError('GUARANTEE_LOAN_MISMATCH');
    loanId = loan.id;
  }
  return withTransaction(ctx, async (tx) => {
    const today = await currentBusinessDate(tx);
    await transition(
      tx,
      id,
      'confirm_loan',
      { loanId, loanRef: input.loanNo ?? input.loanRef ?? null, inForceOn: today },
      { loanId },
    ).catch((error: unknown) => {
      if (constraintName(error) === 'guarantee_projects_one_per_loan') throw new AppError('GUARANTEE_LOAN_TAKEN');
      throw error;
    });
    await clearNotices(tx, { subjectType: PROJECT_SUBJECT, subjectId: id, kind: 'guarantee_to_confirm' });
    await notify(tx, {
      orgId: p.guarantorOrgId,
      kind: 'guarantee_in_force',
      params: { projectNo: p.projectNo, amount: money(p.amountMinor, p.currency) },
      subject: { type: PROJECT_SUBJECT, id },
    });
    return id;
  });
}

/** 解保: at maturity or on full repayment, confirmed by the lender (end-of-day releases a guarantee whose loan closed). */
export async function releaseGuarantee(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  const p = await visibleProject(ctx, id);
  requireLenderSide(ctx, p);
  return withTransaction(ctx, async (tx) => {
    await releaseProject(tx, p);
    return id;
  });
}

/** The release itself (also end-of-day's, when the loan is repaid in full): counter-guarantees released with it. */
export async function releaseProject(tx: Ctx, p: ProjectRow): Promise<void> {
  const today = await currentBusinessDate(tx);
  await transition(tx, p.id, 'release', { releasedOn: today });
  const released = await tx.db
    .update(counterGuarantees)
    .set({ status: 'released' })
    .where(and(eq(counterGuarantees.projectId, p.id), eq(counterGuarantees.status, 'pledged')))
    .returning({ id: counterGuarantees.id });
  if (released.length > 0)
    await tx.db.insert(custodyEvents).values(
      released.map((r) => ({
        id: uuidv7(),
        counterGuaranteeId: r.id,
        guarantorOrgId: p.guarantorOrgId,
        kind: 'released' as const,
        note: '解保',
        businessDate: today,
        createdBy: tx.actor.userId,
      })),
    );
  await clearNotices(tx, { subjectType: PROJECT_SUBJECT, subjectId: p.id, kind: 'guarantee_compensation_demand' });
  for (const orgId of [p.guarantorOrgId, p.applicantOrgId])
    await notify(tx, {
      orgId,
      kind: 'guarantee_released',
      params: { projectNo: p.projectNo },
      subject: { type: PROJECT_SUBJECT, id: p.id },
    });
}

/** 追偿终结: the guarantor closes a compensated project (what is not recovered stays on 应收代偿款 for write-off). */
export async function closeProject(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  await guarantorProject(ctx, id);
  return withTransaction(ctx, async (tx) => {
    await transition(tx, id, 'close');
    return id;
  });
}

/** 撤回: the applicant or the guarantor withdraws an application not yet in review, or an approved one not collected. */
export async function withdrawProject(ctx: Ctx, id: string) {
  requirePermission(ctx.actor, 'loan:write');
  const p = await visibleProject(ctx, id);
  if (ctx.actor.orgId !== p.guarantorOrgId && ctx.actor.orgId !== p.applicantOrgId)
    throw new AppError('NOT_FOUND', { objectType: PROJECT_SUBJECT, id });
  return withTransaction(ctx, async (tx) => {
    await transition(tx, id, 'withdraw');
    await clearNotices(tx, { subjectType: PROJECT_SUBJECT, subjectId: id, kind: 'guarantee_applied' });
    return id;
  });
}

// --- reading ----------------------------------------------------------------------------------------------------

export function projectDto(ctx: Ctx, p: ProjectRow, names: ReadonlyMap<string, string>) {
  const c = p.currency as Currency;
  const internal = readsGuarantorSide(ctx.actor, p);
  return {
    id: p.id,
    projectNo: p.projectNo,
    status: p.status,
    guarantorOrgId: p.guarantorOrgId,
    guarantorName: names.get(p.guarantorOrgId) ?? null,
    applicantOrgId: p.applicantOrgId,
    applicantName: names.get(p.applicantOrgId) ?? null,
    lenderOrgId: p.lenderOrgId,
    lenderName: p.lenderName,
    loanId: p.loanId,
    loanRef: p.loanRef,
    currency: p.currency,
    amount: formatAmount(p.amountMinor, c),
    termMonths: p.termMonths,
    purpose: p.purpose,
    repaymentSource: p.repaymentSource,
    weightingClass: p.weightingClass,
    riskWeight: riskWeight(p.weightingClass, p.amountMinor),
    proposedCounterGuarantees: p.proposedCounterGuarantees,
    feeMethod: p.feeMethod,
    feeRate: p.feeRate,
    fee: formatAmount(p.feeMinor, c),
    feeFrequency: p.feeFrequency,
    reviewFee: formatAmount(p.reviewFeeMinor, c),
    margin: formatAmount(p.marginMinor, c),
    startDate: p.startDate,
    maturityDate: p.maturityDate,
    contractNo: p.contractNo,
    inForceOn: p.inForceOn,
    releasedOn: p.releasedOn,
    compensatedOn: p.compensatedOn,
    compensationDemandedOn: p.compensationDemandedOn,
    businessDate: p.businessDate,
    createdAt: p.createdAt.toISOString(),
    // the guarantor's side only
    officerAUserId: internal ? p.officerAUserId : null,
    officerBUserId: internal ? p.officerBUserId : null,
    riskNote: internal ? p.riskNote : null,
    committeeMinutes: internal ? p.committeeMinutes : null,
  };
}

export async function listProjects(
  ctx: Ctx,
  filter: {
    status?: ProjectStatus | undefined;
    role?: 'guarantor' | 'applicant' | 'lender' | undefined;
    loanId?: string | undefined;
    limit: number;
  },
) {
  requirePermission(ctx.actor, 'loan:read');
  const me = ctx.actor.orgId;
  const rows = await ctx.db
    .select()
    .from(projects)
    .where(
      and(
        projectVisible(ctx.actor),
        filter.status ? eq(projects.status, filter.status) : undefined,
        filter.loanId ? eq(projects.loanId, filter.loanId) : undefined,
        filter.role === 'guarantor' ? eq(projects.guarantorOrgId, me) : undefined,
        filter.role === 'applicant' ? eq(projects.applicantOrgId, me) : undefined,
        filter.role === 'lender' ? eq(projects.lenderOrgId, me) : undefined,
      ),
    )
    .orderBy(desc(projects.createdAt))
    .limit(filter.limit);
  const names = await organizationNames(
    ctx.db,
    rows.flatMap((p) => [p.guarantorOrgId, p.applicantOrgId]),
  );
  return rows.map((p) => projectDto(ctx, p, names));
}

/** For the work queue and the entries: projects by id, unscoped (the caller checked its right). */
export async function projectsById(ctx: Pick<Ctx, 'db'>, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, ProjectRow>();
  const rows = await ctx.db
    .select()
    .from(projects)
    .where(inArray(projects.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r]));
}

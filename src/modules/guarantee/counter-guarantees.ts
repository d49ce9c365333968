/**
 * 反担保: the counter-guarantees of a project — 质押 pledge, 抵押 mortgage, 保证 guaranty, 信用 credit, 留置 lien, 定金
 * deposit — each with its object, owner, valuation (amount, method, date), registration number and the custody of
 * its documents (入库 / 出库, append-only events). Released with the project; realised in recovery (entries.ts: the
 * realised amount is posted as a recovery). A pledged warehouse receipt or lot of the inventory module may be one:
 * named by id, it must be one the caller sees (inventory's getReceipt / getLot answer 404 otherwise).
 * The guarantor's alone: its valuations are its assessment.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../kernel/context';
import { parseBusinessDate } from '../../kernel/dates';
import { AppError } from '../../kernel/errors';
import { uuidv7 } from '../../kernel/ids';
import { formatAmount, parseAmountMinor, type Currency } from '../../kernel/money';
import { requirePermission } from '../../kernel/permissions';
import { recordAudit } from '../audit';
import { currentBusinessDate } from '../calendar';
import { getLot, getReceipt } from '../inventory';
import { guarantorProject } from './projects';
import { counterGuarantees, custodyEvents, type CounterGuaranteeKind, type CounterGuaranteeRow, type ProjectRow } from './schema';

const SUBJECT = 'guarantee_counter_guarantee';
/** Counter-guarantees may be added until the project ends. */
const OPEN: readonly ProjectRow['status'][] = [
  'applied',
  'reviewing',
  'approved',
  'fees_collected',
  'contracted',
  'in_force',
  'compensated',
];

export interface CounterGuaranteeInput {
  kind: CounterGuaranteeKind;
  object: string;
  ownerName: string;
  valuation: string;
  valuationMethod: string;
  valuationDate: string;
  registrationNo?: string | undefined;
  inventoryReceiptId?: string | undefined;
  inventoryLotId?: string | undefined;
}

export async function addCounterGuarantee(ctx: Ctx, projectId: string, input: CounterGuaranteeInput) {
  requirePermission(ctx.actor, 'loan:write');
  const p = await guarantorProject(ctx, projectId);
  if (!OPEN.includes(p.status)) throw new AppError('ILLEGAL_TRANSITION', { from: p.status, action: 'add_counter_guarantee' });
  // the caller must see the receipt / lot it names (404 otherwise, as inventory answers)
  if (input.inventoryReceiptId) await getReceipt(ctx, input.inventoryReceiptId);
  if (input.inventoryLotId) await getLot(ctx, input.inventoryLotId);
  const c = p.currency as Currency;
  return withTransaction(ctx, async (tx) => {
    const row = {
      id: uuidv7(),
      projectId,
      guarantorOrgId: p.guarantorOrgId,
      kind: input.kind,
      object: input.object,
      ownerName: input.ownerName,
      currency: p.currency,
      valuationMinor: parseAmountMinor(input.valuation, c),
      valuationMethod: input.valuationMethod,
      valuationDate: parseBusinessDate(input.valuationDate),
      registrationNo: input.registrationNo ?? null,
      inventoryReceiptId: input.inventoryReceiptId ?? null,
      inventoryLotId: input.inventoryLotId ?? null,
      createdBy: ctx.actor.userId,
    };
    await tx.db.insert(counterGuarantees).values(row);
    await recordAudit(tx, {
      action: 'guarantee.counter_guarantee.add',
      objectType: SUBJECT,
      objectId: row.id,
      subjectOrgId: p.guarantorOrgId,
      after: { ...row, valuationMinor: input.valuation },
    });
    return (await counterGuaranteesOf(tx, [projectId]))[0]!.find((x) => x.id === row.id)!;
  });
}

/**
 * 入库 / 出库 of a counter-guarantee's documents: a conditional update from the other side (a document in the vault
 * is not checked in twice; two racing requests: one wins, the other 409), and an event.
 */
export async function moveCustody(ctx: Ctx, projectId: string, id: string, input: { direction: 'in' | 'out'; note?: string | undefined }) {
  requirePermission(ctx.actor, 'loan:write');
  const p = await guarantorProject(ctx, projectId);
  return withTransaction(ctx, async (tx) => {
    const from = input.direction === 'in' ? 'out' : 'in';
    const [moved] = await tx.db
      .update(counterGuarantees)
      .set({ custody: input.direction })
      .where(and(eq(counterGuarantees.id, id), eq(counterGuarantees.projectId, projectId), eq(counterGuarantees.custody, from)))
      .returning();
    if (!moved) {
      const [now] = await tx.db
        .select({ custody: counterGuarantees.custody })
        .from(counterGuarantees)
        .where(and(eq(counterGuarantees.id, id), eq(counterGuarantees.projectId, projectId)));
      if (!now) throw new AppError('NOT_FOUND', { objectType: SUBJECT, id });
      throw new AppError('ILLEGAL_TRANSITION', { from: now.custody, action: input.direction === 'in' ? 'custody_in' : 'custody_out' });
    }
    await tx.db.insert(custodyEvents).values({
      id: uuidv7(),
      counterGuaranteeId: id,
      guarantorOrgId: p.guarantorOrgId,
      kind: input.direction,
      note: input.note ?? '',
      businessDate: await currentBusinessDate(tx),
      createdBy: ctx.actor.userId,
    });
    await recordAudit(tx, {
      action: `guarantee.counter_guarantee.custody_${input.direction}`,
      objectType: SUBJECT,
      objectId: id,
      subjectOrgId: p.guarantorOrgId,
      before: { custody: from },
      after: { custody: input.direction, note: input.note ?? '' },
    });
    return (await counterGuaranteesOf(tx, [projectId]))[0]!.find((x) => x.id === id)!;
  });
}

function dto(cg: CounterGuaranteeRow, events: (typeof custodyEvents.$inferSelect)[]) {
  const c = cg.currency as Currency;
  return {
    id: cg.id,
    kind: cg.kind,
    object: cg.object,
    ownerName: cg.ownerName,
    currency: cg.currency,
    valuation: formatAmount(cg.valuationMinor, c),
    valuationMethod: cg.valuationMethod,
    valuationDate: cg.valuationDate,
    registrationNo: cg.registrationNo,
    inventoryReceiptId: cg.inventoryReceiptId,
    inventoryLotId: cg.inventoryLotId,
    custody: cg.custody,
    status: cg.status,
    realised: cg.realisedMinor === null ? null : formatAmount(cg.realisedMinor, c),
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      note: e.note,
      businessDate: e.businessDate,
      createdAt: e.createdAt.toISOString(),
    })),
  };
}

/** The counter-guarantees of projects with their custody events (the caller checked it is the guarantor). */
export async function counterGuaranteesOf(ctx: Pick<Ctx, 'db'>, projectIds: readonly string[]) {
  if (projectIds.length === 0) return [];
  const rows = await ctx.db
    .select()
    .from(counterGuarantees)
    .where(inArray(counterGuarantees.projectId, [...projectIds]))
    .orderBy(asc(counterGuarantees.createdAt));
  const events = rows.length
    ? await ctx.db
        .select()
        .from(custodyEvents)
        .where(
          inArray(
            custodyEvents.counterGuaranteeId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(custodyEvents.createdAt))
    : [];
  return projectIds.map((pid) =>
    rows
      .filter((r) => r.projectId === pid)
      .map((r) =>
        dto(
          r,
          events.filter((e) => e.counterGuaranteeId === r.id),
        ),
      ),
  );
}

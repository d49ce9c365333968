/**
 * Credit lines against a pure model (fast-check). Each run: 浦江银行 grants 华东重工 a fresh root line under
 * maker-checker and activates it; then a random sequence of operations goes through the real services —
 * changes (submit by a maker, approve by a checker of the same organisation: increase, decrease, allocate to
 * 鲁工机械 / 精工钢材, 精工钢材 allocating on to 宏达铸造, take back, freeze, unfreeze, clear, restore) and
 * usage (occupy, use, release, restore on repayment) — including operations that must be refused.
 *
 * After every step: every line's status and figures equal the model; available = limit − allocated −
 * occupied − used − frozen − cleared − expired; no figure is negative; what a parent gave equals the sum
 * of its children's limits and its `allocated` equals what those children still hold; the whole tree never
 * holds more than the root's limit; a refused operation leaves the ledger, the lines and the change
 * untouched. At the end of a run the ledger verifies (balances recomputed from the transfers).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../src/kernel/context';
import { queryOne } from '../../src/kernel/db';
import { isAppError } from '../../src/kernel/errors';
import { formatAmount } from '../../src/kernel/money';
import { currentBusinessDate } from '../../src/modules/calendar';
import {
  activateLine,
  approveChange,
  getLine,
  occupy,
  rejectChange,
  releaseOccupation,
  restoreOnRepayment,
  submitChange,
  useOccupation,
} from '../../src/modules/credit';
import { verifyLedger } from '../../src/modules/ledger';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { demoActors, explainedAvailable, treeFigures, yearsLater, type Actors } from '../support/credit';

// --- the world: organisations and who acts for them ---------------------------------------------------

type OrgKey = 'bank' | 'core' | 'dea1' | 'sup1' | 'sup4';
const SHORT_NAMES: Record<OrgKey, string> = { bank: '浦江银行', core: '华东重工', dea1: '鲁工机械', sup1: '精工钢材', sup4: '宏达铸造' };
/** The maker (credit:write) and checker (credit:approve) users of each organisation, where it has one. */
const MAKER: Partial<Record<OrgKey, string>> = { bank: 'bank', core: 'core', dea1: 'dealer', sup1: 'supplier' };
const CHECKER: Partial<Record<OrgKey, string>> = { bank: 'bank.checker', core: 'core.checker', sup1: 'supplier.checker' };
/** Whom a holder allocates to: the core to a dealer and a supplier; the supplier on to its own supplier (多级). */
const ALLOCATION_TARGETS: Partial<Record<OrgKey, OrgKey[]>> = { core: ['dea1', 'sup1'], sup1: ['sup4'] };

// --- the model ---------------------------------------------------------------------------------------

type Status = 'active' | 'frozen' | 'cleared';
type Kind = 'increase' | 'decrease' | 'allocate' | 'take_back' | 'freeze' | 'unfreeze' | 'clear' | 'restore';

/** What each status allows (the specification, written out independently of lifecycle.ts). */
const ALLOWED: Record<Status, readonly Kind[]> = {
  active: ['freeze', 'clear', 'increase', 'decrease', 'allocate', 'take_back'],
  frozen: ['unfreeze', 'increase', 'take_back'],
  cleared: ['restore', 'take_back'],
};

interface MLine {
  id: string;
  holder: OrgKey;
  parent: number | null;
  status: Status;
  limit: bigint;
  allocated: bigint;
  occupied: bigint;
  used: bigint;
  frozen: bigint;
  cleared: bigint;
  available: bigint;
  /** What this line gave its children: allocations − take-backs. */
  given: bigint;
}

interface MOcc {
  id: string;
  line: number;
  amount: bigint;
  state: 'occupied' | 'used' | 'released';
  /** What `use` was called with (null: all) and what was used. */
  useParam: bigint | null;
  usedAmount: bigint;
  restored: bigint;
}

interface Model {
  revolving: boolean;
  lines: MLine[];
  occs: MOcc[];
}

function newLine(id: string, holder: OrgKey, parent: number | null): MLine {
  return {
    id,
    holder,
    parent,
    status: 'active',
    limit: 0n,
    allocated: 0n,
    occupied: 0n,
    used: 0n,
    frozen: 0n,
    cleared: 0n,
    available: 0n,
    given: 0n,
  };
}

/** The first reason (in the service's order) why `line` cannot be occupied, or null. */
function occupationBlocker(m: Model, index: number): string | null {
  const chain: MLine[] = [];
  for (let i: number | null = index; i !== null; i = m.lines[i]!.parent) chain.push(m.lines[i]!);
  if (chain.some((l) => l.status === 'frozen')) return 'CREDIT_LINE_FROZEN';
  if (chain.some((l) => l.status === 'cleared')) return 'CREDIT_LINE_CLEARED';
  return null;
}

/** Who may prepare which change (the specification): the funder, the holder of the parent line, the holder. */
function mayChange(m: Model, line: MLine, kind: Kind, org: OrgKey): boolean {
  const funder = org === 'bank';
  const parentHolder = line.parent !== null && m.lines[line.parent]!.holder === org;
  switch (kind) {
    case 'increase':
    case 'decrease':
      return funder && line.parent === null;
    case 'freeze':
    case 'unfreeze':
      return funder || parentHolder;
    case 'clear':
    case 'restore':
      return funder;
    case 'allocate':
      return line.holder === org;
    case 'take_back':
      return parentHolder;
  }
}

// --- commands ------------------------------------------------------------------------------------------

type Cmd =
  | { op: 'occupy'; line: number; amount: bigint }
  | { op: 'use'; occ: number; amount: bigint | null }
  | { op: 'release'; occ: number }
  | { op: 'repay'; occ: number; amount: bigint; share: number }
  | { op: 'change'; kind: Kind; line: number; by: number; target: number; amount: bigint };

const YUAN = 100n;
const amountArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(50n, 100n, 200n, 300n, 500n, 800n, 1_200n).map((y) => y * YUAN) },
  { weight: 1, arbitrary: fc.constantFrom(1n, 99n, 12_345n) },
);
const slot = fc.nat({ max: 30 });
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('occupy' as const), line: slot, amount: amountArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('use' as const), occ: slot, amount: fc.option(amountArb, { nil: null, freq: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('release' as const), occ: slot }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('repay' as const), occ: slot, amount: amountArb, share: fc.constantFrom(0, 1, 2, 3) }),
  },
  {
    weight: 9,
    arbitrary: fc.record({
      op: fc.constant('change' as const),
      kind: fc.constantFrom<Kind>(
        'increase',
        'decrease',
        'allocate',
        'allocate',
        'allocate',
        'take_back',
        'take_back',
        'freeze',
        'freeze',
        'unfreeze',
        'unfreeze',
        'clear',
        'restore',
        'restore',
      ),
      line: slot,
      by: fc.nat({ max: 9 }),
      target: fc.nat({ max: 3 }),
      amount: amountArb,
    }),
  },
);
const runArb = fc.record({
  rootLimit: fc.constantFrom(1_000n, 1_500n, 2_000n).map((y) => y * YUAN),
  revolving: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  cmds: fc.array(cmdArb, { minLength: 1, maxLength: 15 }),
});

// --- the test --------------------------------------------------------------------------------------------

describe('credit lines behave like the model under random operation sequences', () => {
  let database: TestDatabase;
  let actors: Actors;
  let today: string;
  const orgIds = {} as Record<OrgKey, string>;

  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'demo' });
    actors = await demoActors(database.db);
    await actors.addUser('supplier', 'supplier.checker', ['approver']);
    for (const key of Object.keys(SHORT_NAMES) as OrgKey[]) orgIds[key] = actors.org(SHORT_NAMES[key]);
    today = await currentBusinessDate({ db: database.db });
  });
  afterAll(async () => database?.close());

  const db = () => database.db;
  /** Outcomes seen, by operation (printed with CREDIT_MODEL_STATS=1 to check what the runs cover). */
  const stats = new Map<string, number>();
  const seen = (what: string, code: string | null) =>
    stats.set(`${what} → ${code ?? 'ok'}`, (stats.get(`${what} → ${code ?? 'ok'}`) ?? 0) + 1);
  const cny = (minor: bigint) => formatAmount(minor, 'CNY');

  /** The AppError code a call fails with, or null when it succeeds. Anything else (a 500) fails the test. */
  async function outcome<T>(work: () => Promise<T>): Promise<{ code: string | null; value?: T }> {
    try {
      return { code: null, value: await work() };
    } catch (error) {
      if (isAppError(error)) return { code: error.code };
      throw error;
    }
  }

  async function counts(): Promise<{ transfers: number; lines: number }> {
    const row = await queryOne<{ transfers: bigint; lines: bigint }>(
      db(),
      sql`select (select count(*) from ledger_transfers) as transfers, (select count(*) from credit_lines) as lines`,
    );
    return { transfers: Number(row!.transfers), lines: Number(row!.lines) };
  }

  async function changeStatus(id: string): Promise<string> {
    return (await queryOne<{ status: string }>(db(), sql`select status from credit_line_changes where id = ${id}::uuid`))!.status;
  }

  /** Every invariant, against the database, after every step. */
  async function expectMatchesModel(m: Model, rootId: string, context: string): Promise<void> {
    const tree = await treeFigures(db(), rootId);
    expect(tree.length, context).toBe(m.lines.length);
    const byId = new Map(tree.map((t) => [t.row.id, t]));
    for (const [i, line] of m.lines.entries()) {
      const real = byId.get(line.id);
      expect(real, `${context}: line ${i} exists`).toBeDefined();
      const { row, f } = real!;
      const where = `${context}: line ${i} (${line.holder}${line.parent === null ? ', root' : `, child of ${line.parent}`})`;
      expect(row.status, where).toBe(line.status);
      expect(
        {
          available: f.availableMinor,
          limit: f.limitMinor,
          allocated: f.allocatedMinor,
          occupied: f.occupiedMinor,
          used: f.usedMinor,
          frozen: f.frozenMinor,
          cleared: f.clearedMinor,
          expired: f.expiredMinor,
        },
        where,
      ).toEqual({
        available: line.available,
        limit: line.limit,
        allocated: line.allocated,
        occupied: line.occupied,
        used: line.used,
        frozen: line.frozen,
        cleared: line.cleared,
        expired: 0n,
      });
      // the stored terms agree with the ledger
      expect(row.limitMinor, where).toBe(f.limitMinor);
      expect(row.clearedMinor, where).toBe(f.clearedMinor);
      // available is fully explained and never negative
      expect(f.availableMinor, where).toBe(explainedAvailable(f));
      for (const [name, value] of Object.entries(f)) expect(value >= 0n, `${where}: ${name} = ${value}`).toBe(true);
      // a parent gave exactly its children's limits; its `allocated` is what they still hold
      const children = m.lines.filter((c) => c.parent === i).map((c) => byId.get(c.id)!.f);
      const childLimits = children.reduce((s, c) => s + c.limitMinor, 0n);
      expect(childLimits, `${where}: Σ children's limits vs what it gave`).toBe(line.given);
      expect(f.allocatedMinor, `${where}: allocated vs what the children still hold`).toBe(
        children.reduce((s, c) => s + c.limitMinor - c.clearedMinor - c.expiredMinor, 0n),
      );
    }
    // the whole tree never holds more than the root was granted (minus what the root itself cleared)
    const root = byId.get(rootId)!.f;
    const held = tree.reduce((s, t) => s + t.f.occupiedMinor + t.f.usedMinor + t.f.frozenMinor + t.f.availableMinor, 0n);
    expect(held, `${context}: tree conservation`).toBe(root.limitMinor - root.clearedMinor);
  }

  /** The org that acts for a change: the natural one for the kind mostly, another one sometimes. */
  function makerOrg(m: Model, line: MLine, kind: Kind, by: number): OrgKey {
    const parentHolder = line.parent === null ? line.holder : m.lines[line.parent]!.holder;
    const natural: Record<Kind, OrgKey> = {
      increase: 'bank',
      decrease: 'bank',
      freeze: 'bank',
      unfreeze: 'bank',
      clear: 'bank',
      restore: 'bank',
      take_back: parentHolder,
      allocate: line.holder,
    };
    const others: OrgKey[] = [...new Set<OrgKey>(['bank', parentHolder, line.holder])].filter((o) => o !== natural[kind]);
    const org = kind === 'allocate' || by < 8 || others.length === 0 ? natural[kind] : others[(by - 8) % others.length]!;
    return MAKER[org] ? org : 'bank';
  }

  async function runChange(m: Model, rootId: string, cmd: Extract<Cmd, { op: 'change' }>, context: string): Promise<void> {
    let index = cmd.line % m.lines.length;
    // allocations come from lines whose holder has someone to allocate to (else from the root)
    if (cmd.kind === 'allocate' && !ALLOCATION_TARGETS[m.lines[index]!.holder]) index = 0;
    // mostly aim where the change can apply (take back: an allocation; unfreeze: a frozen line; restore: a cleared
    // one), sometimes anywhere — so both the legal path and the refusals are exercised
    const aim: Partial<Record<Kind, (l: MLine) => boolean>> = {
      take_back: (l) => l.parent !== null,
      unfreeze: (l) => l.status === 'frozen',
      restore: (l) => l.status === 'cleared',
    };
    const fits = m.lines.map((l, i) => ({ l, i })).filter(({ l }) => aim[cmd.kind]?.(l));
    if (cmd.target !== 0 && fits.length > 0) index = fits[cmd.line % fits.length]!.i;
    const line = m.lines[index]!;
    const org = makerOrg(m, line, cmd.kind, cmd.by);
    const maker = actors.as(MAKER[org]!);
    const targets = ALLOCATION_TARGETS[line.holder] ?? [];
    const target = targets[cmd.target % Math.max(1, targets.length)];
    const amount = cny(cmd.amount);
    const input =
      cmd.kind === 'allocate'
        ? { kind: 'allocate' as const, lineId: line.id, amount, reason: 'model: allocate', params: { holderOrgId: orgIds[target!] } }
        : cmd.kind === 'increase' || cmd.kind === 'decrease' || cmd.kind === 'take_back'
          ? { kind: cmd.kind, lineId: line.id, amount, reason: `model: ${cmd.kind}` }
          : { kind: cmd.kind, lineId: line.id, reason: `model: ${cmd.kind}` };
    const what = `${context}: ${cmd.kind} ${cmd.kind === 'allocate' ? `${amount} → ${target} ` : ['increase', 'decrease', 'take_back'].includes(cmd.kind) ? `${amount} ` : ''}on line ${index} (${line.status}) by ${org}`;

    // --- submit: who may, and whether the status allows it
    const expectedSubmit = !mayChange(m, line, cmd.kind, org)
      ? 'FORBIDDEN'
      : !ALLOWED[line.status].includes(cmd.kind)
        ? 'ILLEGAL_TRANSITION'
        : null;
    const before = await counts();
    const submitted = await outcome(() => submitChange(maker, input));
    expect(submitted.code, `${what}: submit`).toBe(expectedSubmit);
    if (submitted.code !== null) seen(`submit ${cmd.kind}`, submitted.code);
    if (submitted.code !== null) {
      expect(await counts(), `${what}: a refused submission changes nothing`).toEqual(before);
      await expectMatchesModel(m, rootId, `${what}: after the refused submission`);
      return;
    }
    const change = submitted.value!;

    // --- approve: the ledger decides whether the amounts are there
    const parent = line.parent === null ? undefined : m.lines[line.parent]!;
    let expectedApprove: string | null = null;
    if (cmd.kind === 'decrease' || cmd.kind === 'take_back')
      expectedApprove = cmd.amount > line.available ? 'CREDIT_INSUFFICIENT_AVAILABLE' : null;
    if (cmd.kind === 'allocate') {
      // One live allocation per member and parent: a frozen or cleared one must be unfrozen / restored first.
      const blocked = m.lines.some((l) => l.parent === index && l.holder === target && l.status !== 'active');
      expectedApprove = blocked ? 'ILLEGAL_TRANSITION' : cmd.amount > line.available ? 'CREDIT_INSUFFICIENT_AVAILABLE' : null;
    }
    if (cmd.kind === 'restore' && parent) expectedApprove = line.cleared > parent.available ? 'CREDIT_INSUFFICIENT_AVAILABLE' : null;
    const checker = actors.as(CHECKER[org]!);
    const afterSubmit = await counts();
    const approved = await outcome(() => approveChange(checker, change.id, undefined));
    expect(approved.code, `${what}: approve`).toBe(expectedApprove);
    seen(`approve ${cmd.kind}`, approved.code);
    if (approved.code !== null) {
      expect(await counts(), `${what}: a refused approval changes nothing`).toEqual(afterSubmit);
      expect(await changeStatus(change.id), `${what}: the refused change is still pending`).toBe('pending');
      await expectMatchesModel(m, rootId, `${what}: after the refused approval`);
      await rejectChange(checker, change.id, 'refused by the ledger');
      expect(await changeStatus(change.id)).toBe('rejected');
      return;
    }
    expect(approved.value!.status).toBe('approved');

    // --- apply to the model
    const a = cmd.amount;
    switch (cmd.kind) {
      case 'increase':
        line.limit += a;
        line.available += a;
        break;
      case 'decrease':
        line.limit -= a;
        line.available -= a;
        break;
      case 'allocate': {
        const candidates = m.lines
          .map((l, i) => ({ l, i }))
          .filter(({ l }) => l.parent === index && l.holder === target && l.status === 'active');
        const resultId = approved.value!.resultLineId;
        let child = candidates.find(({ l }) => l.id === resultId)?.i;
        if (child === undefined) {
          // a new allocation line — only when the member had no active one to top up
          expect(candidates, `${what}: a new line although an active allocation existed`).toEqual([]);
          m.lines.push(newLine(resultId!, target!, index));
          child = m.lines.length - 1;
        }
        const c = m.lines[child]!;
        c.limit += a;
        c.available += a;
        line.available -= a;
        line.allocated += a;
        line.given += a;
        break;
      }
      case 'take_back':
        line.limit -= a;
        line.available -= a;
        parent!.available += a;
        parent!.allocated -= a;
        parent!.given -= a;
        break;
      case 'freeze':
        line.frozen += line.available;
        line.available = 0n;
        line.status = 'frozen';
        break;
      case 'unfreeze':
        line.available += line.frozen;
        line.frozen = 0n;
        line.status = 'active';
        break;
      case 'clear': {
        const c = line.available;
        line.available = 0n;
        line.cleared += c;
        line.status = 'cleared';
        if (parent) {
          parent.available += c;
          parent.allocated -= c;
        }
        break;
      }
      case 'restore': {
        const r = line.cleared;
        line.available += r;
        line.cleared = 0n;
        line.status = 'active';
        if (parent) {
          parent.available -= r;
          parent.allocated += r;
        }
        break;
      }
    }
    await expectMatchesModel(m, rootId, what);
  }

  /** The holder's user occupies / uses / releases; a holder without users is served by its funder. */
  const userFor = (line: MLine): Ctx => actors.as(MAKER[line.holder] ?? 'bank');

  async function runUsage(m: Model, rootId: string, cmd: Exclude<Cmd, { op: 'change' }>, context: string): Promise<void> {
    let expected: string | null;
    let apply: () => void;
    let call: () => Promise<unknown>;
    let what: string;
    if (cmd.op === 'occupy') {
      const index = cmd.line % m.lines.length;
      const line = m.lines[index]!;
      const id = randomUUID();
      what = `${context}: occupy ${cny(cmd.amount)} on line ${index} (${line.status}, available ${cny(line.available)})`;
      expected = occupationBlocker(m, index) ?? (cmd.amount > line.available ? 'CREDIT_INSUFFICIENT_AVAILABLE' : null);
      call = () => occupy(userFor(line), line.id, { id, amount: cny(cmd.amount), refType: 'model', refId: id, timeoutSeconds: 0 });
      apply = () => {
        line.available -= cmd.amount;
        line.occupied += cmd.amount;
        m.occs.push({ id, line: index, amount: cmd.amount, state: 'occupied', useParam: null, usedAmount: 0n, restored: 0n });
      };
    } else {
      if (m.occs.length === 0) return;
      // repayments mostly concern used occupations
      const used = m.occs.filter((o) => o.state === 'used');
      const occ =
        cmd.op === 'repay' && used.length > 0 && cmd.occ % 4 !== 0 ? used[cmd.occ % used.length]! : m.occs[cmd.occ % m.occs.length]!;
      const line = m.lines[occ.line]!;
      const ctx = userFor(line);
      if (cmd.op === 'use') {
        what = `${context}: use ${cmd.amount === null ? 'all' : cny(cmd.amount)} of ${occ.state} occupation ${cny(occ.amount)}`;
        const wanted = cmd.amount ?? occ.amount;
        if (occ.state === 'occupied') expected = wanted > occ.amount ? 'CREDIT_INSUFFICIENT_AVAILABLE' : null;
        // a retry of the same use answers the use; a different use of a resolved occupation is refused
        else if (occ.state === 'used')
          expected = cmd.amount === null || cmd.amount === occ.usedAmount ? null : 'CREDIT_OCCUPATION_NOT_OPEN';
        else expected = 'CREDIT_OCCUPATION_NOT_OPEN';
        call = () => useOccupation(ctx, occ.id, cmd.amount === null ? undefined : cny(cmd.amount));
        apply = () => {
          if (occ.state !== 'occupied') return;
          line.occupied -= occ.amount;
          line.used += wanted;
          line.available += occ.amount - wanted;
          occ.state = 'used';
          occ.useParam = cmd.amount;
          occ.usedAmount = wanted;
        };
      } else if (cmd.op === 'release') {
        what = `${context}: release ${occ.state} occupation ${cny(occ.amount)}`;
        expected = occ.state === 'used' ? 'CREDIT_OCCUPATION_NOT_OPEN' : null;
        call = () => releaseOccupation(ctx, occ.id);
        apply = () => {
          if (occ.state !== 'occupied') return;
          line.occupied -= occ.amount;
          line.available += occ.amount;
          occ.state = 'released';
        };
      } else {
        // share n > 0: repay 1/n of what is still to be restored (or 0.01 more than that, when n = 3)
        const left = occ.usedAmount - occ.restored;
        const amount = cmd.share === 0 || left <= 0n ? cmd.amount : cmd.share === 3 ? left + 1n : left / BigInt(cmd.share) || 1n;
        what = `${context}: repay ${cny(amount)} of ${occ.state} occupation (used ${cny(occ.usedAmount)}, restored ${cny(occ.restored)}) on a ${m.revolving ? 'revolving' : 'one-off'} line`;
        expected = !m.revolving ? 'CREDIT_LINE_NOT_REVOLVING' : amount > left ? 'CREDIT_RESTORE_EXCEEDS_USED' : null;
        call = () => restoreOnRepayment(ctx, occ.id, { id: randomUUID(), amount: cny(amount) });
        apply = () => {
          line.used -= amount;
          line.available += amount;
          occ.restored += amount;
        };
      }
    }
    const before = await counts();
    const result = await outcome(call);
    expect(result.code, what).toBe(expected);
    seen(cmd.op, result.code);
    if (result.code === null) apply();
    else expect(await counts(), `${what}: a refused operation changes nothing`).toEqual(before);
    await expectMatchesModel(m, rootId, what);
  }

  it(
    'every line matches the model after every step, refusals change nothing, and the ledger verifies',
    async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(runArb, async ({ rootLimit, revolving, cmds }) => {
          run++;
          const bank = actors.as('bank');
          const grant = await submitChange(bank, {
            kind: 'grant',
            amount: cny(rootLimit),
            reason: `model run ${run}`,
            params: { holderOrgId: orgIds.core, currency: 'CNY', products: [], revolving, validFrom: today, validTo: yearsLater(today, 1) },
          });
          const rootId = (await approveChange(actors.as('bank.checker'), grant.id, undefined)).resultLineId!;
          await activateLine(bank, rootId);
          const root = newLine(rootId, 'core', null);
          root.limit = rootLimit;
          root.available = rootLimit;
          const m: Model = { revolving, lines: [root], occs: [] };
          await expectMatchesModel(m, rootId, `run ${run}: after activation`);

          for (const [n, cmd] of cmds.entries()) {
            const context = `run ${run} step ${n + 1}`;
            if (cmd.op === 'change') await runChange(m, rootId, cmd, context);
            else await runUsage(m, rootId, cmd, context);
          }

          // the roll-up the API shows agrees with the lines it sums
          const detail = await getLine(bank, rootId);
          const total = (pick: (l: MLine) => bigint) => cny(m.lines.reduce((s, l) => s + pick(l), 0n));
          expect(detail.rollUp).toMatchObject({
            available: total((l) => l.available),
            occupied: total((l) => l.occupied),
            used: total((l) => l.used),
            frozen: total((l) => l.frozen),
          });

          const report = await verifyLedger(db());
          expect(report.differences, `run ${run}: ledger verification`).toEqual([]);
          expect(report.ledgersBalanced).toBe(true);
        }),
        { numRuns: Number(process.env.CREDIT_MODEL_RUNS ?? 25) },
      );
      if (process.env.CREDIT_MODEL_STATS)
        console.log(
          [...stats.entries()]
            .sort()
            .map(([k, v]) => `${k}: ${v}`)
            .join('\n'),
        );
    },
    process.env.CREDIT_MODEL_RUNS ? 900_000 : 60_000,
  );
});

/**
 * Approval flows — the pure part: definitions, routing conditions, committee arithmetic.
 *
 * A flow is a list of steps. Each step is `approve` (any one eligible user of a role), `countersign` (every
 * named user must approve) or `committee` (named members vote approve / reject / abstain; a quorum and a pass
 * ratio decide, as the guarantee company's 审保会 does). A step may carry a `when` condition on the case's
 * facts (amount, product, mode, rating) and is skipped when it does not hold. A green channel lets the named
 * roles send a case straight to its last applicable step.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { ROLES } from '../../kernel/context';

export const conditionSchema = z.object({
  field: z.enum(['amount', 'product', 'mode', 'rating']),
  op: z.enum(['gte', 'gt', 'lte', 'lt', 'eq', 'in']),
  value: z.union([z.string().max(100), z.array(z.string().max(100)).max(50)]),
});
export type Condition = z.infer<typeof conditionSchema>;

export const stepSchema = z.object({
  key: z.string().regex(/^[a-z0-9_]{1,40}$/),
  name: z.string().trim().min(1).max(60),
  type: z.enum(['approve', 'countersign', 'committee']),
  assignees: z.object({
    org: z.enum(['owner', 'initiator', 'operator']).default('owner'),
    role: z.enum(ROLES).default('approver'),
    /** Usernames: required for countersign (all must approve) and committee (the members). */
    users: z.array(z.string().min(1).max(60)).max(20).optional(),
  }),
  quorum: z.number().int().min(1).max(20).optional(),
  /** Share of the members that must approve (abstentions count as not approving), e.g. "0.6667" for two thirds. */
  passRatio: z
    .string()
    .regex(/^0(\.\d{1,4})?$|^1(\.0{1,4})?$/)
    .optional(),
  when: conditionSchema.optional(),
  dueHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
});
export type Step = z.infer<typeof stepSchema>;

export const definitionSchema = z
  .object({
    steps: z.array(stepSchema).min(1).max(12),
    greenChannel: z.object({ roles: z.array(z.enum(ROLES)).min(1) }).optional(),
  })
  .superRefine((d, ctx) => {
    const keys = new Set<string>();
    d.steps.forEach((s, i) => {
      if (keys.has(s.key)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'key'], message: 'duplicate step key' });
      keys.add(s.key);
      const users = s.assignees.users ?? [];
      if (s.type === 'countersign' && users.length < 2)
        ctx.addIssue({ code: 'custom', path: ['steps', i], message: 'countersign needs at least two users' });
      if (s.type === 'committee') {
        if (users.length < 2) ctx.addIssue({ code: 'custom', path: ['steps', i], message: 'a committee needs at least two members' });
        if (!s.quorum || s.quorum > users.length)
          ctx.addIssue({ code: 'custom', path: ['steps', i, 'quorum'], message: 'quorum must be between 1 and the number of members' });
        if (!s.passRatio) ctx.addIssue({ code: 'custom', path: ['steps', i, 'passRatio'], message: 'a committee needs a pass ratio' });
      }
    });
    if (!d.steps.some((s) => !s.when)) ctx.addIssue({ code: 'custom', path: ['steps'], message: 'at least one step must always apply' });
  });
export type Definition = z.infer<typeof definitionSchema>;

export interface Facts {
  /** Decimal string in major units. */
  amount?: string | undefined;
  product?: string | undefined;
  mode?: string | undefined;
  rating?: string | undefined;
  /** What a request asks for (a loan request's kind: write_off, classification, off_platform_repayment). */
  request?: string | undefined;
}

export function conditionHolds(when: Condition | undefined, facts: Facts): boolean {
  if (!when) return true;
  const actual = facts[when.field];
  if (actual === undefined) return false;
  if (when.op === 'in') return (Array.isArray(when.value) ? when.value : [when.value]).includes(actual);
  if (when.op === 'eq') return actual === (Array.isArray(when.value) ? when.value[0] : when.value);
  const expected = Array.isArray(when.value) ? when.value[0] : when.value;
  if (expected === undefined) return false;
  const a = new Decimal(actual);
  const b = new Decimal(expected);
  switch (when.op) {
    case 'gte':
      return a.gte(b);
    case 'gt':
      return a.gt(b);
    case 'lte':
      return a.lte(b);
    case 'lt':
      return a.lt(b);
  }
}

/** The first step at or after `from` whose condition holds, or -1 when none is left (the flow is done). */
export function nextStep(definition: Definition, facts: Facts, from: number): number {
  for (let i = from; i < definition.steps.length; i++) if (conditionHolds(definition.steps[i]!.when, facts)) return i;
  return -1;
}

/** The applicable step before `current`, or -1 (back to the maker). */
export function previousStep(definition: Definition, facts: Facts, current: number): number {
  for (let i = current - 1; i >= 0; i--) if (conditionHolds(definition.steps[i]!.when, facts)) return i;
  return -1;
}

/** The last applicable step (where a green channel lands). */
export function lastStep(definition: Definition, facts: Facts): number {
  for (let i = definition.steps.length - 1; i >= 0; i--) if (conditionHolds(definition.steps[i]!.when, facts)) return i;
  return -1;
}

export type Outcome = 'pending' | 'passed' | 'failed';

/** Decimals of a committee's pass ratio (stepSchema.passRatio). */
const RATIO_DECIMALS = 4;

/**
 * A committee's outcome. The pass ratio applies to all members' votes (abstentions count as not approving);
 * the committee decides as soon as the result can no longer change, and only once the quorum has voted.
 */
export function committeeOutcome(
  votes: { approve: number; reject: number; abstain: number },
  members: number,
  quorum: number,
  passRatio: string,
): Outcome {
  const cast = votes.approve + votes.reject + votes.abstain;
  const remaining = members - cast;
  const ratio = new Decimal(passRatio);
  // The ratio is written with at most four decimals ("0.6667" for two thirds), so the share of approving
  // members is compared at that precision: 2 of 3 = 0.6667 meets "0.6667" (2 ≥ 0.6667 × 3 = 2.0001 did not).
  const share = (approvals: number) => new Decimal(approvals).dividedBy(members).toDecimalPlaces(RATIO_DECIMALS, Decimal.ROUND_HALF_UP);
  if (cast < quorum) return 'pending';
  if (share(votes.approve).gte(ratio)) return 'passed';
  if (share(votes.approve + remaining).lt(ratio)) return 'failed';
  return 'pending';
}

/** A countersign step passes when every member approved and fails on the first rejection. */
export function countersignOutcome(votes: { approve: number; reject: number }, members: number): Outcome {
  if (votes.reject > 0) return 'failed';
  return votes.approve >= members ? 'passed' : 'pending';
}

/**
 * The outcome of one opening of a step from its tasks' decisions (null: not decided): a return sends the case back at
 * once; an approve step is decided by its one decision; a countersign or a committee counts the votes of all the
 * tasks of the opening (each opening is a new round: the votes of an earlier one are history).
 */
export function stageOutcome(
  step: Pick<Step, 'type' | 'quorum' | 'passRatio'>,
  decisions: readonly (string | null)[],
): Outcome | 'returned' {
  const count = (d: string) => decisions.filter((x) => x === d).length;
  if (count('return') > 0) return 'returned';
  if (step.type === 'approve') return count('approve') > 0 ? 'passed' : count('reject') > 0 ? 'failed' : 'pending';
  if (step.type === 'countersign') return countersignOutcome({ approve: count('approve'), reject: count('reject') }, decisions.length);
  return committeeOutcome(
    { approve: count('approve'), reject: count('reject'), abstain: count('abstain') },
    decisions.length,
    step.quorum ?? decisions.length,
    step.passRatio ?? '0.5',
  );
}

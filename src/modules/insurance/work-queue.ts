/** Where the subjects of insurance's approval cases live (the inbox's links and currencies). */
import { inArray } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { POLICY_SUBJECT, UNDERWRITING_FLOW } from './policies';
import { policies } from './schema';

export { POLICY_SUBJECT, UNDERWRITING_FLOW };

export async function policySubjects(ctx: Pick<Ctx, 'db'>, ids: readonly string[]) {
  const rows = await ctx.db
    .select({ id: policies.id, currency: policies.currency })
    .from(policies)
    .where(inArray(policies.id, [...ids]));
  return new Map(rows.map((r) => [r.id, { link: `/insurance/policies/${r.id}`, currency: r.currency }]));
}

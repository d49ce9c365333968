/**
 * What of a financing object is the funder's own: due diligence and its rating, risk notes, the reasons of a
 * reclassification, post-loan checks, collection work — and, in the workflow module, approval comments and votes.
 * The funder (its officers assess and decide) and the platform operator read them; the applicant / borrower and its
 * core enterprise read the stage and the outcome, and their answers do not carry those fields at all (a page that
 * hid them would still send them).
 */
import type { Actor } from '../../kernel/context';
import { isOperator } from '../../kernel/permissions';

export function readsFunderSide(actor: Pick<Actor, 'orgId' | 'orgType'>, funderOrgId: string): boolean {
  return actor.orgId === funderOrgId || isOperator(actor);
}

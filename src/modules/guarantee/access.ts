/**
 * Who sees what of a guarantee project: the guarantor reads all of it; the applicant its application, status, fees
 * and loan; the lender the guarantee once it is contracted (its confirmation and release tasks). The guarantor's
 * internal assessment — 初审/复审 opinions, committee votes and minutes, risk notes, counter-guarantee valuations and
 * the 台账 — is answered to the guarantor alone (`readsGuarantorSide`), by the service, never left to the page.
 * Anybody else gets 404.
 */
import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { Actor } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import { isOperator } from '../../kernel/permissions';
import { projects, type ProjectRow, type ProjectStatus } from './schema';

/** A lender reads the guarantee from its contract on (before that it is the guarantor's application in review). */
export const LENDER_VISIBLE: readonly ProjectStatus[] = ['contracted', 'in_force', 'released', 'compensated', 'closed'];

export function projectVisible(actor: Actor): SQL | undefined {
  if (isOperator(actor)) return undefined;
  const me = actor.orgId;
  return or(
    eq(projects.guarantorOrgId, me),
    eq(projects.applicantOrgId, me),
    and(eq(projects.lenderOrgId, me), inArray(projects.status, [...LENDER_VISIBLE])),
  );
}

/** The guarantor's own side: its assessment, committee, notes, counter-guarantees and 台账. */
export function readsGuarantorSide(actor: Actor, p: Pick<ProjectRow, 'guarantorOrgId'>): boolean {
  return actor.orgId === p.guarantorOrgId;
}

/** A guarantor's action: the caller's organisation is the project's guarantor (else 404: not the caller's to act on). */
export function requireGuarantor(actor: Actor, p: Pick<ProjectRow, 'guarantorOrgId' | 'id'>): void {
  if (actor.orgId !== p.guarantorOrgId) throw new AppError('NOT_FOUND', { objectType: 'guarantee_project', id: p.id });
}

/**
 * A lifecycle as a transition table: for each status, the actions allowed and the status each leads to; anything else
 * is refused. One guard for every object with a status (applications, loans, certificates, receipts …): its module
 * writes the table, this gives the three questions asked of it.
 *
 *   const drawdowns = transitionTable(DRAWDOWN_STATUSES, { requested: { approve: 'approved', … }, approved: {}, … });
 *   drawdowns.next('requested', 'approve')       // 'approved'; an illegal step throws ILLEGAL_TRANSITION {from, action}
 *   drawdowns.allows('approved', 'approve')      // false
 *   drawdowns.statusesAllowing('approve')        // ['requested']: the `where status in (…)` of a conditional update
 *
 * A module whose refusal says more than ILLEGAL_TRANSITION (a certificate's CERT_STATE) passes `refuse`.
 */
import { AppError } from './errors';

export interface TransitionTable<S extends string, A extends string> {
  readonly statuses: readonly S[];
  /** The status `action` leads to from `from`; throws the refusal when the step is not in the table. */
  next(from: S, action: A): S;
  allows(from: S, action: A): boolean;
  /** The statuses `action` may leave from, in the order of `statuses`. */
  statusesAllowing(action: A): S[];
}

export function transitionTable<S extends string, A extends string>(
  statuses: readonly S[],
  transitions: Record<S, Partial<Record<A, S>>>,
  refuse: (from: S, action: A) => Error = (from, action) => new AppError('ILLEGAL_TRANSITION', { from, action }),
): TransitionTable<S, A> {
  const allows = (from: S, action: A) => transitions[from]?.[action] !== undefined;
  return {
    statuses,
    next: (from, action) => {
      const to = transitions[from]?.[action];
      if (to === undefined) throw refuse(from, action);
      return to;
    },
    allows,
    statusesAllowing: (action) => statuses.filter((s) => allows(s, action)),
  };
}

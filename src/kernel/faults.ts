/**
 * Fault injection for the crash tests, never set in production: OPENSCF_FAULT_KILL_AFTER_COMMIT=<probability> makes
 * the process kill itself (SIGKILL) right after a request's transaction has committed and before its answer leaves —
 * the window in which a crash leaves a write whose client never heard of it. A retry with the Idempotency-Key must
 * then get the stored answer, and the write must not happen twice (tests/integration/idempotency-crash.pg.test.ts).
 * OPENSCF_FAULT_KILL_BEFORE_COMMIT=<probability> kills it inside the request's transaction, its writes done and not yet
 * committed: nothing of it may survive — no row, no event, no webhook (tests/integration/events-crash.pg.test.ts).
 */
import { writeSync } from 'node:fs';

const killAfterCommit = Number(process.env.OPENSCF_FAULT_KILL_AFTER_COMMIT ?? 0);
const killBeforeCommit = Number(process.env.OPENSCF_FAULT_KILL_BEFORE_COMMIT ?? 0);

export function faultAfterCommit(): void {
  if (!(killAfterCommit > 0) || Math.random() >= killAfterCommit) return;
  writeSync(2, '[fault] killed after commit, before the answer\n');
  process.kill(process.pid, 'SIGKILL');
}

export function faultBeforeCommit(): void {
  if (!(killBeforeCommit > 0) || Math.random() >= killBeforeCommit) return;
  writeSync(2, '[fault] killed before commit, the writes done\n');
  process.kill(process.pid, 'SIGKILL');
}

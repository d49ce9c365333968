/**
 * Periodic work every instance may do (all of it is safe to run concurrently: each step takes its own locks
 * and skips what another instance already did): expire ledger holds past their timeout, purge old
 * idempotency records and expired sessions.
 */
import type { Database } from '../kernel/db';
import type { App } from '../kernel/http';
import { expirePendingTransfers } from '../modules/ledger';
import { purgeExpiredSessions } from '../modules/identity';
import { purgeIdempotencyKeys } from './idempotency';

const EVERY_MS = 15_000;

export function startHousekeeping(app: App, database: Database): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const expired = await expirePendingTransfers(database.db, 1000);
      const purged = await purgeIdempotencyKeys(app);
      await purgeExpiredSessions(database.db);
      if (expired > 0 || purged > 0) app.log.info({ expiredHolds: expired, purgedIdempotencyKeys: purged }, 'housekeeping');
    } catch (error) {
      app.log.warn({ err: error }, 'housekeeping failed; will retry');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

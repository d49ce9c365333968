/**
 * Periodic work every instance may do (all of it is safe to run concurrently: each step takes its own locks
 * and skips what another instance already did): expire ledger holds past their timeout, purge old
 * idempotency records and expired sessions, expire credit lines past their validity.
 */
import type { Database } from '../kernel/db';
import type { App } from '../kernel/http';
import { expirePendingTransfers } from '../modules/ledger';
import { purgeExpiredSessions } from '../modules/identity';
import { expireLines } from '../modules/credit';
import { currentBusinessDate } from '../modules/calendar';
import { operatorOrganizationId } from '../modules/parties';
import { systemActor } from '../kernel/context';
import { uuidv7 } from '../kernel/ids';
import { purgeIdempotencyKeys } from './idempotency';
import { purgeRateLimits } from './security';

const EVERY_MS = 15_000;

/** Credit lines past their validity expire once per business date (and sweep back what came back since). */
async function expireCredit(database: Database, state: { lastDate?: string }): Promise<number> {
  const date = await currentBusinessDate({ db: database.db });
  if (state.lastDate === date) return 0;
  const operator = await operatorOrganizationId(database.db);
  if (!operator) return 0;
  const expired = await expireLines({ db: database.db, actor: systemActor(operator), requestId: `housekeeping-${uuidv7()}` }, date);
  state.lastDate = date;
  return expired;
}

export function startHousekeeping(app: App, database: Database): { stop(): void } {
  let running = false;
  const creditState: { lastDate?: string } = {};
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const expired = await expirePendingTransfers(database.db, 1000);
      const purged = await purgeIdempotencyKeys(app);
      await purgeExpiredSessions(database.db);
      await purgeRateLimits(app);
      const expiredLines = await expireCredit(database, creditState);
      if (expired > 0 || purged > 0 || expiredLines > 0)
        app.log.info({ expiredHolds: expired, purgedIdempotencyKeys: purged, expiredLines }, 'housekeeping');
    } catch (error) {
      app.log.warn({ err: error }, 'housekeeping failed; will retry');
    } finally {
      running = false;
    }
  };
  setTimeout(() => void tick(), 2_000).unref();
  const timer = setInterval(() => void tick(), EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

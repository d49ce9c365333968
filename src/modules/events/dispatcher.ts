/**
 * The webhook dispatcher: sends the queued deliveries (the outbox's `webhook_deliveries`, queued in the transaction of
 * the write) and records each attempt. Every instance may run one; a delivery is claimed with `for update skip
 * locked` and leased (its next attempt moved past the send's timeout) in one autocommit statement, so two instances
 * never send it at once, and one killed mid-send leaves it to be sent again when the lease runs out — at least once,
 * which is why every delivery carries its event's id (`OpenSCF-Event-Id`): receivers drop an id they have seen.
 * A 2xx answer delivers it; anything else (status, refusal, timeout) is retried with exponential backoff
 * (base × 2^(attempt−1), at most 6 hours) until `maxAttempts`, then it is failed — and the party may replay it.
 */
import { sql } from 'drizzle-orm';
import { arrayLiteral, queryRows, type Executor } from '../../kernel/db';
import { signWebhook } from './signature';

export interface DispatchOptions {
  /** Deliveries claimed per round (default 50). */
  limit?: number;
  /** The first retry's delay (default 30 s; OPENSCF_WEBHOOK_RETRY_BASE_MS). */
  retryBaseMs?: number;
  /** Attempts before a delivery is failed (default 10). */
  maxAttempts?: number;
  /** One send's timeout (default 10 s). */
  timeoutMs?: number;
}

interface Claimed {
  id: string;
  url: string;
  secret: string;
  event_id: string;
  type: string;
  subject_kind: string;
  subject_id: string;
  data: unknown;
  business_date: string;
  occurred_at: string | Date;
}

interface Outcome {
  id: string;
  ok: boolean;
  code: number | null;
  error: string | null;
  durationMs: number;
}

const settings = (options: DispatchOptions) => ({
  limit: options.limit ?? 50,
  retryBaseMs: options.retryBaseMs ?? Number(process.env.OPENSCF_WEBHOOK_RETRY_BASE_MS ?? 30_000),
  maxAttempts: options.maxAttempts ?? 10,
  timeoutMs: options.timeoutMs ?? 10_000,
});

/** The JSON a receiver gets (and the feed's item, without the cursor). */
export function deliveryBody(
  row: Pick<Claimed, 'event_id' | 'type' | 'subject_kind' | 'subject_id' | 'data' | 'business_date' | 'occurred_at'>,
): string {
  return JSON.stringify({
    id: row.event_id,
    type: row.type,
    occurredAt: new Date(row.occurred_at).toISOString(),
    businessDate: String(row.business_date).slice(0, 10),
    subject: { kind: row.subject_kind, id: row.subject_id },
    data: row.data,
  });
}

async function send(row: Claimed, timeoutMs: number, deliveryId: string): Promise<Outcome> {
  const body = deliveryBody(row);
  const started = Date.now();
  try {
    const answer = await fetch(row.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'OpenSCF-Webhooks/1',
        'openscf-event-id': row.event_id,
        'openscf-event-type': row.type,
        'openscf-delivery-id': deliveryId,
        'openscf-signature': signWebhook(row.secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await answer.arrayBuffer().catch(() => undefined);
    const ok = answer.status >= 200 && answer.status < 300;
    return { id: deliveryId, ok, code: answer.status, error: ok ? null : `HTTP ${answer.status}`, durationMs: Date.now() - started };
  } catch (error) {
    const message =
      error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
    return { id: deliveryId, ok: false, code: null, error: message.slice(0, 500), durationMs: Date.now() - started };
  }
}

/**
 * One round: claims up to `limit` due deliveries of active endpoints, sends them concurrently, records the attempts.
 * Answers how many were claimed (a full round means more may be waiting).
 */
export async function deliverDue(db: Executor, options: DispatchOptions = {}): Promise<{ claimed: number; delivered: number }> {
  const s = settings(options);
  const leaseSeconds = Math.ceil(s.timeoutMs / 1000) + 30;
  const claimed = await queryRows<Claimed>(
    db,
    sql`update webhook_deliveries d
           set attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
          from (select d2.id from webhook_deliveries d2 join webhook_endpoints w2 on w2.id = d2.endpoint_id and w2.active
                 where d2.status = 'pending' and d2.next_attempt_at <= now()
                 order by d2.next_attempt_at, d2.id limit ${s.limit} for update of d2 skip locked) due,
               webhook_endpoints w, events e
         where d.id = due.id and w.id = d.endpoint_id and e.id = d.event_id
        returning d.id, w.url, w.secret, e.id as event_id, e.type, e.subject_kind, e.subject_id, e.data, e.business_date::text, e.occurred_at`,
  );
  if (claimed.length === 0) return { claimed: 0, delivered: 0 };
  const outcomes = await Promise.all(claimed.map((row) => send(row, s.timeoutMs, row.id)));
  await db.execute(sql`with r as (
      select * from unnest(${arrayLiteral(outcomes.map((o) => o.id))}::uuid[], ${arrayLiteral(outcomes.map((o) => o.ok))}::boolean[],
                           ${arrayLiteral(outcomes.map((o) => o.code))}::int[], ${arrayLiteral(outcomes.map((o) => o.error))}::text[],
                           ${arrayLiteral(outcomes.map((o) => o.durationMs))}::int[]) r(id, ok, code, error, duration_ms)),
    a as (insert into webhook_attempts (delivery_id, org_id, status_code, error, duration_ms)
          select r.id, d.org_id, r.code, r.error, r.duration_ms from r join webhook_deliveries d on d.id = r.id)
    update webhook_deliveries d
       set status = case when r.ok then 'delivered' when d.attempts >= ${s.maxAttempts} then 'failed' else 'pending' end,
           delivered_at = case when r.ok then now() end,
           last_status_code = r.code,
           last_error = r.error,
           next_attempt_at = case when r.ok then d.next_attempt_at
                                  else now() + make_interval(secs => least(${s.retryBaseMs}::numeric / 1000 * power(2, d.attempts - 1), 21600)) end
      from r
     where d.id = r.id and d.status = 'pending'`);
  return { claimed: claimed.length, delivered: outcomes.filter((o) => o.ok).length };
}

let wake: (() => void) | undefined;

/** Asks this process's dispatcher (if it runs one) to look now rather than at its next poll. */
export function wakeDispatcher(): void {
  wake?.();
}

/**
 * Runs the dispatcher in this process until stopped: a round when woken (a request published an event) or every
 * `pollMs`; full rounds follow each other at once. Errors (the database away) are logged and retried next poll.
 */
export function startWebhookDispatcher(
  db: Executor,
  log: { warn(object: unknown, message: string): void },
  options: DispatchOptions & { pollMs?: number } = {},
): { stop(): Promise<void> } {
  const pollMs = options.pollMs ?? 1_000;
  let stopped = false;
  let busy = false;
  let pending = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const round = async () => {
    try {
      for (let full = true; full && !stopped; ) {
        const { claimed } = await deliverDue(db, options);
        full = claimed >= (options.limit ?? 50);
      }
    } catch (error) {
      log.warn({ err: error }, 'webhook dispatch failed; will retry');
    }
  };
  // one round at a time; a wake during a round asks for one more right after it
  const kick = () => {
    if (stopped) return;
    if (busy) {
      pending = true;
      return;
    }
    busy = true;
    if (timer) clearTimeout(timer);
    running = (async () => {
      do {
        pending = false;
        await round();
      } while (pending && !stopped);
      busy = false;
      if (!stopped) {
        timer = setTimeout(kick, pollMs);
        timer.unref();
      }
    })();
  };
  wake = kick;
  kick();
  return {
    stop: async () => {
      stopped = true;
      wake = undefined;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * The stored response of an Idempotency-Key (the table and the protocol are the HTTP layer's:
 * server/idempotency.ts). It is here, in the kernel, so a hot-path statement can store its request's response
 * in the SAME statement as the write (the certificate transfer): the write and the record of its answer then
 * commit together — no separate round trip, and no moment at which the write is done but a retry with the key
 * would not find the answer.
 */
import { sql, type SQL } from 'drizzle-orm';

/** The key a request claimed before its handler ran (`ctx.idempotency`). */
export interface IdempotencyClaim {
  scope: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
  /** Set by a service whose statement stored the response itself; the HTTP layer then stores nothing. */
  stored?: boolean;
}

/**
 * One stored response per row of `from` (an SQL FROM item), each field an SQL expression over it; rows whose
 * `scope` is null (requests without a key) are skipped. An upsert on the primary key: the claimed row is found
 * by an index probe, never by a join the planner might turn into a scan of the table.
 */
export function storeResponsesSql(
  from: SQL,
  r: { scope: SQL; key: SQL; method: SQL; path: SQL; requestHash: SQL; status: SQL; body: SQL; contentType: SQL },
): SQL {
  return sql`insert into idempotency_keys as i (scope, key, method, path, request_hash, state, response_status, response_body, response_content_type, completed_at)
      select ${r.scope}, ${r.key}, ${r.method}, ${r.path}, ${r.requestHash}, 'completed', ${r.status}, ${r.body}, ${r.contentType}, now()
        from ${from}
       where ${r.scope} is not null
      on conflict (scope, key) do update
         set state = 'completed', response_status = excluded.response_status, response_body = excluded.response_body,
             response_content_type = excluded.response_content_type, completed_at = excluded.completed_at`;
}

/**
 * The certificate transfer (转让 / 拆分) as ONE statement for a batch of requests — the hot path's statement, which
 * service.ts `transferPiece` group-commits (kernel/batch.ts): concurrent requests' rows go out together.
 *
 * Its checks are specified by the pure model beside it (transfer-model.ts, `transferVerdict`): the same verdicts,
 * key_taken, not_found, not_live, cert_state, matured, not_supplier, invalid_amount, exceeds, approval, ok, tested in
 * the same order; tests/integration/certificate-transfer-sql.test.ts runs this statement over generated pieces,
 * certificates, supplier links, keys and amounts and compares every row's verdict with the model's.
 */
import { sql } from 'drizzle-orm';
import { jsonRowsStatement, type Executor } from '../../kernel/db';
import { type keyOfRow, keyRecordedSql, recordResultsSql } from '../../kernel/idempotency';
import { amountMinorSql, amountValidSql } from '../../kernel/money-sql';
import { auditRowsSql } from '../audit';
import { businessDateSql } from '../calendar';
import { assertCallersSql } from '../identity';
import { activeSupplierCondition } from '../parties';
import { dualControlThresholdSql, notifyRowsSql } from '../workflow';
import type { CertificateStatus } from './lifecycle';
import type { TransferVerdict } from './transfer-model';

/** One requested transfer as the statement reads it (a json row; `i` numbers the rows of the batch). */
export interface TransferStatementRow {
  i: number;
  pieceId: string;
  toOrgId: string;
  /** As the request gives it, in major units of the certificate's currency. */
  amount: string;
  /** The ids the transfer creates: its event, the receiver's piece, the holder's remainder, the receiver's notice. */
  eventId: string;
  childId: string;
  remainderId: string;
  noticeId: string;
  /** Who asks: the caller's organisation and user, for the holder check and the audit entry. */
  orgId: string;
  userId: string;
  username: string;
  requestId: string;
  ip: string | null;
  /** The request's Idempotency-Key (kernel `keyOfRow`): a key recorded already is key_taken; else it is recorded with the row's result. */
  idempotency: ReturnType<typeof keyOfRow>;
  /** The caller taken from the instance's memory, checked again by the statement (identity/callers.ts); null: looked up now. */
  callerKind: string | null;
  callerHash: string | null;
  roles: string;
  /** The checker who approved a transfer above the holder's dual-control threshold; null: the threshold applies. */
  approvedBy: string | null;
}

/** What the statement found for a row: the verdict (transfer-model.ts), what the answer needs, and what it wrote. */
export interface TransferResult {
  i: number;
  verdict: TransferVerdict;
  certificate_id: string | null;
  currency: string | null;
  cert_status: CertificateStatus | null;
  held_minor: bigint | null;
  /** The piece was consumed by this statement (false for an ok row whose piece another operation took meanwhile). */
  consumed: boolean;
  /** Part of the piece stays with the holder (a remainder was made). */
  split: boolean | null;
  /** The receiver's piece and the holder's remainder, as the request named them (a replay's answer names the first's). */
  child_id: string;
  remainder_id: string;
  cert_no: string | null;
  /** The holder's dual-control threshold for transfers in the certificate's currency (null: none). */
  threshold_minor: bigint | null;
}

/**
 * The transfers of concurrent requests, as one statement: for each requested row it checks the piece, its
 * certificate, the business date and the supplier link and reads the amount in the certificate's currency;
 * then it consumes the pieces by ONE conditional update (live and at the version just read). The events, the
 * children, the receivers' notices and the audit entries are inserted from that update's RETURNING, so they
 * exist only for the pieces this statement consumed. A piece appears at most once per statement (the group
 * commit's `key`). Of two concurrent transfers of one piece (two statements, maybe two instances) the update of
 * exactly one matches; the other re-checks the committed row (READ COMMITTED), matches nothing, writes nothing
 * for it and answers CERT_PIECE_NOT_LIVE. Two statements that lock pieces in opposite orders can deadlock; the
 * one PostgreSQL aborts wrote nothing and runs again.
 */
export const transferStatement: (db: Executor, rows: TransferStatementRow[]) => Promise<TransferResult[]> =
  jsonRowsStatement<TransferResult>(
    'certificate_transfer',
    (rows) => sql`with
      d as (select ${businessDateSql()} as today),
      r as (select r.i, r."pieceId" as piece_id, r."toOrgId" as to_org, r.amount, r."eventId" as event_id, r."childId" as child_id, r."remainderId" as remainder_id,
                   r."noticeId" as notice_id, r."orgId" as org_id, r."userId" as user_id, r.username, r."requestId" as request_id, r.ip, r.idempotency,
                   r."callerKind" as caller_kind, r."callerHash" as caller_hash, r.roles, r."approvedBy" as approved_by
              from json_to_recordset(${rows}) as r(i int, "pieceId" uuid, "toOrgId" uuid, amount text, "eventId" uuid, "childId" uuid, "remainderId" uuid,
                                                   "noticeId" uuid, "orgId" uuid, "userId" uuid, username text, "requestId" text, ip text, idempotency json,
                                                   "callerKind" text, "callerHash" text, roles text, "approvedBy" uuid)),
      -- the callers taken from the instance's memory are checked again first (identity/callers.ts)
      caller as (select ${assertCallersSql(
        sql`(select array_agg(r.caller_kind order by r.i) from r)`,
        sql`(select array_agg(r.caller_hash order by r.i) from r)`,
        sql`(select array_agg(r.user_id order by r.i) from r)`,
        sql`(select array_agg(r.roles order by r.i) from r)`,
      )} as ok),
      checked as (
        select k.*,
          case
            when k.idempotency is not null and ${keyRecordedSql(sql`k.idempotency->>'scope'`, sql`k.idempotency->>'key'`)} then 'key_taken'
            when k.id is null or k.holder_org_id <> k.org_id then 'not_found'
            when k.status <> 'live' then 'not_live'
            when k.cert_status <> 'accepted' then 'cert_state'
            when (select today from d) >= k.maturity_date then 'matured'
            when not ${activeSupplierCondition(sql`k.holder_org_id`, sql`k.to_org`)} then 'not_supplier'
            when not ${amountValidSql(sql`k.amount`, sql`k.currency`)} then 'invalid_amount'
            when k.moved_minor > k.held_minor then 'exceeds'
            -- above the holder's threshold (none by default: null compares to nothing) a checker must approve first
            when k.approved_by is null and k.moved_minor > k.threshold_minor then 'approval'
            else 'ok' end as verdict
        from (
          select r.*, p.id, p.status, p.holder_org_id, p.version, p.tier, p.amount_minor as held_minor, c.id as certificate_id, c.cert_no, c.currency,
                 c.status as cert_status, c.maturity_date, ${amountMinorSql(sql`r.amount`, sql`c.currency`)} as moved_minor,
                 -- one probe of the holder's rule (workflow's dual control), in this statement: no round trip
                 ${dualControlThresholdSql(sql`r.org_id`, 'certificate.transfer', sql`c.currency`)} as threshold_minor
            from r
            -- lateral … limit 1: one index lookup per row, whatever the planner thinks json_to_recordset returns
            left join lateral (select * from certificate_pieces p where p.id = r.piece_id limit 1) p on true
            left join lateral (select * from certificates c where c.id = p.certificate_id limit 1) c on true) k),
      consumed as (
        update certificate_pieces t set status = 'consumed', version = t.version + 1
          from checked k
         where k.verdict = 'ok' and t.id = k.id and t.status = 'live' and t.version = k.version
        returning k.i, k.id, k.certificate_id, k.cert_no, k.currency, k.holder_org_id, k.held_minor, k.moved_minor::bigint as moved_minor, k.tier, k.to_org, k.amount,
                  k.event_id, k.child_id, k.remainder_id, k.notice_id, k.org_id, k.user_id, k.username, k.request_id, k.ip, k.idempotency,
                  k.approved_by),
      ev as (
        insert into certificate_events (id, certificate_id, kind, from_org_id, to_org_id, piece_id, amount_minor, business_date, user_id)
        select x.event_id, x.certificate_id, case when x.moved_minor = x.held_minor then 'transfer' else 'split' end, x.holder_org_id,
               x.to_org, x.id, x.moved_minor, (select today from d), x.user_id
          from consumed x),
      children as (
        insert into certificate_pieces (id, certificate_id, parent_id, holder_org_id, amount_minor, status, origin, tier, event_id)
        select x.child_id, x.certificate_id, x.id, x.to_org, x.moved_minor, 'live', 'transfer', x.tier + 1, x.event_id from consumed x
        union all
        select x.remainder_id, x.certificate_id, x.id, x.holder_org_id, x.held_minor - x.moved_minor, 'live', 'remainder', x.tier, x.event_id
          from consumed x where x.held_minor > x.moved_minor),
      n as (${notifyRowsSql(sql`consumed x`, {
        id: sql`x.notice_id`,
        orgId: sql`x.to_org`,
        kind: 'certificate_received',
        params: sql`json_build_object('certNo', x.cert_no, 'amount', json_build_object('amount', x.amount, 'currency', x.currency))`,
        subject: { type: 'certificate', id: sql`x.certificate_id` },
      })}),
      a as (${auditRowsSql(sql`consumed x`, {
        orgId: sql`x.org_id`,
        userId: sql`x.user_id`,
        username: sql`x.username`,
        action: 'certificate.transfer',
        objectType: 'certificate_piece',
        objectId: sql`x.id::text`,
        subjectOrgId: sql`x.to_org`,
        after: sql`json_build_object('to', x.to_org, 'amount', x.amount, 'child', x.child_id, 'remainder', case when x.held_minor > x.moved_minor then x.remainder_id end,
                                     'approvedBy', x.approved_by)`,
        requestId: sql`x.request_id`,
        ip: sql`x.ip`,
      })}),
      out as (
        select k.i, k.verdict, k.certificate_id, k.currency, k.cert_status, k.held_minor, x.id is not null as consumed, x.held_minor > x.moved_minor as split,
               k.cert_no, k.threshold_minor, k.child_id, k.remainder_id, k.idempotency
          from checked k left join consumed x on x.i = k.i where (select ok from caller)),
      -- each request's key with its row's result, but for a key found recorded and a transfer that waits for a checker
      -- (its answer is stored with its request for the checker): the service's recordedResult
      keys as (${recordResultsSql(
        sql`out o`,
        sql`o.idempotency`,
        sql`jsonb_build_object('i', o.i, 'verdict', o.verdict, 'certificate_id', o.certificate_id, 'currency', o.currency, 'cert_status', o.cert_status,
                               'held_minor', o.held_minor::text, 'consumed', o.consumed, 'split', o.split, 'cert_no', o.cert_no,
                               'threshold_minor', o.threshold_minor::text, 'child_id', o.child_id, 'remainder_id', o.remainder_id)`,
        sql`o.verdict not in ('key_taken', 'approval')`,
      )})
    select o.i, o.verdict, o.certificate_id, o.currency, o.cert_status, o.held_minor, o.consumed, o.split, o.cert_no, o.threshold_minor, o.child_id, o.remainder_id
      from out o`,
  );

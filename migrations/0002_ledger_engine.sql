-- Accounts are updated in place on every transfer: leave room on each page for HOT updates.
ALTER TABLE ledger_accounts SET (fillfactor = 70);
--> statement-breakpoint

-- The ledger engine: TigerBeetle's transfer semantics as PL/pgSQL, so a whole batch runs in ONE statement
-- (one round trip, row locks held only while the database works, never while the application waits).
--
-- ledger_create_transfers(batch jsonb, business_date, created_by, request_id) → (idx, id, result)
--   batch: array of { id, debit_account_id, credit_account_id, amount, kind, pending_id, ledger, code,
--                     linked, timeout_seconds, ref_type, ref_id }   (amount: minor units as a string)
--   kind: posted | pending | post_pending | void_pending
--   result per transfer: ok | exists | exists_with_different_fields | id_already_failed | a failure code.
--
-- Order of work: lock every account the batch can touch, in id order (no deadlocks between batches); if the
-- batch is plain posted transfers that all pass, apply it set-based (one INSERT, one UPDATE); otherwise apply
-- the transfers one by one in order, each linked chain inside a subtransaction so it succeeds or fails whole.
-- The CHECK constraints on ledger_accounts remain the last line of defence.

-- Compares a transfer that reuses an id with the transfer stored under it: exists | exists_with_different_fields.
CREATE OR REPLACE FUNCTION ledger_existing_result(
  existing ledger_transfers, p_debit uuid, p_credit uuid, p_amount bigint, p_kind text, p_pending_id uuid,
  p_ledger integer, p_code integer, p_ref_type text, p_ref_id text
) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF existing.kind = coalesce(p_kind, 'posted') AND existing.code = p_code AND existing.ledger = p_ledger
     AND existing.pending_id IS NOT DISTINCT FROM p_pending_id
     AND (p_debit IS NULL OR existing.debit_account_id = p_debit)
     AND (p_credit IS NULL OR existing.credit_account_id = p_credit)
     AND (p_amount IS NULL OR existing.amount_minor = p_amount OR (existing.kind IN ('post_pending','void_pending') AND p_amount = 0))
     AND existing.ref_type IS NOT DISTINCT FROM p_ref_type AND existing.ref_id IS NOT DISTINCT FROM p_ref_id THEN
    RETURN 'exists';
  END IF;
  RETURN 'exists_with_different_fields';
END;
$$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION ledger_apply_transfer(
  p_id uuid, p_debit uuid, p_credit uuid, p_amount bigint, p_kind text, p_pending_id uuid, p_ledger integer,
  p_code integer, p_linked boolean, p_timeout integer, p_ref_type text, p_ref_id text,
  p_business_date date, p_created_by uuid, p_request_id text
) RETURNS text LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  existing ledger_transfers%ROWTYPE;
  da ledger_accounts%ROWTYPE;
  ca ledger_accounts%ROWTYPE;
  hold ledger_pending%ROWTYPE;
  amount bigint;
  hold_ledger integer;
BEGIN
  IF p_id IS NULL THEN RETURN 'id_must_not_be_null'; END IF;
  SELECT * INTO existing FROM ledger_transfers WHERE id = p_id;
  IF FOUND THEN
    RETURN ledger_existing_result(existing, p_debit, p_credit, p_amount, p_kind, p_pending_id, p_ledger, p_code, p_ref_type, p_ref_id);
  END IF;
  IF EXISTS (SELECT 1 FROM ledger_failed_transfers WHERE id = p_id) THEN RETURN 'id_already_failed'; END IF;
  IF p_kind NOT IN ('posted','pending','post_pending','void_pending') THEN RETURN 'kind_invalid'; END IF;
  IF p_code IS NULL OR p_code <= 0 THEN RETURN 'code_must_not_be_zero'; END IF;

  IF p_kind IN ('posted','pending') THEN
    IF p_pending_id IS NOT NULL THEN RETURN 'pending_id_must_be_null'; END IF;
    IF p_amount IS NULL OR p_amount <= 0 THEN RETURN 'amount_must_not_be_zero'; END IF;
    IF p_debit IS NULL OR p_credit IS NULL THEN RETURN 'accounts_must_not_be_null'; END IF;
    IF p_debit = p_credit THEN RETURN 'accounts_must_be_different'; END IF;
    IF p_timeout IS NOT NULL AND p_timeout <> 0 AND p_kind <> 'pending' THEN RETURN 'timeout_reserved_for_pending_transfer'; END IF;
    SELECT * INTO da FROM ledger_accounts WHERE id = p_debit;
    IF NOT FOUND THEN RETURN 'debit_account_not_found'; END IF;
    SELECT * INTO ca FROM ledger_accounts WHERE id = p_credit;
    IF NOT FOUND THEN RETURN 'credit_account_not_found'; END IF;
    IF da.ledger <> ca.ledger THEN RETURN 'accounts_must_have_the_same_ledger'; END IF;
    IF p_ledger IS DISTINCT FROM da.ledger THEN RETURN 'transfer_must_have_the_same_ledger_as_accounts'; END IF;
    IF da.closed THEN RETURN 'debit_account_already_closed'; END IF;
    IF ca.closed THEN RETURN 'credit_account_already_closed'; END IF;
    IF da.debits_must_not_exceed_credits AND da.debits_pending + da.debits_posted + p_amount > da.credits_posted THEN
      RETURN 'exceeds_credits';
    END IF;
    IF ca.credits_must_not_exceed_debits AND ca.credits_pending + ca.credits_posted + p_amount > ca.debits_posted THEN
      RETURN 'exceeds_debits';
    END IF;
    INSERT INTO ledger_transfers (id, debit_account_id, credit_account_id, amount_minor, kind, ledger, code, linked,
                                  timeout_seconds, ref_type, ref_id, business_date, created_by, request_id)
    VALUES (p_id, p_debit, p_credit, p_amount, p_kind, p_ledger, p_code, coalesce(p_linked, false),
            coalesce(p_timeout, 0), p_ref_type, p_ref_id, p_business_date, p_created_by, p_request_id)
    ON CONFLICT (id) DO NOTHING;
    IF NOT FOUND THEN
      -- A concurrent transaction created this id after the look-up above (its accounts differ from ours, so
      -- no lock ordered us): answer as if it had come first. ON CONFLICT instead of a unique violation, so a
      -- caller's enclosing transaction is not aborted.
      SELECT * INTO existing FROM ledger_transfers WHERE id = p_id;
      RETURN ledger_existing_result(existing, p_debit, p_credit, p_amount, p_kind, p_pending_id, p_ledger, p_code, p_ref_type, p_ref_id);
    END IF;
    IF p_kind = 'posted' THEN
      UPDATE ledger_accounts SET debits_posted = debits_posted + p_amount WHERE id = p_debit;
      UPDATE ledger_accounts SET credits_posted = credits_posted + p_amount WHERE id = p_credit;
    ELSE
      UPDATE ledger_accounts SET debits_pending = debits_pending + p_amount WHERE id = p_debit;
      UPDATE ledger_accounts SET credits_pending = credits_pending + p_amount WHERE id = p_credit;
      INSERT INTO ledger_pending (transfer_id, debit_account_id, credit_account_id, amount_minor, expires_at)
      VALUES (p_id, p_debit, p_credit, p_amount,
              CASE WHEN coalesce(p_timeout, 0) > 0 THEN now() + make_interval(secs => p_timeout) END);
    END IF;
    RETURN 'ok';
  END IF;

  -- post_pending / void_pending: resolve a hold
  IF p_pending_id IS NULL THEN RETURN 'pending_id_must_not_be_null'; END IF;
  IF p_pending_id = p_id THEN RETURN 'pending_id_must_be_different'; END IF;
  SELECT * INTO hold FROM ledger_pending WHERE transfer_id = p_pending_id FOR UPDATE;
  IF NOT FOUND THEN
    IF EXISTS (SELECT 1 FROM ledger_transfers WHERE id = p_pending_id) THEN RETURN 'pending_transfer_not_pending'; END IF;
    RETURN 'pending_transfer_not_found';
  END IF;
  IF hold.state = 'posted' THEN RETURN 'pending_transfer_already_posted'; END IF;
  IF hold.state = 'voided' THEN RETURN 'pending_transfer_already_voided'; END IF;
  IF hold.state = 'expired' THEN RETURN 'pending_transfer_expired'; END IF;
  IF hold.expires_at IS NOT NULL AND hold.expires_at <= now() THEN
    PERFORM ledger_release_hold(hold, 'expired', NULL, p_business_date);
    RETURN 'pending_transfer_expired';
  END IF;
  IF p_debit IS NOT NULL AND p_debit <> hold.debit_account_id THEN RETURN 'pending_transfer_has_different_debit_account_id'; END IF;
  IF p_credit IS NOT NULL AND p_credit <> hold.credit_account_id THEN RETURN 'pending_transfer_has_different_credit_account_id'; END IF;
  SELECT ledger INTO hold_ledger FROM ledger_accounts WHERE id = hold.debit_account_id;
  IF p_ledger IS DISTINCT FROM hold_ledger THEN RETURN 'pending_transfer_has_different_ledger'; END IF;
  IF p_kind = 'void_pending' THEN
    IF p_amount IS NOT NULL AND p_amount <> 0 AND p_amount <> hold.amount_minor THEN RETURN 'pending_transfer_has_different_amount'; END IF;
    amount := hold.amount_minor;
  ELSE
    amount := CASE WHEN p_amount IS NULL OR p_amount = 0 THEN hold.amount_minor ELSE p_amount END;
    IF amount < 0 THEN RETURN 'amount_must_not_be_negative'; END IF;
    IF amount > hold.amount_minor THEN RETURN 'exceeds_pending_transfer_amount'; END IF;
  END IF;
  INSERT INTO ledger_transfers (id, debit_account_id, credit_account_id, amount_minor, kind, pending_id, ledger, code, linked,
                                ref_type, ref_id, business_date, created_by, request_id)
  VALUES (p_id, hold.debit_account_id, hold.credit_account_id, amount, p_kind, p_pending_id, p_ledger, p_code,
          coalesce(p_linked, false), p_ref_type, p_ref_id, p_business_date, p_created_by, p_request_id)
  ON CONFLICT (id) DO NOTHING;
  IF NOT FOUND THEN
    -- A concurrent transaction created this id after the look-up above (its accounts differ from ours, so
    -- no lock ordered us): answer as if it had come first. ON CONFLICT instead of a unique violation, so a
    -- caller's enclosing transaction is not aborted.
    SELECT * INTO existing FROM ledger_transfers WHERE id = p_id;
    RETURN ledger_existing_result(existing, p_debit, p_credit, p_amount, p_kind, p_pending_id, p_ledger, p_code, p_ref_type, p_ref_id);
  END IF;
  IF p_kind = 'post_pending' THEN
    -- a partial post releases the rest of the hold
    UPDATE ledger_accounts SET debits_pending = debits_pending - hold.amount_minor, debits_posted = debits_posted + amount
     WHERE id = hold.debit_account_id;
    UPDATE ledger_accounts SET credits_pending = credits_pending - hold.amount_minor, credits_posted = credits_posted + amount
     WHERE id = hold.credit_account_id;
    UPDATE ledger_pending SET state = 'posted', resolved_by = p_id, resolved_at = now(), resolved_business_date = p_business_date
     WHERE transfer_id = hold.transfer_id;
  ELSE
    PERFORM ledger_release_hold(hold, 'voided', p_id, p_business_date);
  END IF;
  RETURN 'ok';
END;
$$;
--> statement-breakpoint

-- Releases an open hold (void or expiry): the pending amounts leave both accounts.
CREATE OR REPLACE FUNCTION ledger_release_hold(hold ledger_pending, p_state text, p_resolved_by uuid, p_business_date date)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ledger_accounts SET debits_pending = debits_pending - hold.amount_minor WHERE id = hold.debit_account_id;
  UPDATE ledger_accounts SET credits_pending = credits_pending - hold.amount_minor WHERE id = hold.credit_account_id;
  UPDATE ledger_pending SET state = p_state, resolved_by = p_resolved_by, resolved_at = now(), resolved_business_date = p_business_date
   WHERE transfer_id = hold.transfer_id;
END;
$$;
--> statement-breakpoint

-- The engine proper takes the batch as parallel arrays (the application binds them as parameters: the fastest
-- way into PostgreSQL); ledger_create_transfers(jsonb, …) below is the same for SQL that composes a batch.
CREATE OR REPLACE FUNCTION ledger_create_transfers_arrays(
  t_ids uuid[], t_debits uuid[], t_credits uuid[], t_amounts bigint[], t_kinds text[], t_pendings uuid[],
  t_ledgers integer[], t_codes integer[], t_linked boolean[], t_timeouts integer[], t_ref_types text[], t_ref_ids text[],
  p_business_date date, p_created_by uuid, p_request_id text
) RETURNS TABLE (idx integer, id uuid, result text) LANGUAGE plpgsql
-- Generic plans: the statements are index lookups whatever the arrays hold; re-planning every statement on every
-- call (what custom plans do) cost more CPU than the transfers themselves.
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  n integer := coalesce(cardinality(t_ids), 0);
  results text[];
  fast boolean;
  chain_start integer := 1;
  failed_at integer;
  i integer;
  j integer;
  r text;
  hold ledger_pending%ROWTYPE;
  resolves_holds boolean;
BEGIN
  IF n = 0 THEN RETURN; END IF;
  IF n > 8190 THEN RAISE EXCEPTION 'a batch holds at most 8190 transfers' USING ERRCODE = '22023'; END IF;
  IF cardinality(t_debits) <> n OR cardinality(t_credits) <> n OR cardinality(t_amounts) <> n OR cardinality(t_kinds) <> n
     OR cardinality(t_pendings) <> n OR cardinality(t_ledgers) <> n OR cardinality(t_codes) <> n OR cardinality(t_linked) <> n
     OR cardinality(t_timeouts) <> n OR cardinality(t_ref_types) <> n OR cardinality(t_ref_ids) <> n THEN
    RAISE EXCEPTION 'batch arrays differ in length' USING ERRCODE = '22023';
  END IF;

  resolves_holds := EXISTS (SELECT 1 FROM unnest(t_pendings) u WHERE u IS NOT NULL);

  -- 1. lock every account the batch may touch, in id order
  IF resolves_holds THEN
    PERFORM 1 FROM ledger_accounts a
     WHERE a.id = ANY (t_debits || t_credits || coalesce(
             (SELECT array_agg(p.debit_account_id) || array_agg(p.credit_account_id) FROM ledger_pending p WHERE p.transfer_id = ANY (t_pendings)),
             '{}'::uuid[]))
     ORDER BY a.id FOR UPDATE;

    -- 1b. holds the batch refers to whose timeout has passed expire now, before any transfer runs: the expiry
    --     stands even when the post or void that found the hold is rolled back with a failed linked chain.
    FOR hold IN
      SELECT * FROM ledger_pending p
       WHERE p.transfer_id = ANY (t_pendings) AND p.state = 'pending' AND p.expires_at <= now()
       ORDER BY p.transfer_id FOR UPDATE
    LOOP
      PERFORM ledger_release_hold(hold, 'expired', NULL, p_business_date);
    END LOOP;
  ELSE
    PERFORM 1 FROM ledger_accounts a WHERE a.id = ANY (t_debits || t_credits) ORDER BY a.id FOR UPDATE;
  END IF;

  -- 2. fast path (worth it from a few dozen transfers on; small batches go one by one, which is cheaper):
  --    plain posted, unlinked, new, distinct ids, valid, and no balance rule breached at any step
  fast := n >= 16;
  IF fast THEN fast := NOT ('pending' = ANY (t_kinds) OR 'post_pending' = ANY (t_kinds) OR 'void_pending' = ANY (t_kinds)
               OR true = ANY (t_linked) OR array_position(t_ids, NULL) IS NOT NULL)
      AND (SELECT count(DISTINCT u) FROM unnest(t_ids) u) = n
      AND NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.id = ANY (t_ids))
      AND NOT EXISTS (SELECT 1 FROM ledger_failed_transfers f WHERE f.id = ANY (t_ids));
  END IF;
  IF fast THEN
    WITH b AS (
      SELECT * FROM unnest(t_debits, t_credits, t_amounts, t_ledgers, t_codes, t_timeouts, t_pendings)
               WITH ORDINALITY AS b(d, c, amt, ledger, code, timeout, pending_id, ord)
    ), moves AS (
      SELECT b.ord, b.d AS account, b.amt AS dr, 0::bigint AS cr FROM b
      UNION ALL SELECT b.ord, b.c, 0::bigint, b.amt FROM b
    ), running AS (
      SELECT m.account, sum(m.dr) OVER w AS dr, sum(m.cr) OVER w AS cr
        FROM moves m WINDOW w AS (PARTITION BY m.account ORDER BY m.ord)
    )
    SELECT NOT EXISTS (
        SELECT 1 FROM b LEFT JOIN ledger_accounts da ON da.id = b.d LEFT JOIN ledger_accounts ca ON ca.id = b.c
         WHERE b.timeout <> 0 OR b.pending_id IS NOT NULL OR b.amt IS NULL OR b.amt <= 0 OR b.d IS NULL OR b.c IS NULL
            OR b.d = b.c OR b.code IS NULL OR b.code <= 0 OR da.id IS NULL OR ca.id IS NULL OR da.ledger <> ca.ledger
            OR b.ledger IS DISTINCT FROM da.ledger OR da.closed OR ca.closed)
      AND NOT EXISTS (
        SELECT 1 FROM running rr JOIN ledger_accounts a ON a.id = rr.account
         WHERE (a.debits_must_not_exceed_credits AND a.debits_pending + a.debits_posted + rr.dr > a.credits_posted + rr.cr)
            OR (a.credits_must_not_exceed_debits AND a.credits_pending + a.credits_posted + rr.cr > a.debits_posted + rr.dr))
    INTO fast;
  END IF;

  IF fast THEN
    -- A concurrent transaction may have created one of these ids since the check above (on accounts we did
    -- not lock): then undo the set-based attempt and go one by one, which answers exists… for that id.
    BEGIN
    WITH b AS (
      SELECT * FROM unnest(t_ids, t_debits, t_credits, t_amounts, t_ledgers, t_codes, t_ref_types, t_ref_ids)
               WITH ORDINALITY AS b(tid, d, c, amt, ledger, code, ref_type, ref_id, ord)
    ), inserted AS (  -- data-modifying CTEs always run to completion
      INSERT INTO ledger_transfers (id, debit_account_id, credit_account_id, amount_minor, kind, ledger, code,
                                    ref_type, ref_id, business_date, created_by, request_id)
      SELECT b.tid, b.d, b.c, b.amt, 'posted', b.ledger, b.code, b.ref_type, b.ref_id, p_business_date, p_created_by, p_request_id
        FROM b ORDER BY b.ord
    ), deltas AS (
      SELECT m.account, sum(m.dr) AS dr, sum(m.cr) AS cr FROM (
        SELECT b.d AS account, b.amt AS dr, 0::bigint AS cr FROM b UNION ALL SELECT b.c, 0::bigint, b.amt FROM b) m
       GROUP BY m.account
    )
    UPDATE ledger_accounts a SET debits_posted = a.debits_posted + deltas.dr, credits_posted = a.credits_posted + deltas.cr
      FROM deltas WHERE a.id = deltas.account;
    EXCEPTION WHEN unique_violation THEN
      fast := false;
    END;
    IF fast THEN
      RETURN QUERY SELECT g::integer, t_ids[g], 'ok'::text FROM generate_series(1, n) g;
      RETURN;
    END IF;
  END IF;

  -- 3. one by one, in order; a linked chain runs in a subtransaction and fails as a whole
  results := array_fill(NULL::text, ARRAY[n]);
  i := 1;
  WHILE i <= n LOOP
    chain_start := i;
    WHILE i < n AND t_linked[i] LOOP
      i := i + 1;
    END LOOP;
    -- transfers chain_start..i form one chain (i is the first unlinked one, or the last of the batch). A chain
    -- still open at the end of the batch fails (TigerBeetle): its last transfer answers linked_event_chain_open,
    -- the first failure before it keeps its own result, the others answer linked_event_failed.
    IF t_linked[i] AND chain_start = i THEN
      results[i] := 'linked_event_chain_open';
    ELSIF chain_start = i THEN
      results[i] := ledger_apply_transfer(t_ids[i], t_debits[i], t_credits[i], t_amounts[i], t_kinds[i], t_pendings[i],
        t_ledgers[i], t_codes[i], false, t_timeouts[i], t_ref_types[i], t_ref_ids[i], p_business_date, p_created_by, p_request_id);
    ELSE
      failed_at := NULL;
      BEGIN
        FOR j IN chain_start..i LOOP
          IF j = i AND t_linked[i] THEN
            r := 'linked_event_chain_open';
          ELSE
            r := ledger_apply_transfer(t_ids[j], t_debits[j], t_credits[j], t_amounts[j], t_kinds[j], t_pendings[j],
              t_ledgers[j], t_codes[j], j < i, t_timeouts[j], t_ref_types[j], t_ref_ids[j], p_business_date, p_created_by, p_request_id);
          END IF;
          results[j] := r;
          IF r NOT IN ('ok', 'exists') THEN
            failed_at := j;
            RAISE EXCEPTION 'linked chain failed' USING ERRCODE = 'P0100';
          END IF;
        END LOOP;
      EXCEPTION WHEN SQLSTATE 'P0100' THEN
        FOR j IN chain_start..i LOOP
          IF j = i AND t_linked[i] THEN results[j] := 'linked_event_chain_open';
          ELSIF j <> failed_at THEN results[j] := 'linked_event_failed';
          END IF;
        END LOOP;
      END;
    END IF;
    i := i + 1;
  END LOOP;

  -- a failed id stays failed (but an id that merely already exists is not a failure)
  IF EXISTS (SELECT 1 FROM unnest(results) x WHERE x NOT IN ('ok', 'exists')) THEN
  INSERT INTO ledger_failed_transfers (id, result)
  SELECT t_ids[g], results[g] FROM generate_series(1, n) g
   WHERE t_ids[g] IS NOT NULL AND results[g] NOT IN ('ok', 'exists', 'exists_with_different_fields', 'id_already_failed')
  ON CONFLICT DO NOTHING;
  END IF;
  RETURN QUERY SELECT g::integer, t_ids[g], results[g] FROM generate_series(1, n) g;
END;
$$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION ledger_create_transfers(p_batch jsonb, p_business_date date, p_created_by uuid, p_request_id text)
RETURNS TABLE (idx integer, id uuid, result text) LANGUAGE plpgsql AS $$
DECLARE
  t_ids uuid[]; t_debits uuid[]; t_credits uuid[]; t_amounts bigint[]; t_kinds text[]; t_pendings uuid[];
  t_ledgers integer[]; t_codes integer[]; t_linked boolean[]; t_timeouts integer[]; t_ref_types text[]; t_ref_ids text[];
BEGIN
  IF coalesce(jsonb_array_length(p_batch), 0) = 0 THEN RETURN; END IF;
  -- jsonb_to_recordset yields the elements in array order, and a plain aggregate over it keeps that order
  SELECT array_agg(b.id), array_agg(b.debit_account_id), array_agg(b.credit_account_id), array_agg(b.amount),
         array_agg(coalesce(b.kind, 'posted')), array_agg(b.pending_id), array_agg(b.ledger), array_agg(b.code),
         array_agg(coalesce(b.linked, false)), array_agg(coalesce(b.timeout_seconds, 0)), array_agg(b.ref_type), array_agg(b.ref_id)
    INTO t_ids, t_debits, t_credits, t_amounts, t_kinds, t_pendings, t_ledgers, t_codes, t_linked, t_timeouts, t_ref_types, t_ref_ids
    FROM jsonb_to_recordset(p_batch) AS b(id uuid, debit_account_id uuid, credit_account_id uuid, amount bigint, kind text,
         pending_id uuid, ledger integer, code integer, linked boolean, timeout_seconds integer, ref_type text, ref_id text);
  RETURN QUERY SELECT * FROM ledger_create_transfers_arrays(t_ids, t_debits, t_credits, t_amounts, t_kinds, t_pendings,
    t_ledgers, t_codes, t_linked, t_timeouts, t_ref_types, t_ref_ids, p_business_date, p_created_by, p_request_id);
END;
$$;
--> statement-breakpoint

-- Expires holds whose timeout has passed (run by the housekeeping job; post/void also expire lazily).
-- Locks accounts before holds, in id order, like ledger_create_transfers: the two never deadlock.
-- p_business_date: the date the expiries are booked on (default: the platform's business date).
CREATE OR REPLACE FUNCTION ledger_expire_pending(p_limit integer, p_business_date date DEFAULT NULL) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  due uuid[];
  hold ledger_pending%ROWTYPE;
  n integer := 0;
  on_date date := coalesce(p_business_date, (SELECT c."current_date" FROM business_calendar c WHERE c.id = 1),
                           (now() AT TIME ZONE 'Asia/Shanghai')::date);
BEGIN
  SELECT array_agg(p.transfer_id) INTO due FROM (
    SELECT transfer_id FROM ledger_pending WHERE state = 'pending' AND expires_at IS NOT NULL AND expires_at <= now()
     ORDER BY expires_at LIMIT p_limit) p;
  IF due IS NULL THEN RETURN 0; END IF;
  PERFORM 1 FROM ledger_accounts a WHERE a.id IN (
      SELECT debit_account_id FROM ledger_pending WHERE transfer_id = ANY (due)
      UNION SELECT credit_account_id FROM ledger_pending WHERE transfer_id = ANY (due))
    ORDER BY a.id FOR UPDATE;
  FOR hold IN
    SELECT * FROM ledger_pending WHERE transfer_id = ANY (due) AND state = 'pending' AND expires_at <= now()
     ORDER BY transfer_id FOR UPDATE
  LOOP
    PERFORM ledger_release_hold(hold, 'expired', NULL, on_date);
    n := n + 1;
  END LOOP;
  RETURN n;
END;
$$;

-- The ledger engine, again (0002 specified it; ledger/model.ts still does): same results, same order of work,
-- faster, and with who and which request per transfer, so transfers of several requests can share one statement
-- (group commit of single transfers, ledger/transfers.ts).
--
-- Why it changed (bench/ledger.ts, batches of 1,000 plain transfers over 10,000 accounts):
--  * every statement in the engine looks rows up by key, but its plans are generic and cached per session: a plan
--    made while a table was small scanned the table (the check for ids already used read all of ledger_transfers,
--    65 ms at 24,000 rows, growing with every batch). The engine functions now run with enable_seqscan = off;
--  * the fast (set-based) path looked every account up four times (lock, validation, balance rules, update). Now
--    it locks once in id order, reading which accounts carry a balance rule; it runs the running-balance check only
--    over those; it inserts with ON CONFLICT DO NOTHING and updates the balances on condition of ledger and open
--    account, and a count that does not add up (an id that exists, an account missing, closed or of another
--    ledger) rolls the attempt back and sends the batch one by one, which answers each transfer precisely.

ALTER FUNCTION ledger_apply_transfer(uuid, uuid, uuid, bigint, text, uuid, integer, integer, boolean, integer, text, text, date, uuid, text)
  SET enable_seqscan = off;
--> statement-breakpoint

ALTER FUNCTION ledger_release_hold(ledger_pending, text, uuid, date) SET enable_seqscan = off;
--> statement-breakpoint

ALTER FUNCTION ledger_expire_pending(integer, date) SET enable_seqscan = off;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION ledger_engine(
  t_ids uuid[], t_debits uuid[], t_credits uuid[], t_amounts bigint[], t_kinds text[], t_pendings uuid[],
  t_ledgers integer[], t_codes integer[], t_linked boolean[], t_timeouts integer[], t_ref_types text[], t_ref_ids text[],
  t_created_by uuid[], t_request_ids text[], p_business_date date, p_exclusive boolean DEFAULT false
) RETURNS TABLE (idx integer, id uuid, result text) LANGUAGE plpgsql
-- Generic plans: the statements are key lookups whatever the arrays hold; re-planning every statement on every
-- call cost more CPU than the transfers themselves. enable_seqscan = off: see the header.
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off AS $$
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
  rule_ids uuid[];
  groups integer;
  accounts integer;
  updated integer;
  inserted integer;
BEGIN
  IF n = 0 THEN RETURN; END IF;
  IF n > 8190 THEN RAISE EXCEPTION 'a batch holds at most 8190 transfers' USING ERRCODE = '22023'; END IF;
  IF cardinality(t_debits) <> n OR cardinality(t_credits) <> n OR cardinality(t_amounts) <> n OR cardinality(t_kinds) <> n
     OR cardinality(t_pendings) <> n OR cardinality(t_ledgers) <> n OR cardinality(t_codes) <> n OR cardinality(t_linked) <> n
     OR cardinality(t_timeouts) <> n OR cardinality(t_ref_types) <> n OR cardinality(t_ref_ids) <> n
     OR cardinality(t_created_by) <> n OR cardinality(t_request_ids) <> n THEN
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
    -- p_exclusive (the API's large batches, each in a transaction of its own): one batch at a time takes the accounts.
    -- Large batches over the same accounts overlap almost surely, and waiting once for the whole batch is cheaper
    -- than waiting in turn for each of ~1,800 accounts another batch holds (4 clients × 1,000 transfers over 10,000
    -- accounts: 4,100 → 25,900 transfers/s). Only for a transaction that holds no account yet: the lock comes first
    -- in the lock order (modules that post inside a larger transaction never ask for it).
    IF p_exclusive THEN PERFORM pg_advisory_xact_lock(7302113002); END IF;
    -- the same pass tells which accounts carry a balance rule (only those need the running check below)
    SELECT array_agg(a.id) FILTER (WHERE a.debits_must_not_exceed_credits OR a.credits_must_not_exceed_debits) INTO rule_ids
      FROM (SELECT x.id, x.debits_must_not_exceed_credits, x.credits_must_not_exceed_debits
              FROM ledger_accounts x WHERE x.id = ANY (t_debits || t_credits) ORDER BY x.id FOR UPDATE) a;
  END IF;

  -- 2. fast path (worth it from a few dozen transfers on; small batches go one by one, which is cheaper):
  --    plain posted, unlinked, new, distinct ids, valid, and no balance rule breached at any step
  fast := n >= 16 AND NOT resolves_holds;
  IF fast THEN
    fast := NOT ('pending' = ANY (t_kinds) OR 'post_pending' = ANY (t_kinds) OR 'void_pending' = ANY (t_kinds)
                 OR true = ANY (t_linked) OR array_position(t_ids, NULL) IS NOT NULL OR array_position(t_debits, NULL) IS NOT NULL
                 OR array_position(t_credits, NULL) IS NOT NULL OR array_position(t_amounts, NULL) IS NOT NULL
                 OR array_position(t_codes, NULL) IS NOT NULL OR array_position(t_ledgers, NULL) IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM unnest(t_debits, t_credits, t_amounts, t_codes, t_timeouts) b(d, c, amt, code, timeout)
                       WHERE b.amt <= 0 OR b.d = b.c OR b.code <= 0 OR coalesce(b.timeout, 0) <> 0)
      AND (SELECT count(DISTINCT u) FROM unnest(t_ids) u) = n
      AND NOT EXISTS (SELECT 1 FROM ledger_failed_transfers f WHERE f.id = ANY (t_ids));
  END IF;
  IF fast AND rule_ids IS NOT NULL THEN
    WITH moves AS (
      SELECT b.ord, b.d AS account, b.amt AS dr, 0::bigint AS cr FROM unnest(t_debits, t_amounts) WITH ORDINALITY AS b(d, amt, ord)
      UNION ALL SELECT b.ord, b.c, 0::bigint, b.amt FROM unnest(t_credits, t_amounts) WITH ORDINALITY AS b(c, amt, ord)
    ), running AS (
      SELECT m.account, sum(m.dr) OVER w AS dr, sum(m.cr) OVER w AS cr
        FROM moves m WINDOW w AS (PARTITION BY m.account ORDER BY m.ord)
    )
    SELECT NOT EXISTS (
        SELECT 1 FROM running rr JOIN ledger_accounts a ON a.id = rr.account
         WHERE (a.debits_must_not_exceed_credits AND a.debits_pending + a.debits_posted + rr.dr > a.credits_posted + rr.cr)
            OR (a.credits_must_not_exceed_debits AND a.credits_pending + a.credits_posted + rr.cr > a.debits_posted + rr.dr))
    INTO fast;
  END IF;

  IF fast THEN
    -- Set-based, in a subtransaction: when a count does not add up — an id that exists (maybe created by a
    -- concurrent transaction since the checks, on accounts we did not lock), an account missing, closed or of
    -- another ledger — the attempt rolls back and the batch goes one by one, which answers each transfer.
    BEGIN
      INSERT INTO ledger_transfers (id, debit_account_id, credit_account_id, amount_minor, kind, ledger, code,
                                    ref_type, ref_id, business_date, created_by, request_id)
      SELECT b.tid, b.d, b.c, b.amt, 'posted', b.ledger, b.code, b.ref_type, b.ref_id, p_business_date, b.created_by, b.request_id
        FROM unnest(t_ids, t_debits, t_credits, t_amounts, t_ledgers, t_codes, t_ref_types, t_ref_ids, t_created_by, t_request_ids)
             WITH ORDINALITY AS b(tid, d, c, amt, ledger, code, ref_type, ref_id, created_by, request_id, ord)
       ORDER BY b.ord
      ON CONFLICT ON CONSTRAINT ledger_transfers_pkey DO NOTHING;
      GET DIAGNOSTICS inserted = ROW_COUNT;
      IF inserted <> n THEN RAISE EXCEPTION 'an id exists' USING ERRCODE = 'P0101'; END IF;
      WITH deltas AS (
        SELECT m.account, m.ledger, sum(m.dr) AS dr, sum(m.cr) AS cr FROM (
          SELECT b.d AS account, b.ledger, b.amt AS dr, 0::bigint AS cr FROM unnest(t_debits, t_ledgers, t_amounts) AS b(d, ledger, amt)
          UNION ALL SELECT b.c, b.ledger, 0::bigint, b.amt FROM unnest(t_credits, t_ledgers, t_amounts) AS b(c, ledger, amt)) m
         GROUP BY m.account, m.ledger
      ), moved AS (
        UPDATE ledger_accounts a SET debits_posted = a.debits_posted + deltas.dr, credits_posted = a.credits_posted + deltas.cr
          FROM deltas WHERE a.id = deltas.account AND a.ledger = deltas.ledger AND NOT a.closed
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM deltas), (SELECT count(DISTINCT account) FROM deltas), (SELECT count(*) FROM moved)
        INTO groups, accounts, updated;
      IF updated <> groups OR groups <> accounts THEN RAISE EXCEPTION 'an account is missing, closed or of another ledger' USING ERRCODE = 'P0101'; END IF;
    EXCEPTION WHEN SQLSTATE 'P0101' OR unique_violation THEN
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
        t_ledgers[i], t_codes[i], false, t_timeouts[i], t_ref_types[i], t_ref_ids[i], p_business_date, t_created_by[i], t_request_ids[i]);
    ELSE
      failed_at := NULL;
      BEGIN
        FOR j IN chain_start..i LOOP
          IF j = i AND t_linked[i] THEN
            r := 'linked_event_chain_open';
          ELSE
            r := ledger_apply_transfer(t_ids[j], t_debits[j], t_credits[j], t_amounts[j], t_kinds[j], t_pendings[j],
              t_ledgers[j], t_codes[j], j < i, t_timeouts[j], t_ref_types[j], t_ref_ids[j], p_business_date, t_created_by[j], t_request_ids[j]);
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

-- The arrays call with one author and request for the whole batch (the API's and the modules' batches).
CREATE OR REPLACE FUNCTION ledger_create_transfers_arrays(
  t_ids uuid[], t_debits uuid[], t_credits uuid[], t_amounts bigint[], t_kinds text[], t_pendings uuid[],
  t_ledgers integer[], t_codes integer[], t_linked boolean[], t_timeouts integer[], t_ref_types text[], t_ref_ids text[],
  p_business_date date, p_created_by uuid, p_request_id text
) RETURNS TABLE (idx integer, id uuid, result text) LANGUAGE sql AS $$
  SELECT * FROM ledger_engine(t_ids, t_debits, t_credits, t_amounts, t_kinds, t_pendings, t_ledgers, t_codes, t_linked, t_timeouts,
    t_ref_types, t_ref_ids, array_fill(p_created_by, ARRAY[coalesce(cardinality(t_ids), 0)]),
    array_fill(p_request_id, ARRAY[coalesce(cardinality(t_ids), 0)]), p_business_date);
$$;

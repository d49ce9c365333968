-- The ledger engine, again (0002 specified it; ledger/model.ts still does): same results, same order of work,
-- faster, and with who and which request per transfer, so transfers of several requests can share one statement
-- (group commit of single transfers, ledger/transfers.ts).
--
-- Why it changed (bench/ledger.ts, batches of 1,000 plain transfers over 10,000 accounts):
--  * every statement in the engine looks rows up by key, but its plans are generic and cached per session: a plan
--    made while a table was small scanned the table (the check for ids already used read all of ledger_transfers,
--    65 ms at 24,000 rows, growing with every batch). The engine functions now run with enable_seqscan = off;
--  * the fast (set-based) path looked every account up four times (lock, validation, balance rules, update) and
--    ran from 16 transfers on. Now it runs from two: ONE update applies the batch's moves per account, in id order,
--    on condition of the account's ledger, that it is open and that its balance rule holds at every step (the most
--    the batch ever takes from it beyond what it gives, computed from running sums); the transfers are inserted
--    before any account is locked; anything that does not add up rolls the attempt back and sends the batch one by
--    one, which answers each transfer precisely.
--  * the API's large batches run one at a time (p_exclusive), which beats waiting for each shared account in turn.

ALTER FUNCTION ledger_apply_transfer(uuid, uuid, uuid, bigint, text, uuid, integer, integer, boolean, integer, text, text, date, uuid, text)
  SET enable_seqscan = off;
--> statement-breakpoint

ALTER FUNCTION ledger_release_hold(ledger_pending, text, uuid, date) SET enable_seqscan = off;
--> statement-breakpoint

-- Expires holds whose timeout has passed (run by the housekeeping job; post/void also expire lazily). Locks accounts
-- before holds, in id order, like the engine: the two never deadlock. p_business_date: the date the expiries are
-- booked on — the caller passes the platform's business date (the ledger does not read the calendar's table).
CREATE OR REPLACE FUNCTION ledger_expire_pending(p_limit integer, p_business_date date DEFAULT NULL) RETURNS integer LANGUAGE plpgsql
SET enable_seqscan = off AS $$
DECLARE
  due uuid[];
  hold ledger_pending%ROWTYPE;
  n integer := 0;
  on_date date := coalesce(p_business_date, (now() AT TIME ZONE 'Asia/Shanghai')::date);
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
  acc_ids uuid[];
  acc_ledgers integer[];
  acc_dr numeric[];
  acc_cr numeric[];
  acc_dx numeric[];
  acc_cx numeric[];
  groups bigint;
  updated integer;
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

  -- 1. fast path (from two transfers on: a few statements per batch instead of seven per transfer): plain posted,
  --    unlinked, new, distinct ids, valid, and no balance rule breached at any step
  fast := n >= 2 AND NOT resolves_holds;
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
  IF fast THEN
    -- Set-based, in a subtransaction. Per account, in id order: what the batch moves, and the most it ever takes
    -- beyond what it gives at any step of the batch (running sums in batch order). The transfers are inserted; then
    -- ONE update applies the moves and checks, per account row, its ledger, that it is open and its balance rule at
    -- every step; it locks the rows in id order (as the one-by-one path does, so the two never deadlock). When
    -- something does not add up — an id that exists, an account missing, closed, of another ledger or over its
    -- rule — the attempt rolls back and the batch goes one by one, which answers each transfer.
    BEGIN
      -- (a plain aggregate over a sorted subquery keeps its order: one sort, not one per array)
      SELECT array_agg(x.account), array_agg(x.ledger), array_agg(x.dr), array_agg(x.cr), array_agg(x.dx), array_agg(x.cx), max(x.ledgers)
        INTO acc_ids, acc_ledgers, acc_dr, acc_cr, acc_dx, acc_cx, groups
        FROM (SELECT m.account, min(m.ledger) AS ledger, count(DISTINCT m.ledger) AS ledgers, sum(m.dr) AS dr, sum(m.cr) AS cr,
                     max(m.run_dx) AS dx, max(m.run_cx) AS cx
                FROM (SELECT v.account, v.ledger, v.dr, v.cr,
                             sum(v.dr - v.cr) OVER w AS run_dx, sum(v.cr - v.dr) OVER w AS run_cx
                        FROM (SELECT b.ord, b.d AS account, b.ledger, b.amt AS dr, 0::bigint AS cr
                                FROM unnest(t_debits, t_ledgers, t_amounts) WITH ORDINALITY AS b(d, ledger, amt, ord)
                              UNION ALL
                              SELECT b.ord, b.c, b.ledger, 0::bigint, b.amt
                                FROM unnest(t_credits, t_ledgers, t_amounts) WITH ORDINALITY AS b(c, ledger, amt, ord)) v
                      WINDOW w AS (PARTITION BY v.account ORDER BY v.ord)) m
               GROUP BY m.account ORDER BY m.account) x;
      IF groups <> 1 THEN RAISE EXCEPTION 'an account in two ledgers' USING ERRCODE = 'P0101'; END IF;
      IF EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.id = ANY (t_ids)) THEN RAISE EXCEPTION 'an id exists' USING ERRCODE = 'P0101'; END IF;
      -- The transfers first, before any account is locked: the locks are held for less time. A concurrent transaction
      -- that inserts one of these ids meanwhile makes this insert fail (unique_violation): one by one, then.
      INSERT INTO ledger_transfers (id, debit_account_id, credit_account_id, amount_minor, kind, ledger, code,
                                    ref_type, ref_id, business_date, created_by, request_id)
      SELECT b.tid, b.d, b.c, b.amt, 'posted', b.ledger, b.code, b.ref_type, b.ref_id, p_business_date, b.created_by, b.request_id
        FROM unnest(t_ids, t_debits, t_credits, t_amounts, t_ledgers, t_codes, t_ref_types, t_ref_ids, t_created_by, t_request_ids)
             AS b(tid, d, c, amt, ledger, code, ref_type, ref_id, created_by, request_id);
      -- p_exclusive (the API's large batches, each in a transaction of its own): one such batch at a time takes the
      -- accounts. Large batches over the same accounts overlap almost surely, and waiting once for the whole batch is
      -- cheaper than waiting in turn for each of ~1,800 accounts another batch holds (4 clients × 1,000 transfers over
      -- 10,000 accounts: 4,100 → 25,900 transfers/s). It is asked for before any account is locked, and only by a
      -- transaction that holds none yet (modules that post inside a larger transaction never ask for it); released
      -- with the subtransaction if the batch goes one by one after all.
      IF p_exclusive THEN PERFORM pg_advisory_xact_lock(7302113002); END IF;
      UPDATE ledger_accounts a SET debits_posted = a.debits_posted + d.dr, credits_posted = a.credits_posted + d.cr
        FROM unnest(acc_ids, acc_ledgers, acc_dr, acc_cr, acc_dx, acc_cx) AS d(account, ledger, dr, cr, dx, cx)
       WHERE a.id = d.account AND a.ledger = d.ledger AND NOT a.closed
         AND (NOT a.debits_must_not_exceed_credits OR a.debits_pending + a.debits_posted + d.dx <= a.credits_posted)
         AND (NOT a.credits_must_not_exceed_debits OR a.credits_pending + a.credits_posted + d.cx <= a.debits_posted);
      GET DIAGNOSTICS updated = ROW_COUNT;
      IF updated <> cardinality(acc_ids) THEN RAISE EXCEPTION 'an account is missing, closed, of another ledger or over its rule' USING ERRCODE = 'P0101'; END IF;
    EXCEPTION WHEN SQLSTATE 'P0101' OR unique_violation THEN
      fast := false;
    END;
    IF fast THEN
      RETURN QUERY SELECT g::integer, t_ids[g], 'ok'::text FROM generate_series(1, n) g;
      RETURN;
    END IF;
  END IF;

  -- 2. lock every account the batch may touch, in id order
  PERFORM 1 FROM ledger_accounts a
   WHERE a.id = ANY (t_debits || t_credits || coalesce(
           (SELECT array_agg(p.debit_account_id) || array_agg(p.credit_account_id) FROM ledger_pending p WHERE p.transfer_id = ANY (t_pendings)),
           '{}'::uuid[]))
   ORDER BY a.id FOR UPDATE;

  -- 2b. holds the batch refers to whose timeout has passed expire now, before any transfer runs: the expiry
  --     stands even when the post or void that found the hold is rolled back with a failed linked chain.
  IF resolves_holds THEN
    FOR hold IN
      SELECT * FROM ledger_pending p
       WHERE p.transfer_id = ANY (t_pendings) AND p.state = 'pending' AND p.expires_at <= now()
       ORDER BY p.transfer_id FOR UPDATE
    LOOP
      PERFORM ledger_release_hold(hold, 'expired', NULL, p_business_date);
    END LOOP;
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

-- A group-committed hot statement records its requests' Idempotency-Keys itself, in the same autocommit statement as
-- the write (kernel/idempotency.ts): with the row's result and the request's id ({"result": …, "requestId": …}), from
-- which a replay renders its answer again (its request is the same, byte for byte: the fingerprint says so). One statement and one commit per batch, where the statement,
-- the stored answers and the commit were three round trips of a transaction (server/idempotency.ts).
ALTER TABLE "idempotency_keys" ADD COLUMN "statement_result" jsonb;
--> statement-breakpoint

-- The kernel's surface for statements written as functions (the ledger's): which keys are recorded, and recording keys
-- with their statements' results. A plain INSERT: a key a concurrent request recorded first fails the statement on
-- the primary key, and the group commit runs its rows again one by one.
CREATE OR REPLACE FUNCTION idempotency_keys_recorded(p_scopes text[], p_keys text[]) RETURNS boolean[] LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(k.key IS NOT NULL AND (SELECT true FROM idempotency_keys r WHERE r.scope = k.scope AND r.key = k.key LIMIT 1) IS NOT NULL
                            ORDER BY k.n), '{}')
    FROM unnest(p_scopes, p_keys) WITH ORDINALITY AS k(scope, key, n);
$$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION idempotency_record_results(
  p_scopes text[], p_keys text[], p_methods text[], p_paths text[], p_hashes text[], p_results jsonb[]
) RETURNS void LANGUAGE sql AS $$
  INSERT INTO idempotency_keys (scope, key, method, path, request_hash, state, statement_result, completed_at)
  SELECT k.scope, k.key, k.method, k.path, k.hash, 'completed', k.result, now()
    FROM unnest(p_scopes, p_keys, p_methods, p_paths, p_hashes, p_results) AS k(scope, key, method, path, hash, result)
   WHERE k.key IS NOT NULL;
$$;
--> statement-breakpoint

-- The API's transfer requests, now with their keys (p_key_*: one per request, null without one): a request whose key
-- is recorded runs nothing (its transfers answer 'key_taken'), and every other keyed request's key is recorded with
-- its results — in this call, with the transfers.
DROP FUNCTION IF EXISTS ledger_api_requests(uuid[], uuid[], uuid[], bigint[], text[], uuid[], integer[], integer[], boolean[], integer[], text[], text[],
  uuid[], text[], uuid[], uuid[], text[], text[], text[], text[], jsonb[], integer[], integer[], text[], text[], text[], date, boolean);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledger_api_requests(
  t_ids uuid[], t_debits uuid[], t_credits uuid[], t_amounts bigint[], t_kinds text[], t_pendings uuid[],
  t_ledgers integer[], t_codes integer[], t_linked boolean[], t_timeouts integer[], t_ref_types text[], t_ref_ids text[],
  t_created_by uuid[], t_request_ids text[],
  p_orgs uuid[], p_users uuid[], p_usernames text[], p_requests text[], p_ips text[], p_objects text[], p_afters jsonb[],
  p_firsts integer[], p_lasts integer[], p_caller_kinds text[], p_caller_hashes text[], p_caller_roles text[],
  p_key_scopes text[], p_key_keys text[], p_key_methods text[], p_key_paths text[], p_key_hashes text[],
  p_business_date date, p_exclusive boolean
) RETURNS TABLE (idx integer, result text) LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  n integer := cardinality(p_firsts);
  taken boolean[];
  keep integer[];
  applied text[];
  results text[];
  made boolean[];
  i integer;
BEGIN
  PERFORM identity_assert_callers(p_caller_kinds, p_caller_hashes, p_users, p_caller_roles);
  taken := idempotency_keys_recorded(p_key_scopes, p_key_keys);
  IF NOT (true = ANY (taken)) THEN
    SELECT array_agg(e.result ORDER BY e.idx) INTO results
      FROM ledger_engine(t_ids, t_debits, t_credits, t_amounts, t_kinds, t_pendings, t_ledgers, t_codes, t_linked, t_timeouts,
                         t_ref_types, t_ref_ids, t_created_by, t_request_ids, p_business_date, p_exclusive) e;
  ELSE
    -- a replay among them (rare): the engine gets the other requests' transfers only
    results := array_fill('key_taken'::text, ARRAY[cardinality(t_ids)]);
    keep := array(SELECT t FROM generate_series(1, n) g, generate_series(p_firsts[g], p_lasts[g]) t WHERE NOT taken[g] ORDER BY t);
    IF cardinality(keep) > 0 THEN
      SELECT array_agg(e.result ORDER BY e.idx) INTO applied
        FROM ledger_engine(array(SELECT t_ids[k] FROM unnest(keep) WITH ORDINALITY u(k, o) ORDER BY o),
                           array(SELECT t_debits[k] FROM unnest(keep) WITH ORDINALITY u(k, o) ORDER BY o),
                           array(SELECT t_credits[k] FROM unnest(keep) WITH ORDINALITY u(k, o) ORDER BY o),
                           array(SELECT t_amounts[k] FROM unnest(keep) WITH ORDINALITY u(k, o) ORDER BY o),
                           array(SELECT t_kinds[k] FROM unnest(keep) WITH ORDINALITY u(k, o) ORDER BY o),
                           array(SELECT t_pendings[k] FROM unnest(keep) WITH ORDINALITY u(k, o) ORDER BY o),
                           array(SELECT t_ledgers[k] FROM unnest(keep) WITH ORDINALITY u(k, o) ORDER BY o),
                           array(SELECT t_codes[k] FROM unnest(keep) WITH ORDINALITY u(k, o) ORDER BY o),
                           array(SELECT t_linked[k] FROM unnest(keep) WITH ORDINALITY u(k, o) ORDER BY o),
                           array(SELECT t_timeouts[k] FROM unnest(keep) WITH ORDINALITY u(k, o) ORDER BY o),
                           array(SELECT t_ref_types[k] FROM unnest(keep) WITH ORDINALITY u(k, o) ORDER BY o),
                           array(SELECT t_ref_ids[k] FROM unnest(keep) WITH ORDINALITY u(k, o) ORDER BY o),
                           array(SELECT t_created_by[k] FROM unnest(keep) WITH ORDINALITY u(k, o) ORDER BY o),
                           array(SELECT t_request_ids[k] FROM unnest(keep) WITH ORDINALITY u(k, o) ORDER BY o),
                           p_business_date, p_exclusive) e;
      FOR i IN 1 .. cardinality(keep) LOOP
        results[keep[i]] := applied[i];
      END LOOP;
    END IF;
  END IF;
  made := array_fill(false, ARRAY[n]);
  FOR i IN 1 .. n LOOP
    made[i] := NOT taken[i] AND 'ok' = ANY (results[p_firsts[i]:p_lasts[i]]);
  END LOOP;
  IF true = ANY (made) THEN
    PERFORM audit_insert_rows(
      array(SELECT p_orgs[g] FROM generate_series(1, n) g WHERE made[g] ORDER BY g),
      array(SELECT p_users[g] FROM generate_series(1, n) g WHERE made[g] ORDER BY g),
      array(SELECT p_usernames[g] FROM generate_series(1, n) g WHERE made[g] ORDER BY g),
      'ledger.transfers', 'ledger_transfer',
      array(SELECT p_objects[g] FROM generate_series(1, n) g WHERE made[g] ORDER BY g),
      array(SELECT NULL::uuid FROM generate_series(1, n) g WHERE made[g] ORDER BY g),
      array(SELECT p_afters[g] FROM generate_series(1, n) g WHERE made[g] ORDER BY g),
      array(SELECT p_requests[g] FROM generate_series(1, n) g WHERE made[g] ORDER BY g),
      array(SELECT p_ips[g] FROM generate_series(1, n) g WHERE made[g] ORDER BY g));
  END IF;
  IF cardinality(array_remove(p_key_keys, NULL)) > 0 THEN
    PERFORM idempotency_record_results(
      array(SELECT p_key_scopes[g] FROM generate_series(1, n) g WHERE NOT taken[g] ORDER BY g),
      array(SELECT p_key_keys[g] FROM generate_series(1, n) g WHERE NOT taken[g] ORDER BY g),
      array(SELECT p_key_methods[g] FROM generate_series(1, n) g WHERE NOT taken[g] ORDER BY g),
      array(SELECT p_key_paths[g] FROM generate_series(1, n) g WHERE NOT taken[g] ORDER BY g),
      array(SELECT p_key_hashes[g] FROM generate_series(1, n) g WHERE NOT taken[g] ORDER BY g),
      array(SELECT jsonb_build_object('result', jsonb_build_object('taken', false, 'results', to_jsonb(results[p_firsts[g]:p_lasts[g]])),
                                      'requestId', p_requests[g])
              FROM generate_series(1, n) g WHERE NOT taken[g] ORDER BY g));
  END IF;
  RETURN QUERY SELECT g::integer, results[g] FROM generate_series(1, coalesce(cardinality(results), 0)) g;
END;
$$;

-- A group-committed hot statement records its requests' Idempotency-Keys itself, in the same autocommit statement as
-- the write (kernel/idempotency.ts): with the row's result and the request's id ({"result": …, "requestId": …}), from
-- which a replay renders its answer again (its request is the same, byte for byte: the fingerprint says so). One statement and one commit per batch, where the statement,
-- the stored answers and the commit were three round trips of a transaction (server/idempotency.ts).
ALTER TABLE "idempotency_keys" ADD COLUMN "statement_result" jsonb;
--> statement-breakpoint

-- The kernel's surface for statements written as functions (the ledger's): which keys are recorded, and recording keys
-- with their statements' results. A plain INSERT: a key a concurrent request recorded first fails the statement on
-- the primary key, and the group commit runs its rows again one by one.
-- PL/pgSQL, as every function a hot statement calls: its plans are cached per connection (an SQL function that is not
-- inlined is planned again on every call).
CREATE OR REPLACE FUNCTION idempotency_keys_recorded(p_scopes text[], p_keys text[]) RETURNS boolean[] LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(k.key IS NOT NULL AND (SELECT true FROM idempotency_keys r WHERE r.scope = k.scope AND r.key = k.key LIMIT 1) IS NOT NULL
                                    ORDER BY k.n), '{}')
            FROM unnest(p_scopes, p_keys) WITH ORDINALITY AS k(scope, key, n));
END;
$$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION idempotency_record_results(
  p_mask boolean[], p_scopes text[], p_keys text[], p_methods text[], p_paths text[], p_hashes text[], p_results jsonb[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO idempotency_keys (scope, key, method, path, request_hash, state, statement_result, completed_at)
  SELECT k.scope, k.key, k.method, k.path, k.hash, 'completed', k.result, now()
    FROM unnest(p_mask, p_scopes, p_keys, p_methods, p_paths, p_hashes, p_results) AS k(mask, scope, key, method, path, hash, result)
   WHERE k.mask AND k.key IS NOT NULL;
END;
$$;
--> statement-breakpoint

-- The audit log's surface for set-based writers, for the elements of the arrays a mask selects: one INSERT over the
-- arrays as they are (audit_insert_rows took arrays the caller first had to filter, nine subqueries per call: 0.4 ms of
-- a ledger batch's 2.9 ms).
CREATE OR REPLACE FUNCTION audit_insert_masked(
  p_mask boolean[], p_orgs uuid[], p_users uuid[], p_usernames text[], p_action text, p_object_type text, p_objects text[],
  p_afters jsonb[], p_requests text[], p_ips text[]
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log (org_id, user_id, username, action, object_type, object_id, subject_org_id, before, after, request_id, ip)
  SELECT x.org, x.usr, x.username, p_action, p_object_type, x.object, NULL, NULL, x.after, x.request, x.ip
    FROM unnest(p_mask, p_orgs, p_users, p_usernames, p_objects, p_afters, p_requests, p_ips) AS x(mask, org, usr, username, object, after, request, ip)
   WHERE x.mask;
END;
$$;
--> statement-breakpoint

-- The caller check of a hot statement looks each distinct caller up once (a batch is mostly one caller's requests: a
-- look-up per row cost 0.25 ms of a ledger batch's 2.9 ms).
CREATE OR REPLACE FUNCTION identity_assert_callers(p_kinds text[], p_hashes text[], p_users uuid[], p_roles text[])
RETURNS boolean LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
DECLARE
  i integer;
  ok boolean;
  caller text;
  checked text[] := '{}';
BEGIN
  FOR i IN 1 .. coalesce(cardinality(p_kinds), 0) LOOP
    CONTINUE WHEN p_kinds[i] IS NULL;
    caller := p_kinds[i] || ':' || p_hashes[i] || ':' || p_users[i] || ':' || p_roles[i];
    CONTINUE WHEN caller = ANY (checked);
    checked := checked || caller;
    IF p_kinds[i] = 'token' THEN
      SELECT true INTO ok FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN organizations o ON o.id = u.org_id
       WHERE t.token_hash = p_hashes[i] AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
         AND u.id = p_users[i] AND u.status = 'active' AND array_to_string(u.roles, ',') = p_roles[i] AND o.member_status = 'member';
    ELSE
      SELECT true INTO ok FROM sessions s JOIN users u ON u.id = s.user_id JOIN organizations o ON o.id = u.org_id
       WHERE s.token_hash = p_hashes[i] AND s.revoked_at IS NULL AND s.expires_at > now()
         AND u.id = p_users[i] AND u.status = 'active' AND array_to_string(u.roles, ',') = p_roles[i] AND o.member_status = 'member';
    END IF;
    IF ok IS NOT TRUE THEN
      RAISE EXCEPTION 'caller % is no longer valid', p_users[i] USING ERRCODE = 'P0401';
    END IF;
    ok := NULL;
  END LOOP;
  RETURN true;
END;
$$;
--> statement-breakpoint

-- The API's transfer requests, now with their keys (p_key_*: one per request, null without one): a request whose key
-- is recorded runs nothing (its transfers answer 'key_taken'; among other requests it fails the call, which the group
-- commit then runs request by request), and every other keyed request's key is recorded with its results — in this
-- call, with the transfers.
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
  results text[];
  made boolean[];
  i integer;
BEGIN
  PERFORM identity_assert_callers(p_caller_kinds, p_caller_hashes, p_users, p_caller_roles);
  taken := idempotency_keys_recorded(p_key_scopes, p_key_keys);
  IF true = ANY (taken) THEN
    -- a replay (rare): alone, it runs nothing; among others, the statement fails as a whole and the group commit runs
    -- its requests one by one (kernel/batch.ts), so no batch has to leave a request's transfers out
    IF n > 1 THEN
      RAISE EXCEPTION 'a request of the batch is a replay' USING ERRCODE = 'P0409';
    END IF;
    results := array_fill('key_taken'::text, ARRAY[cardinality(t_ids)]);
  ELSE
    SELECT array_agg(e.result ORDER BY e.idx) INTO results
      FROM ledger_engine(t_ids, t_debits, t_credits, t_amounts, t_kinds, t_pendings, t_ledgers, t_codes, t_linked, t_timeouts,
                         t_ref_types, t_ref_ids, t_created_by, t_request_ids, p_business_date, p_exclusive) e;
  END IF;
  made := array_fill(false, ARRAY[n]);
  FOR i IN 1 .. n LOOP
    made[i] := NOT taken[i] AND 'ok' = ANY (results[p_firsts[i]:p_lasts[i]]);
  END LOOP;
  IF true = ANY (made) THEN
    PERFORM audit_insert_masked(made, p_orgs, p_users, p_usernames, 'ledger.transfers', 'ledger_transfer', p_objects, p_afters, p_requests, p_ips);
  END IF;
  IF cardinality(array_remove(p_key_keys, NULL)) > 0 THEN
    PERFORM idempotency_record_results(
      array(SELECT NOT taken[g] FROM generate_series(1, n) g ORDER BY g), p_key_scopes, p_key_keys, p_key_methods, p_key_paths, p_key_hashes,
      array(SELECT jsonb_build_object('result', jsonb_build_object('taken', false, 'results', to_jsonb(results[p_firsts[g]:p_lasts[g]])),
                                      'requestId', p_requests[g])
              FROM generate_series(1, n) g ORDER BY g));
  END IF;
  RETURN QUERY SELECT g::integer, results[g] FROM generate_series(1, coalesce(cardinality(results), 0)) g;
END;
$$;

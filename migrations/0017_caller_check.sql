-- The hot writes (ledger transfers, credit occupations, certificate transfers) authenticate from a short-lived cache
-- of the callers this instance has seen (identity/callers.ts) instead of a look-up per request, and repeat the check
-- in their own statement: identity_assert_callers raises P0401 when one of the credentials no longer holds — a
-- revoked or expired session or token, a disabled user, a suspended organisation, changed roles — so the statement
-- writes nothing, and its requests run again one by one: only the one whose caller is no longer valid is refused.
-- A NULL kind is a caller that was looked up for this request (nothing to repeat).
CREATE OR REPLACE FUNCTION identity_assert_callers(p_kinds text[], p_hashes text[], p_users uuid[], p_roles text[])
RETURNS boolean LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
DECLARE
  i integer;
  ok boolean;
BEGIN
  FOR i IN 1 .. coalesce(cardinality(p_kinds), 0) LOOP
    CONTINUE WHEN p_kinds[i] IS NULL;
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

-- A loan request's approval case names what is requested in its facts (`request`: write_off, classification,
-- off_platform_repayment; financing/collections.ts), beside the amount: the checker's page confirms approving a
-- write-off or an off-platform receipt with the amount in capital figures (大写). The
-- cases already there get it from their request.
UPDATE "workflow_cases" c SET "facts" = c."facts" || jsonb_build_object('request', r."kind")
  FROM "loan_requests" r
 WHERE c."subject_type" = 'loan_request' AND c."subject_id" = r."id"::text AND NOT (c."facts" ? 'request');

-- An Idempotency-Key's record now commits in the same transaction as the write it answers for (server/idempotency.ts):
-- a record is never left in flight. Records an earlier version left in flight (a crash between its claim and its
-- answer) are removed, so their keys can be retried.
DELETE FROM idempotency_keys WHERE state = 'in_flight';

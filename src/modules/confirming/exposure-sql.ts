/**
 * What a bill will cost the bank, for inventory's marking to market (逐日盯市) of the goods pledged under it: the
 * contract value of the goods that have come under the bill's pledge (the face, once every lot has arrived) — goods
 * still in transit secure nothing yet, so the margin covers them first — or, once the bank has advanced, the advance.
 * Marking to market subtracts the margin held (the bill's margin account) itself. Registered from index.ts.
 */
import { sql, type SQL } from 'drizzle-orm';

export function billExposureSql(applicationIds: SQL): SQL {
  return sql`select b.id as application_id,
         (case when b.status = 'advanced' then coalesce(b.advance_minor, 0)
               else coalesce((select sum(l.contract_value_minor) from cs_bill_lots l
                               where l.bill_id = b.id and l.pledged_on is not null), 0) end)::bigint as exposure_minor
    from cs_bills b
   where b.id = any(${applicationIds}) and b.status in ('approved','issued','delivered','matured','advanced')`;
}

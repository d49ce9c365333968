/**
 * Pledged goods at scale, set-based, on top of generated loans (bulk-loans.ts): for the marking-to-market benchmark
 * (bench/inventory-eod.ts) and its crash test (tests/integration/inventory-eod-crash.pg.test.ts) — one generator, so
 * the test crashes the same shape of data the benchmark measures.
 *
 * 100 SKUs with exchange settlement prices valid around D (half of them with a funder appraisal too, 50.00 under the
 * exchange's, which wins), one warehouse, `pledges` pledged warehouse receipts — pledge i secures the application of
 * the i-th live loan application (in id order, round robin when there are fewer applications) — and `lots` lots spread
 * over them. Goods as a lender would have taken them: the drawdown cap (value × pledge rate ≥ what is drawn) held when
 * each loan was drawn, so a pledge's goods are worth what its application's loans owe ÷ a ratio spread over
 * 0.55 … 0.80 at today's valuation price — the day's prices leave about one pledge in eleven past the warning line
 * (0.7778), none past the liquidation line.
 *
 * Ids are md5 of fixed names (`bench-…`): generate once per database.
 */
import { sql } from 'drizzle-orm';
import { queryOne, type Executor } from '../../src/kernel/db';
import type { BusinessDate } from '../../src/kernel/dates';

export interface BulkPledgesOptions {
  lots: number;
  pledges: number;
  /** The current business date D (prices are valid D − 30 … D + 30). */
  date: BusinessDate;
}

export async function generatePledgedGoods(db: Executor, { lots, pledges, date }: BulkPledgesOptions): Promise<{ applications: number }> {
  if (!Number.isInteger(lots) || !Number.isInteger(pledges) || pledges < 1 || lots < pledges)
    throw new Error('lots and pledges must be positive integers, lots ≥ pledges');
  await db.execute(sql`insert into inventory_categories (id, parent_id, level, code, name) values
      (md5('bench-c1')::uuid, null, 1, 'BENCH-1', '钢材'),
      (md5('bench-c2')::uuid, md5('bench-c1')::uuid, 2, 'BENCH-2', '板材'),
      (md5('bench-c3')::uuid, md5('bench-c2')::uuid, 3, 'BENCH-3', '热轧卷板')`);
  await db.execute(sql`insert into inventory_skus (id, category_id, code, name, unit, quantity_scale)
      select md5('bench-sku' || i)::uuid, md5('bench-c3')::uuid, 'BENCH-SKU-' || i, '热轧卷板 ' || i, '吨', 3
        from generate_series(0, 99) i`);
  await db.execute(sql`insert into inventory_prices (id, sku_id, source, currency, price_minor, valid_from, valid_to, entered_by_org_id, entered_by)
      select gen_random_uuid(), md5('bench-sku' || i)::uuid, s.source, 'CNY', 300000 + i * 1000 + s.delta,
             ${date}::date - 30, ${date}::date + 30, gen_random_uuid(), gen_random_uuid()
        from generate_series(0, 99) i
        cross join (values ('exchange_settlement', 0), ('funder_appraisal', -5000)) s(source, delta)
       where s.source = 'exchange_settlement' or i % 2 = 0`);
  await db.execute(sql`insert into inventory_warehouses (id, org_id, supervisor_org_id, code, name, address)
      values (md5('bench-w')::uuid, gen_random_uuid(), gen_random_uuid(), 'BENCH-W', '基准仓库', '上海')`);
  // what each application's loans owe: the goods pledged for it are sized from it (below) — an unlogged table, not a
  // temporary one: `db` may be a pool, whose next statement may run on another connection
  await db.execute(sql`create unlogged table bench_apps as
      select row_number() over (order by application_id) - 1 as n, application_id, borrower_org_id, funder_org_id, owed
        from (select application_id, min(borrower_org_id::text)::uuid as borrower_org_id,
                     min(funder_org_id::text)::uuid as funder_org_id,
                     sum(outstanding_principal_minor + interest_due_minor) as owed
                from loans where status in ('current', 'overdue') group by application_id) a`);
  try {
    const apps = Number((await queryOne<{ n: bigint }>(db, sql`select count(*) as n from bench_apps`))!.n);
    if (apps === 0) throw new Error('no live loans to pledge goods for (generate loans first)');
    await db.execute(sql`insert into inventory_receipts (id, receipt_no, warehouse_id, warehouse_org_id, holder_org_id, sku_id,
             quantity_minor, status, content, content_sha256, created_by)
      select md5('bench-r' || i)::uuid, 'BENCH-R-' || i, md5('bench-w')::uuid, gen_random_uuid(), a.borrower_org_id,
             md5('bench-sku' || (i % 100))::uuid, 1, 'pledged', '{}'::jsonb, 'bench', gen_random_uuid()
        from generate_series(0, ${pledges - 1}) i join bench_apps a on a.n = i % ${apps}`);
    const perPledge = Math.max(1, Math.floor(lots / pledges));
    await db.execute(sql`insert into inventory_lots (id, lot_no, sku_id, warehouse_id, warehouse_org_id, owner_org_id,
             announced_minor, quantity_minor, status, receipt_id)
      select md5('bench-l' || i)::uuid, 'BENCH-L-' || i, md5('bench-sku' || k)::uuid,
             md5('bench-w')::uuid, gen_random_uuid(), gen_random_uuid(), q, q, 'pledged', md5('bench-r' || p)::uuid
        from generate_series(0, ${lots - 1}) i,
             lateral (select i % ${pledges} as p, (i % ${pledges}) % 100 as k) pk
             join bench_apps a on a.n = pk.p % ${apps},
             lateral (select 300000 + k * 1000 - case when k % 2 = 0 then 5000 else 0 end as price,
                             0.55 + ((p * 37) % 100) / 400.0 as ratio) pr,
             lateral (select greatest(1, ceil(a.owed * 1000.0 / (pr.ratio * ${perPledge} * pr.price)))::bigint as q) qq`);
    await db.execute(sql`insert into inventory_pledges (id, pledge_no, receipt_id, pledgor_org_id, funder_org_id, status,
             business_date, created_by, application_id, kind, currency, pledge_rate, warning_line, liquidation_line)
      select md5('bench-p' || i)::uuid, 'BENCH-P-' || i, md5('bench-r' || i)::uuid, a.borrower_org_id, a.funder_org_id,
             'active', ${date}::date, gen_random_uuid(), a.application_id, 'static', 'CNY', 0.7, 0.777778, 0.823529
        from generate_series(0, ${pledges - 1}) i join bench_apps a on a.n = i`);
    return { applications: apps };
  } finally {
    await db.execute(sql`drop table if exists bench_apps`);
  }
}

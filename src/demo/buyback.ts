/**
 * Demo of the buyback institution (回购机构, seed 000), lived through the demo's business days (its `onDay` runs in the
 * financing demo's end-of-day loop, before each day's run):
 * - 41 days ago: the operator adds 螺纹钢 (钢材 › 建筑钢材 › 螺纹钢, exchange-priced) to the catalogue and pushes the
 *   catalogue and prices to 华东回购; 精工钢材's 200 吨 of rebar are checked in at 东方仓储宝山钢材库 and pledged to 浦江银行
 *   for a one-month loan of 300,000.00. 华东回购 signs its buyback agreement with 浦江银行 over 钢材 (85% of the valuation
 *   price, floor 3,000.00/吨; trigger: 3 days overdue), sets its commitment limit to 浦江银行 in
 *   钢材 (3,000,000.00), and attaches the agreement to the loan's pledge: 620,500.00 reserved.
 * - the loan matures unpaid and goes overdue; end-of-day opens the buyback trade on its third day past due; the next
 *   day 华东回购's manager confirms the lot at that day's buyback value and its checker approves: the price repays
 *   浦江银行's loan through the repayment allocation, the surplus stays 精工钢材's, the rebar is 华东回购's and stays at
 *   the warehouse under pre-sale supervision (售前监管) — not resold by today.
 * - today: the agreement is attached to 精工钢材's coil pledged to 浦江银行 too (inventory's demo): covered, valued today.
 * All through the services, as the users would (validated, audited).
 */
import type { Ctx } from '../kernel/context';
import { addDays, type BusinessDate } from '../kernel/dates';
import {
  attachCoverage,
  confirmTrade,
  createAgreement,
  listCoverages,
  listTrades,
  pushCatalogue,
  setCommitmentLimit,
} from '../modules/buyback';
import {
  announceLot,
  checkIn,
  createCategory,
  createPrice,
  createSku,
  listCategories,
  listPledges,
  listWarehouses,
} from '../modules/inventory';
import { getLoan } from '../modules/financing';
import { recordCashMovement } from '../modules/ledger';
import { checked } from './checker';
import { makeLoan, product } from './financing';

type As = (user: string) => Ctx;

/** The day the rebar arrives and is pledged, in days before the demo's today (after inventory's catalogue, 43). */
const PLEDGED_DAYS_AGO = 41;

export interface BuybackDemo {
  onDay(date: BusinessDate): Promise<void>;
  /** after inventory's today (its price of the day): 华东回购 also covers 精工钢材's coil pledged to 浦江银行 */
  today(): Promise<void>;
}

export function buybackDemo(as: As, ids: Record<string, string>, today: BusinessDate): BuybackDemo {
  const pledgeDay = addDays(today, -PLEDGED_DAYS_AGO);
  let coverageId: string | undefined;
  let agreementId: string | undefined;
  let bought = false;
  return {
    async onDay(date) {
      if (date === pledgeDay) ({ coverageId, agreementId } = await setUp(as, ids, today, date));
      if (!coverageId || bought || date <= pledgeDay) return;
      // the trade end-of-day opened (3 days past due): 华东回购 confirms at today's value, its checker approves
      const institution = as('buyback');
      const [trade] = (await listTrades(institution, { status: 'open', limit: 10 })).items.filter((t) => t.coverageId === coverageId);
      if (!trade) return;
      await pushCatalogue(as('operator'), { institutionOrgId: ids.buyback! });
      const coverage = (await listCoverages(institution, { status: 'active', limit: 50 })).items.find((c) => c.id === coverageId)!;
      await checked(as, 'buyback.checker', await confirmTrade(institution, trade.id, { amount: coverage.buybackValue }));
      bought = true;
    },
    async today() {
      if (!agreementId) return;
      const pledged = await listPledges(as('bank'), { status: 'active', limit: 200 });
      const applications = new Set(
        pledged.flatMap((p) => (p.subject === 'lot' && p.pledgorOrgId === ids.sup1 && p.applicationId ? [p.applicationId] : [])),
      );
      for (const applicationId of applications) await attachCoverage(as('buyback'), agreementId, { applicationId });
    },
  };
}

async function setUp(as: As, ids: Record<string, string>, today: BusinessDate, date: BusinessDate) {
  const operator = as('operator');
  const steel = (await listCategories(operator)).find((c) => c.code === '01')!;
  const building = await createCategory(operator, { code: '0102', name: '建筑钢材', parentId: steel.id });
  const rebarCategory = await createCategory(operator, { code: '010201', name: '螺纹钢', parentId: building.id });
  const rebar = await createSku(operator, {
    categoryId: rebarCategory.id,
    code: 'RB-HRB400E-18',
    name: '螺纹钢',
    spec: 'Φ18mm×12m',
    material: 'HRB400E',
    origin: '江苏张家港',
    unit: '吨',
    quantityScale: 3,
  });
  await createPrice(operator, {
    skuId: rebar.id,
    source: 'exchange_settlement',
    price: '3650.00',
    validFrom: date,
    validTo: addDays(today, 60),
    note: '上期所螺纹钢主力合约结算价（月均）',
  });
  await pushCatalogue(operator, { institutionOrgId: ids.buyback! });

  // 精工钢材's rebar at 东方仓储, pledged to 浦江银行 for a one-month loan
  const wh = as('warehouse');
  const store = (await listWarehouses(wh, { limit: 50 })).find((w) => w.code === 'DF-SH-01')!;
  const lot = await announceLot(as('supplier'), {
    skuId: rebar.id,
    warehouseId: store.id,
    quantity: '200.000',
    batchNo: 'SG-2610-2231',
    marks: '沙钢 HRB400E Φ18',
  });
  await checkIn(wh, lot.id, { quantity: '200.000' });
  const productId = await product(as('bank'), 'GOODS-PLEDGE-BB', '动产质押短期融资（回购保障）', 'inventory', {
    currency: 'CNY',
    minAmount: '100000.00',
    maxAmount: '10000000.00',
    minTermMonths: 1,
    maxTermMonths: 3,
    annualRate: '0.048',
    defaultRate: '0.072',
    dayCount: 'ACT_365',
    repaymentMethod: 'interest_monthly',
    requiredDocuments: ['warehouse_receipt'],
    requiresCreditLine: false,
    pledgeRate: '0.7',
    pledgeKind: 'static',
  });
  const loanId = await makeLoan(as, {
    borrower: 'supplier',
    funderOrgId: ids.bank1!,
    productId,
    amount: '300000.00',
    termMonths: 1,
    funder: { officer: 'bank', checker: 'bank.checker', head: 'bank.head' },
    day: 0,
    docs: ['warehouse_receipt'],
    goods: { lotIds: [lot.id] },
  });

  // 华东回购: money to buy back with, its agreement with 浦江银行 over 钢材, its own limit, the coverage
  await recordCashMovement(operator, {
    orgId: ids.buyback!,
    currency: 'CNY',
    amount: '5000000.00',
    direction: 'deposit',
    reference: '回购机构 资金头寸注入',
  });
  const institution = as('buyback');
  await setCommitmentLimit(institution, { funderOrgId: ids.bank1!, categoryId: steel.id, currency: 'CNY', limit: '3000000.00' });
  const agreement = await createAgreement(institution, {
    funderOrgId: ids.bank1!,
    currency: 'CNY',
    maxAmount: '5000000.00',
    overdueDays: 3,
    // the loan's own days past due decide, not its maturity date alone
    onMaturityShortfall: false,
    validFrom: date,
    validTo: addDays(today, 365),
    rules: [{ categoryId: steel.id, kind: 'percent', percent: '0.85', floor: '3000.00' }],
    internalNote: '钢价下行期按估值八五折回购，螺纹钢去化周期约两周',
  });
  const { applicationId } = await getLoan(as('bank'), loanId);
  if (!applicationId) throw new Error('demo: the covered loan was drawn under an application');
  const coverage = await attachCoverage(institution, agreement.id, { applicationId });
  return { coverageId: coverage.id, agreementId: agreement.id };
}

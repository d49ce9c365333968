/**
 * Demo inventory finance, lived through the demo's last business days (its `onDay` runs in the financing demo's
 * end-of-day loop, before each day's run):
 * - twelve days ago: the operator's catalogue (钢材 › 板材 › 热轧卷板 in 吨 with 3 decimals; 工程机械 › 挖掘机 ›
 *   履带式挖掘机 in 台, tracked by serial number), prices of 热轧卷板 from the exchange, a price site and the purchase
 *   contract, and 浦江银行's appraisal of the excavators; 东方仓储's two warehouses; 精工钢材's coils checked in (one
 *   with a small difference), two under a warehouse receipt, one more on its way; 鲁工机械's excavators by VIN, three
 *   in store and two announced. Then three loans from 浦江银行: 精工钢材's receipt (仓单质押, static) and its third
 *   lot (动产质押, static), and 鲁工机械's three excavators under a dynamic pledge with a minimum controlled value of
 *   two machines.
 * - every day after: the exchange's settlement price of 热轧卷板, entered by the operator and approved by its checker
 *   (价格调整: the price moves pledged goods' value). Steel falls about 15%: end-of-day finds the fully lent lot past
 *   the warning line first; 精工钢材 meets that margin call with a deposit the next day; a few days later the
 *   receipt's pledge crosses too and its call is still open today. A stocktake finds 15 kg less on the lot.
 * All through the services, as the users would (validated, audited, with their events).
 */
import type { Ctx } from '../kernel/context';
import { addDays, daysBetween, type BusinessDate } from '../kernel/dates';
import {
  addLocation,
  announceLot,
  approveRelease,
  checkIn,
  checkOut,
  createCategory,
  createPrice,
  createSku,
  createWarehouse,
  depositMargin,
  draftReceipt,
  getRelease,
  issueReceipt,
  listMarginCalls,
  recordStocktake,
  requestRelease,
} from '../modules/inventory';
import { getLoan, repay } from '../modules/financing';
import { checked } from './checker';
import { makeLoan, product } from './financing';

type As = (user: string) => Ctx;

/** The day the goods were pledged, in days before the demo's today. */
export const PLEDGED_DAYS_AGO = 12;
/** The day the operator's catalogue and the warehouses were set up (before the buyback demo's steel arrives). */
export const CATALOGUE_DAYS_AGO = 43;
/** 热轧卷板's exchange settlement price before the pledge (oldest first), from the pledge day on, and today. */
const SETTLEMENTS_BEFORE = ['3905.00', '3898.00', '3880.00', '3872.00', '3866.00', '3850.00', '3842.00', '3831.00', '3815.00'];
const SETTLEMENTS_SINCE = [
  '3800.00',
  '3790.00',
  '3760.00',
  '3700.00',
  '3600.00',
  '3480.00',
  '3380.00',
  '3420.00',
  '3460.00',
  '3390.00',
  '3300.00',
  '3250.00',
  '3240.00',
];
/** the lot lent in full crosses the warning line at 3,380.00 (day 6); 精工钢材 deposits the margin the day after */
const DEPOSIT_DAY = 7;
const STOCKTAKE_DAY = 3;
/** 精工钢材 prepays 30,000.00 on the lot's loan and takes 12 t out (提货) against it; the warehouse ships them next day */
const RELEASE_DAY = 9;

export interface InventoryDemo {
  /** the day's inventory work, before the day's end-of-day */
  onDay(date: BusinessDate): Promise<void>;
  /** today's settlement price (the demo ends on today's business date, before its end-of-day) */
  today(): Promise<void>;
}

export function inventoryDemo(as: As, ids: Record<string, string>, today: BusinessDate): InventoryDemo {
  const pledgeDay = addDays(today, -PLEDGED_DAYS_AGO);
  let goods: Awaited<ReturnType<typeof catalogue>> | undefined;
  let demo: Awaited<ReturnType<typeof setUp>> | undefined;
  const settle = async (date: BusinessDate) => {
    const price = SETTLEMENTS_SINCE[daysBetween(pledgeDay, date)]!;
    const input = { skuId: demo!.coilSkuId, source: 'exchange_settlement' as const, price, validFrom: date, validTo: date };
    await checked(as, 'operator.checker', await createPrice(as('operator'), { ...input, note: '上期所热卷主力合约结算价' }));
  };
  return {
    async onDay(date) {
      if (date === addDays(today, -CATALOGUE_DAYS_AGO)) goods = await catalogue(as);
      if (date === pledgeDay) demo = await setUp(as, ids, today, date, goods!);
      if (!demo || date <= pledgeDay) return;
      await settle(date);
      const day = daysBetween(pledgeDay, date);
      if (day === STOCKTAKE_DAY)
        await recordStocktake(as('warehouse'), {
          warehouseId: demo.steelStoreId,
          counts: [{ lotId: demo.looseLotId, quantity: '59.985' }],
        });
      if (day === DEPOSIT_DAY) {
        const supplier = as('supplier');
        const [call] = await listMarginCalls(supplier, { status: 'open', applicationId: demo.looseLoanApplicationId, limit: 1 });
        if (!call) throw new Error('demo: the fully lent lot has no open margin call');
        await depositMargin(supplier, call.id, { amount: call.cash });
      }
      if (day === RELEASE_DAY) {
        const supplier = as('supplier');
        await repay(supplier, demo.looseLoanId, { amount: '30000.00', prepay: true });
        const release = await requestRelease(supplier, {
          applicationId: demo.looseLoanApplicationId,
          items: [{ lotId: demo.looseLotId, quantity: '12.000' }],
          note: '下游客户订单提货 12 吨',
        });
        demo.releaseId = (await approveRelease(as('bank'), release.id, { comment: '还款 30,000.00 已到账，同意解押' })).id;
      }
      if (day === RELEASE_DAY + 1 && demo.releaseId) {
        const release = await getRelease(as('warehouse'), demo.releaseId);
        for (const item of release.items)
          for (const lotId of item.freedLotIds)
            await checkOut(as('warehouse'), lotId, { quantity: item.quantity ?? undefined, reference: release.releaseNo });
      }
    },
    async today() {
      if (demo) await settle(today);
    },
  };
}

/**
 * The operator's catalogue and 东方仓储's warehouses, set up before any goods arrive (the buyback demo pledges steel
 * of this catalogue a month before the inventory demo's pledges).
 */
async function catalogue(as: As) {
  const operator = as('operator');
  const cat = (code: string, name: string, parentId?: string, pledgeRatio?: string, haircut?: string) =>
    createCategory(operator, { code, name, parentId, pledgeRatio, haircut });
  const steel = await cat('01', '钢材', undefined, '0.7', '0.05');
  const plate = await cat('0101', '板材', steel.id);
  const coilCategory = await cat('010101', '热轧卷板', plate.id);
  const machines = await cat('02', '工程机械', undefined, '0.6', '0.1');
  const excavators = await cat('0201', '挖掘机', machines.id);
  const crawler = await cat('020101', '履带式挖掘机', excavators.id);
  const coil = await createSku(operator, {
    categoryId: coilCategory.id,
    code: 'HRC-Q235B-4.75',
    name: '热轧卷板',
    spec: '4.75mm×1500mm×C',
    material: 'Q235B',
    origin: '上海宝山',
    unit: '吨',
    quantityScale: 3,
  });
  const excavator = await createSku(operator, {
    categoryId: crawler.id,
    code: 'EXC-HD220',
    name: '履带式挖掘机',
    model: 'HD-220LC',
    origin: '上海（华东重工）',
    unit: '台',
    quantityScale: 0,
    unitWeightKg: '22300',
    serialTracked: true,
  });

  // 东方仓储: a steel warehouse in Shanghai and a machinery yard in Jinan
  const wh = as('warehouse');
  const steelStore = await createWarehouse(wh, { code: 'DF-SH-01', name: '东方仓储宝山钢材库', address: '上海市宝山区蕰川路 3000 号' });
  for (const [code, name] of [
    ['A-01', 'A区 01 垛位'],
    ['A-02', 'A区 02 垛位'],
    ['B-01', 'B区 01 垛位'],
  ] as const)
    await addLocation(wh, steelStore.id, { code, name });
  const yard = await createWarehouse(wh, { code: 'DF-JN-01', name: '东方仓储济南机械堆场', address: '山东省济南市历城区工业北路 88 号' });
  await addLocation(wh, yard.id, { code: 'Y-01', name: '露天堆场 1 号' });
  const steelLocations = (await addLocation(wh, steelStore.id, { code: 'C-01', name: 'C区 01 垛位' })).locations;
  const yardLocation = (await addLocation(wh, yard.id, { code: 'Y-02', name: '露天堆场 2 号' })).locations[0]!;

  return { coil, excavator, steelStore, yard, steelLocations, yardLocation };
}

async function setUp(
  as: As,
  ids: Record<string, string>,
  today: BusinessDate,
  pledgeDay: BusinessDate,
  { coil, excavator, steelStore, yard, steelLocations, yardLocation }: Awaited<ReturnType<typeof catalogue>>,
) {
  const operator = as('operator');
  const wh = as('warehouse');
  // 热轧卷板: the exchange's settlement price day by day before the pledge (each day's after it comes in `onDay`), a
  // weekly price-site quote, and the purchase contract's price for the quarter
  for (const [i, price] of SETTLEMENTS_BEFORE.entries()) {
    const day = addDays(pledgeDay, i - SETTLEMENTS_BEFORE.length);
    await createPrice(operator, {
      skuId: coil.id,
      source: 'exchange_settlement',
      price,
      validFrom: day,
      validTo: day,
      note: '上期所热卷主力合约结算价',
    });
  }
  await createPrice(operator, {
    skuId: coil.id,
    source: 'exchange_settlement',
    price: SETTLEMENTS_SINCE[0]!,
    validFrom: pledgeDay,
    validTo: pledgeDay,
    note: '上期所热卷主力合约结算价',
  });
  for (let week = 0; week < 4; week++) {
    const from = addDays(today, -27 + week * 7);
    await createPrice(operator, {
      skuId: coil.id,
      source: 'industry_site',
      price: ['3900.00', '3880.00', '3840.00', '3800.00'][week]!,
      validFrom: from,
      validTo: addDays(from, 6),
      note: '行业价格网站 周均价（上海）',
    });
  }
  await createPrice(operator, {
    skuId: coil.id,
    source: 'contract',
    price: '3950.00',
    validFrom: addDays(today, -40),
    validTo: addDays(today, 50),
    note: '采购合同 JG-2026-118',
  });
  await createPrice(operator, {
    skuId: excavator.id,
    source: 'contract',
    price: '980000.00',
    validFrom: addDays(today, -30),
    validTo: addDays(today, 90),
    note: '经销合同价',
  });
  await createPrice(as('bank'), {
    skuId: excavator.id,
    source: 'funder_appraisal',
    price: '860000.00',
    validFrom: addDays(today, -7),
    validTo: addDays(today, 83),
    note: '浦江银行押品评估',
  });

  // 精工钢材's coils
  const supplier = as('supplier');
  const coils = [
    { quantity: '120.000', counted: '119.870', batchNo: 'BG-2611-0371', marks: '宝钢 Q235B 4.75×1500' },
    { quantity: '95.500', counted: '95.500', batchNo: 'BG-2611-0372', marks: '宝钢 Q235B 4.75×1500' },
    { quantity: '60.000', counted: '60.000', batchNo: 'BG-2611-0388', marks: '宝钢 Q235B 4.75×1500' },
  ];
  const coilLots: string[] = [];
  for (const [i, c] of coils.entries()) {
    const lot = await announceLot(supplier, {
      skuId: coil.id,
      warehouseId: steelStore.id,
      quantity: c.quantity,
      batchNo: c.batchNo,
      marks: c.marks,
    });
    await checkIn(wh, lot.id, { quantity: c.counted, weightKg: `${c.counted.replace('.', '')}.000`, locationId: steelLocations[i]!.id });
    coilLots.push(lot.id);
  }
  await announceLot(supplier, {
    skuId: coil.id,
    warehouseId: steelStore.id,
    quantity: '80.000',
    batchNo: 'BG-2612-0015',
    containerNo: '沪A·D2731',
    marks: '宝钢 Q235B 4.75×1500',
  });
  const receipt = await draftReceipt(wh, {
    lotIds: coilLots.slice(0, 2),
    quality: '符合 GB/T 3274-2017，表面无锈蚀',
    packaging: '钢带捆扎，端面标识',
    pieces: 9,
    lossAllowance: '0.3%',
    storageTermTo: addDays(today, 180),
    storageFee: '每吨每日 0.50 元，按月结算',
    insurance: { amount: '900000.00', currency: 'CNY', from: today, to: addDays(today, 180), insurer: '安信财产保险股份有限公司' },
  });
  await issueReceipt(wh, receipt.id);

  // 鲁工机械's excavators, by VIN
  const dealer = as('dealer');
  const vins = ['LHD220LC6P0012301', 'LHD220LC6P0012302', 'LHD220LC6P0012303'];
  const machinesLot = await announceLot(dealer, {
    skuId: excavator.id,
    warehouseId: yard.id,
    quantity: '3',
    serials: vins,
    batchNo: '华东重工 2026-11 批',
  });
  await checkIn(wh, machinesLot.id, { quantity: '3', serials: vins, locationId: yardLocation.id, weightKg: '66900.000' });
  await announceLot(dealer, {
    skuId: excavator.id,
    warehouseId: yard.id,
    quantity: '2',
    serials: ['LHD220LC6P0012304', 'LHD220LC6P0012305'],
    batchNo: '华东重工 2026-12 批',
  });

  // 浦江银行 lends against them: 仓单质押 on the receipt (68% of its value), 动产质押 on the third lot (lent in full at
  // 70%), and 鲁工机械's excavators under a dynamic pledge that keeps at least two machines' value in store
  const bank = as('bank');
  const common = {
    currency: 'CNY',
    minAmount: '100000.00',
    maxAmount: '30000000.00',
    minTermMonths: 1,
    maxTermMonths: 12,
    defaultRate: '0.072',
    dayCount: 'ACT_365',
    repaymentMethod: 'interest_monthly',
    requiredDocuments: ['warehouse_receipt'],
    requiresCreditLine: false,
    pledgeRate: '0.7',
  };
  const receiptProduct = await product(bank, 'WR-PLEDGE', '标准仓单质押贷款', 'warehouse_receipt', {
    ...common,
    annualRate: '0.0435',
    pledgeKind: 'static',
  });
  const goodsProduct = await product(bank, 'GOODS-PLEDGE', '动产质押融资（监管库）', 'inventory', {
    ...common,
    annualRate: '0.048',
    pledgeKind: 'static',
    // 保险机构: the goods insured for at least 80% of their value, or the bank sees the pledge flagged
    insuredValueRatio: '0.8',
  });
  const loan = (borrower: string, productId: string, amount: string, goods: Parameters<typeof makeLoan>[1]['goods']) =>
    makeLoan(as, {
      borrower,
      funderOrgId: ids.bank1!,
      productId,
      amount,
      termMonths: 6,
      funder: { officer: 'bank', checker: 'bank.checker', head: 'bank.head' },
      day: 0,
      docs: ['warehouse_receipt'],
      goods,
    });
  await loan('supplier', receiptProduct, '556000.00', { receiptIds: [receipt.id] });
  const looseLoan = await getLoan(supplier, await loan('supplier', goodsProduct, '159000.00', { lotIds: [coilLots[2]!] }));
  await loan('dealer', goodsProduct, '1500000.00', {
    lotIds: [machinesLot.id],
    pledgeKind: 'dynamic',
    minControlledValue: '1720000.00',
  });
  return {
    coilSkuId: coil.id,
    steelStoreId: steelStore.id,
    looseLotId: coilLots[2]!,
    looseLoanId: looseLoan.id,
    looseLoanApplicationId: looseLoan.applicationId!,
    releaseId: undefined as string | undefined,
  };
}

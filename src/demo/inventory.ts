/**
 * Demo inventory (issue 14's first slice): the operator's catalogue (钢材 › 板材 › 热轧卷板 in 吨 with 3 decimals;
 * 工程机械 › 挖掘机 › 履带式挖掘机 in 台, tracked by serial number), prices of 热轧卷板 from the exchange, a price site
 * and the purchase contract, and 浦江银行's appraisal of the excavators; 东方仓储's two warehouses; 精工钢材's coils
 * checked in (one with a small difference), two of them under an issued warehouse receipt pledged to 浦江银行, one
 * more on its way; 鲁工机械's excavators by VIN, three in store and two announced; a stocktake that found 15 kg less.
 * All through the inventory module's services, as the users would (validated, audited, with their events).
 */
import type { Ctx } from '../kernel/context';
import { addDays, type BusinessDate } from '../kernel/dates';
import {
  addLocation,
  announceLot,
  checkIn,
  createCategory,
  createPrice,
  createSku,
  createWarehouse,
  draftReceipt,
  issueReceipt,
  pledge,
  recordStocktake,
} from '../modules/inventory';

type As = (user: string) => Ctx;

export async function seedInventory(as: As, ids: Record<string, string>, today: BusinessDate): Promise<void> {
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

  // 热轧卷板: the exchange's settlement price day by day over the last ten days (falling), a weekly price-site
  // quote, and the purchase contract's price for the quarter
  const settlements = ['3862.00', '3855.00', '3848.00', '3850.00', '3831.00', '3820.00', '3808.00', '3796.00', '3785.00', '3772.00'];
  for (const [i, price] of settlements.entries()) {
    const day = addDays(today, i - settlements.length + 1);
    await createPrice(operator, {
      skuId: coil.id,
      source: 'exchange_settlement',
      price,
      validFrom: day,
      validTo: day,
      note: '上期所热卷主力合约结算价',
    });
  }
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
  await pledge(supplier, { receiptId: receipt.id, funderOrgId: ids.bank1! });
  await recordStocktake(wh, { warehouseId: steelStore.id, counts: [{ lotId: coilLots[2]!, quantity: '59.985' }] });

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
}

/**
 * Demo 保兑仓, lived through the demo's last business days (its `onDay` runs in the financing demo's end-of-day loop,
 * before each day's run; `today` after the loop, on today's business date):
 * - ten days ago: 华东重工 applies for a network at 浦江银行 (轮式装载机 to 东方仓储's Jinan yard, proportional release),
 *   both of the bank's approvers approve it; 华东重工 recommends 鲁工机械, 中原工机 and 蜀道设备, the bank admits them and
 *   grants their credit; every party signs the four-party, buyback, quality-guarantee and supervision agreements.
 *   Three bills are drawn, approved, issued and signed for, their loaders shipped and counted in (质押入库):
 *   鲁工机械's due in four days, 中原工机's in five, 蜀道设备's yesterday.
 * - the next day 鲁工机械 adds margin and the bank issues a delivery notice for one loader; the yard hands it over the
 *   day after. 鲁工机械's bill matures short: 华东重工 buys the rest back the next day (the surplus margin goes back to
 *   the dealer); 中原工机's matures short and its buyback goes unpaid: the bank advances. 蜀道设备's matured yesterday:
 *   its buyback notice is open today.
 *   中原工机's advance (垫款) is financing's loan at the penalty rate, in collections.
 * - today: 中原工机 takes a short-term loan (短期贷款) instead of a bill: the bank lends it the face and pays 华东重工 at
 *   once, the loaders go into the yard pledged under it, and 中原工机 adds margin.
 * - today: bills of 鲁工机械 in every other state — one live with margin added and a delivery executed, one issued with
 *   its loaders on the road (the yard's 待入库), one approved, one whose order awaits the bank, one awaiting
 *   华东重工's confirmation, one declined, one withdrawn.
 * All through the services, as the users would.
 */
import type { Ctx } from '../kernel/context';
import { addDays, daysBetween, type BusinessDate } from '../kernel/dates';
import {
  approveBill,
  applyBill,
  cancelBill,
  confirmBill,
  deliverBill,
  depositBillMargin,
  getBill,
  issueBill,
  rejectBill,
  shipGoods,
  type ApplyBillInput,
} from '../modules/confirming/bills';
import { issueDeliveryNotice } from '../modules/confirming/deliveries';
import { listBuybacks, payBuyback } from '../modules/confirming/maturity';
import { createNetwork, submitNetwork } from '../modules/confirming/networks';
import { recommendDealer, submitDealer } from '../modules/confirming/dealers';
import { listAgreements, signAgreement } from '../modules/confirming/agreements';
import { checkIn, checkOut, createPrice, createSku, listSkus, listWarehouses } from '../modules/inventory';
import { recordCashMovement } from '../modules/ledger';
import { listProducts } from '../modules/products';
import { decideTask, inbox } from '../modules/workflow';

type As = (user: string) => Ctx;

const SETUP_DAYS_AGO = 10;
const LOADER_PRICE = '320000.00';

export interface ConfirmingDemo {
  onDay(date: BusinessDate): Promise<void>;
  today(): Promise<void>;
}

interface Set {
  networkId: string;
  skuId: string;
  bills: Record<'lugong' | 'zhongyuan' | 'shudao', string>;
  deliveredNotice?: { freedLotId: string; deliveryOrderId: string; quantity: string } | undefined;
}

export function confirmingDemo(as: As, ids: Record<string, string>, today: BusinessDate): ConfirmingDemo {
  const setUpDay = addDays(today, -SETUP_DAYS_AGO);
  let demo: Set | undefined;
  return {
    async onDay(date) {
      if (date === setUpDay) demo = await setUp(as, ids, today, date);
      if (!demo || date <= setUpDay) return;
      const day = daysBetween(setUpDay, date);
      if (day === 1) {
        // 鲁工机械 adds 300,000.00: proportionally that frees 428,571.42 — one loader (320,000.00) goes
        await depositBillMargin(as('dealer'), demo.bills.lugong, { amount: '300000.00' });
        const lot = (await getBill(as('bank'), demo.bills.lugong)).lots[0]!;
        const notice = await issueDeliveryNotice(as('bank'), demo.bills.lugong, {
          items: [{ lotId: lot.lotId, quantity: '1' }],
          note: '追加保证金 300,000.00 已到账，释放装载机 1 台',
        });
        demo.deliveredNotice = notice.items[0]!;
      }
      if (day === 2 && demo.deliveredNotice) {
        const d = demo.deliveredNotice;
        await checkOut(as('warehouse'), d.freedLotId, {
          quantity: d.quantity,
          deliveryOrderId: d.deliveryOrderId,
          reference: '鲁工机械 提车',
        });
      }
      if (day === 5) {
        // 鲁工机械's bill matured short yesterday: 华东重工 buys the loaders still in the yard back
        const [notice] = (await listBuybacks(as('core'), { status: 'noticed', limit: 10 })).items.filter(
          (b) => b.billId === demo!.bills.lugong,
        );
        if (!notice) throw new Error('demo: 鲁工机械’s bill has no buyback notice');
        await payBuyback(as('core'), notice.id);
      }
    },
    async today() {
      if (!demo) return;
      await todaysBills(as, demo, today);
    },
  };
}

async function decideAll(as: As, users: readonly string[], subjectType: string, subjectId: string, comment: string): Promise<void> {
  for (const user of users) {
    const task = (await inbox(as(user))).find((t) => t.subjectType === subjectType && t.subjectId === subjectId);
    if (!task) throw new Error(`demo: no ${subjectType} task for ${user}`);
    await decideTask(as(user), task.id, 'approve', comment);
  }
}

async function setUp(as: As, ids: Record<string, string>, today: BusinessDate, date: BusinessDate): Promise<Set> {
  const operator = as('operator');
  // the loaders: a machinery SKU counted in units, priced at the dealers' contract price
  const [machines] = (await listSkus(operator, { limit: 500 })).filter((s) => s.code === 'EXC-HD220');
  if (!machines) throw new Error('demo: the inventory demo’s catalogue comes first');
  const loader = await createSku(operator, {
    categoryId: machines.categoryId,
    code: 'LDR-ZL50',
    name: '轮式装载机',
    model: 'ZL50G',
    origin: '上海（华东重工）',
    unit: '台',
    quantityScale: 0,
    unitWeightKg: '17000',
  });
  await createPrice(operator, {
    skuId: loader.id,
    source: 'contract',
    price: LOADER_PRICE,
    validFrom: addDays(today, -60),
    validTo: addDays(today, 300),
    note: '华东重工经销商供货合同价',
  });
  const [yard] = (await listWarehouses(operator, { limit: 100 })).filter((w) => w.code === 'DF-JN-01');
  if (!yard) throw new Error('demo: 东方仓储济南机械堆场 comes first');
  for (const org of ['dea1', 'dea2', 'dea3'])
    await recordCashMovement(operator, {
      orgId: ids[org]!,
      currency: 'CNY',
      amount: '5000000.00',
      direction: 'deposit',
      reference: `保兑仓 首付款备付 ${org}`,
    });

  // 建网
  const core = as('core');
  // the bank's dealer credit product (the financing demo's 保兑仓流动资金贷款): the short-term loans' and advances' terms
  const [bdc] = (await listProducts(as('bank'), { mode: 'confirming_storage' })).filter((x) => x.code === 'BDC-LOAN');
  if (!bdc) throw new Error('demo: the financing demo’s BDC-LOAN product comes first');
  const network = await createNetwork(core, {
    bankOrgId: ids.bank1!,
    dealerProductIds: [bdc.id],
    currency: 'CNY',
    authorisedBranch: '浦江银行总行',
    rating: 'AA+',
    mainGoods: '工程机械（轮式装载机）',
    categoryId: machines.categoryId,
    totalLimit: '100000000.00',
    buybackCoversExposure: true,
    dealerMarginRatio: '0.30',
    minMarginRatio: '0.30',
    inventoryReallocatable: false,
    firstBatchCollateral: false,
    deliveryDays: 7,
    supervisionMode: 'third_party',
    warehouseId: yard.id,
    releaseRule: 'proportional',
    overview:
      '华东重工装载机经销商保兑仓网络：经销商以银承支付货款，货物存放东方仓储济南堆场，按保证金比例提货，到期未提货物由华东重工回购。',
  });
  await submitNetwork(core, network.id);
  await decideAll(as, ['bank.checker', 'bank.head'], 'cs_network', network.id, '核心厂商资信良好，回购能力充足，同意建网');

  // 入网: three dealers on 华东重工's recommendation
  const dealerFacts = [
    ['dea1', '山东鲁工机械销售有限公司', '30000000.00', '370100000000011', 420, '126000000.00'],
    ['dea2', '河南中原工机设备有限公司', '25000000.00', '410100000000022', 310, '93000000.00'],
    ['dea3', '四川蜀道设备贸易有限公司', '20000000.00', '510100000000033', 260, '78000000.00'],
  ] as const;
  for (const [key, name, limit, licence, volume, revenue] of dealerFacts) {
    const dealer = await recommendDealer(core, network.id, {
      dealerOrgId: ids[key]!,
      applicantName: name,
      applicantType: '10',
      accountManager: '浦江银行 客户经理 李明',
      reviewer: '浦江银行 审查员 赵琳',
      registeredCapital: '10000000.00',
      registeredAddress: name.slice(0, 2) === '山东' ? '山东省济南市' : name.slice(0, 2) === '河南' ? '河南省郑州市' : '四川省成都市',
      yearsInBusiness: 9,
      joinDate: date,
      pbcCreditRecord: '人行征信无不良记录',
      lastYearSalesVolume: `${volume}.00`,
      salesVolumeUnit: '台',
      lastYearRevenue: revenue,
      mainBusiness: true,
      recommendedLimit: limit,
      marginRatio: '0.30',
      creditTermMonths: 12,
      downPaymentRatio: '0.30',
      licenceNo: licence,
      goodsHeldBefore: '装载机 12 台',
    });
    await submitDealer(core, dealer.id);
    await decideAll(as, ['bank.checker'], 'cs_dealer_admission', dealer.id, '经营稳定，同意入网');
    await decideAll(as, ['bank.head'], 'cs_dealer_credit', dealer.id, '按推荐额度授信');
  }
  // every party signs what it is party to
  for (const user of ['bank', 'core', 'warehouse', 'dealer', 'dealer2', 'dealer3']) {
    const ctx = as(user);
    for (const a of (await listAgreements(ctx, { networkId: network.id })).items) {
      const mine = a.parties.find((p) => p.org.id === ctx.actor.orgId);
      if (mine && !mine.signedOn) await signAgreement(ctx, a.id, { sha256: a.sha256 });
    }
  }

  const bills = {
    lugong: await liveBill(as, 'dealer', network.id, loader.id, { units: 10, maturity: addDays(date, 4), contractNo: 'HDZG-LG-2026-031' }),
    zhongyuan: await liveBill(as, 'dealer2', network.id, loader.id, {
      units: 6,
      maturity: addDays(date, 5),
      contractNo: 'HDZG-ZY-2026-017',
    }),
    shudao: await liveBill(as, 'dealer3', network.id, loader.id, {
      units: 5,
      maturity: addDays(today, -1),
      contractNo: 'HDZG-SD-2026-009',
    }),
  };
  return { networkId: network.id, skuId: loader.id, bills };
}

function order(networkId: string, skuId: string, units: number, maturity: BusinessDate, contractNo: string): ApplyBillInput {
  const face = (BigInt(units) * 32_000_000n).toString();
  return {
    networkId,
    face: `${face.slice(0, -2)}.${face.slice(-2)}`,
    marginRatio: '0.30',
    maturityDate: maturity,
    contractNo,
    goods: [{ skuId, quantity: String(units), unitPrice: LOADER_PRICE }],
  };
}

/** A bill taken as far as `until` goes (each step by the party whose step it is); its id. */
async function billUpTo(
  as: As,
  dealer: string,
  input: ApplyBillInput,
  until: 'applied' | 'confirmed' | 'approved' | 'issued' | 'delivered',
  ship: 'none' | 'in_transit' | 'in_store',
): Promise<string> {
  const bill = await applyBill(as(dealer), input);
  const steps = ['confirmed', 'approved', 'issued', 'delivered'] as const;
  for (const step of steps.slice(0, steps.indexOf(until as (typeof steps)[number]) + 1)) {
    if (step === 'confirmed') await confirmBill(as('core'), bill.id);
    if (step === 'approved')
      await approveBill(as('bank'), bill.id, {
        comment: input.kind === 'loan' ? '贸易背景真实，订单经厂商确认，同意放款并受托支付厂商' : '贸易背景真实，订单经厂商确认，同意开票',
      });
    if (step === 'issued') await issueBill(as('bank'), bill.id);
    if (step === 'delivered') await deliverBill(as('core'), bill.id);
  }
  if (ship !== 'none') {
    const shipped = await shipGoods(as('core'), bill.id, {
      lots: input.goods.map((g) => ({ skuId: g.skuId, quantity: g.quantity, batchNo: `${input.contractNo}-1` })),
    });
    if (ship === 'in_store')
      for (const lot of shipped.lots) await checkIn(as('warehouse'), lot.lotId, { quantity: lot.quantity, note: '随车合格证、发票齐全' });
  }
  return bill.id;
}

function liveBill(
  as: As,
  dealer: string,
  networkId: string,
  skuId: string,
  o: { units: number; maturity: BusinessDate; contractNo: string },
) {
  return billUpTo(as, dealer, order(networkId, skuId, o.units, o.maturity, o.contractNo), 'delivered', 'in_store');
}

async function todaysBills(as: As, demo: Set, today: BusinessDate): Promise<void> {
  const next = (months: number) => addDays(today, months * 30);
  const o = (units: number, contractNo: string, months = 3) => order(demo.networkId, demo.skuId, units, next(months), contractNo);
  // live: margin added and one loader delivered
  const live = await billUpTo(as, 'dealer', o(8, 'HDZG-LG-2026-044'), 'delivered', 'in_store');
  await depositBillMargin(as('dealer'), live, { amount: '240000.00' }); // frees 342,857.14: one loader
  const lot = (await getBill(as('bank'), live)).lots[0]!;
  const notice = await issueDeliveryNotice(as('bank'), live, {
    items: [{ lotId: lot.lotId, quantity: '1' }],
    note: '追加保证金到账，放行 1 台',
  });
  const item = notice.items[0]!;
  await checkOut(as('warehouse'), item.freedLotId, {
    quantity: item.quantity,
    deliveryOrderId: item.deliveryOrderId,
    reference: '鲁工机械 提车',
  });
  // 短期贷款: 中原工机 borrows for four loaders; the bank pays 华东重工, the loaders are counted in under the loan
  const loan = await billUpTo(as, 'dealer2', { ...o(4, 'HDZG-ZY-2026-023', 2), kind: 'loan' }, 'approved', 'in_store');
  await depositBillMargin(as('dealer2'), loan, { amount: '128000.00' });
  await billUpTo(as, 'dealer', o(4, 'HDZG-LG-2026-047'), 'issued', 'in_transit'); // loaders on the road: the yard's 待入库
  await billUpTo(as, 'dealer', o(3, 'HDZG-LG-2026-049', 2), 'approved', 'none');
  await billUpTo(as, 'dealer', o(5, 'HDZG-LG-2026-050'), 'confirmed', 'none'); // the bank's 待审批
  await billUpTo(as, 'dealer2', o(2, 'HDZG-ZY-2026-021'), 'applied', 'none'); // 华东重工's 待确认订单
  const declined = await billUpTo(as, 'dealer3', o(12, 'HDZG-SD-2026-012'), 'confirmed', 'none');
  await rejectBill(as('bank'), declined, { comment: '经销商本季库存周转偏慢，本笔暂缓' });
  const withdrawn = await billUpTo(as, 'dealer', o(2, 'HDZG-LG-2026-051'), 'applied', 'none');
  await cancelBill(as('dealer'), withdrawn);
}

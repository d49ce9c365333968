/**
 * Demo data: a realistic 1+N chain around one core manufacturer (Chinese names), seeded through the modules'
 * own services — so every row is validated and audited exactly as if users had typed it in.
 */
import '../composition'; // every module and its registrations (end-of-day steps…)
import type { Ctx, OrgType, Role } from '../kernel/context';
import { systemActor } from '../kernel/context';
import type { Executor } from '../kernel/db';
import { formatAmount } from '../kernel/money';
import { addDays, shanghaiDate } from '../kernel/dates';
import { seedCertificates } from './certificates';
import { seedCash, seedFinancing } from './financing';
import { PLEDGED_DAYS_AGO, inventoryDemo } from './inventory';
import { confirmingDemo } from './confirming';
import { buybackDemo } from './buyback';
import { insuranceDemo } from './insurance';
import { scoringDemo } from './scoring';
import { guaranteeDemo } from './guarantee';
import { uuidv7 } from '../kernel/ids';
import { initBusinessDate } from '../modules/calendar';
import { activateLine, approveChange, occupy, submitChange, useOccupation } from '../modules/credit';
import { createUser } from '../modules/identity';
import {
  addContact,
  addKeyPerson,
  addShareholder,
  addStatement,
  classifyParty,
  addFollowUp,
  countOrganizations,
  createParty,
  createRelationship,
  ensureOperator,
  withCheckCharacter,
} from '../modules/parties';

export const DEMO_PASSWORD = 'OpenSCF-demo-2026';
/** Business days of history the demo is seeded with (end-of-day runs for each). */
export const DEMO_HISTORY_DAYS = 45;

interface DemoOrg {
  key: string;
  type: OrgType;
  name: string;
  shortName: string;
  region: string;
  regionCode: string;
  industry: string;
  legalRepresentative: string;
  /** Registered capital and total assets in 万元 (10,000 CNY). */
  capitalWan: number;
  assetsWan: number;
  debtRatioPct: number;
  foundedOn: string;
  address: string;
}

const ORGS: DemoOrg[] = [
  {
    key: 'core',
    type: 'core',
    name: '华东重工机械股份有限公司',
    shortName: '华东重工',
    region: '上海',
    regionCode: '310000',
    industry: '工程机械制造',
    legalRepresentative: '王建国',
    capitalWan: 120000,
    assetsWan: 2_600_000,
    debtRatioPct: 58,
    foundedOn: '1998-06-18',
    address: '上海市浦东新区张江路 1888 号',
  },
  {
    key: 'sup1',
    type: 'supplier',
    name: '江苏精工钢材有限公司',
    shortName: '精工钢材',
    region: '江苏苏州',
    regionCode: '320500',
    industry: '钢材加工',
    legalRepresentative: '李振华',
    capitalWan: 8000,
    assetsWan: 56000,
    debtRatioPct: 62,
    foundedOn: '2006-03-09',
    address: '江苏省苏州市吴中区工业园 18 号',
  },
  {
    key: 'sup2',
    type: 'supplier',
    name: '浙江恒力液压件有限公司',
    shortName: '恒力液压',
    region: '浙江宁波',
    regionCode: '330200',
    industry: '液压件制造',
    legalRepresentative: '陈志强',
    capitalWan: 5000,
    assetsWan: 32000,
    debtRatioPct: 55,
    foundedOn: '2009-11-20',
    address: '浙江省宁波市北仑区新碶街道 66 号',
  },
  {
    key: 'sup3',
    type: 'supplier',
    name: '安徽华电电气有限公司',
    shortName: '华电电气',
    region: '安徽合肥',
    regionCode: '340100',
    industry: '电气控制设备',
    legalRepresentative: '周明',
    capitalWan: 3000,
    assetsWan: 21000,
    debtRatioPct: 49,
    foundedOn: '2012-05-16',
    address: '安徽省合肥市高新区创新大道 99 号',
  },
  {
    key: 'sup4',
    type: 'supplier',
    name: '常州宏达铸造有限公司',
    shortName: '宏达铸造',
    region: '江苏常州',
    regionCode: '320400',
    industry: '铸件',
    legalRepresentative: '吴海涛',
    capitalWan: 1200,
    assetsWan: 7800,
    debtRatioPct: 66,
    foundedOn: '2011-08-01',
    address: '江苏省常州市武进区湖塘镇 12 号',
  },
  {
    key: 'sup5',
    type: 'supplier',
    name: '宁波精密轴承有限公司',
    shortName: '精密轴承',
    region: '浙江宁波',
    regionCode: '330200',
    industry: '轴承',
    legalRepresentative: '郑丽',
    capitalWan: 1500,
    assetsWan: 9200,
    debtRatioPct: 51,
    foundedOn: '2014-02-27',
    address: '浙江省宁波市鄞州区首南街道 8 号',
  },
  {
    key: 'sup6',
    type: 'supplier',
    name: '合肥新锐材料科技有限公司',
    shortName: '新锐材料',
    region: '安徽合肥',
    regionCode: '340100',
    industry: '绝缘材料',
    legalRepresentative: '孙伟',
    capitalWan: 800,
    assetsWan: 4600,
    debtRatioPct: 47,
    foundedOn: '2017-09-12',
    address: '安徽省合肥市包河区繁华大道 210 号',
  },
  {
    key: 'dea1',
    type: 'dealer',
    name: '山东鲁工机械销售有限公司',
    shortName: '鲁工机械',
    region: '山东济南',
    regionCode: '370100',
    industry: '工程机械销售',
    legalRepresentative: '刘强',
    capitalWan: 2000,
    assetsWan: 15000,
    debtRatioPct: 63,
    foundedOn: '2008-04-10',
    address: '山东省济南市历城区工业北路 300 号',
  },
  {
    key: 'dea2',
    type: 'dealer',
    name: '河南中原工程机械有限公司',
    shortName: '中原工机',
    region: '河南郑州',
    regionCode: '410100',
    industry: '工程机械销售',
    legalRepresentative: '赵磊',
    capitalWan: 1800,
    assetsWan: 12800,
    debtRatioPct: 60,
    foundedOn: '2010-07-07',
    address: '河南省郑州市经开区第八大街 55 号',
  },
  {
    key: 'dea3',
    type: 'dealer',
    name: '四川蜀道设备贸易有限公司',
    shortName: '蜀道设备',
    region: '四川成都',
    regionCode: '510100',
    industry: '设备贸易',
    legalRepresentative: '杨帆',
    capitalWan: 1500,
    assetsWan: 9900,
    debtRatioPct: 58,
    foundedOn: '2013-12-02',
    address: '四川省成都市双流区西航港大道 18 号',
  },
  {
    key: 'dea4',
    type: 'dealer',
    name: '广东粤通机械设备有限公司',
    shortName: '粤通机械',
    region: '广东广州',
    regionCode: '440100',
    industry: '工程机械销售',
    legalRepresentative: '黄俊',
    capitalWan: 2500,
    assetsWan: 17600,
    debtRatioPct: 57,
    foundedOn: '2007-10-15',
    address: '广东省广州市番禺区市桥街 128 号',
  },
  {
    key: 'dea5',
    type: 'dealer',
    name: '湖北楚天工程机械有限公司',
    shortName: '楚天工机',
    region: '湖北武汉',
    regionCode: '420100',
    industry: '工程机械销售',
    legalRepresentative: '胡斌',
    capitalWan: 1200,
    assetsWan: 8300,
    debtRatioPct: 68,
    foundedOn: '2015-06-23',
    address: '湖北省武汉市东西湖区金银湖路 6 号',
  },
  {
    key: 'bank1',
    type: 'bank',
    name: '浦江银行股份有限公司上海分行',
    shortName: '浦江银行',
    region: '上海',
    regionCode: '310000',
    industry: '银行',
    legalRepresentative: '钱立新',
    capitalWan: 500000,
    assetsWan: 90_000_000,
    debtRatioPct: 92,
    foundedOn: '1996-01-08',
    address: '上海市黄浦区中山东一路 12 号',
  },
  {
    key: 'bank2',
    type: 'bank',
    name: '长江商业银行股份有限公司苏州分行',
    shortName: '长江银行',
    region: '江苏苏州',
    regionCode: '320500',
    industry: '银行',
    legalRepresentative: '冯建',
    capitalWan: 300000,
    assetsWan: 42_000_000,
    debtRatioPct: 91,
    foundedOn: '2001-09-28',
    address: '江苏省苏州市工业园区旺墩路 158 号',
  },
  {
    key: 'factor',
    type: 'factor',
    name: '中链商业保理有限公司',
    shortName: '中链保理',
    region: '上海',
    regionCode: '310000',
    industry: '商业保理',
    legalRepresentative: '林芳',
    capitalWan: 50000,
    assetsWan: 260000,
    debtRatioPct: 70,
    foundedOn: '2016-03-01',
    address: '上海市浦东新区世纪大道 88 号',
  },
  {
    key: 'warehouse',
    type: 'warehouse',
    name: '东方仓储监管有限公司',
    shortName: '东方仓储',
    region: '江苏苏州',
    regionCode: '320500',
    industry: '仓储与押品监管',
    legalRepresentative: '何勇',
    capitalWan: 10000,
    assetsWan: 48000,
    debtRatioPct: 45,
    foundedOn: '2005-05-20',
    address: '江苏省苏州市相城区物流园 1 号库',
  },
  {
    key: 'insurer',
    type: 'insurer',
    name: '安信财产保险股份有限公司',
    shortName: '安信财险',
    region: '上海',
    regionCode: '310000',
    industry: '财产保险',
    legalRepresentative: '高洁',
    capitalWan: 400000,
    assetsWan: 3_200_000,
    debtRatioPct: 78,
    foundedOn: '2004-09-09',
    address: '上海市静安区南京西路 1266 号',
  },
  {
    key: 'guarantor',
    type: 'guarantor',
    name: '金盾融资担保有限公司',
    shortName: '金盾担保',
    region: '上海',
    regionCode: '310000',
    industry: '融资担保',
    legalRepresentative: '罗斌',
    capitalWan: 100000,
    assetsWan: 180000,
    debtRatioPct: 35,
    foundedOn: '2010-10-10',
    address: '上海市徐汇区漕溪北路 333 号',
  },
  {
    key: 'buyback',
    type: 'buyback',
    name: '华东设备回购服务有限公司',
    shortName: '华东回购',
    region: '上海',
    regionCode: '310000',
    industry: '设备回购与处置',
    legalRepresentative: '马骏',
    capitalWan: 20000,
    assetsWan: 76000,
    debtRatioPct: 52,
    foundedOn: '2012-12-12',
    address: '上海市闵行区莘庄工业区春东路 500 号',
  },
  {
    key: 'logistics',
    type: 'logistics',
    name: '顺畅供应链物流有限公司',
    shortName: '顺畅物流',
    region: '江苏南京',
    regionCode: '320100',
    industry: '物流运输',
    legalRepresentative: '谢宇',
    capitalWan: 6000,
    assetsWan: 25000,
    debtRatioPct: 54,
    foundedOn: '2009-02-14',
    address: '江苏省南京市江宁区物流大道 77 号',
  },
  {
    key: 'sup7',
    type: 'supplier',
    name: '无锡华强五金有限公司',
    shortName: '华强五金',
    region: '江苏无锡',
    regionCode: '320200',
    industry: '五金紧固件',
    legalRepresentative: '蒋平',
    capitalWan: 500,
    assetsWan: 2600,
    debtRatioPct: 53,
    foundedOn: '2016-04-18',
    address: '江苏省无锡市惠山区堰桥街道 36 号',
  },
  {
    key: 'sup8',
    type: 'supplier',
    name: '苏州锐达机电有限公司',
    shortName: '锐达机电',
    region: '江苏苏州',
    regionCode: '320500',
    industry: '机电配件',
    legalRepresentative: '沈磊',
    capitalWan: 1000,
    assetsWan: 5400,
    debtRatioPct: 49,
    foundedOn: '2013-10-08',
    address: '江苏省苏州市相城区元和街道 99 号',
  },
];

/** One sign-in per organisation type, named after it, as the README lists. */
export const DEMO_USERS: { username: string; orgKey: string; displayName: string; roles: Role[] }[] = [
  { username: 'operator', orgKey: 'operator', displayName: '平台运营管理员', roles: ['admin', 'officer'] },
  { username: 'core', orgKey: 'core', displayName: '华东重工 财务经理', roles: ['admin', 'officer'] },
  { username: 'supplier', orgKey: 'sup1', displayName: '精工钢材 财务', roles: ['admin', 'officer'] },
  { username: 'dealer', orgKey: 'dea1', displayName: '鲁工机械 总经理', roles: ['admin', 'officer'] },
  { username: 'bank', orgKey: 'bank1', displayName: '浦江银行 客户经理', roles: ['admin', 'officer'] },
  { username: 'factor', orgKey: 'factor', displayName: '中链保理 业务经理', roles: ['admin', 'officer'] },
  { username: 'warehouse', orgKey: 'warehouse', displayName: '东方仓储 监管员', roles: ['admin', 'officer'] },
  { username: 'insurer', orgKey: 'insurer', displayName: '安信财险 核保员', roles: ['admin', 'officer'] },
  { username: 'guarantor', orgKey: 'guarantor', displayName: '金盾担保 项目经理', roles: ['admin', 'officer'] },
  { username: 'buyback', orgKey: 'buyback', displayName: '华东回购 业务经理', roles: ['admin', 'officer'] },
  // Checkers for maker-checker flows (复核 / 审批)
  { username: 'operator.checker', orgKey: 'operator', displayName: '平台复核员', roles: ['approver'] },
  { username: 'core.checker', orgKey: 'core', displayName: '华东重工 复核员', roles: ['approver'] },
  { username: 'bank.checker', orgKey: 'bank1', displayName: '浦江银行 风险经理（初审）', roles: ['approver'] },
  { username: 'bank.head', orgKey: 'bank1', displayName: '浦江银行 授信审批官（复审）', roles: ['approver'] },
  { username: 'bank2', orgKey: 'bank2', displayName: '长江银行 客户经理', roles: ['admin', 'officer'] },
  { username: 'bank2.checker', orgKey: 'bank2', displayName: '长江银行 风险经理（初审）', roles: ['approver'] },
  { username: 'bank2.head', orgKey: 'bank2', displayName: '长江银行 授信审批官（复审）', roles: ['approver'] },
  { username: 'dealer2', orgKey: 'dea2', displayName: '中原工机 财务', roles: ['admin', 'officer'] },
  { username: 'dealer3', orgKey: 'dea3', displayName: '蜀道设备 财务', roles: ['admin', 'officer'] },
  { username: 'supplier2', orgKey: 'sup4', displayName: '宏达铸造 财务（二级供应商）', roles: ['admin', 'officer'] },
  { username: 'supplier3', orgKey: 'sup7', displayName: '华强五金 财务（三级供应商）', roles: ['admin', 'officer'] },
  { username: 'supplier4', orgKey: 'sup8', displayName: '锐达机电 财务（二级供应商）', roles: ['admin', 'officer'] },
  { username: 'supplier.checker', orgKey: 'sup1', displayName: '精工钢材 复核员', roles: ['approver'] },
  { username: 'factor.checker', orgKey: 'factor', displayName: '中链保理 风险经理（初审）', roles: ['approver'] },
  { username: 'factor.head', orgKey: 'factor', displayName: '中链保理 审批官（复审）', roles: ['approver'] },
  { username: 'guarantor.checker', orgKey: 'guarantor', displayName: '金盾担保 风控', roles: ['approver'] },
  { username: 'buyback.checker', orgKey: 'buyback', displayName: '华东回购 复核员', roles: ['approver'] },
  { username: 'insurer.checker', orgKey: 'insurer', displayName: '安信财险 核保/理赔复核员', roles: ['approver'] },
  // 金盾担保's posts (融资担保): B角, 复审, finance, the 审保会 members; 'guarantor' is the A角, 'guarantor.checker' 风控
  { username: 'guarantor.b', orgKey: 'guarantor', displayName: '金盾担保 项目经理（B角）', roles: ['officer'] },
  { username: 'guarantor.head', orgKey: 'guarantor', displayName: '金盾担保 总经理（复审）', roles: ['approver'] },
  { username: 'guarantor.finance', orgKey: 'guarantor', displayName: '金盾担保 财务', roles: ['approver'] },
  { username: 'guarantor.c1', orgKey: 'guarantor', displayName: '金盾担保 审保会委员（主任）', roles: ['approver'] },
  { username: 'guarantor.c2', orgKey: 'guarantor', displayName: '金盾担保 审保会委员', roles: ['approver'] },
  { username: 'guarantor.c3', orgKey: 'guarantor', displayName: '金盾担保 审保会委员', roles: ['approver'] },
];

/** A deterministic, valid unified social credit code for demo organisation number `n`. */
export function demoCreditCode(regionCode: string, n: number): string {
  const orgCode = `MA${String(1000000 + n * 7919).slice(-6)}${'ABCDEFGHJ'[n % 9]}`;
  return withCheckCharacter(`91${regionCode}${orgCode}`);
}

const WAN = 1_000_000n; // 万元 in fen

function statement(assetsWan: number, debtRatioPct: number, revenueGrowthPct: number, year: number) {
  const assets = BigInt(assetsWan) * WAN;
  const liabilities = (assets * BigInt(debtRatioPct)) / 100n;
  const equity = assets - liabilities;
  const currentAssets = (assets * 45n) / 100n;
  const revenue = (assets * BigInt(110 + revenueGrowthPct)) / 100n;
  const cost = (revenue * 81n) / 100n;
  const netProfit = (revenue * 5n) / 100n;
  const s = (minor: bigint) => formatAmount(minor, 'CNY');
  return {
    periodType: 'annual' as const,
    periodEnd: `${year}-12-31`,
    currency: 'CNY' as const,
    audited: year < 2025,
    cash: s((currentAssets * 20n) / 100n),
    receivables: s((currentAssets * 35n) / 100n),
    inventory: s((currentAssets * 30n) / 100n),
    currentAssets: s(currentAssets),
    totalAssets: s(assets),
    currentLiabilities: s((liabilities * 70n) / 100n),
    totalLiabilities: s(liabilities),
    equity: s(equity),
    revenue: s(revenue),
    costOfSales: s(cost),
    netProfit: s(netProfit),
    operatingCashFlow: s((netProfit * 6n) / 5n),
  };
}

export interface SeedResult {
  seeded: boolean;
  organizations: Record<string, string>;
}

/** Seeds the demo chain into an empty database; does nothing (seeded: false) when organisations exist. */
export async function seedDemo(db: Executor): Promise<SeedResult> {
  if ((await countOrganizations(db)) > 0) return { seeded: false, organizations: {} };
  const today = shanghaiDate(new Date());
  // The demo platform opened 75 business days ago, so its loans have a history of end-of-day runs.
  const start = addDays(today, -DEMO_HISTORY_DAYS);
  await initBusinessDate({ db }, start);
  const operator = await ensureOperator(db, {
    name: '链融数科金融服务（上海）有限公司',
    shortName: '链融数科',
    creditCode: demoCreditCode('310000', 0),
  });
  const ctx: Ctx = { db, actor: systemActor(operator.id), requestId: `seed-${uuidv7()}` };
  const ids: Record<string, string> = { operator: operator.id };

  for (const [index, org] of ORGS.entries()) {
    const created = await createParty(ctx, {
      type: org.type,
      name: org.name,
      shortName: org.shortName,
      creditCode: demoCreditCode(org.regionCode, index + 1),
      legalRepresentative: org.legalRepresentative,
      registeredCapital: `${org.capitalWan}0000.00`,
      address: org.address,
      region: org.region,
      industry: org.industry,
      foundedOn: org.foundedOn,
      phone: `021-6${String(1000000 + index * 3571).slice(-7)}`,
      email: `contact@${org.key}.demo.openscf.cn`,
    });
    ids[org.key] = created.id;
    await addStatement(ctx, created.id, statement(Math.round(org.assetsWan * 0.9), org.debtRatioPct + 2, 0, 2024));
    await addStatement(ctx, created.id, statement(org.assetsWan, org.debtRatioPct, 8 + (index % 5) * 3, 2025));
    await addContact(ctx, created.id, {
      name: `${org.legalRepresentative.slice(0, 1)}经理`,
      title: '财务负责人',
      phone: `1380000${String(1000 + index).slice(-4)}`,
      email: `finance@${org.key}.demo.openscf.cn`,
      isPrimary: true,
    });
    await addKeyPerson(ctx, created.id, {
      name: org.legalRepresentative,
      role: 'legal_representative',
      idNumberMasked: `${org.regionCode}********${String(1000 + index).slice(-4)}`,
      phone: null,
      note: null,
    });
    await addShareholder(ctx, created.id, {
      name: `${org.legalRepresentative}`,
      kind: 'individual',
      sharePct: '60.0000',
      contribution: `${org.capitalWan * 6000}.00`,
    });
    await addShareholder(ctx, created.id, {
      name: `${org.shortName}员工持股平台`,
      kind: 'corporate',
      sharePct: '40.0000',
      contribution: `${org.capitalWan * 4000}.00`,
    });
  }

  const since = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}-01`;
  const links: [string, string, 'supplier' | 'dealer' | 'funder' | 'service', string][] = [
    ['core', 'sup1', 'supplier', since(2015, 3)],
    ['core', 'sup2', 'supplier', since(2016, 7)],
    ['core', 'sup3', 'supplier', since(2018, 1)],
    ['sup1', 'sup4', 'supplier', since(2017, 5)],
    ['sup2', 'sup5', 'supplier', since(2019, 9)],
    ['sup3', 'sup6', 'supplier', since(2020, 4)],
    ['sup1', 'sup8', 'supplier', since(2018, 8)],
    ['sup4', 'sup7', 'supplier', since(2020, 11)],
    ['core', 'dea1', 'dealer', since(2012, 6)],
    ['core', 'dea2', 'dealer', since(2014, 2)],
    ['core', 'dea3', 'dealer', since(2016, 11)],
    ['core', 'dea4', 'dealer', since(2011, 8)],
    ['core', 'dea5', 'dealer', since(2019, 3)],
    ['bank1', 'core', 'funder', since(2013, 1)],
    ['bank1', 'sup1', 'funder', since(2021, 6)],
    ['bank1', 'dea1', 'funder', since(2021, 6)],
    ['bank1', 'dea2', 'funder', since(2022, 3)],
    ['bank1', 'dea3', 'funder', since(2023, 5)],
    ['bank1', 'warehouse', 'funder', since(2021, 6)],
    ['bank2', 'core', 'funder', since(2018, 9)],
    ['bank2', 'sup2', 'funder', since(2022, 1)],
    ['bank2', 'dea4', 'funder', since(2022, 1)],
    ['factor', 'core', 'funder', since(2020, 5)],
    ['factor', 'sup1', 'funder', since(2020, 5)],
    ['factor', 'sup3', 'funder', since(2021, 2)],
    ['warehouse', 'core', 'service', since(2019, 1)],
    ['warehouse', 'dea1', 'service', since(2021, 6)],
    ['warehouse', 'dea2', 'service', since(2022, 3)],
    ['insurer', 'core', 'service', since(2019, 1)],
    ['insurer', 'dea1', 'service', since(2021, 6)],
    ['guarantor', 'dea3', 'service', since(2022, 8)],
    ['guarantor', 'sup4', 'service', since(2023, 2)],
    ['buyback', 'core', 'service', since(2019, 1)],
    ['buyback', 'dea1', 'service', since(2021, 6)],
    ['logistics', 'core', 'service', since(2018, 4)],
  ];
  for (const [from, to, kind, sinceDate] of links) {
    await createRelationship(ctx, { fromOrgId: ids[from]!, toOrgId: ids[to]!, kind, sinceDate, note: null });
  }

  const userIds: Record<string, string> = {};
  for (const user of DEMO_USERS) {
    userIds[user.username] = (
      await createUser(ctx, {
        orgId: ids[user.orgKey]!,
        username: user.username,
        displayName: user.displayName,
        password: DEMO_PASSWORD,
        roles: user.roles,
      })
    ).id;
  }

  // The bank's own view of its customers (classification and follow-ups are per organisation).
  const bankCtx: Ctx = { ...ctx, actor: { ...ctx.actor, userId: userIds.bank!, orgId: ids.bank1!, orgType: 'bank', username: 'bank' } };
  await classifyParty(bankCtx, ids.core!, { classification: 'quality', reason: '行业龙头，连续五年盈利，授信履约良好' });
  await classifyParty(bankCtx, ids.dea2!, { classification: 'potential', reason: '销售增长快，拟纳入保兑仓网络' });
  await classifyParty(bankCtx, ids.dea1!, { classification: 'normal', reason: '存量客户，按期还款' });
  await addFollowUp(bankCtx, ids.core!, {
    channel: 'visit',
    content: '拜访财务总监，了解年度采购计划与供应商账期安排。',
    nextAction: '提交年度授信方案',
    nextDate: null,
  });
  await seedCredit(ctx, ids, userIds, start);
  const orgTypes: Record<string, OrgType> = { operator: 'operator', ...Object.fromEntries(ORGS.map((o) => [o.key, o.type])) };
  const demoUser = (username: string): Ctx => {
    const u = DEMO_USERS.find((x) => x.username === username)!;
    return as(ctx, userIds[username]!, username, ids[u.orgKey]!, orgTypes[u.orgKey]!, u.roles);
  };
  await seedCash(demoUser, ids);
  const certificates = await seedCertificates(demoUser, ids, start);
  const inventory = inventoryDemo(demoUser, ids, today);
  const confirming = confirmingDemo(demoUser, ids, today);
  const buyback = buybackDemo(demoUser, ids, today);
  const insurance = insuranceDemo(demoUser, ids, today, PLEDGED_DAYS_AGO);
  await seedFinancing(demoUser, ids, today, start, async (date) => {
    await certificates.onDay(date);
    await inventory.onDay(date);
    await insurance.onDay(date);
    await confirming.onDay(date);
    await buyback.onDay(date);
  });
  await inventory.today();
  await confirming.today();
  await buyback.today();
  await scoringDemo(demoUser, ids);
  await guaranteeDemo(demoUser, ids, today);
  return { seeded: true, organizations: ids };
}

/** Acting as a demo user of a demo organisation (for flows with a maker and a checker). */
function as(ctx: Ctx, userId: string, username: string, orgId: string, orgType: Ctx['actor']['orgType'], roles: Role[]): Ctx {
  return { ...ctx, actor: { userId, username, orgId, orgType, roles, via: 'system' } };
}

/**
 * Credit: 浦江银行 grants 华东重工 a revolving 5亿 line, which the core allocates to three dealers of its
 * 保兑仓 network; 长江银行 grants a 2亿 line for digital debt certificates; 中链保理 grants 精工钢材 a
 * factoring line and 华东重工 a reverse-factoring (buyer) line — a factoring advance is held on one of them. Some allocations are occupied and used so the views have something to show.
 */
async function seedCredit(ctx: Ctx, ids: Record<string, string>, users: Record<string, string>, today: string): Promise<void> {
  const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  const bank = as(ctx, users.bank!, 'bank', ids.bank1!, 'bank', ['admin', 'officer']);
  const bankChecker = as(ctx, users['bank.checker']!, 'bank.checker', ids.bank1!, 'bank', ['approver']);
  const bank2 = as(ctx, users.bank2!, 'bank2', ids.bank2!, 'bank', ['admin', 'officer']);
  const bank2Checker = as(ctx, users['bank2.checker']!, 'bank2.checker', ids.bank2!, 'bank', ['approver']);
  const factor = as(ctx, users.factor!, 'factor', ids.factor!, 'factor', ['admin', 'officer']);
  const factorChecker = as(ctx, users['factor.checker']!, 'factor.checker', ids.factor!, 'factor', ['approver']);
  const core = as(ctx, users.core!, 'core', ids.core!, 'core', ['admin', 'officer']);
  const coreChecker = as(ctx, users['core.checker']!, 'core.checker', ids.core!, 'core', ['approver']);
  const dealer = as(ctx, users.dealer!, 'dealer', ids.dea1!, 'dealer', ['admin', 'officer']);

  const grant = async (maker: Ctx, checker: Ctx, holder: string, amount: string, products: string[], reason: string) => {
    const change = await submitChange(maker, {
      kind: 'grant',
      amount,
      reason,
      params: { holderOrgId: holder, currency: 'CNY', products: products as never, revolving: true, validFrom: today, validTo: nextYear },
    });
    const approved = await approveChange(checker, change.id, '同意');
    await activateLine(maker, approved.resultLineId!);
    return approved.resultLineId!;
  };
  const coreLine = await grant(bank, bankChecker, ids.core!, '500000000.00', [], '核心企业年度综合授信（含保兑仓）');
  await grant(bank2, bank2Checker, ids.core!, '200000000.00', ['certificate'], '数字债权凭证开立额度');
  await grant(factor, factorChecker, ids.sup1!, '20000000.00', ['factoring', 'receivables'], '应收账款保理额度');
  await grant(factor, factorChecker, ids.core!, '50000000.00', ['factoring'], '反向保理买方额度（核心企业付款承诺）');

  const dealerLines: Record<string, string> = {};
  for (const [key, amount] of [
    ['dea1', '30000000.00'],
    ['dea2', '25000000.00'],
    ['dea3', '20000000.00'],
  ] as const) {
    const change = await submitChange(core, {
      kind: 'allocate',
      lineId: coreLine,
      amount,
      reason: '保兑仓网络经销商额度分配',
      params: { holderOrgId: ids[key]!, products: ['confirming_storage'] },
    });
    dealerLines[key] = (await approveChange(coreChecker, change.id, '同意')).resultLineId!;
  }
  const used = uuidv7();
  await occupy(dealer, dealerLines.dea1!, {
    id: used,
    amount: '12000000.00',
    refType: 'demo_bill',
    refId: 'BDC-2026-0001',
    product: 'confirming_storage',
    timeoutSeconds: 0,
  });
  await useOccupation(dealer, used);
  await occupy(dealer, dealerLines.dea1!, {
    id: uuidv7(),
    amount: '5000000.00',
    refType: 'demo_bill',
    refId: 'BDC-2026-0002',
    product: 'confirming_storage',
    timeoutSeconds: 0,
  });
}

/**
 * Demo 资信管理 (issue 17), on the demo's last day, through the services as the users would:
 * - 金盾担保 publishes its corporate scoring template (debt ratio, current and quick ratio, interest cover, ROE,
 *   receivable turnover, revenue growth; repayment record, management, industry outlook, guarantee measures; AAA only
 *   with full marks on the debt ratio and the repayment record) and an individual one; defines its own customer
 *   fields (employees, acquisition channel, margin deposit for companies; monthly household expenses for persons);
 *   registers one individual customer (个人客户 王建国, a shop owner) with his file; scores 蜀道设备, 宏达铸造 and him.
 * - 浦江银行 publishes its own corporate template and scores 华东重工 and 鲁工机械, its applicants.
 */
import type { Ctx } from '../kernel/context';
import { addPersonSection, createFieldDefinition, createParty, setCustomFields } from '../modules/parties';
import { createTemplate, publishVersion, scoreCustomer, type Definition, type Level } from '../modules/scoring';

type As = (user: string) => Ctx;

const LEVELS = (excellent: string, good: string, fair: string, weak: string, poor: string) => ({ excellent, good, fair, weak, poor });
const label = (zh: string, en: string) => ({ zh, en });

const GRADES = [
  { grade: 'AAA', min: '90' },
  { grade: 'AA', min: '80' },
  { grade: 'A', min: '70' },
  { grade: 'B', min: '60' },
  { grade: 'C', min: '0' },
];

/** 金盾担保's corporate template: 60 points from the statements, 40 from the assessor. */
const GUARANTOR_CORPORATE: Definition = {
  indicators: [
    {
      kind: 'quantitative',
      key: 'debt_ratio',
      label: label('资产负债率', 'Debt ratio'),
      weight: '15',
      metric: 'debtToAsset',
      bands: [
        { min: null, max: '0.5', points: '100' },
        { min: '0.5', max: '0.6', points: '80' },
        { min: '0.6', max: '0.7', points: '60' },
        { min: '0.7', max: '0.8', points: '30' },
        { min: '0.8', max: null, points: '0' },
      ],
    },
    {
      kind: 'quantitative',
      key: 'current_ratio',
      label: label('流动比率', 'Current ratio'),
      weight: '10',
      metric: 'currentRatio',
      bands: [
        { min: '2', max: null, points: '100' },
        { min: '1.5', max: '2', points: '80' },
        { min: '1', max: '1.5', points: '60' },
        { min: null, max: '1', points: '20' },
      ],
    },
    {
      kind: 'quantitative',
      key: 'quick_ratio',
      label: label('速动比率', 'Quick ratio'),
      weight: '5',
      metric: 'quickRatio',
      bands: [
        { min: '1', max: null, points: '100' },
        { min: '0.7', max: '1', points: '70' },
        { min: null, max: '0.7', points: '30' },
      ],
    },
    {
      kind: 'quantitative',
      key: 'interest_cover',
      label: label('利息保障倍数', 'Interest cover'),
      weight: '5',
      metric: 'interestCover',
      bands: [
        { min: '5', max: null, points: '100' },
        { min: '3', max: '5', points: '80' },
        { min: '1.5', max: '3', points: '50' },
        { min: null, max: '1.5', points: '0' },
      ],
    },
    {
      kind: 'quantitative',
      key: 'roe',
      label: label('净资产收益率', 'Return on equity'),
      weight: '10',
      metric: 'roe',
      bands: [
        { min: '0.15', max: null, points: '100' },
        { min: '0.1', max: '0.15', points: '80' },
        { min: '0.05', max: '0.1', points: '60' },
        { min: '0', max: '0.05', points: '30' },
        { min: null, max: '0', points: '0' },
      ],
    },
    {
      kind: 'quantitative',
      key: 'receivable_turnover',
      label: label('应收账款周转率', 'Receivable turnover'),
      weight: '5',
      metric: 'receivablesTurnover',
      bands: [
        { min: '8', max: null, points: '100' },
        { min: '5', max: '8', points: '80' },
        { min: '3', max: '5', points: '60' },
        { min: null, max: '3', points: '30' },
      ],
    },
    {
      kind: 'quantitative',
      key: 'revenue_growth',
      label: label('营业收入增长率', 'Revenue growth'),
      weight: '10',
      metric: 'revenueGrowth',
      bands: [
        { min: '0.2', max: null, points: '100' },
        { min: '0.1', max: '0.2', points: '80' },
        { min: '0', max: '0.1', points: '60' },
        { min: null, max: '0', points: '20' },
      ],
    },
    {
      kind: 'qualitative',
      key: 'repayment_record',
      label: label('还款记录', 'Repayment record'),
      weight: '15',
      levels: LEVELS('100', '80', '60', '30', '0'),
    },
    {
      kind: 'qualitative',
      key: 'management',
      label: label('管理水平', 'Management'),
      weight: '10',
      levels: LEVELS('100', '80', '60', '40', '20'),
    },
    {
      kind: 'qualitative',
      key: 'industry_outlook',
      label: label('行业前景', 'Industry outlook'),
      weight: '5',
      levels: LEVELS('100', '80', '60', '40', '20'),
    },
    {
      kind: 'qualitative',
      key: 'counter_guarantee',
      label: label('反担保措施', 'Counter-guarantees'),
      weight: '10',
      levels: LEVELS('100', '80', '60', '30', '0'),
    },
  ],
  grades: GRADES,
  caps: [{ maxGrade: 'AA', unlessFullMarks: ['debt_ratio', 'repayment_record'] }],
};

const GUARANTOR_INDIVIDUAL: Definition = {
  indicators: [
    {
      kind: 'qualitative',
      key: 'repayment_record',
      label: label('征信记录', 'Credit record'),
      weight: '35',
      levels: LEVELS('100', '80', '60', '30', '0'),
    },
    {
      kind: 'qualitative',
      key: 'income_stability',
      label: label('收入稳定性', 'Income stability'),
      weight: '25',
      levels: LEVELS('100', '80', '60', '40', '10'),
    },
    {
      kind: 'qualitative',
      key: 'assets',
      label: label('家庭资产', 'Household assets'),
      weight: '20',
      levels: LEVELS('100', '80', '60', '40', '10'),
    },
    {
      kind: 'qualitative',
      key: 'business_years',
      label: label('经营年限', 'Years in business'),
      weight: '20',
      levels: LEVELS('100', '80', '60', '40', '20'),
    },
  ],
  grades: GRADES,
  caps: [{ maxGrade: 'A', unlessFullMarks: ['repayment_record'] }],
};

/** 浦江银行's template for its applicants: the statements weigh 70. */
const BANK_CORPORATE: Definition = {
  indicators: [
    GUARANTOR_CORPORATE.indicators[0]!,
    { ...GUARANTOR_CORPORATE.indicators[1]!, weight: '15' },
    { ...GUARANTOR_CORPORATE.indicators[4]!, weight: '15' },
    { ...GUARANTOR_CORPORATE.indicators[6]!, weight: '10' },
    {
      kind: 'quantitative',
      key: 'inventory_turnover',
      label: label('存货周转率', 'Inventory turnover'),
      weight: '15',
      metric: 'inventoryTurnover',
      bands: [
        { min: '6', max: null, points: '100' },
        { min: '4', max: '6', points: '80' },
        { min: '2', max: '4', points: '60' },
        { min: null, max: '2', points: '20' },
      ],
    },
    { ...GUARANTOR_CORPORATE.indicators[7]!, weight: '20' },
    { ...GUARANTOR_CORPORATE.indicators[8]!, weight: '10' },
  ],
  grades: GRADES,
  caps: [{ maxGrade: 'AA', unlessFullMarks: ['debt_ratio', 'repayment_record'] }],
};

async function published(as: Ctx, code: string, name: string, customerType: 'corporate' | 'individual', definition: Definition) {
  const template = await createTemplate(as, { code, name, customerType, definition });
  await publishVersion(as, template.id, 1);
  return template.id;
}

export async function scoringDemo(as: As, ids: Record<string, string>): Promise<void> {
  const guarantor = as('guarantor');
  const corporate = await published(guarantor, 'JD-CORP', '企业客户资信评分（担保）', 'corporate', GUARANTOR_CORPORATE);
  const individual = await published(guarantor, 'JD-PERSON', '个人客户资信评分', 'individual', GUARANTOR_INDIVIDUAL);

  const fields = [
    {
      customerType: 'corporate',
      key: 'employees',
      labelZh: '员工人数',
      labelEn: 'Employees',
      fieldType: 'number',
      required: false,
      options: [],
      position: 1,
    },
    {
      customerType: 'corporate',
      key: 'channel',
      labelZh: '获客渠道',
      labelEn: 'Acquisition channel',
      fieldType: 'enum',
      required: false,
      options: ['银行推荐', '自主拓展', '政府推荐', '老客户介绍'],
      position: 2,
    },
    {
      customerType: 'corporate',
      key: 'visited_on',
      labelZh: '最近实地走访',
      labelEn: 'Last site visit',
      fieldType: 'date',
      required: false,
      options: [],
      position: 3,
    },
    {
      customerType: 'individual',
      key: 'household_expenses',
      labelZh: '家庭月支出',
      labelEn: 'Monthly household expenses',
      fieldType: 'money',
      required: false,
      options: [],
      position: 1,
    },
  ] as const;
  for (const field of fields) await createFieldDefinition(guarantor, { ...field, options: [...field.options] });
  await setCustomFields(guarantor, ids.dea3!, { employees: '186', channel: '银行推荐', visited_on: '2026-11-20' });
  await setCustomFields(guarantor, ids.sup4!, { employees: '420', channel: '老客户介绍' });

  const person = await createParty(guarantor, {
    type: 'individual',
    name: '王建国',
    phone: '13817205566',
    address: '上海市闵行区七宝镇漕宝路 1888 弄',
    region: '上海',
    industry: '工程机械零配件零售',
  });
  const file = [
    {
      section: 'basic',
      data: {
        gender: 'male',
        birthDate: '1979-04-16',
        idNumberMasked: '310112********2417',
        maritalStatus: 'married',
        education: 'college',
        mobile: '13817205566',
        residence: '上海市闵行区七宝镇漕宝路 1888 弄 12 号 601 室',
      },
    },
    {
      section: 'family',
      data: { name: '李秀英', relation: 'spouse', occupation: '会计', employer: '上海闵行某商贸公司', monthlyIncome: '9500.00' },
    },
    {
      section: 'shop',
      data: {
        name: '建国工程机械配件商行',
        address: '上海市闵行区莘庄工业区申富路 68 号',
        businessScope: '挖掘机、装载机配件零售与维修',
        ownership: 'rented',
        areaSqm: 160,
        openedOn: '2014-03-01',
        monthlyRevenue: '420000.00',
        monthlyRent: '18000.00',
      },
    },
    {
      section: 'occupation',
      data: { employer: '建国工程机械配件商行', position: '经营者', industry: '批发和零售业', since: '2014-03-01' },
    },
    {
      section: 'history',
      data: { from: '2001-07-01', to: '2014-02-28', organisation: '华东重工机械股份有限公司', role: '售后服务工程师' },
    },
    {
      section: 'economic',
      data: {
        asOf: '2026-06-30',
        annualIncome: '960000.00',
        totalAssets: '5800000.00',
        totalLiabilities: '1200000.00',
        properties: 1,
        vehicles: 2,
      },
    },
  ] as const;
  for (const entry of file) await addPersonSection(guarantor, person.id, entry as never);
  await setCustomFields(guarantor, person.id, { household_expenses: '15000' });

  const score = (ctx: Ctx, partyId: string, templateId: string, levels: Record<string, Level>, note: string) =>
    scoreCustomer(ctx, { partyId, templateId, levels, note });
  await score(
    guarantor,
    ids.dea3!,
    corporate,
    { repayment_record: 'excellent', management: 'good', industry_outlook: 'good', counter_guarantee: 'good' },
    '年度资信评级：按期还款，反担保为房产抵押',
  );
  await score(
    guarantor,
    ids.sup4!,
    corporate,
    { repayment_record: 'good', management: 'fair', industry_outlook: 'fair', counter_guarantee: 'fair' },
    '新申请担保客户，首次评级',
  );
  await score(
    guarantor,
    person.id,
    individual,
    { repayment_record: 'good', income_stability: 'good', assets: 'excellent', business_years: 'excellent' },
    '个体经营者，门店经营 12 年',
  );

  const bank = as('bank');
  const bankTemplate = await published(bank, 'PJ-CORP', '对公客户评分卡（专家打分）', 'corporate', BANK_CORPORATE);
  await score(bank, ids.core!, bankTemplate, { repayment_record: 'excellent', management: 'excellent' }, '核心企业年度评级');
  await score(bank, ids.dea1!, bankTemplate, { repayment_record: 'good', management: 'good' }, '经销商授信前评级');
}

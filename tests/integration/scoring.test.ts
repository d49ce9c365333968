/**
 * 资信管理 through the API: scoring templates versioned like products (draft → published, frozen, new versions,
 * retired), a customer scored from its newest annual statement and the assessor's qualitative levels with the whole
 * breakdown stored against the version, refusals that write nothing, and confidentiality — the scored customer and
 * every other organisation get 404 for a score. Individual customers' files and the organisation's own customer fields
 * (客户信息要素) with their server-side checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeRatios } from '../../src/modules/parties/ratios';
import { definitionSchema, scoreWith } from '../../src/modules/scoring/model';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { count, demoOrgIds, freshCreditCode, sql } from '../support/fixtures';
import { multipart } from '../support/multipart';

const DEFINITION = {
  indicators: [
    {
      kind: 'quantitative',
      key: 'debt_ratio',
      label: { zh: '资产负债率', en: 'Debt ratio' },
      weight: '30',
      metric: 'debtToAsset',
      bands: [
        { min: null, max: '0.5', points: '100' },
        { min: '0.5', max: '0.7', points: '60' },
        { min: '0.7', max: null, points: '0' },
      ],
    },
    {
      kind: 'quantitative',
      key: 'current_ratio',
      label: { zh: '流动比率', en: 'Current ratio' },
      weight: '20',
      metric: 'currentRatio',
      bands: [
        { min: '1.5', max: null, points: '100' },
        { min: '1', max: '1.5', points: '70' },
        { min: null, max: '1', points: '20' },
      ],
    },
    {
      kind: 'quantitative',
      key: 'roe',
      label: { zh: '净资产收益率', en: 'ROE' },
      weight: '20',
      metric: 'roe',
      bands: [
        { min: '0.15', max: null, points: '100' },
        { min: '0.08', max: '0.15', points: '75' },
        { min: '0', max: '0.08', points: '40' },
        { min: null, max: '0', points: '0' },
      ],
    },
    {
      kind: 'qualitative',
      key: 'repayment_record',
      label: { zh: '还款记录', en: 'Repayment record' },
      weight: '20',
      levels: { excellent: '100', good: '80', fair: '60', weak: '30', poor: '0' },
    },
    {
      kind: 'qualitative',
      key: 'management',
      label: { zh: '管理水平', en: 'Management' },
      weight: '10',
      levels: { excellent: '100', good: '80', fair: '60', weak: '40', poor: '20' },
    },
  ],
  grades: [
    { grade: 'AAA', min: '90' },
    { grade: 'AA', min: '80' },
    { grade: 'A', min: '70' },
    { grade: 'B', min: '60' },
    { grade: 'C', min: '0' },
  ],
  caps: [{ maxGrade: 'AA', unlessFullMarks: ['debt_ratio', 'repayment_record'] }],
};

/** Debt ratio 45%, current ratio 1.32, ROE 16% (the unit test's FY2025). */
const STATEMENT = {
  periodType: 'annual',
  periodEnd: '2025-12-31',
  audited: true,
  cash: '1000000.00',
  receivables: '2000000.00',
  inventory: '1500000.00',
  currentAssets: '5280000.00',
  totalAssets: '10000000.00',
  currentLiabilities: '4000000.00',
  totalLiabilities: '4500000.00',
  equity: '5500000.00',
  revenue: '20000000.00',
  costOfSales: '16000000.00',
  netProfit: '880000.00',
  operatingCashFlow: '900000.00',
  interestExpense: '200000.00',
  incomeTax: '120000.00',
};

let t: TestApp;
let guarantor: Client;
let guarantorChecker: Client;
let bank: Client;
let dealer3: Client;
let ids: Record<string, string>;
let templateId: string;
let customerId: string;

const scores = () => count(t, sql`select count(*) as n from credit_scores`);

beforeAll(async () => {
  t = await createTestApp();
  [guarantor, guarantorChecker, bank, dealer3] = (await Promise.all(
    ['guarantor', 'guarantor.checker', 'bank', 'dealer3'].map((u) => t.login(u)),
  )) as [Client, Client, Client, Client];
  ids = await demoOrgIds(t);
  const customer = await guarantor.post('/api/v1/parties', { type: 'dealer', name: '晨光工程机械有限公司', creditCode: freshCreditCode() });
  expect(customer.statusCode, customer.body).toBe(201);
  customerId = customer.json().id;
  const statement = await guarantor.post(`/api/v1/parties/${customerId}/financial-statements`, STATEMENT);
  expect(statement.statusCode, statement.body).toBe(201);
});
afterAll(async () => t?.close());

describe('scoring templates (资信打分模板)', () => {
  it('a definition whose weights do not add up to 100 is refused with SCORING_TEMPLATE_INVALID and nothing is written', async () => {
    const before = await count(t, sql`select count(*) as n from scoring_templates`);
    const bad = { ...DEFINITION, indicators: DEFINITION.indicators.slice(1) };
    const res = await guarantor.post('/api/v1/scoring/templates', {
      code: 'BAD',
      name: '坏模板',
      customerType: 'corporate',
      definition: bad,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('SCORING_TEMPLATE_INVALID');
    expect(await count(t, sql`select count(*) as n from scoring_templates`)).toBe(before);
  });

  it('a template is created as draft version 1 and cannot score until published', async () => {
    const created = await guarantor.post('/api/v1/scoring/templates', {
      code: 'CORP-2026',
      name: '企业资信评分 2026',
      customerType: 'corporate',
      definition: DEFINITION,
    });
    expect(created.statusCode, created.body).toBe(201);
    templateId = created.json().id;
    expect(created.json()).toMatchObject({ status: 'draft', publishedVersion: null, versions: [{ version: 1, status: 'draft' }] });
    const early = await guarantor.post('/api/v1/scoring/scores', {
      partyId: customerId,
      templateId,
      levels: { repayment_record: 'excellent', management: 'good' },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('SCORING_TEMPLATE_NOT_PUBLISHED');
  });

  it('an approver cannot configure templates (product:manage): 403', async () => {
    const res = await guarantorChecker.post(`/api/v1/scoring/templates/${templateId}/versions/1/publish`);
    expect(res.statusCode).toBe(403);
  });

  it('a published version is frozen: editing it answers SCORING_VERSION_PUBLISHED', async () => {
    const published = await guarantor.post(`/api/v1/scoring/templates/${templateId}/versions/1/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', publishedVersion: 1 });
    const edit = await guarantor.request('PUT', `/api/v1/scoring/templates/${templateId}/versions/1`, { definition: DEFINITION });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('SCORING_VERSION_PUBLISHED');
  });

  it("another organisation's template does not exist for the caller: 404", async () => {
    expect((await bank.get(`/api/v1/scoring/templates/${templateId}`)).statusCode).toBe(404);
    const list = await bank.get('/api/v1/scoring/templates');
    expect(list.json().map((x: { id: string }) => x.id)).not.toContain(templateId);
  });
});

describe('scoring a customer (资信评分)', () => {
  let firstScoreId: string;

  it('the known statement with repayment excellent and management good scores 92.00, AAA, from the FY2025 annual statement', async () => {
    const preview = await guarantor.get(`/api/v1/scoring/templates/${templateId}/preview?partyId=${customerId}`);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      statement: { periodType: 'annual', periodEnd: '2025-12-31' },
      values: { debt_ratio: '0.4500', current_ratio: '1.3200', roe: '0.1600' },
    });
    const res = await guarantor.post('/api/v1/scoring/scores', {
      partyId: customerId,
      templateId,
      levels: { repayment_record: 'excellent', management: 'good' },
      note: '年度评级',
    });
    expect(res.statusCode, res.body).toBe(201);
    const score = res.json();
    firstScoreId = score.id;
    expect(score).toMatchObject({ score: '92.00', grade: 'AAA', computedGrade: 'AAA', templateVersion: 1, capsApplied: [] });
    expect(score.statement).toMatchObject({ periodType: 'annual', periodEnd: '2025-12-31' });
    expect(score.indicators.map((i: { key: string; points: string; contribution: string }) => [i.key, i.points, i.contribution])).toEqual([
      ['debt_ratio', '100.00', '30.0000'],
      ['current_ratio', '70.00', '14.0000'],
      ['roe', '100.00', '20.0000'],
      ['repayment_record', '100.00', '20.0000'],
      ['management', '80.00', '8.0000'],
    ]);
  });

  it('a demo customer is scored from its newest annual statement exactly as the pure scorer scores those ratios', async () => {
    const statements = (await guarantor.get(`/api/v1/parties/${ids['蜀道设备']}/financial-statements`)).json();
    const annual = statements.find((s: { periodType: string }) => s.periodType === 'annual');
    const levels = { repayment_record: 'good', management: 'fair' } as const;
    const expected = scoreWith(definitionSchema.parse(DEFINITION), { ratios: annual.ratios, levels });
    const res = await guarantor.post('/api/v1/scoring/scores', { partyId: ids['蜀道设备'], templateId, levels });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ score: expected.score, grade: expected.grade, statement: { id: annual.id } });
  });

  it('the interest cover is (net profit + tax + interest) / interest: (880,000 + 120,000 + 200,000) / 200,000 = 6', async () => {
    const statements = (await guarantor.get(`/api/v1/parties/${customerId}/financial-statements`)).json();
    expect(statements[0].ratios.interestCover).toBe('6.0000');
    expect(computeRatios({ ...zeroLines(), netProfitMinor: 1n, interestExpenseMinor: null }).interestCover).toBeNull();
  });

  it('a missing or unknown qualitative level is refused with SCORING_LEVELS_INVALID and nothing is written', async () => {
    const before = await scores();
    const res = await guarantor.post('/api/v1/scoring/scores', {
      partyId: customerId,
      templateId,
      levels: { management: 'good', hobbies: 'excellent' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'SCORING_LEVELS_INVALID', details: { missing: 'repayment_record', unknown: 'hobbies' } });
    expect(await scores()).toBe(before);
  });

  it('a new version scores new assessments; the old score still explains itself by version 1', async () => {
    const draft = await guarantor.post(`/api/v1/scoring/templates/${templateId}/versions`);
    expect(draft.json().versions[0]).toMatchObject({ version: 2, status: 'draft' });
    const heavierRepayment = {
      ...DEFINITION,
      indicators: DEFINITION.indicators.map((i) =>
        i.key === 'repayment_record' ? { ...i, weight: '30' } : i.key === 'management' ? { ...i, weight: '0' } : i,
      ),
    };
    expect(
      (await guarantor.request('PUT', `/api/v1/scoring/templates/${templateId}/versions/2`, { definition: heavierRepayment })).statusCode,
    ).toBe(200);
    expect((await guarantor.post(`/api/v1/scoring/templates/${templateId}/versions/2/publish`)).statusCode).toBe(200);
    const second = await guarantor.post('/api/v1/scoring/scores', {
      partyId: customerId,
      templateId,
      levels: { repayment_record: 'good', management: 'good' },
    });
    expect(second.statusCode, second.body).toBe(201);
    // 30 + 14 + 20 + 80 × 30% + 0 = 88.00 → AA
    expect(second.json()).toMatchObject({ templateVersion: 2, score: '88.00', grade: 'AA' });
    const first = (await guarantor.get(`/api/v1/scoring/scores/${firstScoreId}`)).json();
    expect(first).toMatchObject({ templateVersion: 1, score: '92.00', grade: 'AAA' });
    const history = (await guarantor.get(`/api/v1/scoring/scores?partyId=${customerId}`)).json();
    expect(history.map((s: { id: string }) => s.id)).toEqual([second.json().id, firstScoreId]);
  });

  it('an individual template does not score a company: SCORING_CUSTOMER_TYPE_MISMATCH', async () => {
    const individual = await guarantor.post('/api/v1/scoring/templates', {
      code: 'IND-2026',
      name: '个人资信评分',
      customerType: 'individual',
      definition: {
        indicators: [
          {
            kind: 'qualitative',
            key: 'repayment_record',
            label: { zh: '还款记录', en: 'Repayment record' },
            weight: '100',
            levels: { excellent: '100', good: '80', fair: '60', weak: '30', poor: '0' },
          },
        ],
        grades: DEFINITION.grades,
      },
    });
    await guarantor.post(`/api/v1/scoring/templates/${individual.json().id}/versions/1/publish`);
    const res = await guarantor.post('/api/v1/scoring/scores', {
      partyId: customerId,
      templateId: individual.json().id,
      levels: { repayment_record: 'good' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('SCORING_CUSTOMER_TYPE_MISMATCH');
  });

  it('the scored customer never sees its score: 404 for the score, an empty history', async () => {
    const [score] = (await guarantor.get(`/api/v1/scoring/scores?partyId=${ids['蜀道设备']}`)).json();
    expect((await dealer3.get(`/api/v1/scoring/scores/${score.id}`)).statusCode).toBe(404);
    expect((await dealer3.get(`/api/v1/scoring/scores?partyId=${ids['蜀道设备']}`)).json()).toEqual([]);
  });

  it("another assessor sees none of the guarantor's scores and cannot score with its template (404)", async () => {
    expect((await bank.get(`/api/v1/scoring/scores/${firstScoreId}`)).statusCode).toBe(404);
    const res = await bank.post('/api/v1/scoring/scores', {
      partyId: ids['蜀道设备'],
      templateId,
      levels: { repayment_record: 'good', management: 'good' },
    });
    expect(res.statusCode).toBe(404);
  });

  it('a customer the assessor has no relationship with does not exist for it: 404, nothing written', async () => {
    const before = await scores();
    const res = await guarantor.post('/api/v1/scoring/scores', {
      partyId: ids['鲁工机械'],
      templateId,
      levels: { repayment_record: 'good', management: 'good' },
    });
    expect(res.statusCode).toBe(404);
    expect(await scores()).toBe(before);
  });
});

describe('individual customers (个人客户)', () => {
  let personId: string;

  it('a guarantor registers a natural person without a credit code; a company still needs one', async () => {
    const res = await guarantor.post('/api/v1/parties', { type: 'individual', name: '王建国', phone: '13800001111' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ type: 'individual', creditCode: null, memberStatus: 'prospect' });
    personId = res.json().id;
    const company = await guarantor.post('/api/v1/parties', { type: 'dealer', name: '无代码公司' });
    expect(company.statusCode).toBe(400);
  });

  it('the file keeps the identity number masked: a full number is refused, a masked one kept; basic is replaced', async () => {
    const full = await guarantor.post(`/api/v1/parties/${personId}/person`, {
      section: 'basic',
      data: { gender: 'male', idNumberMasked: '310101198001011234' },
    });
    expect(full.statusCode).toBe(400);
    for (const data of [
      { gender: 'male', idNumberMasked: '310101********1234' },
      { gender: 'male', idNumberMasked: '310101********1234', maritalStatus: 'married' },
    ]) {
      expect((await guarantor.post(`/api/v1/parties/${personId}/person`, { section: 'basic', data })).statusCode).toBe(201);
    }
    const family = await guarantor.post(`/api/v1/parties/${personId}/person`, {
      section: 'family',
      data: { name: '李秀英', relation: 'spouse', monthlyIncome: '8000' },
    });
    expect(family.statusCode, family.body).toBe(201);
    expect(family.json().data.monthlyIncome).toBe('8000.00');
    const file = (await guarantor.get(`/api/v1/parties/${personId}/person`)).json();
    expect(file.map((e: { section: string }) => e.section).sort()).toEqual(['basic', 'family']);
    expect(file.find((e: { section: string }) => e.section === 'basic').data.maritalStatus).toBe('married');
  });

  it("a company has no personal file (PARTY_NOT_INDIVIDUAL); another organisation sees no person's file (404)", async () => {
    const res = await guarantor.post(`/api/v1/parties/${customerId}/person`, {
      section: 'shop',
      data: { name: '门店', address: '上海', ownership: 'rented' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('PARTY_NOT_INDIVIDUAL');
    expect((await bank.get(`/api/v1/parties/${personId}/person`)).statusCode).toBe(404);
  });

  it('audio and video are customer attachments too, checked by content: an mp4 is kept, a png named .mp4 refused', async () => {
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(32)]);
    const upload = (fileName: string, content: Buffer) => {
      const body = multipart({ category: 'video', visibility: 'private' }, { fileName, content });
      return guarantor.request('POST', `/api/v1/parties/${personId}/attachments`, body.payload, body.headers);
    };
    const ok = await upload('走访.mp4', mp4);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ contentType: 'video/mp4', category: 'video' });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const bad = await upload('fake.mp4', png);
    expect(bad.statusCode).toBe(415);
  });
});

describe('customer fields (客户信息要素)', () => {
  const values = () => count(t, sql`select count(*) as n from party_field_values`);

  it('only an admin defines fields (party:fields): an approver gets 403', async () => {
    const res = await guarantorChecker.post('/api/v1/customer-fields', {
      customerType: 'corporate',
      key: 'x',
      labelZh: 'x',
      labelEn: 'x',
      fieldType: 'text',
    });
    expect(res.statusCode).toBe(403);
  });

  it('values are checked against their definitions: a bad number, an unknown option, an unknown key, a required field left empty — 400 with the key, nothing written', async () => {
    for (const def of [
      { key: 'staff', labelZh: '在册员工', labelEn: 'Staff', fieldType: 'number', required: true },
      { key: 'source', labelZh: '客户来源', labelEn: 'Source', fieldType: 'enum', options: ['银行推荐', '自拓', '政府推荐'] },
      { key: 'deposit', labelZh: '存入保证金', labelEn: 'Deposit', fieldType: 'money' },
    ]) {
      const res = await guarantor.post('/api/v1/customer-fields', { customerType: 'corporate', ...def });
      expect(res.statusCode, res.body).toBe(201);
    }
    const dup = await guarantor.post('/api/v1/customer-fields', {
      customerType: 'corporate',
      key: 'source',
      labelZh: 'c',
      labelEn: 'c',
      fieldType: 'text',
    });
    expect(dup.json().code).toBe('CUSTOM_FIELD_KEY_TAKEN');
    const before = await values();
    const cases: [Record<string, string | null>, string, string][] = [
      [{ staff: 'many' }, 'CUSTOM_FIELD_VALUE_INVALID', 'staff'],
      [{ staff: '120', source: '朋友介绍' }, 'CUSTOM_FIELD_VALUE_INVALID', 'source'],
      [{ staff: '120', deposit: '1.234' }, 'CUSTOM_FIELD_VALUE_INVALID', 'deposit'],
      [{ staff: '120', colour: 'red' }, 'CUSTOM_FIELD_UNKNOWN', 'colour'],
      [{ source: '自拓' }, 'CUSTOM_FIELD_REQUIRED', 'staff'],
    ];
    for (const [body, code, key] of cases) {
      const res = await guarantor.request('PUT', `/api/v1/parties/${customerId}/custom-fields`, { values: body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ code, details: { key } });
    }
    expect(await values()).toBe(before);
  });

  it('good values are stored canonically and shown with their definitions; another organisation sees none of them', async () => {
    const res = await guarantor.request('PUT', `/api/v1/parties/${customerId}/custom-fields`, {
      values: { staff: '120', source: '自拓', deposit: '500000' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const stored = Object.fromEntries(res.json().map((f: { key: string; value: string }) => [f.key, f.value]));
    expect(stored).toMatchObject({ staff: '120', source: '自拓', deposit: '500000.00', employees: null });
    const seenByBank = await bank.get(`/api/v1/parties/${ids['蜀道设备']}/custom-fields`);
    expect(seenByBank.json()).toEqual([]);
  });
});

function zeroLines() {
  return {
    cashMinor: 0n,
    receivablesMinor: 0n,
    inventoryMinor: 0n,
    currentAssetsMinor: 0n,
    totalAssetsMinor: 0n,
    currentLiabilitiesMinor: 0n,
    totalLiabilitiesMinor: 0n,
    equityMinor: 0n,
    revenueMinor: 0n,
    costOfSalesMinor: 0n,
    netProfitMinor: 0n,
    operatingCashFlowMinor: 0n,
  };
}

/**
 * The product factory (产品工厂) through the API: terms validated as a whole, versions frozen once published
 * (by the service and, behind it, by a trigger), new versions, retirement, and who sees which product:
 * a dealer sees the published products of funders it is related to, never drafts, never other funders'.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SQL } from 'drizzle-orm';
import { queryOne } from '../../src/kernel/db';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { sql } from '../support/fixtures';

const TERMS = {
  currency: 'CNY',
  minAmount: '100000.00',
  maxAmount: '5000000.00',
  minTermMonths: 1,
  maxTermMonths: 12,
  annualRate: '0.0450',
  defaultRate: '0.0675',
  dayCount: 'ACT_360',
  repaymentMethod: 'equal_principal',
  fees: [{ code: 'HANDLING', name: '手续费', basis: 'ratio', value: '0.001', frequency: 'upfront' }],
  requiredDocuments: ['business_licence'],
  requiresCreditLine: false,
};

interface ProductDto {
  id: string;
  ownerOrgId: string;
  code: string;
  status: string;
  publishedVersion: number | null;
  versions: { version: number; status: string; terms: Record<string, unknown>; publishedAt: string | null }[];
}

let t: TestApp;
let bank: Client;
let bankChecker: Client;
let bank2: Client;
let dealer: Client;
let operator: Client;

async function create(client: Client, code: string, terms: Record<string, unknown> = TERMS, mode = 'order') {
  return client.post('/api/v1/products', { code, name: `产品 ${code}`, mode, terms });
}

async function createPublished(client: Client, code: string): Promise<ProductDto> {
  const created = await create(client, code);
  expect(created.statusCode, created.body).toBe(201);
  const published = await client.post(`/api/v1/products/${created.json().id}/versions/1/publish`);
  expect(published.statusCode, published.body).toBe(200);
  return published.json();
}

async function storedTerms(productId: string, version: number): Promise<Record<string, unknown>> {
  const row = await queryOne<{ terms: Record<string, unknown> }>(
    t.database.db,
    sql`select terms from product_versions where product_id = ${productId} and version = ${version}`,
  );
  return row!.terms;
}

/** The database's error message for a statement that must fail (drizzle wraps the driver error in `cause`). */
async function refusal(statement: SQL): Promise<string> {
  try {
    await t.database.db.execute(statement);
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return cause?.message ?? (error as Error).message;
  }
  throw new Error('the statement was accepted');
}

beforeAll(async () => {
  t = await createTestApp();
  [bank, bankChecker, bank2, dealer, operator] = (await Promise.all(
    ['bank', 'bank.checker', 'bank2', 'dealer', 'operator'].map((u) => t.login(u)),
  )) as [Client, Client, Client, Client, Client];
});
afterAll(async () => t?.close());

describe('terms validation', () => {
  it('invalid terms are refused as a whole with 400 PRODUCT_TERMS_INVALID and one issue per problem', async () => {
    const res = await create(bank, 'BAD-TERMS', {
      ...TERMS,
      minAmount: '6000000.00',
      annualRate: '4.5%',
      minTermMonths: 24,
      repaymentMethod: 'whenever',
      fiveTier: { special: 30, substandard: 20, doubtful: 181, loss: 361 },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('PRODUCT_TERMS_INVALID');
    const paths = (body.details.issues as { path: string; message: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['annualRate', 'repaymentMethod']));
    expect((await bank.get('/api/v1/products?status=draft')).json().some((p: ProductDto) => p.code === 'BAD-TERMS')).toBe(false);
  });

  it('cross-field rules: amount and term ranges, increasing five-tier thresholds, each allocation bucket once', async () => {
    const res = await create(bank, 'BAD-RANGES', {
      ...TERMS,
      minAmount: '6000000.00',
      minTermMonths: 24,
      fiveTier: { special: 30, substandard: 20, doubtful: 181, loss: 361 },
      allocationOrder: ['penalty', 'penalty', 'interest', 'principal'],
    });
    expect(res.statusCode).toBe(400);
    const issues = res.json().details.issues as { path: string; message: string }[];
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'maxAmount', message: 'maxAmount < minAmount' },
        { path: 'maxTermMonths', message: 'maxTermMonths < minTermMonths' },
        { path: 'allocationOrder', message: 'each bucket exactly once' },
        expect.objectContaining({ path: 'fiveTier' }),
      ]),
    );
  });

  it('defaults fill what a funder leaves out (ACT/360, allocation penalty → fee → interest → principal, standard five-tier thresholds)', async () => {
    const res = await create(bank, 'DEFAULTS', {
      minAmount: '1000.00',
      maxAmount: '2000.00',
      minTermMonths: 1,
      maxTermMonths: 3,
      annualRate: '0.05',
      defaultRate: '0.075',
      repaymentMethod: 'bullet',
    });
    expect(res.statusCode, res.body).toBe(201);
    const terms = (res.json() as ProductDto).versions[0]!.terms;
    expect(terms).toMatchObject({
      currency: 'CNY',
      dayCount: 'ACT_360',
      allocationOrder: ['penalty', 'fee', 'interest', 'principal'],
      fiveTier: { special: 1, substandard: 91, doubtful: 181, loss: 361 },
      requiresCreditLine: true,
      approvalFlowKey: 'loan_approval',
    });
  });

  it('only funders and the operator manage products: a dealer or a checker gets 403', async () => {
    expect((await create(dealer, 'DEALER-PRODUCT')).statusCode).toBe(403);
    expect((await create(bankChecker, 'CHECKER-PRODUCT')).statusCode).toBe(403);
  });

  it('a product code is unique per funder (409 PRODUCT_CODE_TAKEN) but another funder may reuse it', async () => {
    expect((await create(bank, 'UNIQUE-CODE')).statusCode).toBe(201);
    const again = await create(bank, 'UNIQUE-CODE');
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('PRODUCT_CODE_TAKEN');
    expect((await create(bank2, 'UNIQUE-CODE')).statusCode).toBe(201);
  });
});

describe('versions', () => {
  let product: ProductDto;

  it('a new product is a draft version 1 that its funder can still edit', async () => {
    const res = await create(bank, 'VERSIONED');
    expect(res.statusCode, res.body).toBe(201);
    product = res.json();
    expect(product).toMatchObject({ status: 'draft', publishedVersion: null, code: 'VERSIONED' });
    expect(product.versions).toEqual([expect.objectContaining({ version: 1, status: 'draft', publishedAt: null })]);
    const edited = await bank.request('PUT', `/api/v1/products/${product.id}/versions/1`, { terms: { ...TERMS, annualRate: '0.0400' } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect((edited.json() as ProductDto).versions[0]!.terms.annualRate).toBe('0.0400');
    const invalid = await bank.request('PUT', `/api/v1/products/${product.id}/versions/1`, { terms: { ...TERMS, maxTermMonths: 0 } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().code).toBe('PRODUCT_TERMS_INVALID');
    expect((await storedTerms(product.id, 1)).annualRate).toBe('0.0400');
  });

  it('another funder cannot edit or publish it (not visible: 404)', async () => {
    expect((await bank2.request('PUT', `/api/v1/products/${product.id}/versions/1`, { terms: TERMS })).statusCode).toBe(404);
    expect((await bank2.post(`/api/v1/products/${product.id}/versions/1/publish`)).statusCode).toBe(404);
  });

  it('publishing freezes the version: editing or publishing it again answers 409 PRODUCT_VERSION_PUBLISHED', async () => {
    const published = await bank.post(`/api/v1/products/${product.id}/versions/1/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', publishedVersion: 1 });
    expect((published.json() as ProductDto).versions[0]!.publishedAt).not.toBeNull();
    const edit = await bank.request('PUT', `/api/v1/products/${product.id}/versions/1`, { terms: { ...TERMS, annualRate: '0.0300' } });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('PRODUCT_VERSION_PUBLISHED');
    const again = await bank.post(`/api/v1/products/${product.id}/versions/1/publish`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('PRODUCT_VERSION_PUBLISHED');
    expect((await storedTerms(product.id, 1)).annualRate).toBe('0.0400');
  });

  it('the database refuses to change or delete a published version even through direct SQL (trigger)', async () => {
    const changed = { ...TERMS, annualRate: '0.0100' };
    expect(
      await refusal(
        sql`update product_versions set terms = ${JSON.stringify(changed)}::jsonb where product_id = ${product.id} and version = 1`,
      ),
    ).toMatch(/published product version 1 of .* is frozen/);
    expect(await refusal(sql`update product_versions set status = 'draft' where product_id = ${product.id} and version = 1`)).toMatch(
      /is frozen/,
    );
    expect(await refusal(sql`delete from product_versions where product_id = ${product.id} and version = 1`)).toMatch(/cannot be deleted/);
    expect((await storedTerms(product.id, 1)).annualRate).toBe('0.0400');
  });

  it('a new version starts as a draft copy of the newest terms; publishing it moves the product on and leaves version 1 intact', async () => {
    const created = await bank.post(`/api/v1/products/${product.id}/versions`);
    expect(created.statusCode, created.body).toBe(200);
    const v2 = (created.json() as ProductDto).versions.find((v) => v.version === 2)!;
    expect(v2).toMatchObject({ status: 'draft', terms: expect.objectContaining({ annualRate: '0.0400' }) });
    // Asking again while a draft exists gives the same draft, not a third version.
    const same = (await bank.post(`/api/v1/products/${product.id}/versions`)).json() as ProductDto;
    expect(same.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(
      (await bank.request('PUT', `/api/v1/products/${product.id}/versions/2`, { terms: { ...TERMS, annualRate: '0.0380' } })).statusCode,
    ).toBe(200);
    const published = await bank.post(`/api/v1/products/${product.id}/versions/2/publish`);
    expect(published.statusCode, published.body).toBe(200);
    const dto = published.json() as ProductDto;
    expect(dto.publishedVersion).toBe(2);
    expect(dto.versions.map((v) => [v.version, v.status, v.terms.annualRate])).toEqual([
      [2, 'published', '0.0380'],
      [1, 'published', '0.0400'],
    ]);
  });
});

describe('visibility and retirement', () => {
  it('a dealer sees the published products of a funder it is related to, with the published versions only', async () => {
    const product = await createPublished(bank, 'DEALER-VISIBLE');
    await bank.post(`/api/v1/products/${product.id}/versions`); // a draft version 2 the dealer must not see
    const list = (await dealer.get('/api/v1/products')).json() as ProductDto[];
    const seen = list.find((p) => p.id === product.id);
    expect(seen).toMatchObject({ status: 'published', publishedVersion: 1 });
    const one = await dealer.get(`/api/v1/products/${product.id}`);
    expect(one.statusCode).toBe(200);
    expect((one.json() as ProductDto).versions.map((v) => v.version)).toEqual([1]);
    expect(list.every((p) => p.status === 'published')).toBe(true);
  });

  it('a dealer does not see a draft product of its funder (404)', async () => {
    const created = await create(bank, 'DEALER-DRAFT');
    const id = created.json().id as string;
    expect((await dealer.get(`/api/v1/products/${id}`)).statusCode).toBe(404);
    expect(((await dealer.get('/api/v1/products')).json() as ProductDto[]).some((p) => p.id === id)).toBe(false);
  });

  it('a dealer does not see the products of a funder it has no relationship with (404)', async () => {
    // 长江银行 lends to 华东重工, 恒力液压 and 粤通机械 — not to 鲁工机械.
    const product = await createPublished(bank2, 'BANK2-ONLY');
    expect((await dealer.get(`/api/v1/products/${product.id}`)).statusCode).toBe(404);
    expect(((await dealer.get('/api/v1/products')).json() as ProductDto[]).some((p) => p.id === product.id)).toBe(false);
    // Its own funder and the operator do see it.
    expect((await bank2.get(`/api/v1/products/${product.id}`)).statusCode).toBe(200);
    expect((await operator.get(`/api/v1/products/${product.id}`)).statusCode).toBe(200);
  });

  it('a funder sees its own drafts but not another funder’s products', async () => {
    const draft = (await create(bank2, 'BANK2-DRAFT')).json() as ProductDto;
    expect((await bank.get(`/api/v1/products/${draft.id}`)).statusCode).toBe(404);
    expect((await bank2.get(`/api/v1/products/${draft.id}`)).statusCode).toBe(200);
  });

  it('a retired product disappears for borrowers and takes no new applications', async () => {
    const product = await createPublished(bank, 'TO-RETIRE');
    expect((await dealer.get(`/api/v1/products/${product.id}`)).statusCode).toBe(200);
    const retired = await bank.post(`/api/v1/products/${product.id}/retire`);
    expect(retired.statusCode, retired.body).toBe(200);
    expect(retired.json()).toMatchObject({ status: 'retired', publishedVersion: 1 });
    expect((await dealer.get(`/api/v1/products/${product.id}`)).statusCode).toBe(404);
    const application = await dealer.post('/api/v1/applications', {
      productId: product.id,
      amount: '200000.00',
      termMonths: 3,
      purpose: '采购',
    });
    // It no longer exists for the borrower: 404, the same as a product it never could see.
    expect(application.statusCode).toBe(404);
    expect(application.json().code).toBe('NOT_FOUND');
    // The funder keeps it (loans made under it keep their terms).
    expect((await bank.get(`/api/v1/products/${product.id}`)).json()).toMatchObject({ status: 'retired' });
  });
});

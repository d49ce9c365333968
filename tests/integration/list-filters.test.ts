/**
 * The lists officers and accountants work from: search and filters on loans, applications and receivables are
 * query parameters of the list routes, checked by zod (a bad value is 400 VALIDATION_FAILED) and applied inside
 * the caller's scope — a keyword (a number or a counterparty's name) never reaches another organisation's rows.
 *
 * The demo: 浦江银行 (bank) lends to 鲁工机械 (dealer), 中原工机 (dealer2, overdue, 关注) and 蜀道设备 (dealer3);
 * 中链保理 (factor) lent to 精工钢材 (supplier); 长江银行 (bank2) has no loan. 精工钢材's receivables are on
 * 华东重工 (core); this file adds one of 锐达机电 (supplier4, its own supplier) on 精工钢材.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, parseBusinessDate } from '../../src/kernel/dates';
import { createTestApp, type Client, type TestApp } from '../support/app';
import { demoOrgIds } from '../support/fixtures';
import { businessDate, docNo, invoice } from '../support/scf';

interface LoanItem {
  id: string;
  loanNo: string;
  borrowerName: string;
  funderOrgId: string;
  borrowerOrgId: string;
  status: string;
  daysPastDue: number;
  classification: string;
}
interface ApplicationItem {
  id: string;
  applicationNo: string;
  borrowerName: string;
  funderOrgId: string;
  borrowerOrgId: string;
  status: string;
}
interface ReceivableItem {
  id: string;
  receivableNo: string;
  docNo: string;
  creditorName: string;
  debtorName: string;
  status: string;
}

describe('list search and filters', () => {
  let t: TestApp;
  let bank: Client;
  let bank2: Client;
  let factor: Client;
  let dealer: Client;
  let supplier: Client;
  let supplier4: Client;
  let core: Client;
  let ids: Record<string, string>;

  const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;
  async function loans(client: Client, params: Record<string, string> = {}): Promise<LoanItem[]> {
    const res = await client.get(`/api/v1/loans${q({ limit: '200', ...params })}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { items: LoanItem[]; total: number };
    expect(page.total).toBe(page.items.length);
    return page.items;
  }
  async function applications(client: Client, params: Record<string, string> = {}): Promise<ApplicationItem[]> {
    const res = await client.get(`/api/v1/applications${q(params)}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ApplicationItem[];
  }
  async function receivables(client: Client, params: Record<string, string> = {}): Promise<ReceivableItem[]> {
    const res = await client.get(`/api/v1/receivables${q(params)}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ReceivableItem[];
  }

  beforeAll(async () => {
    t = await createTestApp();
    [bank, bank2, factor, dealer, supplier, supplier4, core] = (await Promise.all(
      ['bank', 'bank2', 'factor', 'dealer', 'supplier', 'supplier4', 'core'].map((u) => t.login(u)),
    )) as [Client, Client, Client, Client, Client, Client, Client];
    ids = await demoOrgIds(t);
  });
  afterAll(async () => t?.close());

  // --- loans -----------------------------------------------------------------------------------------------

  it("a funder is the funder of every loan and application in its list (so its pages drop the 'funder' column)", async () => {
    for (const [client, org] of [
      [bank, '浦江银行'],
      [factor, '中链保理'],
    ] as const) {
      const mine = await loans(client);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((l) => l.funderOrgId === ids[org])).toBe(true);
      expect((await applications(client, { role: 'funder' })).every((a) => a.funderOrgId === ids[org])).toBe(true);
    }
    expect((await loans(dealer)).every((l) => l.borrowerOrgId === ids['鲁工机械'])).toBe(true);
  });

  it("a keyword finds a loan by its number and by its borrower's name (contains, any case)", async () => {
    const all = await loans(bank);
    const target = all.find((l) => l.borrowerName.includes('鲁工'))!;
    expect(target).toBeDefined();
    expect((await loans(bank, { q: target.loanNo })).map((l) => l.id)).toEqual([target.id]);
    // a part of the number, lower case
    const part = target.loanNo.slice(-6).toLowerCase();
    expect((await loans(bank, { q: part })).map((l) => l.id)).toContain(target.id);
    const byName = await loans(bank, { q: '鲁工' });
    expect(byName.map((l) => l.id)).toContain(target.id);
    expect(byName.every((l) => l.borrowerName.includes('鲁工'))).toBe(true);
    expect(byName.length).toBeLessThan(all.length);
    // the borrower finds its loans by the funder's name (鲁工机械 borrows from 浦江银行 twice: 保兑仓 and against excavators)
    expect((await loans(dealer, { q: '浦江' })).map((l) => l.id).sort()).toEqual(byName.map((l) => l.id).sort());
    // %, _ and \ are taken literally, not as patterns
    expect(await loans(bank, { q: '%' })).toEqual([]);
    expect(await loans(bank, { q: '_' })).toEqual([]);
    // a blank keyword is no search
    expect((await loans(bank, { q: '  ' })).length).toBe(all.length);
  });

  it('filters combine: overdue-only, status, five-tier class and keyword narrow together', async () => {
    const all = await loans(bank);
    const overdue = await loans(bank, { overdue: 'true' });
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.length).toBeLessThan(all.length);
    expect(overdue.every((l) => l.daysPastDue > 0)).toBe(true);
    expect(
      all
        .filter((l) => l.daysPastDue > 0)
        .map((l) => l.id)
        .sort(),
    ).toEqual(overdue.map((l) => l.id).sort());
    expect((await loans(bank, { overdue: 'false' })).length).toBe(all.length);

    const late = overdue.find((l) => l.borrowerName.includes('中原'))!;
    expect(late).toBeDefined();
    // 中原工机 is late on a drawn loan and on its 保兑仓 advance (垫款, a loan overdue from the day it was made): the keyword finds both
    const lateZhongyuan = overdue.filter((l) => l.borrowerName.includes('中原')).map((l) => l.id);
    expect(lateZhongyuan.length).toBe(2);
    expect((await loans(bank, { overdue: 'true', q: '中原' })).map((l) => l.id).sort()).toEqual(lateZhongyuan.sort());
    expect(await loans(bank, { overdue: 'true', q: '鲁工' })).toEqual([]);
    expect((await loans(bank, { overdue: 'true', classification: late.classification, q: late.loanNo })).map((l) => l.id)).toEqual([
      late.id,
    ]);
    expect(await loans(bank, { overdue: 'true', classification: 'loss' })).toEqual([]);
    const current = await loans(bank, { status: 'current', q: '鲁工' });
    expect(current.every((l) => l.status === 'current' && l.borrowerName.includes('鲁工'))).toBe(true);
    expect(await loans(bank, { status: 'closed', q: '中原' })).toEqual([]);
  });

  it("another organisation's loans never appear, whatever the keyword", async () => {
    const bankLoans = await loans(bank);
    const factorLoans = await loans(factor);
    expect(await loans(bank2, { q: '鲁工' })).toEqual([]);
    expect(await loans(bank2, { q: bankLoans[0]!.loanNo })).toEqual([]);
    // 精工钢材 borrowed from 浦江银行 (against its coils) and from 中链保理: each finds its own loans under its name, 长江银行 none
    const bankToSupplier = await loans(bank, { q: '精工' });
    expect(bankToSupplier.length).toBeGreaterThan(0);
    expect(bankToSupplier.every((l) => l.funderOrgId === bankLoans[0]!.funderOrgId && l.borrowerName.includes('精工'))).toBe(true);
    expect(await loans(bank2, { q: '精工' })).toEqual([]);
    expect((await loans(factor, { q: '精工' })).map((l) => l.id)).toEqual(factorLoans.map((l) => l.id));
    expect(await loans(factor, { q: bankLoans[0]!.loanNo })).toEqual([]);
    // a borrower searching another borrower's number or name
    expect(await loans(dealer, { q: '中原' })).toEqual([]);
    expect(await loans(dealer, { overdue: 'true' })).toEqual([]);
  });

  it('bad loan filters are refused with 400 VALIDATION_FAILED', async () => {
    const refused: Record<string, string>[] = [
      { overdue: 'yes' },
      { status: 'late' },
      { classification: 'bad' },
      { q: 'x'.repeat(101) },
      { limit: '0' },
    ];
    for (const bad of refused) {
      const res = await bank.get(`/api/v1/loans${q(bad)}`);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
  });

  // --- applications ----------------------------------------------------------------------------------------

  it("a keyword finds an application by its number and by its borrower's name; status and keyword combine", async () => {
    const all = await applications(bank, { role: 'funder' });
    const target = all.find((a) => a.borrowerName.includes('蜀道'))!;
    expect(target).toBeDefined();
    expect((await applications(bank, { q: target.applicationNo })).map((a) => a.id)).toEqual([target.id]);
    const byName = await applications(bank, { role: 'funder', q: '蜀道' });
    expect(byName.map((a) => a.id)).toContain(target.id);
    expect(byName.every((a) => a.borrowerName.includes('蜀道'))).toBe(true);
    expect(byName.length).toBeLessThan(all.length);
    expect((await applications(bank, { q: '蜀道', status: target.status })).map((a) => a.id)).toContain(target.id);
    const other = target.status === 'draft' ? 'closed' : 'draft';
    expect(await applications(bank, { q: target.applicationNo, status: other })).toEqual([]);
  });

  it("another organisation's applications never appear, whatever the keyword", async () => {
    const target = (await applications(bank, { role: 'funder' }))[0]!;
    expect(await applications(bank2, { q: target.applicationNo })).toEqual([]);
    expect(await applications(bank2, { q: '蜀道' })).toEqual([]);
    expect(await applications(factor, { q: '鲁工' })).toEqual([]);
    expect(await applications(dealer, { q: '中原' })).toEqual([]);
    // the core enterprise sees its network's applications, and finds them by name
    expect((await applications(core, { q: target.applicationNo })).map((a) => a.id)).toEqual([target.id]);
  });

  it('an unknown application status or an overlong keyword is refused with 400 VALIDATION_FAILED', async () => {
    const refused: Record<string, string>[] = [{ status: 'pending' }, { role: 'debtor' }, { q: 'y'.repeat(101) }];
    for (const bad of refused) {
      const res = await bank.get(`/api/v1/applications${q(bad)}`);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
  });

  // --- receivables -----------------------------------------------------------------------------------------

  it("a keyword finds a receivable by its number, its document's number and its creditor's or debtor's name; filters combine; another organisation's never appear", async () => {
    const today = await businessDate(supplier);
    const no = docNo('LF');
    const { receivableId } = await invoice(supplier4, ids['精工钢材']!, '12345.00', addDays(parseBusinessDate(today), 40), no);
    const created = (await receivables(supplier)).find((r) => r.id === receivableId)!;
    expect(created.creditorName).toContain('锐达');

    expect((await receivables(supplier, { q: created.receivableNo })).map((r) => r.id)).toEqual([receivableId]);
    expect((await receivables(supplier, { q: no.toLowerCase() })).map((r) => r.id)).toEqual([receivableId]);
    expect((await receivables(supplier, { q: '锐达' })).map((r) => r.id)).toEqual([receivableId]);
    const onCore = await receivables(supplier, { q: '华东重工' });
    expect(onCore.length).toBeGreaterThan(0);
    expect(onCore.every((r) => r.debtorName.includes('华东重工'))).toBe(true);
    expect(onCore.map((r) => r.id)).not.toContain(receivableId);

    expect((await receivables(supplier, { q: '锐达', status: 'pending', role: 'debtor' })).map((r) => r.id)).toEqual([receivableId]);
    expect(await receivables(supplier, { q: '锐达', status: 'confirmed' })).toEqual([]);
    expect(await receivables(supplier, { q: '锐达', role: 'creditor' })).toEqual([]);

    for (const outsider of [core, bank, factor, bank2]) {
      expect(await receivables(outsider, { q: created.receivableNo })).toEqual([]);
      expect(await receivables(outsider, { q: no })).toEqual([]);
      expect(await receivables(outsider, { q: '锐达' })).toEqual([]);
    }

    const refused: Record<string, string>[] = [{ status: 'open' }, { q: 'z'.repeat(101) }];
    for (const bad of refused) {
      const res = await supplier.get(`/api/v1/receivables${q(bad)}`);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
  });
});

/**
 * 全局搜索 (GET /api/v1/search): one term over every kind a module registered — customers by name, short name and
 * credit code; applications, contracts, loans, certificates and receivables (with their trade document) by number;
 * credit lines by their holder's or funder's name. Each kind is scoped like its own list: no demo user ever gets a
 * hit it could not open (the record's own GET answers 200), and a record the caller cannot open (404) never appears,
 * whatever its number. Prefix and Chinese substring matches, prefix matches first; an empty or too long term is 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/demo/seed';
import { queryRows } from '../../src/kernel/db';
import { createTestApp, expectError, type Client, type TestApp } from '../support/app';
import { testEngine } from '../support/db';
import { sql } from '../support/fixtures';

interface Hit {
  id: string;
  label: string;
  secondary: string | null;
  link: string;
}
interface Group {
  kind: string;
  total: number;
  hits: Hit[];
}

/** The API that opens the record a hit's web route names. */
function apiOf(link: string): string {
  const [, section, id] = link.split('/');
  const api: Record<string, string> = {
    parties: '/api/v1/parties/',
    applications: '/api/v1/applications/',
    loans: '/api/v1/loans/',
    certificates: '/api/v1/certificates/',
    receivables: '/api/v1/receivables/',
    credit: '/api/v1/credit/lines/',
  };
  const base = api[section!];
  if (!base || !id) throw new Error(`a hit links to ${link}, which no record API answers`);
  return `${base}${id}`;
}

describe(`全局搜索 (${testEngine()})`, () => {
  let t: TestApp;
  const clients = new Map<string, Client>();
  /** Record numbers of every kind in the demo, and the API of each record. */
  let records: { kind: string; no: string; api: string }[];

  async function search(client: Client, q: string, limit = 50): Promise<Group[]> {
    const res = await client.get(`/api/v1/search?q=${encodeURIComponent(q)}&limit=${limit}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { groups: Group[] }).groups;
  }

  beforeAll(async () => {
    t = await createTestApp();
    for (const u of DEMO_USERS) clients.set(u.username, await t.login(u.username));
    const rows = await queryRows<{ kind: string; no: string; id: string }>(
      t.database.db,
      sql`select 'application' as kind, application_no as no, id from loan_applications
          union all select 'contract', contract_no, application_id from loan_contracts
          union all select 'loan', loan_no, id from loans
          union all select 'certificate', cert_no, id from certificates
          union all select 'receivable', receivable_no, id from receivables
          union all select 'party', name, id from organizations`,
    );
    const base: Record<string, string> = {
      application: '/api/v1/applications/',
      contract: '/api/v1/applications/',
      loan: '/api/v1/loans/',
      certificate: '/api/v1/certificates/',
      receivable: '/api/v1/receivables/',
      party: '/api/v1/parties/',
    };
    records = rows.map((r) => ({ kind: r.kind, no: r.no, api: `${base[r.kind]}${r.id}` }));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('the demo has records of every searchable kind', () => {
    for (const kind of ['application', 'contract', 'loan', 'certificate', 'receivable', 'party'])
      expect(records.filter((r) => r.kind === kind).length, kind).toBeGreaterThan(0);
  });

  it("no demo user ever gets a hit it cannot open: every hit's own GET answers 200", async () => {
    // terms that match many parties' records: number prefixes of every kind, names, a credit code prefix, one character
    const prefixes = new Set(records.filter((r) => r.kind !== 'party').map((r) => r.no.slice(0, 3)));
    const terms = [...prefixes, '银行', '重工', '机械', '钢材', '有限公司', '华', '91', '2026'];
    let checked = 0;
    for (const u of DEMO_USERS) {
      const client = clients.get(u.username)!;
      const opened = new Set<string>();
      for (const term of terms) {
        for (const group of await search(client, term)) {
          expect(group.hits.length).toBeLessThanOrEqual(group.total);
          for (const hit of group.hits) {
            const api = apiOf(hit.link);
            if (opened.has(api)) continue;
            const res = await client.get(api);
            expect(
              res.statusCode,
              `${u.username} found ${group.kind} ${hit.label} (${term}) but GET ${api} answered ${res.statusCode}`,
            ).toBe(200);
            opened.add(api);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  }, 600_000);

  it('a record the caller cannot open never appears, searched by its full number or name', async () => {
    let foreign = 0;
    for (const username of ['supplier3', 'dealer2', 'bank2', 'factor', 'warehouse', 'insurer', 'core', 'supplier']) {
      const client = clients.get(username)!;
      for (const record of records) {
        if ((await client.get(record.api)).statusCode !== 404) continue;
        foreign++;
        const ids = (await search(client, record.no)).flatMap((g) => g.hits.map((h) => apiOf(h.link)));
        expect(ids, `${username} found foreign ${record.kind} ${record.no}`).not.toContain(record.api);
      }
    }
    expect(foreign).toBeGreaterThan(10);
  }, 600_000);

  it('the operator finds every record by its full number, and the credit code finds its customer', async () => {
    const operator = clients.get('operator')!;
    for (const record of records.filter((r) => r.kind !== 'party').slice(0, 40)) {
      const group = (await search(operator, record.no)).find((g) => g.kind === record.kind);
      expect(
        group?.hits.map((h) => apiOf(h.link)),
        `${record.kind} ${record.no}`,
      ).toContain(record.api);
      expect(group!.hits[0]!.label).toBe(record.no); // the exact number is a prefix match: first
    }
    const [org] = await queryRows<{ id: string; credit_code: string }>(
      t.database.db,
      sql`select id, credit_code from organizations where credit_code is not null and short_name = '华东重工'`,
    );
    const parties = (await search(operator, org!.credit_code.slice(0, 10))).find((g) => g.kind === 'party');
    expect(parties?.hits.map((h) => h.id)).toContain(org!.id);
  });

  it('Chinese substring: a word inside a name finds the customer, one or two characters too, prefix matches first', async () => {
    const core = clients.get('core')!;
    const [org] = await queryRows<{ id: string; name: string }>(
      t.database.db,
      sql`select id, name from organizations where short_name = '精工钢材'`,
    );
    expect(org!.name.startsWith('精工钢材')).toBe(false); // so the searches below match inside the name
    for (const term of ['钢材', '工钢', '钢']) {
      const parties = (await search(core, term)).find((g) => g.kind === 'party');
      expect(
        parties?.hits.map((h) => h.id),
        term,
      ).toContain(org!.id);
      for (const hit of parties!.hits) expect(`${hit.label} ${hit.secondary ?? ''}`.toLowerCase()).toContain(term);
    }
    // prefix before substring: every party whose name starts with the term comes before the others
    const parties = (await search(core, '华东', 50)).find((g) => g.kind === 'party')!;
    const starts = parties.hits.map((h) => h.label.startsWith('华东') || (h.secondary ?? '').startsWith('华东'));
    expect(starts.indexOf(false) === -1 || starts.lastIndexOf(true) < starts.indexOf(false)).toBe(true);
  });

  it('limit caps the hits of each kind; total counts them all', async () => {
    const operator = clients.get('operator')!;
    const all = await search(operator, '有限', 50);
    const capped = await search(operator, '有限', 2);
    const parties = all.find((g) => g.kind === 'party')!;
    expect(parties.total).toBeGreaterThan(2);
    const cappedParties = capped.find((g) => g.kind === 'party')!;
    expect(cappedParties.hits).toHaveLength(2);
    expect(cappedParties.total).toBe(parties.total);
  });

  it("ILIKE's wildcards are taken literally: % and _ match only themselves", async () => {
    const operator = clients.get('operator')!;
    expect(await search(operator, '%')).toEqual([]);
    expect(await search(operator, '__')).toEqual([]);
  });

  it('an empty or too long term is 400 SEARCH_TERM_INVALID', async () => {
    const core = clients.get('core')!;
    expectError(await core.get('/api/v1/search?q=%20%20'), 400, 'SEARCH_TERM_INVALID');
    expectError(await core.get('/api/v1/search'), 400, 'SEARCH_TERM_INVALID');
    expectError(await core.get(`/api/v1/search?q=${'钢'.repeat(65)}`), 400, 'SEARCH_TERM_INVALID');
    expect((await core.get(`/api/v1/search?q=${encodeURIComponent('钢'.repeat(64))}`)).statusCode).toBe(200);
  });

  it('signed out: 401', async () => {
    expect((await t.anonymous().get('/api/v1/search?q=abc')).statusCode).toBe(401);
  });
});

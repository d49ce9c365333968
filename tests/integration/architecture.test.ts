/**
 * The architecture's rules, checked on the code itself (they held in TypeScript imports but not in SQL):
 *  - a module's SQL names only its own tables (its schema.ts); another module's data comes through what that
 *    module's index.ts exports — a reader, an SQL fragment or an SQL function it owns. The few sanctioned read
 *    models are listed below with their reason (docs/ARCHITECTURE.md);
 *  - every module's end-of-day steps are registered (kernel/registry.ts) and run in their order;
 *  - every error code in the catalogue is thrown somewhere (a code nobody throws is a promise nobody keeps).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from '../../src/kernel/errors';
import { eodStepsInOrder } from '../../src/kernel/registry';

const ROOT = path.resolve(__dirname, '../..');
const MODULES = path.join(ROOT, 'src/modules');

function files(dir: string, ext = '.ts'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full, ext);
    return full.endsWith(ext) && !full.endsWith('.test.ts') ? [full] : [];
  });
}

/** Table → owning module, from each module's schema.ts (drizzle `pgTable('name', …)`). */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const module of readdirSync(MODULES)) {
    for (const file of files(path.join(MODULES, module)).filter((f) => /schema\.ts$/.test(f))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/pgTable\(\s*'([a-z_0-9]+)'/g)) owners.set(m[1]!, module);
    }
  }
  for (const m of readFileSync(path.join(ROOT, 'src/server/schema.ts'), 'utf8').matchAll(/pgTable\(\s*'([a-z_0-9]+)'/g))
    owners.set(m[1]!, 'server');
  return owners;
}

/** Tables an SQL text reads or writes: after from / join / into / update / delete from / references. */
function tablesIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\b(?:from|join|into|update|table)\s+([a-z_][a-z_0-9]*)\b/gi)) found.push(m[1]!.toLowerCase());
  return found;
}

/**
 * The sanctioned exceptions, each with its reason. Keep this list short: a new entry needs the same kind of
 * reason, written here and in docs/ARCHITECTURE.md.
 */
const ALLOWED: Record<string, string> = {
  // read models: one statement that aggregates loans and names their parties and products, instead of N+1 look-ups
  'financing/reports.ts → organizations': 'read model: report rows carry party names',
  'financing/reports.ts → products': 'read model: report rows carry product names and modes',
  // the caller check of a hot write must run in the write's own statement (identity/callers.ts)
  'function identity_assert_callers → organizations': "the caller check repeats parties' member status in the write's statement",
};

describe('the architecture holds in the code', () => {
  it("a module's SQL names only its own tables (TS templates and its SQL functions), but for the documented read models", () => {
    const owners = tableOwners();
    expect(owners.get('ledger_transfers')).toBe('ledger');
    expect(owners.get('credit_lines')).toBe('credit');
    const violations: string[] = [];
    for (const module of readdirSync(MODULES)) {
      for (const file of files(path.join(MODULES, module))) {
        const text = readFileSync(file, 'utf8');
        // only SQL: the contents of sql`…` templates
        const sqlText = [...text.matchAll(/sql`([\s\S]*?)`/g)].map((m) => m[1]).join('\n');
        for (const table of new Set(tablesIn(sqlText))) {
          const owner = owners.get(table);
          if (!owner || owner === module) continue;
          const key = `${path.relative(MODULES, file)} → ${table}`;
          if (!ALLOWED[key]) violations.push(`${key} (owned by ${owner})`);
        }
      }
    }
    // SQL functions in the migrations, by their module prefix (ledger_…, identity_…, audit_…)
    const modules = new Set(readdirSync(MODULES));
    const latest = new Map<string, string>();
    for (const file of readdirSync(path.join(ROOT, 'migrations'))
      .filter((f) => f.endsWith('.sql'))
      .sort()) {
      const text = readFileSync(path.join(ROOT, 'migrations', file), 'utf8');
      for (const m of text.matchAll(/CREATE OR REPLACE FUNCTION ([a-z_0-9]+)\s*\(([\s\S]*?)\n\$\$;/gi))
        latest.set(m[1]!.toLowerCase(), m[2]!);
    }
    for (const [name, body] of latest) {
      const module = name.split('_')[0]!;
      if (!modules.has(module)) continue;
      for (const table of new Set(tablesIn(body))) {
        const owner = owners.get(table);
        if (!owner || owner === module) continue;
        const key = `function ${name} → ${table}`;
        if (!ALLOWED[key]) violations.push(`migrations: function ${name} → ${table} (owned by ${owner})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("every module's end-of-day steps are registered from its index.ts and run in order", () => {
    expect(eodStepsInOrder().map((s) => `${s.order} ${s.name}`)).toEqual([
      '90 cs-maturity',
      '100 accrual',
      '200 billing',
      '300 ageing',
      '345 buyback-triggers',
      '350 mark-to-market',
      '360 insurance-premium-lapse',
      '370 guarantee-loan-watch',
      '400 postings',
      '500 reminders',
      '510 certificate-reminders',
      '520 factoring-reminders',
      '530 insurance-premium-reminders',
      '600 credit-expiry',
    ]);
    // and nothing outside the composition root names another module's step
    const eod = readFileSync(path.join(MODULES, 'financing/eod.ts'), 'utf8');
    expect(eod).not.toMatch(/from '\.\.\/(certificates|receivables|credit)'/);
  });

  it('every error code in the catalogue is thrown somewhere in the code', () => {
    const code = [...files(path.join(ROOT, 'src')), ...files(path.join(ROOT, 'src'), '.tsx')]
      .filter((f) => !f.endsWith('kernel/errors.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = Object.keys(ERROR_CATALOG).filter((c) => !code.includes(`'${c}'`));
    expect(unused).toEqual([]);
  });
});

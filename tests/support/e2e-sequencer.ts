/**
 * The order of the browser suite. Every e2e file shares one demo server (global-e2e.ts), and a few walks run
 * end-of-day for weeks of business days — after them, the demo's premiums have lapsed, its loans are overdue and its
 * certificates matured. Vitest's default order follows cached durations and failures, so the same code ran the files in a
 * different order on each machine, and a walk that passed alone failed behind another one's end-of-day.
 *
 * Fixed here: the files that leave the business date alone run first, in name order, on the demo as seeded (which is how
 * each one is written and run alone); then the walks that move the date, in the order below. A new file that runs
 * end-of-day goes into MOVES_THE_DATE, at the end.
 */
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const MOVES_THE_DATE = ['financing.test.ts', 'certificates.test.ts', 'inventory-monitor.test.ts'];

export function e2eOrder(files: readonly string[]): string[] {
  const rank = (file: string) => MOVES_THE_DATE.indexOf(path.basename(file));
  const stays = files.filter((f) => rank(f) < 0).sort((a, b) => path.basename(a).localeCompare(path.basename(b)));
  const moves = files.filter((f) => rank(f) >= 0).sort((a, b) => rank(a) - rank(b));
  return [...stays, ...moves];
}

export class SuiteOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const e2e = files.filter((f) => f.project.name === 'e2e');
    const rest = await super.sort(files.filter((f) => f.project.name !== 'e2e'));
    const byFile = new Map(e2e.map((f) => [f.moduleId, f]));
    return [...rest, ...e2eOrder(e2e.map((f) => f.moduleId)).map((id) => byFile.get(id)!)];
  }
}

import { describe, expect, it } from 'vitest';
import { GroupCommit, groupCommitStats } from './batch';
import type { Executor } from './db';

/** A stand-in database handle: the batcher only uses it as a key and passes it to `run`. */
const handle = () => ({}) as unknown as Executor;

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('group commit (kernel/batch.ts)', () => {
  it('requests submitted in the same turn share one statement, and each gets its own row back', async () => {
    const statements: number[][] = [];
    const batcher = new GroupCommit<number, number>(
      async (_db, rows) => {
        statements.push(rows);
        return rows.map((r) => r * 10);
      },
      { name: 'test_same_turn' },
    );
    const db = handle();
    const answers = await Promise.all([1, 2, 3, 4].map((n) => batcher.submit(db, n)));
    expect(answers).toEqual([10, 20, 30, 40]);
    expect(statements).toEqual([[1, 2, 3, 4]]);
    expect(groupCommitStats.get('test_same_turn')).toEqual({ statements: 1, rows: 4 });
  });

  it('one statement of a kind runs at a time: rows that arrive meanwhile wait and go out together in the next', async () => {
    const statements: number[][] = [];
    const gate = deferred();
    let running = 0;
    let mostAtOnce = 0;
    const batcher = new GroupCommit<number, number>(
      async (_db, rows) => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        statements.push(rows);
        if (statements.length === 1) await gate.promise;
        running--;
        return rows;
      },
      { name: 'test_in_flight' },
    );
    const db = handle();
    const first = batcher.submit(db, 1);
    await new Promise((r) => setImmediate(r)); // the first statement is running
    const later = [2, 3, 4].map((n) => batcher.submit(db, n));
    await new Promise((r) => setImmediate(r));
    expect(statements).toEqual([[1]]); // still waiting for the first
    gate.resolve();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3, 4]);
    expect(statements).toEqual([[1], [2, 3, 4]]);
    expect(mostAtOnce).toBe(1);
  });

  it('rows with the same key never share a statement, and keep their order', async () => {
    const statements: string[][] = [];
    const batcher = new GroupCommit<{ piece: string; n: number }, string>(
      async (_db, rows) => {
        statements.push(rows.map((r) => `${r.piece}${r.n}`));
        return rows.map((r) => `${r.piece}${r.n}`);
      },
      { name: 'test_key', key: (r) => r.piece },
    );
    const db = handle();
    const rows = [
      { piece: 'a', n: 1 },
      { piece: 'b', n: 1 },
      { piece: 'a', n: 2 },
      { piece: 'a', n: 3 },
      { piece: 'c', n: 1 },
    ];
    expect(await Promise.all(rows.map((r) => batcher.submit(db, r)))).toEqual(['a1', 'b1', 'a2', 'a3', 'c1']);
    expect(statements).toEqual([['a1', 'b1', 'c1'], ['a2'], ['a3']]);
  });

  it('a statement that fails as a whole is re-run row by row: only the bad row fails its request', async () => {
    const statements: number[][] = [];
    const batcher = new GroupCommit<number, number>(
      async (_db, rows) => {
        statements.push(rows);
        if (rows.includes(13)) throw new Error('check constraint violated by 13');
        return rows;
      },
      { name: 'test_fallback' },
    );
    const db = handle();
    const answers = await Promise.allSettled([11, 12, 13, 14].map((n) => batcher.submit(db, n)));
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message))).toEqual([
      11,
      12,
      'check constraint violated by 13',
      14,
    ]);
    expect(statements[0]).toEqual([11, 12, 13, 14]);
    expect(statements.slice(1).sort()).toEqual([[11], [12], [13], [14]]);
  });

  it('caps a statement at maxBatch rows and keeps separate queues per database handle', async () => {
    const statements: string[] = [];
    const batcher = new GroupCommit<number, number>(
      async (db, rows) => {
        statements.push(`${(db as unknown as { name: string }).name}:${rows.join(',')}`);
        return rows;
      },
      { name: 'test_max_batch', maxBatch: 2 },
    );
    const one = { name: 'one' } as unknown as Executor;
    const two = { name: 'two' } as unknown as Executor;
    await Promise.all([batcher.submit(one, 1), batcher.submit(two, 2), batcher.submit(one, 3), batcher.submit(one, 5)]);
    expect(statements).toEqual(['one:1,3', 'two:2', 'one:5']);
  });

  it('a statement that returns the wrong number of rows fails every request in it rather than mismatching answers', async () => {
    const batcher = new GroupCommit<number, number>(async (_db, rows) => rows.slice(1), { name: 'test_count' });
    const db = handle();
    const answers = await Promise.allSettled([1, 2].map((n) => batcher.submit(db, n)));
    expect(answers.every((a) => a.status === 'rejected')).toBe(true);
  });
});

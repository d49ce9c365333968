/**
 * Group commit for hot autocommit statements (the way TigerBeetle batches transfers, and PostgreSQL its own
 * WAL flushes): requests that arrive while the previous statement of their kind is still at the database wait
 * together and go out as ONE statement over a set of rows (`json_to_recordset`), which returns a result per row.
 *
 * Why: on the certificate transfer, every request paid four round trips and three commits, and on a small
 * machine the per-statement costs (network syscalls, backend wake-ups, parse/bind, commit) were most of the
 * CPU both in Node and in PostgreSQL — far more than the rows' own work. A statement over N rows pays them once.
 *
 * How: `submit` queues the row; a flush is scheduled with `setImmediate`, so every request read in the same
 * turn of the event loop shares a statement, and one statement of the kind runs at a time per database handle
 * (`maxInFlight`, default 1) — under load the queue fills while it runs, which is where batches come from; an
 * idle server sends a single row at once (no added delay). Measured on the certificate transfer (bench/, two
 * CPUs): one at a time beat two and four (smaller batches cost more per row than the wait) while its statement was
 * one autocommit round trip — and it is again, keys and all (`answers`). The price is
 * head-of-line blocking: a statement that waits on a row lock holds up its kind on this instance; the hot
 * statements wait only on rows a short transaction holds (a piece being financed), never on the application.
 * Rows with the same `key` never share a statement (the second waits for the next), so a statement never has
 * to decide between two requests for one object. A statement that fails as a whole (it wrote nothing: one
 * autocommit statement) is re-run row by row, so one bad row fails only its own request. Inside a transaction
 * the row runs alone on the transaction's connection: a batch spans requests, and a transaction belongs to one.
 *
 * Rows travel as one json parameter (`db.jsonRowsStatement`); the statements read them with lateral
 * lookups (`… join lateral (select … where id = r.id limit 1)`) or upserts, because PostgreSQL guesses 100 rows
 * for json_to_recordset and, on a table it believes small, would rather scan the table than probe an index.
 */
import { PgTransaction } from 'drizzle-orm/pg-core';
import { sqlState, type Executor } from './db';
import type { StatementKey } from './idempotency';

export interface GroupCommitOptions<I, O = unknown> {
  /** What the statement does (metrics: openscf_group_commit_{statements,rows}_total{statement}). */
  name: string;
  /** Rows per statement (bounded: a statement's size and its lock set). */
  maxBatch?: number;
  /** Statements of this kind running at once, per database handle. */
  maxInFlight?: number;
  /** Rows with the same key go to different statements, in the order submitted. */
  key?: (item: I) => string;
  /**
   * Rows that answer an HTTP request with an Idempotency-Key (kernel/idempotency.ts): the statement records a row's
   * key with its result, in the same autocommit statement as the write. `keyOf` is the row's key; `recorded` says
   * whether the statement recorded it for this result (not when it found the key recorded already, nor when it wrote
   * nothing and the HTTP layer stores the answer itself). A replay's row (its key carries the recorded result) is
   * answered with that result at once: no statement runs for it.
   */
  answers?: { keyOf(item: I): StatementKey | undefined; recorded(item: I, result: O): boolean };
}

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

const RETRYABLE = new Set(['40001', '40P01']);

async function retrying<T>(work: () => Promise<T>, maxRetries = 8): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!RETRYABLE.has(sqlState(error) ?? '') || attempt >= maxRetries) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5 * 2 ** Math.min(attempt, 6))));
    }
  }
}

/** Statements run and rows they carried, per statement kind since the process started (for /metrics). */
export const groupCommitStats = new Map<string, { statements: number; rows: number }>();

interface Queue<I, O> {
  waiting: Waiting<I, O>[];
  inFlight: number;
  scheduled: boolean;
}

export class GroupCommit<I, O> {
  private readonly queues = new WeakMap<object, Queue<I, O>>();
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly stats = { statements: 0, rows: 0 };

  /** `run` executes ONE statement for `items` and returns one result per item, in their order. */
  constructor(
    private readonly run: (db: Executor, items: I[]) => Promise<O[]>,
    private readonly options: GroupCommitOptions<I, O>,
  ) {
    groupCommitStats.set(options.name, this.stats);
    this.maxBatch = options.maxBatch ?? 64;
    this.maxInFlight = options.maxInFlight ?? 1;
  }

  submit(db: Executor, item: I): Promise<O> {
    const replay = this.options.answers?.keyOf(item)?.replay;
    if (replay) return Promise.resolve(replay.result as O);
    const inTransaction = (db as unknown) instanceof PgTransaction;
    if (inTransaction) return this.runOne(db, item);
    let queue = this.queues.get(db);
    if (!queue) {
      queue = { waiting: [], inFlight: 0, scheduled: false };
      this.queues.set(db, queue);
    }
    const q = queue;
    return new Promise<O>((resolve, reject) => {
      q.waiting.push({ item, resolve, reject });
      this.schedule(db, q);
    });
  }

  private schedule(db: Executor, queue: Queue<I, O>): void {
    if (queue.scheduled || queue.inFlight >= this.maxInFlight || queue.waiting.length === 0) return;
    queue.scheduled = true;
    setImmediate(() => {
      queue.scheduled = false;
      this.flush(db, queue);
    });
  }

  private flush(db: Executor, queue: Queue<I, O>): void {
    while (queue.inFlight < this.maxInFlight && queue.waiting.length > 0) {
      const batch = this.take(queue);
      queue.inFlight++;
      void this.execute(db, batch).finally(() => {
        queue.inFlight--;
        this.schedule(db, queue);
      });
    }
  }

  /** The next statement's rows: in order, up to maxBatch, skipping (for now) a key already taken. */
  private take(queue: Queue<I, O>): Waiting<I, O>[] {
    const { key } = this.options;
    if (!key) return queue.waiting.splice(0, this.maxBatch);
    const batch: Waiting<I, O>[] = [];
    const rest: Waiting<I, O>[] = [];
    const keys = new Set<string>();
    for (const waiting of queue.waiting) {
      const k = key(waiting.item);
      if (batch.length < this.maxBatch && !keys.has(k)) {
        keys.add(k);
        batch.push(waiting);
      } else {
        rest.push(waiting);
      }
    }
    queue.waiting = rest;
    return batch;
  }

  private async execute(db: Executor, batch: Waiting<I, O>[]): Promise<void> {
    this.stats.statements++;
    this.stats.rows += batch.length;
    let results: O[];
    try {
      results = await this.statement(
        db,
        batch.map((w) => w.item),
      );
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // The statement wrote nothing; each row on its own finds out whether it was the one at fault.
      await Promise.all(batch.map((w) => this.runOne(db, w.item).then(w.resolve, w.reject)));
      return;
    }
    if (results.length !== batch.length) {
      const error = new Error(`group commit: ${results.length} results for ${batch.length} rows`);
      for (const w of batch) w.reject(error);
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i]!));
  }

  private async runOne(db: Executor, item: I): Promise<O> {
    const [result] = await this.statement(db, [item]);
    return result!;
  }

  /**
   * One statement for `items`, its keyed rows' keys marked as recorded by it. A statement that a deadlock or
   * serialization failure rolled back wrote nothing and runs again (in a caller's transaction it is the caller's to
   * retry).
   */
  private async statement(db: Executor, items: I[]): Promise<O[]> {
    const results = (db as unknown) instanceof PgTransaction ? await this.run(db, items) : await retrying(() => this.run(db, items));
    const answers = this.options.answers;
    if (answers && results.length === items.length) {
      items.forEach((item, i) => {
        const key = answers.keyOf(item);
        if (key && answers.recorded(item, results[i]!)) key.recorded = true;
      });
    }
    return results;
  }
}

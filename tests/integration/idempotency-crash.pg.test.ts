/**
 * Exactly once across crashes (PostgreSQL only: two app server processes on one database).
 *
 * The rule (server/idempotency.ts, docs/API.md): a mutating request with an Idempotency-Key is ONE unit of work —
 * the key's record, the writes and the stored answer commit together — so a process killed at any instant leaves
 * all of it or none of it. A client that lost its answer sends the same key again (here: to the other instance)
 * and gets the first answer; nothing is done twice, nothing is lost.
 *
 * Two `openscf serve` processes run on the test's own database. Eight client loops send keyed requests, every
 * one with a fresh key, alternating between the instances: cash deposits, ledger transfers, credit occupations,
 * certificate splits (one loop, sequentially, each split on the previous answer's remainder), drawdowns,
 * repayments and factoring funding. A request that fails at the transport level (its instance was killed) or
 * answers 409 IDEMPOTENCY_IN_FLIGHT is sent again with the same key and body to the other instance until it is
 * answered; the first answer of each key is recorded. Ten times, after 0.5–1.5 s of load, one process is killed
 * with SIGKILL and started again; besides, each process now and then kills itself right after a commit and before
 * the answer leaves (kernel/faults.ts) and is started again at once — the window in which a write is done and its
 * client does not know. Afterwards every key is sent once more: the same status and the same bytes come
 * back, marked Idempotent-Replayed. The database then shows every operation exactly once — one ledger transfer,
 * one audit entry, one consumed piece… per answered key — the certificate conserves its face, the ledger verifies
 * clean, and no key is left in flight.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/kernel/context';
import { queryOne, queryRows } from '../../src/kernel/db';
import { addDays, addMonths, type BusinessDate } from '../../src/kernel/dates';
import { currentBusinessDate } from '../../src/modules/calendar';
import { reconciliation } from '../../src/modules/certificates';
import { activateLine, approveChange, submitChange } from '../../src/modules/credit';
import {
  amountDueNow,
  createApplication,
  recordDueDiligence,
  signContract,
  submitApplication,
  uploadApplicationDocument,
} from '../../src/modules/financing';
import { createApiToken } from '../../src/modules/identity/service';
import { ACCOUNT_CODES, TRANSFER_CODES, createAccounts, verifyLedger } from '../../src/modules/ledger';
import { acceptFactoring, confirmReceivable, createDocument, offerFactoring, requestFactoring } from '../../src/modules/receivables';
import { decideTask, inbox } from '../../src/modules/workflow';
import { demoActors, type Actors } from '../support/credit';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { tinyPdf } from '../support/multipart';
import { freePort } from '../support/postgres';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLIENTS = 8;
const CRASHES = 10;
const DEALS = 50;
const TRANSFER_ACCOUNTS = 4;
/** The chance that an instance kills itself right after a commit, before the answer (kernel/faults.ts). */
const FAULT_KILL_AFTER_COMMIT = 0.003;

type Op = 'deposit' | 'transfer' | 'occupation' | 'split' | 'drawdown' | 'repayment' | 'fund';
const OPS: readonly Op[] = ['deposit', 'transfer', 'occupation', 'split', 'drawdown', 'repayment', 'fund'];
/** What the mixed loops cycle through (splits have their own sequential loop; funding is paced by the crashes). */
const MIXED: readonly Op[] = ['deposit', 'transfer', 'occupation', 'drawdown', 'repayment', 'fund'];
type User = 'operator' | 'core' | 'supplier' | 'dealer' | 'dealer2' | 'factor';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- HTTP ---------------------------------------------------------------------------------------------------

interface Answer {
  status: number;
  /** The body exactly as received (UTF-8). */
  body: string;
  contentType: string;
  replayed: string | undefined;
}

/** Keep-alive sockets, as a client pool would use; a killed instance's sockets fail and are dropped. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP request; rejects on any transport failure (refused, reset, hang-up, timeout). */
function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  payload?: string,
  options: { agent?: http.Agent | false } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { ...headers };
    if (payload !== undefined) {
      all['content-type'] = 'application/json';
      all['content-length'] = String(Buffer.byteLength(payload));
    }
    const req = http.request(`${base}${path}`, { method, headers: all, agent: options.agent ?? agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('response aborted')));
      res.on('end', () => {
        if (!res.complete) return reject(new Error('response incomplete'));
        const replayed = res.headers['idempotent-replayed'];
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          contentType: String(res.headers['content-type'] ?? ''),
          replayed: Array.isArray(replayed) ? replayed.join(',') : replayed,
        });
      });
    });
    req.setTimeout(60_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

// --- server processes ---------------------------------------------------------------------------------------

/** One `openscf serve` process on a fixed port; killed with SIGKILL and started again on the same port. */
class ServerProcess {
  child: ChildProcess | undefined;
  exited: Promise<void> = Promise.resolve();
  starts = 0;
  startMs: number[] = [];
  /** Exits nobody asked for (crash of the server itself). */
  unexpectedExits: string[] = [];
  /** Times the process killed itself between a commit and its answer (OPENSCF_FAULT_KILL_AFTER_COMMIT). */
  faultKills = 0;
  /** While true, an instance that killed itself is started again at once (as a supervisor would). */
  supervise = false;
  private killing = false;
  private output = '';
  /** Kills and starts run one after the other (a supervisor's restart and a test's kill never overlap). */
  private lifecycle: Promise<unknown> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly databaseUrl: string,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The tail of what the processes of this instance wrote (for a failure's message). */
  get log(): string {
    return this.output;
  }

  /** The running process wrote that it kills itself after a commit (kernel/faults.ts). */
  private faulted = false;

  private append(chunk: Buffer): void {
    const text = chunk.toString();
    if (text.includes('[fault] killed after commit')) this.faulted = true;
    this.output = (this.output + text).slice(-20_000);
  }

  /** Starts the process (after any kill or start under way). */
  start(): Promise<void> {
    const next = this.lifecycle.then(() => this.launch());
    this.lifecycle = next.catch(() => undefined);
    return next;
  }

  /** Started again after it killed itself, unless a kill or start is already on its way. */
  private restart(): Promise<void> {
    return this.start().catch((error: unknown) => void this.unexpectedExits.push(`${this.name} could not start again: ${String(error)}`));
  }

  private async launch(): Promise<void> {
    if (this.running) return;
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: this.databaseUrl,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        OPENSCF_DEMO: 'false',
        OPENSCF_WEB_DIR: '/nonexistent',
        // now and then the process kills itself after a commit, before the answer: the window a crash must not break
        OPENSCF_FAULT_KILL_AFTER_COMMIT: String(FAULT_KILL_AFTER_COMMIT),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.killing = false;
    this.starts++;
    child.stdout!.on('data', (chunk: Buffer) => this.append(chunk));
    child.stderr!.on('data', (chunk: Buffer) => this.append(chunk));
    this.faulted = false;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (this.faulted && signal === 'SIGKILL' && !this.killing) {
          this.faultKills++;
          if (this.supervise && this.child === child) void this.restart();
        } else if (!this.killing)
          this.unexpectedExits.push(`${this.name} exited by itself (code ${code}, signal ${signal}):\n${this.output}`);
        resolve();
      }),
    );
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        // restarted under load, it took a client's request and killed itself after its commit (the fault under test)
        // before /healthz answered here: its exit handler has already asked for the next start, as a supervisor would
        if (this.faulted && child.signalCode === 'SIGKILL' && !this.killing && this.supervise) return;
        throw new Error(`${this.name} exited before /healthz (code ${child.exitCode}, signal ${child.signalCode}):\n${this.output}`);
      }
      try {
        if ((await send(this.base, 'GET', '/healthz', {}, undefined, { agent: false })).status === 200) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`${this.name} did not answer /healthz within 120 s:\n${this.output}`);
      await sleep(100);
    }
    this.startMs.push(Date.now() - started);
  }

  kill(): Promise<void> {
    const next = this.lifecycle.then(async () => {
      if (!this.running) return;
      this.killing = true;
      this.child!.kill('SIGKILL');
      await this.exited;
    });
    this.lifecycle = next.catch(() => undefined);
    return next;
  }
}

// --- the keyed requests ---------------------------------------------------------------------------------------

interface KeyedRequest {
  op: Op;
  key: string;
  user: User;
  method: 'POST';
  path: string;
  /** The exact body text, sent byte for byte on every attempt. */
  payload: string;
  /** The first answer received for the key. */
  answer?: Answer;
  attempts: number;
  /** Attempts whose connection broke under them (the instance was killed while the request was in flight). */
  resets: number;
}

/** Attempts, and those that got no answer (each sent again, with its key, to the other instance). */
interface Stats {
  sent: number;
  /** The connection broke under the request: its instance was killed while it was in flight. */
  resets: number;
  /** The instance was down (killed, not yet started again). */
  refused: number;
  inFlight409: number;
  otherTransport: number;
}

describe('exactly once across crashes: every keyed request takes effect once and its first answer replays byte for byte, with two instances SIGKILLed under load (postgres)', () => {
  let database: TestDatabase;
  let actors: Actors;
  let checks: pg.Client;
  const servers: ServerProcess[] = [];
  const tokens = {} as Record<User, string>;
  let aborted = false;

  // What setup prepared.
  let dea2: string;
  let sup1: string;
  let sup4: string;
  let accountIds: string[] = [];
  let lineId: string;
  let certificateId: string;
  let firstPiece: string;
  let applicationId: string;
  let loanId: string;
  const dealIds: string[] = [];
  let paymentsBefore: Set<string>;
  let repayCashBefore: number;
  let splitPiecesBefore: number;

  // What the load did.
  const requests: KeyedRequest[] = [];
  const stats: Stats = { sent: 0, resets: 0, refused: 0, inFlight409: 0, otherTransport: 0 };
  /** The pieces the split loop sent, in order (each the previous answer's remainder). */
  const splitChain: { pieceId: string; request: KeyedRequest }[] = [];
  let fundsSent = 0;

  const ofOp = (op: Op) => requests.filter((r) => r.op === op);
  const json = (r: KeyedRequest) => JSON.parse(r.answer!.body) as Record<string, any>;

  beforeAll(async () => {
    database = await createTestDatabase({ seed: 'demo', poolSize: 8 });
    checks = new pg.Client({ connectionString: database.url });
    await checks.connect();
    actors = await demoActors(database.db);
    const as = (user: string): Ctx => actors.as(user);
    const date: BusinessDate = await currentBusinessDate(as('operator'));
    dea2 = actors.org('中原工机');
    sup1 = actors.org('精工钢材');
    sup4 = actors.org('宏达铸造');
    const core = actors.org('华东重工');

    for (const user of ['operator', 'core', 'supplier', 'dealer', 'dealer2', 'factor'] as User[])
      tokens[user] = (await createApiToken(as(user), { name: `crash test ${user}` })).token;

    // Ledger transfers: operator-owned settlement-code accounts without balance rules.
    const operatorOrg = as('operator').actor.orgId;
    const accounts = Array.from({ length: TRANSFER_ACCOUNTS }, (_, i) => ({
      id: randomUUID(),
      ledger: 156,
      code: ACCOUNT_CODES.SETTLEMENT,
      ownerOrgId: operatorOrg,
      name: `crash test ${i}`,
    }));
    await createAccounts(database.db, accounts);
    accountIds = accounts.map((a) => a.id);

    // Credit occupations: a fresh 10,000,000.00 revolving line 浦江银行 → 华东重工 (maker-checker, then activated).
    const change = await submitChange(as('bank'), {
      kind: 'grant',
      amount: '10000000.00',
      reason: 'crash test',
      params: { holderOrgId: core, currency: 'CNY', products: [], revolving: true, validFrom: date, validTo: addMonths(date, 12) },
    });
    const approved = await approveChange(as('bank.checker'), change.id, undefined);
    await activateLine(as('bank'), approved.resultLineId!);
    lineId = approved.resultLineId!;

    // Certificate splits: 精工钢材's largest live piece of the demo's 60,000,000.00 certificate.
    const piece = await queryOne<{ id: string; certificate_id: string }>(
      database.db,
      sql`select p.id, p.certificate_id from certificate_pieces p join certificates c on c.id = p.certificate_id
           where c.face_minor = 6000000000 and c.status = 'accepted' and p.holder_org_id = ${sup1}::uuid and p.status = 'live'
           order by p.amount_minor desc limit 1`,
    );
    expect(piece, '精工钢材 holds a live piece of the 60,000,000.00 certificate').toBeDefined();
    firstPiece = piece!.id;
    certificateId = piece!.certificate_id;
    splitPiecesBefore = Number(
      (await queryOne<{ n: bigint }>(
        database.db,
        sql`select count(*) as n from certificate_pieces where certificate_id = ${certificateId}::uuid and holder_org_id = ${sup4}::uuid and amount_minor = 100`,
      ))!.n,
    );

    // Drawdowns: a contracted 20,000,000.00 ORDER-LOAN facility of 鲁工机械 at 浦江银行 (no credit line), both signatures.
    const product = await queryOne<{ id: string }>(database.db, sql`select id from products where code = 'ORDER-LOAN'`);
    const application = await createApplication(as('dealer'), {
      productId: product!.id,
      amount: '20000000.00',
      termMonths: 12,
      purpose: '订单采购（崩溃测试）',
    });
    applicationId = application.id;
    await uploadApplicationDocument(as('dealer'), applicationId, { kind: 'purchase_order', fileName: 'po.pdf', content: tinyPdf('PO') });
    await recordDueDiligence(as('bank'), applicationId, { summary: '订单真实，核心企业确认。', rating: 'A', recommendation: 'approve' });
    await submitApplication(as('dealer'), applicationId);
    for (const user of ['bank.checker', 'bank.head']) {
      const task = (await inbox(as(user))).find((t) => t.subjectId === applicationId);
      expect(task, `${user} has the approval task`).toBeDefined();
      await decideTask(as(user), task!.id, 'approve', '同意');
    }
    await signContract(as('dealer'), applicationId);
    await signContract(as('bank'), applicationId);
    const contracted = await queryOne<{ status: string }>(
      database.db,
      sql`select status from loan_applications where id = ${applicationId}::uuid`,
    );
    expect(contracted!.status).toBe('contracted');

    // Repayments: 中原工机's overdue demo loan; its borrower has settlement cash (and receives the deposits).
    const loan = await queryOne<{ id: string }>(
      database.db,
      sql`select id from loans where borrower_org_id = ${dea2}::uuid and status in ('current', 'overdue') order by start_date limit 1`,
    );
    expect(loan, '中原工机 has a live loan').toBeDefined();
    loanId = loan!.id;
    const due = await amountDueNow(as('dealer2'), loanId);
    console.log(`[crash] setup: loan ${loanId} of 中原工机 has ${due} due`);
    paymentsBefore = new Set(
      (await queryRows<{ id: string }>(database.db, sql`select id from loan_payments where loan_id = ${loanId}::uuid`)).map((r) => r.id),
    );
    repayCashBefore = await countRows(
      sql`select count(*) as n from ledger_transfers where ref_type = 'loan' and ref_id = ${loanId} and code = ${TRANSFER_CODES.LOAN_REPAY_CASH}`,
    );

    // Factoring funding: DEALS deals, each accepted by the creditor (status notified), waiting for the factor's money.
    const factorOrg = actors.org('中链保理');
    for (let i = 0; i < DEALS; i++) {
      const doc = await createDocument(as('supplier'), {
        kind: 'invoice',
        counterpartyOrgId: core,
        docNo: `CRASH-${randomUUID().slice(0, 8)}-${i}`,
        issueDate: date,
        dueDate: addDays(date, 90),
        amount: '10000.00',
        description: '崩溃测试发票',
      });
      await confirmReceivable(as('core'), doc.receivableId!, {});
      const deal = await requestFactoring(as('supplier'), { receivableId: doc.receivableId!, factorOrgId: factorOrg, recourse: false });
      await offerFactoring(as('factor'), deal.id, { advanceRate: '0.8', annualRate: '0.06', fee: '10.00' });
      await acceptFactoring(as('supplier'), deal.id);
      dealIds.push(deal.id);
    }
    expect(
      await countRows(
        sql`select count(*) as n from factoring_deals where status = 'notified' and id in (${sql.join(
          dealIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      ),
    ).toBe(DEALS);

    for (const name of ['one', 'two']) servers.push(new ServerProcess(name, await freePort(), database.url!));
    await Promise.all(servers.map((s) => s.start()));
  }, 180_000);

  afterAll(async () => {
    aborted = true;
    await Promise.all(servers.map((s) => Promise.race([s.kill(), sleep(10_000)])));
    agent.destroy();
    await checks?.end().catch(() => undefined);
    await database?.close();
  }, 60_000);

  async function countRows(query: ReturnType<typeof sql>): Promise<number> {
    return Number((await queryOne<{ n: bigint }>(database.db, query))!.n);
  }

  /** Rows of a raw SQL query on the checks connection (arrays bind as PostgreSQL arrays). */
  async function rows<T>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await checks.query(text, values)).rows as T[];
  }

  /** id → count, for a query answering (id, n). */
  async function counts(text: string, values: unknown[]): Promise<Map<string, number>> {
    return new Map((await rows<{ id: string; n: number }>(text, values)).map((r) => [r.id, Number(r.n)]));
  }

  // --- the load ---------------------------------------------------------------------------------------------

  /**
   * Sends a keyed request until it is answered: a transport failure (instance killed or down) or 409
   * IDEMPOTENCY_IN_FLIGHT sends the same key and bytes to the other instance. Records the first answer.
   */
  async function deliver(request: KeyedRequest, firstInstance: number): Promise<Answer> {
    const headers = { authorization: `Bearer ${tokens[request.user]}`, 'idempotency-key': request.key };
    for (let attempt = 0; ; attempt++) {
      if (aborted) throw new Error('aborted');
      if (attempt > 2_000) throw new Error(`${request.op} ${request.key}: no answer after ${attempt} attempts`);
      const server = servers[(firstInstance + attempt) % servers.length]!;
      request.attempts++;
      stats.sent++;
      let answer: Answer;
      try {
        answer = await send(server.base, request.method, request.path, headers, request.payload);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ECONNREFUSED') stats.refused++;
        else if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up|aborted|incomplete/.test(String((error as Error).message))) {
          stats.resets++;
          request.resets++;
        } else stats.otherTransport++;
        await sleep(attempt % servers.length === servers.length - 1 ? 50 : 5); // both tried: give the restart a moment
        continue;
      }
      if (answer.status === 409 && answer.body.includes('"IDEMPOTENCY_IN_FLIGHT"')) {
        stats.inFlight409++;
        await sleep(20);
        continue;
      }
      request.answer ??= answer;
      return answer;
    }
  }

  function keyed(op: Op, user: User, path: string, body: unknown): KeyedRequest {
    const request: KeyedRequest = {
      op,
      key: `crash-${op}-${randomUUID()}`,
      user,
      method: 'POST',
      path,
      payload: JSON.stringify(body),
      attempts: 0,
      resets: 0,
    };
    requests.push(request);
    return request;
  }

  function pick<T>(items: readonly T[]): T {
    return items[Math.floor(Math.random() * items.length)]!;
  }

  /** The next request of a mixed loop; undefined when its op has nothing to do right now (funding is paced). */
  function nextRequest(op: Op, crashesDone: number): KeyedRequest | undefined {
    switch (op) {
      case 'deposit':
        return keyed(op, 'operator', '/api/v1/ledger/cash', {
          orgId: dea2,
          currency: 'CNY',
          amount: '1.00',
          direction: 'deposit',
          reference: `crash-dep-${randomUUID()}`,
        });
      case 'transfer': {
        const debit = pick(accountIds);
        const credit = pick(accountIds.filter((id) => id !== debit));
        return keyed(op, 'operator', '/api/v1/ledger/transfers', {
          id: randomUUID(),
          debitAccountId: debit,
          creditAccountId: credit,
          amountMinor: '100',
          ledger: 156,
          code: 1,
        });
      }
      case 'occupation':
        return keyed(op, 'core', `/api/v1/credit/lines/${lineId}/occupations`, {
          id: randomUUID(),
          amount: '1.00',
          refType: 'crash-test',
          refId: randomUUID(),
        });
      case 'drawdown':
        return keyed(op, 'dealer', `/api/v1/applications/${applicationId}/drawdowns`, { amount: '1000.00' });
      case 'repayment':
        return keyed(op, 'dealer2', `/api/v1/loans/${loanId}/repayments`, { amount: '1.00' });
      case 'fund': {
        // Spread over the whole run: after k crashes, k+1 tenths of the deals may be funded.
        const allowed = Math.ceil((DEALS * (crashesDone + 1)) / CRASHES);
        if (fundsSent >= Math.min(allowed, DEALS)) return undefined;
        const dealId = dealIds[fundsSent++]!;
        return keyed(op, 'factor', `/api/v1/factoring/${dealId}/fund`, {});
      }
      default:
        throw new Error(`not a mixed op: ${op}`);
    }
  }

  it('under load from eight clients over two instances, ten SIGKILLs: every keyed request is answered, none with a server error', async () => {
    let stopping = false;
    let crashesDone = 0;
    const loadStarted = Date.now();

    const splitLoop = async () => {
      let pieceId = firstPiece;
      for (let n = 0; !stopping; n++) {
        const request = keyed('split', 'supplier', `/api/v1/certificate-pieces/${pieceId}/transfer`, { toOrgId: sup4, amount: '1.00' });
        splitChain.push({ pieceId, request });
        const answer = await deliver(request, n % 2);
        if (answer.status !== 201) throw new Error(`split of ${pieceId} answered ${answer.status} ${answer.body}`);
        const remainder = (JSON.parse(answer.body) as { remainder: string | null }).remainder;
        if (!remainder) throw new Error(`split of ${pieceId} left no remainder: ${answer.body}`);
        pieceId = remainder;
      }
    };
    const mixedLoop = async (client: number) => {
      for (let n = 0; !stopping; n++) {
        const op = MIXED[(client + n) % MIXED.length]!;
        const request = nextRequest(op, crashesDone);
        if (request) await deliver(request, (client + n) % 2);
      }
    };
    // A loop that fails stops the others (and the crashes), so the failure surfaces at once.
    let loopError: unknown;
    const loops = Promise.all([splitLoop(), ...Array.from({ length: CLIENTS - 1 }, (_, i) => mixedLoop(i + 1))]).catch((error: unknown) => {
      loopError ??= error;
      stopping = true;
    });

    for (const server of servers) server.supervise = true;
    const crashes: string[] = [];
    for (let cycle = 0; cycle < CRASHES && loopError === undefined; cycle++) {
      await sleep(500 + Math.random() * 1000);
      const victim = servers[cycle % servers.length]!;
      const keysSoFar = requests.length;
      await victim.kill();
      const killedAt = Date.now();
      await victim.start();
      crashesDone++;
      crashes.push(
        `#${cycle + 1} ${victim.name} at ${((killedAt - loadStarted) / 1000).toFixed(1)} s (${keysSoFar} keys so far), serving again after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`,
      );
    }
    stopping = true;
    await loops;
    for (const server of servers) server.supervise = false;
    await Promise.all(servers.map((server) => server.start())); // up again for the replays (a no-op when running)
    if (loopError !== undefined) throw loopError;
    const loadSeconds = (Date.now() - loadStarted) / 1000;

    const perOp = OPS.map((op) => `${op} ${ofOp(op).length}`).join(', ');
    console.log(`[crash] load ${loadSeconds.toFixed(1)} s, ${crashes.length} SIGKILLs:\n  ${crashes.join('\n  ')}`);
    console.log(`[crash] keys: ${requests.length} (${perOp}); attempts ${stats.sent}`);
    console.log(
      `[crash] attempts that hit a killed instance: ${stats.resets + stats.refused} (connection reset under a request ${stats.resets}, refused while down ${stats.refused}), other transport errors ${stats.otherTransport}, 409 IDEMPOTENCY_IN_FLIGHT ${stats.inFlight409}; keys retried on the other instance ${requests.filter((r) => r.attempts > 1).length}`,
    );
    const cut = requests.filter((r) => r.resets > 0);
    const committed = cut.filter((r) => r.answer?.replayed === 'true');
    const faultKills = servers.reduce((n, server) => n + server.faultKills, 0);
    console.log(
      `[crash] keys whose request was cut by a kill: ${cut.length} — committed before the kill, answered from the record on the other instance: ${committed.length} (${[...new Set(committed.map((r) => r.op))].join(', ') || 'none'}); rolled back and done on the other instance: ${cut.length - committed.length}; instances that killed themselves after a commit: ${faultKills}`,
    );
    const statuses = OPS.map((op) => `${op} ${[...new Set(ofOp(op).map((r) => r.answer?.status))].join('/')}`).join(', ');
    console.log(
      `[crash] first answers by status: ${statuses}; server start times ${servers
        .flatMap((s) => s.startMs)
        .map((ms) => (ms / 1000).toFixed(1))
        .join(', ')} s`,
    );

    expect(servers.flatMap((s) => s.unexpectedExits)).toEqual([]);
    expect(crashes).toHaveLength(CRASHES);
    for (const op of OPS) expect(ofOp(op).length, `${op} requests were sent`).toBeGreaterThan(0);
    expect(requests.filter((r) => !r.answer)).toEqual([]);
    // The instances really were killed under requests, and those requests were answered elsewhere — among them
    // requests whose write had committed when their instance died before answering (the window that matters).
    expect(stats.resets + stats.refused).toBeGreaterThan(0);
    expect(faultKills).toBeGreaterThan(0);
    expect(committed.length).toBeGreaterThan(0);
    const serverErrors = requests.filter((r) => r.answer!.status >= 500).map((r) => `${r.op} ${r.answer!.status} ${r.answer!.body}`);
    if (serverErrors.length > 0) for (const s of servers) console.log(`[crash] ${s.name} wrote:\n${s.log.slice(-6_000)}`);
    expect(serverErrors).toEqual([]);
  }, 300_000);

  it('each operation’s first answer is its success, as it would be without crashes (a request done twice would answer otherwise)', () => {
    const unexpected = (op: Op, ok: (r: KeyedRequest) => boolean) =>
      ofOp(op)
        .filter((r) => !ok(r))
        .map((r) => `${r.op} ${r.key}: ${r.answer!.status} ${r.answer!.body.slice(0, 300)}`);
    expect(unexpected('deposit', (r) => r.answer!.status === 200)).toEqual([]);
    expect(unexpected('transfer', (r) => r.answer!.status === 200 && json(r).created === 1 && json(r).results[0].result === 'ok')).toEqual(
      [],
    );
    expect(unexpected('occupation', (r) => r.answer!.status === 201 && json(r).created === true)).toEqual([]);
    expect(unexpected('split', (r) => r.answer!.status === 201)).toEqual([]);
    expect(unexpected('drawdown', (r) => r.answer!.status === 201 && json(r).status === 'requested')).toEqual([]);
    expect(unexpected('repayment', (r) => r.answer!.status === 201)).toEqual([]);
    expect(unexpected('fund', (r) => r.answer!.status === 200 && json(r).status === 'funded')).toEqual([]);
  });

  it('every key sent again answers its first answer: the same status, the byte-identical body and content type, with Idempotent-Replayed: true', async () => {
    const started = Date.now();
    const mismatches: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let i = next++; i < requests.length; i = next++) {
          const request = requests[i]!;
          const first = request.answer!;
          const again = await deliver({ ...request, answer: undefined }, (client + i) % 2);
          if (
            again.status !== first.status ||
            again.body !== first.body ||
            again.contentType !== first.contentType ||
            again.replayed !== 'true'
          ) {
            mismatches.push(
              `${request.op} ${request.key}: first ${first.status} ${first.contentType} ${first.body.slice(0, 200)} | again ${again.status} ${again.contentType} replayed=${again.replayed} ${again.body.slice(0, 200)}`,
            );
          }
        }
      }),
    );
    console.log(
      `[crash] replayed ${requests.length} keys in ${((Date.now() - started) / 1000).toFixed(1)} s; mismatches ${mismatches.length}`,
    );
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(mismatches.length).toBe(0);
  }, 180_000);

  it('deposits: one ledger transfer and one ledger.deposit audit entry per reference, none for anything else; the sum is the answered keys × 1.00', async () => {
    const deposits = ofOp('deposit');
    const references = deposits.map((r) => JSON.parse(r.payload).reference as string);
    const transfers = await rows<{ id: string; n: number; amount: string; ids: string[] }>(
      `select ref_id as id, count(*)::int as n, sum(amount_minor)::text as amount, array_agg(id::text) as ids
         from ledger_transfers where ref_type = 'cash' and ref_id like 'crash-dep-%' group by ref_id`,
    );
    const audits = await counts(
      `select after->>'reference' as id, count(*)::int as n from audit_log where action = 'ledger.deposit' and after->>'reference' like 'crash-dep-%' group by 1`,
      [],
    );
    expect(transfers.length).toBe(references.length);
    const byRef = new Map(transfers.map((t) => [t.id, t]));
    const wrong = deposits.filter((r, i) => {
      const t = byRef.get(references[i]!);
      return !t || t.n !== 1 || t.amount !== '100' || t.ids[0] !== json(r).transferId || audits.get(references[i]!) !== 1;
    });
    expect(wrong.map((r) => r.key)).toEqual([]);
    expect(audits.size).toBe(references.length);
    const [sum] = await rows<{ total: string }>(
      `select coalesce(sum(amount_minor), 0)::text as total from ledger_transfers where ref_type = 'cash' and ref_id = any($1::text[])`,
      [references],
    );
    expect(BigInt(sum!.total)).toBe(BigInt(deposits.length) * 100n);
  });

  it('ledger transfers and credit occupations: every id exists once, with exactly one audit entry, and nothing else was posted', async () => {
    const transferIds = ofOp('transfer').map((r) => JSON.parse(r.payload).id as string);
    const posted = await rows<{ id: string }>(
      `select id::text as id from ledger_transfers where debit_account_id = any($1::uuid[]) or credit_account_id = any($1::uuid[])`,
      [accountIds],
    );
    expect(posted.map((p) => p.id).sort()).toEqual([...transferIds].sort());
    const transferAudits = await counts(
      `select object_id as id, count(*)::int as n from audit_log where object_type = 'ledger_transfer' and action = 'ledger.transfers' and object_id = any($1::text[]) group by 1`,
      [transferIds],
    );
    expect(transferIds.filter((id) => transferAudits.get(id) !== 1)).toEqual([]);

    const occupationIds = ofOp('occupation').map((r) => JSON.parse(r.payload).id as string);
    const held = await rows<{ id: string; amount: string; kind: string }>(
      `select id::text as id, amount_minor::text as amount, kind from ledger_transfers where ref_type = 'crash-test'`,
    );
    expect(held.map((h) => h.id).sort()).toEqual([...occupationIds].sort());
    expect(held.filter((h) => h.amount !== '100' || h.kind !== 'pending')).toEqual([]);
    const occupationAudits = await counts(
      `select object_id as id, count(*)::int as n from audit_log where object_type = 'credit_occupation' and action = 'credit.occupy' and object_id = any($1::text[]) group by 1`,
      [occupationIds],
    );
    expect(occupationIds.filter((id) => occupationAudits.get(id) !== 1)).toEqual([]);
  });

  it('certificate splits: each consumed exactly one piece into the answered child and remainder, with one event and one certificate.transfer audit entry; the certificate conserves its face', async () => {
    const chain = splitChain;
    expect(chain.length).toBeGreaterThan(0);
    const pieceIds = chain.map((c) => c.pieceId);
    const consumed = await rows<{ id: string; status: string; amount: string }>(
      `select id::text as id, status, amount_minor::text as amount from certificate_pieces where id = any($1::uuid[])`,
      [pieceIds],
    );
    expect(consumed.length).toBe(chain.length);
    expect(consumed.filter((p) => p.status !== 'consumed')).toEqual([]);
    const children = await rows<{ parent: string; id: string; holder: string; amount: string; origin: string; status: string }>(
      `select parent_id::text as parent, id::text as id, holder_org_id::text as holder, amount_minor::text as amount, origin, status from certificate_pieces where parent_id = any($1::uuid[])`,
      [pieceIds],
    );
    const amountOf = new Map(consumed.map((p) => [p.id, BigInt(p.amount)]));
    const wrong: string[] = [];
    chain.forEach(({ pieceId, request }, i) => {
      const answer = json(request);
      const mine = children.filter((c) => c.parent === pieceId);
      const child = mine.find((c) => c.id === answer.piece);
      const remainder = mine.find((c) => c.id === answer.remainder);
      const last = i === chain.length - 1;
      if (answer.certificateId !== certificateId) wrong.push(`${pieceId}: certificate ${answer.certificateId}`);
      if (mine.length !== 2 || !child || !remainder)
        wrong.push(`${pieceId}: children ${JSON.stringify(mine)} vs answer ${request.answer!.body}`);
      else {
        if (child.holder !== sup4 || child.amount !== '100' || child.origin !== 'transfer' || child.status !== 'live')
          wrong.push(`${pieceId}: child ${JSON.stringify(child)}`);
        if (
          remainder.holder !== sup1 ||
          BigInt(remainder.amount) !== amountOf.get(pieceId)! - 100n ||
          remainder.status !== (last ? 'live' : 'consumed')
        )
          wrong.push(`${pieceId}: remainder ${JSON.stringify(remainder)}`);
        if (!last && chain[i + 1]!.pieceId !== remainder.id) wrong.push(`${pieceId}: the next split was not on its remainder`);
      }
    });
    expect(wrong.slice(0, 10)).toEqual([]);
    const events = await counts(
      `select piece_id::text as id, count(*)::int as n from certificate_events where piece_id = any($1::uuid[]) group by 1`,
      [pieceIds],
    );
    expect(pieceIds.filter((id) => events.get(id) !== 1)).toEqual([]);
    const audits = await counts(
      `select object_id as id, count(*)::int as n from audit_log where object_type = 'certificate_piece' and action = 'certificate.transfer' and object_id = any($1::text[]) group by 1`,
      [pieceIds],
    );
    expect(pieceIds.filter((id) => audits.get(id) !== 1)).toEqual([]);
    // Nothing beyond the answered splits: 宏达铸造 received exactly one 1.00 piece per split.
    const received = await countRows(
      sql`select count(*) as n from certificate_pieces where certificate_id = ${certificateId}::uuid and holder_org_id = ${sup4}::uuid and amount_minor = 100`,
    );
    expect(received - splitPiecesBefore).toBe(chain.length);

    const [sums] = await rows<{ face: string; live: string; cleared: string }>(
      `select c.face_minor::text as face,
              (select coalesce(sum(amount_minor), 0) from certificate_pieces p where p.certificate_id = c.id and p.status in ('live', 'pending'))::text as live,
              (select coalesce(sum(amount_minor), 0) from certificate_pieces p where p.certificate_id = c.id and p.status = 'cleared')::text as cleared
         from certificates c where c.id = $1`,
      [certificateId],
    );
    expect(BigInt(sums!.live) + BigInt(sums!.cleared)).toBe(BigInt(sums!.face));
    const report = await reconciliation(actors.as('core'));
    const row = report.rows.find((r) => r.id === certificateId);
    expect(row).toMatchObject({ balanced: true, splitsExact: true, face: '60000000.00' });
    expect(report.allBalanced).toBe(true);
  });

  it('drawdowns and repayments: the facility has one requested drawdown per key answered 201 and the loan one payment per key answered 201, each audited once', async () => {
    const drawdownIds = ofOp('drawdown')
      .filter((r) => r.answer!.status === 201)
      .map((r) => json(r).id as string);
    expect(drawdownIds.length).toBe(ofOp('drawdown').length);
    const drawn = await rows<{ id: string; status: string; amount: string }>(
      `select id::text as id, status, amount_minor::text as amount from drawdowns where application_id = $1`,
      [applicationId],
    );
    expect(drawn.map((d) => d.id).sort()).toEqual([...drawdownIds].sort());
    expect(drawn.filter((d) => d.status !== 'requested' || d.amount !== '100000')).toEqual([]);
    const drawdownAudits = await counts(
      `select object_id as id, count(*)::int as n from audit_log where object_type = 'drawdown' and action = 'loan.drawdown.request' and object_id = any($1::text[]) group by 1`,
      [drawdownIds],
    );
    expect(drawdownIds.filter((id) => drawdownAudits.get(id) !== 1)).toEqual([]);

    const paymentIds = ofOp('repayment')
      .filter((r) => r.answer!.status === 201)
      .map((r) => json(r).payment.id as string);
    expect(paymentIds.length).toBe(ofOp('repayment').length);
    const payments = (
      await rows<{ id: string; amount: string }>(
        `select id::text as id, amount_minor::text as amount from loan_payments where loan_id = $1`,
        [loanId],
      )
    ).filter((p) => !paymentsBefore.has(p.id));
    expect(payments.map((p) => p.id).sort()).toEqual([...paymentIds].sort());
    expect(payments.filter((p) => p.amount !== '100')).toEqual([]);
    const repayAudits = await counts(
      `select after->>'id' as id, count(*)::int as n from audit_log where object_type = 'loan' and action = 'loan.repay' and object_id = $1 and after->>'id' = any($2::text[]) group by 1`,
      [loanId, paymentIds],
    );
    expect(paymentIds.filter((id) => repayAudits.get(id) !== 1)).toEqual([]);
    const cash = await countRows(
      sql`select count(*) as n from ledger_transfers where ref_type = 'loan' and ref_id = ${loanId} and code = ${TRANSFER_CODES.LOAN_REPAY_CASH}`,
    );
    expect(cash - repayCashBefore).toBe(paymentIds.length);
  });

  it('factoring: every deal funded by a key has exactly one advance transfer and one factoring.fund audit entry; the deals not sent are untouched', async () => {
    const funded = ofOp('fund').map((r) => r.path.split('/')[4]!);
    expect(funded.length).toBe(fundsSent);
    const advances = await counts(
      `select ref_id as id, count(*)::int as n from ledger_transfers where ref_type = 'factoring' and code = $1 and ref_id = any($2::text[]) group by 1`,
      [TRANSFER_CODES.FACTOR_ADVANCE, dealIds],
    );
    const audits = await counts(
      `select object_id as id, count(*)::int as n from audit_log where object_type = 'factoring_deal' and action = 'factoring.fund' and object_id = any($1::text[]) group by 1`,
      [dealIds],
    );
    const statuses = new Map(
      (
        await rows<{ id: string; status: string }>(`select id::text as id, status from factoring_deals where id = any($1::uuid[])`, [
          dealIds,
        ])
      ).map((d) => [d.id, d.status]),
    );
    const sent = new Set(funded);
    const wrong = dealIds.filter((id) =>
      sent.has(id)
        ? advances.get(id) !== 1 || audits.get(id) !== 1 || statuses.get(id) !== 'funded'
        : advances.has(id) || audits.has(id) || statuses.get(id) !== 'notified',
    );
    expect(wrong).toEqual([]);
  });

  it('the ledger verifies clean, every key is recorded completed, and no key is left in flight', async () => {
    const report = await verifyLedger(database.db);
    expect(report.differences).toEqual([]);
    expect(report.ledgersBalanced).toBe(true);
    expect(await countRows(sql`select count(*) as n from idempotency_keys where state <> 'completed'`)).toBe(0);
    const [recorded] = await rows<{ n: number }>(
      `select count(*)::int as n from idempotency_keys where state = 'completed' and key = any($1::text[])`,
      [requests.map((r) => r.key)],
    );
    expect(recorded!.n).toBe(requests.length);
  });
});

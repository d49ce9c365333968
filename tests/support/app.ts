/** An app instance on a fresh test database, plus a small HTTP client that keeps a session cookie. */
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/kernel/config';
import type { App } from '../../src/kernel/http';
import { buildApp } from '../../src/server/app';
import { DEMO_PASSWORD } from '../../src/demo/seed';
import { createTestDatabase, type TestDatabase } from './db';

export interface TestApp {
  app: App;
  database: TestDatabase;
  config: Config;
  /** Signs in (demo password by default) and returns a client carrying the session cookie. */
  login(username: string, password?: string): Promise<Client>;
  anonymous(): Client;
  close(): Promise<void>;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class Client {
  constructor(
    private readonly app: App,
    readonly cookie: string | undefined,
    private readonly defaultHeaders: Record<string, string> = {},
  ) {}

  request(method: Method, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method,
      url,
      headers: { ...this.defaultHeaders, ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  }
  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, undefined, headers);
  }
  post(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', url, body ?? {}, headers);
  }
  patch(url: string, body: unknown, headers?: Record<string, string>) {
    return this.request('PATCH', url, body, headers);
  }
  delete(url: string, headers?: Record<string, string>) {
    return this.request('DELETE', url, undefined, headers);
  }
  withHeaders(headers: Record<string, string>): Client {
    return new Client(this.app, this.cookie, { ...this.defaultHeaders, ...headers });
  }
}

export async function createTestApp(
  options: { seed?: 'demo' | 'empty'; config?: Partial<Config>; database?: TestDatabase } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase({ seed: options.seed ?? 'demo' }));
  const config: Config = { ...loadConfig({}), demo: false, webDir: '/nonexistent', ...options.config };
  const app = await buildApp({ database, config, logger: { level: process.env.TEST_LOG_LEVEL ?? 'error' } });
  await app.ready();
  return {
    app,
    database,
    config,
    anonymous: () => new Client(app, undefined),
    async login(username, password = DEMO_PASSWORD) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
      if (response.statusCode !== 200) throw new Error(`login ${username} failed: ${response.statusCode} ${response.body}`);
      const setCookie = response.headers['set-cookie'];
      const raw = Array.isArray(setCookie) ? setCookie[0]! : setCookie!;
      return new Client(app, raw.split(';')[0]);
    },
    async close() {
      await app.close();
      if (!options.database) await database.close();
    },
  };
}

/** A refusal: the status and the stable error code (the body is shown when it is something else). */
export function expectError(res: LightMyRequestResponse, status: number, code: string): void {
  expect(res.statusCode, res.body).toBe(status);
  expect((res.json() as { code: string }).code).toBe(code);
}

/**
 * The web front's protections (issue 18):
 *  - security headers on every response: a Content-Security-Policy the built app satisfies (its scripts are files of
 *    its own origin; Ant Design's CSS-in-JS writes <style> elements, hence style-src 'unsafe-inline'), no framing,
 *    no MIME sniffing, a strict referrer policy, HSTS when the cookies are Secure (the site is served over HTTPS);
 *  - caching: the hashed bundles under /assets are immutable for a year, index.html is revalidated every time (a new
 *    release is picked up at once);
 *  - per-address limits of failed sign-ins and failed API-token calls (429 RATE_LIMITED with Retry-After), counted in
 *    PostgreSQL so every instance counts the same failures — besides the per-account lock-out, so one address can not
 *    lock out every user by guessing their passwords, nor try token after token.
 */
import { sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../kernel/config';
import { queryOne } from '../kernel/db';
import { AppError } from '../kernel/errors';
import type { App } from '../kernel/http';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Hashed bundle files (vite's `name-<hash>.js`): immutable. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

export function registerSecurityHeaders(app: App, config: Pick<Config, 'cookieSecure'>): void {
  app.addHook('onSend', async (request, reply, payload) => {
    // Swagger UI (/docs) is a developer page with inline scripts of its own: no CSP there, the rest still applies
    if (!request.url.startsWith('/docs')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (config.cookieSecure) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

/** Cache headers of the web app's files (@fastify/static's setHeaders). */
export function webCacheHeaders(reply: { header(name: string, value: string): unknown }, filePath: string): void {
  reply.header('cache-control', /[\\/]assets[\\/]/.test(filePath) ? IMMUTABLE : 'no-cache');
}

export interface FailureLimit {
  /** Failures allowed per window per address; past them the address is refused until the window ends. */
  limit: number;
  windowSeconds: number;
}

/**
 * Failures of one kind (`signin`, `token`) per address in fixed windows, shared by every instance through PostgreSQL:
 * `count` adds one (a wrong password, an unknown API token) and answers the window's total and what is left of it;
 * `refuse` throws 429 RATE_LIMITED with Retry-After while an address is past the limit. Sign-in asks the database
 * (it is not a hot path); API-token requests ask this instance's memory of addresses it saw go past the limit, so a
 * valid token's request costs no extra round trip (each instance lets at most one more failure through).
 */
export class FailureCounter {
  private readonly limitedUntil = new Map<string, number>();

  constructor(
    private readonly app: App,
    readonly bucket: string,
    readonly rule: FailureLimit,
  ) {}

  private key(request: FastifyRequest): string {
    return `${this.bucket}:${request.ip}`;
  }

  async count(request: FastifyRequest): Promise<void> {
    const { windowSeconds } = this.rule;
    const row = await queryOne<{ hits: number; retry_after: number }>(
      this.app.db,
      sql`with w as (select to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds}) as start)
          insert into rate_limits (key, window_start, hits) select ${this.key(request)}, w.start, 1 from w
          on conflict (key, window_start) do update set hits = rate_limits.hits + 1
          returning hits, ceil(extract(epoch from (window_start + make_interval(secs => ${windowSeconds}) - now())))::int as retry_after`,
    );
    if (row && row.hits >= this.rule.limit) this.limitedUntil.set(request.ip, Date.now() + Number(row.retry_after) * 1000);
  }

  /** Refuses an address past the limit: from the database (`shared`), or from this instance's memory only. */
  async refuse(request: FastifyRequest, reply: FastifyReply, shared: boolean): Promise<void> {
    let until = this.limitedUntil.get(request.ip);
    if (until !== undefined && until <= Date.now()) {
      this.limitedUntil.delete(request.ip);
      until = undefined;
    }
    if (until === undefined && shared) {
      const { windowSeconds } = this.rule;
      const row = await queryOne<{ hits: number; retry_after: number }>(
        this.app.db,
        sql`select hits, ceil(extract(epoch from (window_start + make_interval(secs => ${windowSeconds}) - now())))::int as retry_after
              from rate_limits
             where key = ${this.key(request)}
               and window_start = to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds})`,
      );
      if (row && row.hits >= this.rule.limit) until = Date.now() + Number(row.retry_after) * 1000;
    }
    if (until === undefined) return;
    const retryAfter = Math.max(1, Math.ceil((until - Date.now()) / 1000));
    reply.header('retry-after', String(retryAfter));
    throw new AppError('RATE_LIMITED', { retryAfter });
  }
}

/** Deletes the counts of past windows (housekeeping). */
export async function purgeRateLimits(app: App): Promise<void> {
  await app.db.execute(sql`delete from rate_limits where window_start < now() - interval '1 day'`);
}

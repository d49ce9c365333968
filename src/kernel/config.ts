/** Configuration from the environment. Every knob has a default that works for `npm start`. */
import path from 'node:path';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** postgres://… for PostgreSQL 15+; unset → embedded PGlite in dataDir. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** Seed the demo 1+N chain on an empty database. Defaults to on for PGlite, off for PostgreSQL. */
  readonly demo: boolean;
  readonly logLevel: string;
  readonly sessionIdleMinutes: number;
  readonly sessionAbsoluteHours: number;
  readonly lockoutThreshold: number;
  readonly lockoutMinutes: number;
  /** Mark cookies Secure (set when served over HTTPS, directly or behind a proxy). */
  /** Failed sign-ins (and, apart, failed API-token calls) one address may make per 15 minutes before it is refused (429). */
  readonly failuresPerAddress: number;
  readonly cookieSecure: boolean;
  readonly trustProxy: boolean;
  /** Where the built web app lives; served at / when present. */
  readonly webDir: string;
}

function intFrom(value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number.parseInt(value, 10);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw new Error(`Configuration value ${value} is out of range [${min}, ${max}]`);
  }
  return parsed;
}

function boolFrom(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  return {
    port: intFrom(env.PORT, 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    dataDir: path.resolve(env.OPENSCF_DATA_DIR || 'data'),
    demo: boolFrom(env.OPENSCF_DEMO, databaseUrl === undefined),
    logLevel: env.LOG_LEVEL || 'info',
    sessionIdleMinutes: intFrom(env.OPENSCF_SESSION_IDLE_MINUTES, 30, 1, 24 * 60),
    sessionAbsoluteHours: intFrom(env.OPENSCF_SESSION_ABSOLUTE_HOURS, 12, 1, 24 * 30),
    lockoutThreshold: intFrom(env.OPENSCF_LOCKOUT_THRESHOLD, 5, 1, 100),
    lockoutMinutes: intFrom(env.OPENSCF_LOCKOUT_MINUTES, 15, 1, 24 * 60),
    failuresPerAddress: intFrom(env.OPENSCF_FAILURES_PER_ADDRESS, 20, 1, 100_000),
    cookieSecure: boolFrom(env.OPENSCF_COOKIE_SECURE, false),
    trustProxy: boolFrom(env.OPENSCF_TRUST_PROXY, false),
    webDir: path.resolve(env.OPENSCF_WEB_DIR || 'dist/web'),
  };
}

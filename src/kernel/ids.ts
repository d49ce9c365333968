/** Identifiers. UUIDv7 (time-ordered) keeps primary-key indexes append-mostly. */
import { randomBytes, createHash } from 'node:crypto';

/** Random bytes are drawn 4 KiB at a time: one id per request row made a system call each (the hot paths make several). */
const RANDOM_POOL_SIZE = 4096;
let randomPool = randomBytes(RANDOM_POOL_SIZE);
let randomOffset = 0;

export function uuidv7(now: number = Date.now()): string {
  if (randomOffset + 16 > RANDOM_POOL_SIZE) {
    randomPool = randomBytes(RANDOM_POOL_SIZE);
    randomOffset = 0;
  }
  const bytes = Buffer.from(randomPool.subarray(randomOffset, randomOffset + 16));
  randomOffset += 16;
  // 48-bit millisecond timestamp, big-endian (exact in a double).
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** A random secret for sessions and API tokens (URL-safe). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * A stable UUID (v8 layout) derived from a name: the same name always gives the same id, so "create if
 * missing" of well-known rows (e.g. a funder's credit-source account) is race-free with ON CONFLICT DO NOTHING.
 */
export function nameUuid(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A human-readable document number: PREFIX-YYYYMMDD-XXXXXX (contracts, policies, guarantee projects …). */
export function documentNo(prefix: string, businessDate: string): string {
  return `${prefix}-${businessDate.replace(/-/g, '')}-${randomBytes(3).toString('hex').toUpperCase()}`;
}

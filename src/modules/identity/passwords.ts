/** Password hashing with argon2id (OWASP parameters) and the platform's password policy. */
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../kernel/errors';

const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const MAX_PASSWORD_LENGTH = 256;

export function assertPasswordPolicy(password: string): void {
  const ok = password.length >= 10 && password.length <= MAX_PASSWORD_LENGTH && /[A-Za-z]/.test(password) && /\d/.test(password);
  if (!ok) throw new AppError('WEAK_PASSWORD');
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so timing does not reveal valid usernames. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-0');
  return dummyHash;
}

import { randomBytes } from 'node:crypto';
import { hashToken } from '../tokens.ts';

export const BACKUP_CODE_COUNT = 10;
const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * Twelve base32 letters: 60 random bits each, shown as `xxxx-xxxx-xxxx`.
 *
 * Stored as SHA-256, not argon2: a slow hash protects low-entropy secrets people choose; these
 * are machine-made with 60 bits, so guessing one from its hash costs ~2^59 hashes on average,
 * out of reach, and an unsalted hash lets sign-in find the code with one indexed lookup
 * instead of running argon2 against each of ten rows (10 × 19 MiB per attempt).
 */
export function newBackupCode(): string {
  const bytes = randomBytes(12);
  let code = '';
  for (const byte of bytes) code += alphabet[byte & 31];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Hash of a code as typed: case, spaces and dashes do not matter. */
export function hashBackupCode(code: string): string {
  return hashToken(code.replace(/[\s-]+/g, '').toLowerCase());
}

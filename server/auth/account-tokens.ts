import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { problemTypes } from '../../shared/api/problem.ts';
import type { AccountTokensTable, Database } from '../db/schema.ts';
import { HttpProblem } from '../http/problem.ts';
import { hashToken } from './tokens.ts';

export type TokenPurpose = AccountTokensTable['purpose'];

/**
 * A single-use token for an emailed link: 32 random bytes, base64url in the link, only its
 * sha256 in the database (a leaked table opens no account). Issuing one retires the earlier
 * unused tokens of the same purpose: only the newest mail's link works.
 */
export async function issueAccountToken(
  trx: Kysely<Database>,
  userId: string,
  purpose: TokenPurpose,
  ttlMs: number,
  now: Date = new Date(),
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await trx
    .updateTable('account_tokens')
    .set({ used_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
  await trx
    .insertInto('account_tokens')
    .values({
      id: randomUUID(),
      user_id: userId,
      purpose,
      token_hash: hashToken(token),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ttlMs).toISOString(),
      used_at: null,
    })
    .execute();
  return token;
}

export const accountTokenInvalid = (detail: string) =>
  new HttpProblem(400, problemTypes.accountTokenInvalid, 'Link not valid', detail, {
    errors: [{ pointer: '/token', detail: 'is unknown, used or expired' }],
  });

/** The user a usable token belongs to; refuses unknown, used and expired tokens. */
export async function usableTokenOwner(
  db: Kysely<Database>,
  token: string,
  purpose: TokenPurpose,
  now: Date = new Date(),
): Promise<{ tokenId: string; userId: string }> {
  const row = await db
    .selectFrom('account_tokens')
    .select(['id', 'user_id', 'expires_at', 'used_at'])
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  if (!row)
    throw accountTokenInvalid(`This ${what(purpose)} link is not valid. Ask for a new one.`);
  if (row.used_at !== null) {
    throw accountTokenInvalid(
      `This ${what(purpose)} link was already used or replaced by a newer one.`,
    );
  }
  if (row.expires_at <= now.toISOString()) {
    throw accountTokenInvalid(`This ${what(purpose)} link has expired. Ask for a new one.`);
  }
  return { tokenId: row.id, userId: row.user_id };
}

/**
 * Spends a token inside the caller's transaction: the conditional update lets exactly one of
 * two concurrent uses through. Returns the user it belongs to.
 */
export async function consumeAccountToken(
  trx: Kysely<Database>,
  token: string,
  purpose: TokenPurpose,
  now: Date = new Date(),
): Promise<string> {
  const { tokenId, userId } = await usableTokenOwner(trx, token, purpose, now);
  const spent = await trx
    .updateTable('account_tokens')
    .set({ used_at: now.toISOString() })
    .where('id', '=', tokenId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (spent.numUpdatedRows !== 1n) {
    throw accountTokenInvalid(`This ${what(purpose)} link was already used.`);
  }
  return userId;
}

const what = (purpose: TokenPurpose) =>
  purpose === 'verify_email' ? 'verification' : 'password reset';

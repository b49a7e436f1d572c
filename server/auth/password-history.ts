import type { Kysely, Transaction } from 'kysely';
import { problemTypes } from '../../shared/api/problem.ts';
import type { Database } from '../db/schema.ts';
import { HttpProblem } from '../http/problem.ts';
import { verifyPassword } from './passwords.ts';

/** A new password may not be any of this many: the current one and the four it replaced. */
export const PASSWORD_HISTORY_SIZE = 5;

/**
 * Refuses `password` when it is the current password or one of the recent ones it replaced.
 * Call before hashing the new password (change password here, password reset in email/).
 */
export async function assertPasswordNotRecent(
  db: Kysely<Database>,
  user: { id: string; password_hash: string },
  password: string,
  pointer = '/newPassword',
): Promise<void> {
  const previous = await db
    .selectFrom('password_history')
    .select('password_hash')
    .where('user_id', '=', user.id)
    .orderBy('replaced_at', 'desc')
    .orderBy('id', 'desc')
    .limit(PASSWORD_HISTORY_SIZE - 1)
    .execute();
  const hashes = [user.password_hash, ...previous.map((row) => row.password_hash)];
  // argon2 runs on libuv's pool: the five checks overlap rather than queue.
  const matches = await Promise.all(hashes.map((hash) => verifyPassword(hash, password)));
  if (!matches.includes(true)) return;
  throw new HttpProblem(
    422,
    problemTypes.passwordReused,
    'Password used before',
    `Choose a password you have not used recently: it must differ from your last ${PASSWORD_HISTORY_SIZE} passwords.`,
    { errors: [{ pointer, detail: `is one of your last ${PASSWORD_HISTORY_SIZE} passwords` }] },
  );
}

/**
 * Keeps the hash a new password replaces, inside the transaction that sets the new one, and
 * forgets all but the newest few: an old hash kept forever is only something to leak.
 */
export async function rememberReplacedPassword(
  trx: Transaction<Database>,
  userId: string,
  replacedHash: string,
  now = new Date(),
): Promise<void> {
  await trx
    .insertInto('password_history')
    .values({ user_id: userId, password_hash: replacedHash, replaced_at: now.toISOString() })
    .execute();
  const kept = await trx
    .selectFrom('password_history')
    .select('id')
    .where('user_id', '=', userId)
    .orderBy('replaced_at', 'desc')
    .orderBy('id', 'desc')
    .limit(PASSWORD_HISTORY_SIZE - 1)
    .execute();
  await trx
    .deleteFrom('password_history')
    .where('user_id', '=', userId)
    .where(
      'id',
      'not in',
      kept.map((row) => row.id),
    )
    .execute();
}

import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';

/**
 * The access-token key: from JWT_SECRET when set, otherwise generated once and kept in the
 * database, so a fresh install needs no setup and every instance in scale mode agrees.
 */
export async function loadSigningKey(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await db.kysely
    .insertInto('server_secrets')
    .values({
      name: 'jwt-signing-key',
      value: randomBytes(48).toString('base64url'),
      created_at: new Date().toISOString(),
    })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
  const row = await db.kysely
    .selectFrom('server_secrets')
    .select('value')
    .where('name', '=', 'jwt-signing-key')
    .executeTakeFirstOrThrow();
  return row.value;
}

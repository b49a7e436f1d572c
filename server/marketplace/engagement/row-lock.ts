import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';

/**
 * Holds a row for the rest of the transaction, so a count-then-insert under a cap cannot be
 * raced past it. PostgreSQL needs `for update`; SQLite runs one write transaction at a time
 * (and has no such clause), so there the transaction alone is enough.
 */
export async function lockRow(
  trx: Kysely<Database>,
  dialect: DialectName,
  table: 'users' | 'projects',
  id: string,
): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select id from ${sql.table(table)} where id = ${id} for update`.execute(trx);
}

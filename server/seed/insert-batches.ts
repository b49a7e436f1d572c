import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Rows per insert: well inside every driver's limit on bound parameters. */
const BATCH = 200;

/** Inserts many rows of one table, a batch at a time. */
export async function insertBatches<T extends keyof Database>(
  trx: Kysely<Database>,
  table: T,
  rows: Array<Database[T]>,
): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) {
    // Kysely's insert typing cannot follow a generic table name; the rows are that table's.
    await trx
      .insertInto(table)
      .values(rows.slice(start, start + BATCH) as never)
      .execute();
  }
}

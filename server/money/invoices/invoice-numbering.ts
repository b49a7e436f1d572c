import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

/**
 * The issuer's next invoice sequence, taken inside the transaction that sends the invoice: one
 * upsert that creates the issuer's counter at 1 or adds 1 to it, holding the counter row's lock
 * until commit (PostgreSQL; SQLite has one writer at a time). A send that fails rolls the
 * increment back with it, so numbers have no gaps; two sends never read the same value, so
 * there are no duplicates (and the unique (issuer, sequence) index would refuse one).
 */
export async function nextInvoiceSequence(
  trx: Transaction<Database>,
  issuerId: string,
): Promise<number> {
  const row = await trx
    .insertInto('invoice_counters')
    .values({ issuer_id: issuerId, last_sequence: 1 })
    .onConflict((conflict) =>
      conflict
        .column('issuer_id')
        .doUpdateSet((eb) => ({ last_sequence: eb('invoice_counters.last_sequence', '+', 1) })),
    )
    .returning('last_sequence')
    .executeTakeFirstOrThrow();
  return Number(row.last_sequence);
}

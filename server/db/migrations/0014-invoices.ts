import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Invoices (server/money/invoices/), synced read-only to issuer and recipient as the
 * `invoices` collection (`seq` is the pull checkpoint), and one numbering counter per issuer.
 *
 * Numbers are gapless per issuer: sending takes the issuer's counter row (locked by the update
 * in the sending transaction) and writes the invoice with the next number in that same
 * transaction; the unique (issuer, sequence) index is the last word against duplicates.
 * A week or a milestone is billed by at most one live (not void) invoice.
 */
export function invoicesMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('invoices')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('issuer_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('issuer_name', 'text', (c) => c.notNull())
        .addColumn('recipient_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('recipient_name', 'text', (c) => c.notNull())
        .addColumn('contract_id', t.id, (c) => c.notNull().references('contracts.id'))
        .addColumn('contract_title', 'text', (c) => c.notNull())
        .addColumn('number', 'text')
        .addColumn('sequence', 'integer')
        .addColumn('source_kind', 'text', (c) =>
          c.notNull().check(t.inList('source_kind', ['week', 'milestone', 'manual'])),
        )
        .addColumn('source_week', 'text')
        .addColumn('source_milestone_id', t.id, (c) => c.references('milestones.id'))
        /** JSON: [{ description, quantityThousandths, unitPriceMinor, amountMinor }] */
        .addColumn('lines', 'text', (c) => c.notNull())
        .addColumn('tax_rate_bps', 'integer', (c) =>
          c.notNull().check(sql`tax_rate_bps between 0 and 10000`),
        )
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('subtotal_minor', t.money, (c) => c.notNull().check(sql`subtotal_minor >= 0`))
        .addColumn('tax_minor', t.money, (c) => c.notNull().check(sql`tax_minor >= 0`))
        .addColumn('total_minor', t.money, (c) => c.notNull())
        .addColumn('issue_date', 'text')
        .addColumn('due_date', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(t.inList('status', ['draft', 'sent', 'paid', 'overdue', 'void'])),
        )
        .addColumn('notes', 'text', (c) => c.notNull())
        .addColumn('sent_at', t.instant)
        .addColumn('paid_at', t.instant)
        .addColumn('voided_at', t.instant)
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addCheckConstraint('invoices_total', sql`total_minor = subtotal_minor + tax_minor`)
        // A number exactly when a sequence; drafts have neither.
        .addCheckConstraint('invoices_number', sql`(number is null) = (sequence is null)`)
        .execute();
      await sql`create unique index invoices_issuer_sequence_key on invoices (issuer_id, sequence) where sequence is not null`.execute(
        db,
      );
      await sql`create unique index invoices_week_key on invoices (contract_id, source_week) where source_week is not null and status <> 'void'`.execute(
        db,
      );
      await sql`create unique index invoices_milestone_key on invoices (source_milestone_id) where source_milestone_id is not null and status <> 'void'`.execute(
        db,
      );
      await db.schema.createIndex('invoices_seq_idx').on('invoices').column('seq').execute();
      await db.schema
        .createIndex('invoices_issuer_idx')
        .on('invoices')
        .columns(['issuer_id', 'seq'])
        .execute();
      await db.schema
        .createIndex('invoices_recipient_idx')
        .on('invoices')
        .columns(['recipient_id', 'seq'])
        .execute();
      // The overdue sweep reads sent invoices by due date.
      await db.schema
        .createIndex('invoices_status_due_idx')
        .on('invoices')
        .columns(['status', 'due_date'])
        .execute();

      await db.schema
        .createTable('invoice_counters')
        .addColumn('issuer_id', t.id, (c) => c.primaryKey().references('users.id'))
        .addColumn('last_sequence', 'integer', (c) => c.notNull().check(sql`last_sequence >= 0`))
        .execute();

      await sql`insert into sync_counters (collection, seq) values ('invoices', 0)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await sql`delete from sync_counters where collection = 'invoices'`.execute(db);
      await db.schema.dropTable('invoice_counters').execute();
      await db.schema.dropTable('invoices').execute();
    },
  };
}

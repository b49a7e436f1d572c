import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Time tracking as synced documents: time entries, screenshots and work logs (the
 * freelancer's), time reviews (the client's), each with the sync columns of migration 0002
 * (`seq`, `deleted`, `updated_at`) and a `sync_counters` row; and the contract's screenshot
 * setting. Flags are 0/1 integers and instants ISO text / timestamptz, as everywhere.
 *
 * A tracked entry's slots are one JSON text column, not a child table: a slot is never read or
 * written without its entry (the document is the unit of a push, up to 144 slots), the tracker
 * pushes a growing day many times, and a child table would delete and rewrite every slot row on
 * each of those pushes. The rules a child table's keys would carry (unique, aligned starts) are
 * checked on every write instead (server/time/entry-rules.ts).
 */
const collections = ['timeEntries', 'screenshots', 'workLogs', 'timeReviews'] as const;

export function timeTrackingMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  /** A synced document of a contract: its id, the sync columns, and the contract it belongs to. */
  const contractDocumentTable = (db: Kysely<unknown>, name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('deleted', 'integer', (c) => c.notNull())
      .addColumn('updated_at', t.instant, (c) => c.notNull())
      .addColumn('contract_id', t.id, (c) => c.notNull().references('contracts.id'));
  return {
    async up(db: Kysely<unknown>) {
      // Existing contracts take one screenshot a slot, the default a new one starts with.
      await db.schema
        .alterTable('contracts')
        .addColumn('screenshots_per_slot', 'integer', (c) =>
          c
            .notNull()
            .defaultTo(1)
            .check(sql`screenshots_per_slot between 0 and 3`),
        )
        .execute();

      await contractDocumentTable(db, 'time_entries')
        .addColumn('freelancer_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('kind', 'text', (c) =>
          c.notNull().check(t.inList('kind', ['tracked', 'manual'])),
        )
        // The UTC day (`YYYY-MM-DD`) and the Monday of its week: reviews find entries by week.
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('week', 'text', (c) => c.notNull())
        // JSON: [{ start, billedMs, trackedMinutes, activeMinutes, memo, removed }]
        .addColumn('segments', 'text', (c) => c.notNull())
        .addColumn('manual_from', t.instant)
        .addColumn('manual_to', t.instant)
        .addColumn('memo', 'text', (c) => c.notNull())
        .addColumn('billable', 'integer', (c) => c.notNull())
        .addColumn('billed_ms', 'bigint', (c) => c.notNull())
        // The contract's currency; rate and amount are null on fixed-price contracts.
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('rate_minor', t.money)
        .addColumn('amount_minor', t.money)
        .addColumn('status', 'text', (c) =>
          c.notNull().check(t.inList('status', ['pending', 'approved', 'disputed'])),
        )
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('time_entries_contract_week_idx')
        .on('time_entries')
        .columns(['contract_id', 'week'])
        .execute();

      await contractDocumentTable(db, 'screenshots')
        .addColumn('freelancer_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('entry_id', t.id, (c) => c.notNull().references('time_entries.id'))
        .addColumn('slot', t.instant, (c) => c.notNull())
        .addColumn('taken_at', t.instant, (c) => c.notNull())
        .addColumn('screen', 'integer', (c) => c.notNull())
        .addColumn('activity', 'integer')
        // The hashes are columns (the blob endpoints look them up); the rest of each image's
        // description is JSON: { hash, size, width, height, mimeType }.
        .addColumn('image_hash', 'text', (c) => c.notNull())
        .addColumn('image', 'text', (c) => c.notNull())
        .addColumn('thumbnail_hash', 'text', (c) => c.notNull())
        .addColumn('thumbnail', 'text', (c) => c.notNull())
        .addColumn('blurred', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();
      for (const column of ['image_hash', 'thumbnail_hash']) {
        await db.schema
          .createIndex(`screenshots_${column}_idx`)
          .on('screenshots')
          .column(column)
          .execute();
      }
      await db.schema
        .createIndex('screenshots_entry_idx')
        .on('screenshots')
        .column('entry_id')
        .execute();

      await contractDocumentTable(db, 'work_logs')
        .addColumn('freelancer_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('tasks_done', 'text', (c) => c.notNull())
        .addColumn('blockers', 'text', (c) => c.notNull())
        .addColumn('notes', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();

      await contractDocumentTable(db, 'time_reviews')
        .addColumn('week', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) =>
          c.notNull().check(t.inList('kind', ['approval', 'dispute'])),
        )
        // JSON: [{ entryId, start }]
        .addColumn('slots', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('reviewer_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('status', 'text', (c) =>
          c.notNull().check(t.inList('status', ['open', 'withdrawn'])),
        )
        .addColumn('response', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('time_reviews_contract_week_idx')
        .on('time_reviews')
        .columns(['contract_id', 'week'])
        .execute();

      // Pulls walk a contract's rows after a checkpoint, as for milestones.
      for (const table of ['time_entries', 'screenshots', 'work_logs', 'time_reviews']) {
        await db.schema
          .createIndex(`${table}_contract_seq_idx`)
          .on(table)
          .columns(['contract_id', 'seq'])
          .execute();
        await db.schema.createIndex(`${table}_seq_idx`).on(table).column('seq').execute();
      }
      for (const collection of collections) {
        await sql`insert into sync_counters (collection, seq) values (${collection}, 0)`.execute(
          db,
        );
      }
    },
    async down(db: Kysely<unknown>) {
      for (const collection of collections) {
        await sql`delete from sync_counters where collection = ${collection}`.execute(db);
      }
      for (const table of ['time_reviews', 'work_logs', 'screenshots', 'time_entries']) {
        await db.schema.dropTable(table).execute();
      }
      await db.schema.alterTable('contracts').dropColumn('screenshots_per_slot').execute();
    },
  };
}

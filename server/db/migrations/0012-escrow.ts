import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Escrow and everything that moves its money (server/money/): the escrows themselves (synced
 * read-only to both parties as the `escrows` collection: `seq` is the pull checkpoint), the
 * payments that fund them, refunds, disputes, the fees of each ledger transaction, and the
 * stored answers of idempotent commands.
 *
 * An escrow is unique per milestone while not settled, and per contract and week: funding the same thing twice
 * lands on one row, whichever request wins. Amount columns are minor units; the ledger
 * (migration 0011) holds the same money as balanced entries and `ledger:verify` compares.
 */
export function escrowMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('escrows')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('contract_id', t.id, (c) => c.notNull().references('contracts.id'))
        .addColumn('client_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('freelancer_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('milestone_id', t.id, (c) => c.references('milestones.id'))
        .addColumn('week', 'text')
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('amount_minor', t.money, (c) => c.notNull().check(sql`amount_minor > 0`))
        .addColumn('funded_minor', t.money, (c) => c.notNull().defaultTo(0))
        .addColumn('released_minor', t.money, (c) => c.notNull().defaultTo(0))
        .addColumn('refunded_minor', t.money, (c) => c.notNull().defaultTo(0))
        .addColumn('platform_fee_minor', t.money, (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .check(
              t.inList('status', [
                'awaiting_payment',
                'payment_failed',
                'funded',
                'submitted',
                'disputed',
                'settled',
              ]),
            ),
        )
        .addColumn('submitted_at', t.instant)
        .addColumn('review_deadline', t.instant)
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        // Exactly one of milestone and week.
        .addCheckConstraint('escrows_target', sql`(milestone_id is null) <> (week is null)`)
        .addCheckConstraint(
          'escrows_held_not_negative',
          sql`funded_minor - released_minor - refunded_minor >= 0`,
        )
        .execute();
      await db.schema
        .createIndex('escrows_milestone_key')
        .on('escrows')
        .column('milestone_id')
        .unique()
        // A milestone refunded in full goes back to pending and may be funded again: only one
        // escrow per milestone that is not settled.
        .where(sql<SqlBool>`milestone_id is not null and status <> 'settled'`)
        .execute();
      await db.schema
        .createIndex('escrows_contract_week_key')
        .on('escrows')
        .columns(['contract_id', 'week'])
        .unique()
        .where(sql.ref('week'), 'is not', null)
        .execute();
      await db.schema
        .createIndex('escrows_contract_seq_idx')
        .on('escrows')
        .columns(['contract_id', 'seq'])
        .execute();
      await db.schema.createIndex('escrows_seq_idx').on('escrows').column('seq').execute();
      // The auto-release sweep reads submitted escrows by deadline.
      await db.schema
        .createIndex('escrows_review_deadline_idx')
        .on('escrows')
        .columns(['status', 'review_deadline'])
        .execute();

      // One row per attempt to fund an escrow through the rail.
      await db.schema
        .createTable('payments')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('escrow_id', t.id, (c) => c.notNull().references('escrows.id'))
        .addColumn('rail', 'text', (c) =>
          c.notNull().check(t.inList('rail', ['stripe', 'sandbox'])),
        )
        .addColumn('provider_payment_id', 'text')
        .addColumn('amount_minor', t.money, (c) => c.notNull().check(sql`amount_minor > 0`))
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .check(t.inList('status', ['processing', 'requires_action', 'succeeded', 'failed'])),
        )
        .addColumn('provider_fee_minor', t.money)
        .addColumn('failure_message', 'text')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addUniqueConstraint('payments_provider_payment_key', ['rail', 'provider_payment_id'])
        .execute();
      await db.schema
        .createIndex('payments_escrow_idx')
        .on('payments')
        .columns(['escrow_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('refunds')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('escrow_id', t.id, (c) => c.notNull().references('escrows.id'))
        .addColumn('amount_minor', t.money, (c) => c.notNull().check(sql`amount_minor > 0`))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('requested_by', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .check(
              t.inList('status', ['requested', 'rejected', 'processing', 'succeeded', 'failed']),
            ),
        )
        .addColumn('decided_by', t.id, (c) => c.references('users.id'))
        .addColumn('decided_at', t.instant)
        .addColumn('provider_refund_id', 'text')
        .addColumn('failure_message', 'text')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('refunds_escrow_idx')
        .on('refunds')
        .columns(['escrow_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('escrow_disputes')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('escrow_id', t.id, (c) => c.notNull().references('escrows.id'))
        .addColumn('source', 'text', (c) =>
          c.notNull().check(t.inList('source', ['party', 'chargeback'])),
        )
        .addColumn('opened_by', t.id, (c) => c.references('users.id'))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(t.inList('status', ['open', 'resolved'])),
        )
        .addColumn('outcome', 'text', (c) =>
          c.check(t.inList('outcome', ['release', 'refund', 'split'])),
        )
        .addColumn('released_minor', t.money, (c) => c.notNull().defaultTo(0))
        .addColumn('refunded_minor', t.money, (c) => c.notNull().defaultTo(0))
        .addColumn('resolved_by', t.id, (c) => c.references('users.id'))
        .addColumn('provider_dispute_id', 'text', (c) => c.unique())
        .addColumn('opened_at', t.instant, (c) => c.notNull())
        .addColumn('resolved_at', t.instant)
        .execute();
      // At most one open dispute per escrow.
      await db.schema
        .createIndex('escrow_disputes_open_key')
        .on('escrow_disputes')
        .column('escrow_id')
        .unique()
        .where(sql.ref('status'), '=', 'open')
        .execute();

      // The fees of one ledger transaction (a funding's provider fee, a release's platform fee).
      await db.schema
        .createTable('transaction_fees')
        .addColumn('ledger_transaction_id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
          c.primaryKey().references('ledger_transactions.id'),
        )
        .addColumn('escrow_id', t.id, (c) => c.notNull().references('escrows.id'))
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('gross_minor', t.money, (c) => c.notNull())
        .addColumn('platform_fee_minor', t.money, (c) => c.notNull())
        .addColumn('provider_fee_minor', t.money, (c) => c.notNull())
        .addColumn('net_minor', t.money, (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('transaction_fees_escrow_idx')
        .on('transaction_fees')
        .column('escrow_id')
        .execute();

      // The first answer to each Idempotency-Key, replayed for 24 hours.
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        /** Method and route the key was used on, and a hash of its parameters. */
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        /** Null while the first request is still running. */
        .addColumn('status_code', 'integer')
        .addColumn('response_body', 'text')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pkey', ['user_id', 'key'])
        .execute();
      await db.schema
        .createIndex('idempotency_keys_created_idx')
        .on('idempotency_keys')
        .column('created_at')
        .execute();

      await sql`insert into sync_counters (collection, seq) values ('escrows', 0)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await sql`delete from sync_counters where collection = 'escrows'`.execute(db);
      for (const table of [
        'idempotency_keys',
        'transaction_fees',
        'escrow_disputes',
        'refunds',
        'payments',
        'escrows',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}

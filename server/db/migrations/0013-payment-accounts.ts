import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Payment accounts and the rails' own records (server/money/):
 * - the provider's customer of each user (a client's saved cards hang off it) and each
 *   freelancer's payout account with its last known status, per rail, so switching from the
 *   sandbox to Stripe starts clean rather than mixing ids of two providers;
 * - Stripe webhook events received, and which handler applied each one (exactly once);
 * - the sandbox rail's state (cards, payments, refunds, accounts, transfers), so sandbox
 *   money survives a restart like Stripe's would.
 */
export function paymentAccountsMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('payment_customers')
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('rail', 'text', (c) =>
          c.notNull().check(t.inList('rail', ['stripe', 'sandbox'])),
        )
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('payment_customers_pkey', ['user_id', 'rail'])
        .addUniqueConstraint('payment_customers_customer_key', ['rail', 'customer_id'])
        .execute();

      await db.schema
        .createTable('payout_accounts')
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('rail', 'text', (c) =>
          c.notNull().check(t.inList('rail', ['stripe', 'sandbox'])),
        )
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('details_submitted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('charges_enabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('payouts_enabled', 'integer', (c) => c.notNull().defaultTo(0))
        /** JSON array of the provider's field names still due. */
        .addColumn('requirements_due', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('payout_accounts_pkey', ['user_id', 'rail'])
        .addUniqueConstraint('payout_accounts_account_key', ['rail', 'account_id'])
        .execute();

      await db.schema
        .createTable('webhook_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('received_at', t.instant, (c) => c.notNull())
        /** Set once every handler of the event has applied it. */
        .addColumn('processed_at', t.instant)
        .execute();
      // One row per (event, handler): the handler's work and this row commit together.
      await db.schema
        .createTable('webhook_event_effects')
        .addColumn('event_id', 'text', (c) => c.notNull().references('webhook_events.id'))
        .addColumn('handler_key', 'text', (c) => c.notNull())
        .addColumn('applied_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('webhook_event_effects_pkey', ['event_id', 'handler_key'])
        .execute();

      // --- The sandbox rail ---
      await db.schema
        .createTable('sandbox_payment_methods')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) =>
          c.notNull().check(t.inList('outcome', ['succeeds', 'declines'])),
        )
        .addColumn('brand', 'text', (c) => c.notNull())
        .addColumn('last4', 'text', (c) => c.notNull())
        .addColumn('exp_month', 'integer', (c) => c.notNull())
        .addColumn('exp_year', 'integer', (c) => c.notNull())
        .addColumn('detached', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('sandbox_payment_methods_customer_idx')
        .on('sandbox_payment_methods')
        .columns(['customer_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('sandbox_payments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('payment_method_id', 'text', (c) => c.notNull())
        .addColumn('amount_minor', t.money, (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(t.inList('status', ['succeeded', 'failed'])),
        )
        .addColumn('fee_minor', t.money)
        .addColumn('failure_message', 'text')
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sandbox_refunds')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('payment_id', 'text', (c) => c.notNull().references('sandbox_payments.id'))
        .addColumn('amount_minor', t.money, (c) => c.notNull().check(sql`amount_minor > 0`))
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sandbox_accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', t.id, (c) => c.notNull().unique())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('country', 'text', (c) => c.notNull())
        .addColumn('details_submitted', 'integer', (c) => c.notNull().defaultTo(0))
        /** The secret in the current onboarding link; null once used. */
        .addColumn('onboarding_token', 'text', (c) => c.unique())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sandbox_transfers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull().references('sandbox_accounts.id'))
        .addColumn('amount_minor', t.money, (c) => c.notNull().check(sql`amount_minor > 0`))
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('sandbox_transfers_account_idx')
        .on('sandbox_transfers')
        .columns(['account_id', 'created_at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'sandbox_transfers',
        'sandbox_accounts',
        'sandbox_refunds',
        'sandbox_payments',
        'sandbox_payment_methods',
        'webhook_event_effects',
        'webhook_events',
        'payout_accounts',
        'payment_customers',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}

import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * The double-entry ledger (server/money/ledger/): accounts, transactions and their entries.
 * Balances are never stored; they are sums of entries, so there is nothing to drift.
 *
 * - An account is unique by (kind, owner_key) and holds one currency.
 * - A transaction is unique by (kind, reference): the same business event (one webhook, one
 *   release command) cannot be posted twice, even by two racing requests.
 * - Entries are signed (debit +, credit −) and never zero. The transaction/account foreign
 *   keys and the per-currency zero sum are checked again by `npm run ledger:verify`, which
 *   does not trust the writer.
 */
/** The account kinds as of this migration (server/money/ledger/accounts.ts); a new one needs a new migration. */
const accountKinds = [
  'client_escrow',
  'freelancer_pending',
  'freelancer_available',
  'platform_fees',
  'provider_clearing',
  'provider_fees',
];

export function ledgerMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  // Column type of a reference to a serial id: bigint identity on PostgreSQL, rowid on SQLite.
  const serialRef = dialect === 'postgres' ? ('bigint' as const) : ('integer' as const);
  return {
    async up(db: Kysely<unknown>) {
      await t
        .withSerialId(db.schema.createTable('ledger_accounts'))
        .addColumn('kind', 'text', (c) => c.notNull().check(t.inList('kind', accountKinds)))
        .addColumn('owner_key', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull().check(sql`length(currency) = 3`))
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addUniqueConstraint('ledger_accounts_kind_owner_key', ['kind', 'owner_key'])
        .execute();
      await t
        .withSerialId(db.schema.createTable('ledger_transactions'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addUniqueConstraint('ledger_transactions_kind_reference', ['kind', 'reference'])
        .execute();
      await t
        .withSerialId(db.schema.createTable('ledger_entries'))
        .addColumn('transaction_id', serialRef, (c) =>
          c.notNull().references('ledger_transactions.id'),
        )
        .addColumn('account_id', serialRef, (c) => c.notNull().references('ledger_accounts.id'))
        .addColumn('amount_minor', t.money, (c) => c.notNull().check(sql`amount_minor <> 0`))
        .addColumn('currency', 'text', (c) => c.notNull())
        .execute();
      // Balances and the running-balance check read one account's entries in posting order.
      await db.schema
        .createIndex('ledger_entries_account_idx')
        .on('ledger_entries')
        .columns(['account_id', 'transaction_id'])
        .execute();
      await db.schema
        .createIndex('ledger_entries_transaction_idx')
        .on('ledger_entries')
        .column('transaction_id')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('ledger_entries').execute();
      await db.schema.dropTable('ledger_transactions').execute();
      await db.schema.dropTable('ledger_accounts').execute();
    },
  };
}

import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { Db, DialectName } from './database.ts';
import { accountsMigration } from './migrations/0001-accounts.ts';
import { syncMigration } from './migrations/0002-sync.ts';
import { marketplaceMigration } from './migrations/0003-marketplace.ts';
import { searchMigration } from './migrations/0004-search.ts';
import { proposalsMigration } from './migrations/0005-proposals.ts';
import { profilesMigration } from './migrations/0006-profiles.ts';
import { engagementMigration } from './migrations/0007-engagement.ts';
import { contractSyncMigration } from './migrations/0008-contract-sync.ts';
import { timeTrackingMigration } from './migrations/0009-time-tracking.ts';
import { contractActivityMigration } from './migrations/0010-contract-activity.ts';
import { ledgerMigration } from './migrations/0011-ledger.ts';
import { escrowMigration } from './migrations/0012-escrow.ts';
import { paymentAccountsMigration } from './migrations/0013-payment-accounts.ts';
import { invoicesMigration } from './migrations/0014-invoices.ts';
import { emailMigration } from './migrations/0015-email.ts';
import { twoFactorMigration } from './migrations/0016-two-factor.ts';
import { passwordHistoryMigration } from './migrations/0017-password-history.ts';

/** The one ordered list of migrations; each takes the dialect so one file serves both. */
export function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '0001-accounts': accountsMigration(dialect),
    '0002-sync': syncMigration(dialect),
    '0003-marketplace': marketplaceMigration(dialect),
    '0004-search': searchMigration(dialect),
    '0005-proposals': proposalsMigration(dialect),
    '0006-profiles': profilesMigration(dialect),
    '0007-engagement': engagementMigration(dialect),
    '0008-contract-sync': contractSyncMigration(dialect),
    '0009-time-tracking': timeTrackingMigration(dialect),
    '0010-contract-activity': contractActivityMigration(dialect),
    '0011-ledger': ledgerMigration(dialect),
    '0012-escrow': escrowMigration(dialect),
    '0013-payment-accounts': paymentAccountsMigration(dialect),
    '0014-invoices': invoicesMigration(dialect),
    '0015-email': emailMigration(dialect),
    '0016-two-factor': twoFactorMigration(dialect),
    '0017-password-history': passwordHistoryMigration(dialect),
  };
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const provider: MigrationProvider = {
    getMigrations: () => Promise.resolve(migrations(db.dialect)),
  };
  // Kysely looks for its own tables in every schema unless told which: two test runs in two
  // schemas of one database would otherwise see each other's migration tables.
  const migrator = new Migrator({
    db: db.kysely,
    provider,
    ...(db.schema ? { migrationTableSchema: db.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

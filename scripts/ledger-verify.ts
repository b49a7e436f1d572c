/**
 * `npm run ledger:verify`: proves the configured database's books balance (same environment
 * as `npm run server`). Prints a verdict and every problem found; exits 1 when the books do
 * not balance, 2 when the check could not run.
 */
import { ConfigError, loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { verifyLedger } from '../server/money/ledger/verify.ts';

try {
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    // The ledger tables may not exist yet on a database the new server has never started on.
    await migrateToLatest(db);
    const where = config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL';
    const report = await verifyLedger(db.kysely);
    const { accounts, transactions, entries } = report.counts;
    const scope = `${transactions} transactions, ${entries} entries, ${accounts} accounts in ${where}`;
    if (report.ok) {
      console.log(`ledger OK: the books balance (${scope})`);
    } else {
      console.error(`ledger FAILED: ${report.problems.length} problem(s) (${scope})`);
      for (const problem of report.problems) console.error(`  ${problem.kind}: ${problem.message}`);
      process.exitCode = 1;
    }
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 2;
}

/**
 * A second process posting escrow releases to the same SQLite file as the test, so the two
 * really race for SQLite's write lock (one process has one connection, and Kysely queues its
 * transactions). Arguments: file contractId freelancerId count amountMinor referencePrefix.
 * Says "ready" on stderr once connected; prints {"posted":n,"refused":m} on stdout.
 */
import { openDatabase } from '../../server/db/database.ts';
import { releaseMany } from './ledger-fixtures.ts';

const [file, contractId, freelancerId, count, amount, prefix] = process.argv.slice(2);
if (!file || !contractId || !freelancerId || !count || !amount || !prefix) {
  throw new Error('usage: ledger-child.ts file contractId freelancerId count amountMinor prefix');
}
const db = await openDatabase({ kind: 'sqlite', file });
try {
  // The test starts its own releases when it reads this, so the two really overlap.
  process.stderr.write('ready\n');
  const outcome = await releaseMany(
    db,
    contractId,
    freelancerId,
    Number(count),
    Number(amount),
    prefix,
  );
  process.stdout.write(JSON.stringify(outcome));
} finally {
  await db.close();
}

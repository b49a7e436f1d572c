/**
 * `npm run seed`: fills the configured database (same environment as `npm run server`)
 * with what a new user needs to try MegiLance. Today: a demo client and a demo freelancer,
 * and the marketplace's default category tree and skills.
 */
import { ConfigError, loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { seedTaxonomy } from '../server/marketplace/seed-taxonomy.ts';
import { demoAccounts, demoPassword, seedDemoAccounts } from '../server/seed/demo-accounts.ts';

try {
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    await migrateToLatest(db);
    const created = await seedDemoAccounts(db);
    const where = config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL';
    console.log(`Seeded ${where}: ${created.length} new demo account(s).`);
    for (const account of demoAccounts) {
      const state = created.includes(account.email) ? 'created' : 'already there';
      console.log(
        `  ${account.role.padEnd(10)} ${account.email}  password: ${demoPassword}  (${state})`,
      );
    }
    const taxonomy = await seedTaxonomy(db);
    console.log(
      `Marketplace: ${taxonomy.categories} new categor${taxonomy.categories === 1 ? 'y' : 'ies'}, ${taxonomy.skills} new skill(s).`,
    );
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

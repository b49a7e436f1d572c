/**
 * `npm run seed`: fills the configured database (same environment as `npm run server`)
 * with what a new user needs to try MegiLance. Today: a demo client and a demo freelancer,
 * the marketplace's default category tree and skills, and a living marketplace (50 clients,
 * 200 freelancers, 1,000 projects, proposals, contracts). It takes about a second.
 */
import { ConfigError, loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { seedTaxonomy } from '../server/marketplace/seed-taxonomy.ts';
import { demoAccounts, demoPassword, seedDemoAccounts } from '../server/seed/demo-accounts.ts';
import { seedMarketplace, seedPassword } from '../server/seed/marketplace.ts';

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
    const market = await seedMarketplace(db);
    if (market.skipped) {
      console.log('Marketplace data: already seeded, nothing added.');
    } else {
      console.log(
        `Marketplace data: ${market.clients} clients, ${market.freelancers} freelancers, ` +
          `${market.projects} projects, ${market.proposals} proposals, ${market.contracts} contracts, ` +
          `${market.milestones} milestones in ${(market.milliseconds / 1000).toFixed(1)} s.`,
      );
      console.log(`  Seeded users sign in with password: ${seedPassword}`);
    }
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

import type { Db } from '../db/database.ts';
import { seedTaxonomy } from '../marketplace/seed-taxonomy.ts';
import { demoAccounts, demoPassword, seedDemoAccounts } from './demo-accounts.ts';
import { seedMarketplace, seedPassword } from './marketplace.ts';

/**
 * Everything a new user needs to try MegiLance, on a migrated database: the demo client and
 * freelancer, the category tree and skills, and a living marketplace. Idempotent; says what it
 * did through `print`, one line at a time. Used by `npm run seed` and by `npm start`'s offer.
 */
export async function seedAll(db: Db, where: string, print: (line: string) => void): Promise<void> {
  const created = await seedDemoAccounts(db);
  print(`Seeded ${where}: ${created.length} new demo account(s).`);
  for (const account of demoAccounts) {
    const state = created.includes(account.email) ? 'created' : 'already there';
    print(`  ${account.role.padEnd(10)} ${account.email}  password: ${demoPassword}  (${state})`);
  }
  const taxonomy = await seedTaxonomy(db);
  print(
    `Marketplace: ${taxonomy.categories} new categor${taxonomy.categories === 1 ? 'y' : 'ies'}, ${taxonomy.skills} new skill(s).`,
  );
  const market = await seedMarketplace(db);
  if (market.skipped) {
    print('Marketplace data: already seeded, nothing added.');
    return;
  }
  print(
    `Marketplace data: ${market.clients} clients, ${market.freelancers} freelancers, ` +
      `${market.projects} projects, ${market.proposals} proposals, ${market.contracts} contracts, ` +
      `${market.milestones} milestones in ${(market.milliseconds / 1000).toFixed(1)} s.`,
  );
  const { profiles, engagement } = market;
  print(
    `  Profiles: ${profiles.profileSkills} skills with levels, ${profiles.portfolioItems} portfolio ` +
      `items, ${profiles.reviews} reviews. Engagement: ${engagement.favorites} favorites, ` +
      `${engagement.follows} follows, ${engagement.savedSearches} saved searches.`,
  );
  print(`  Seeded users sign in with password: ${seedPassword}`);
}

/** A database nobody has used yet: no account at all. */
export async function isEmptyDatabase(db: Db): Promise<boolean> {
  const anyone = await db.kysely.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return anyone === undefined;
}

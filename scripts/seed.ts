/**
 * `npm run seed`: fills the configured database (same environment as `npm run server`)
 * with what a new user needs to try MegiLance: a demo client and a demo freelancer, the
 * marketplace's default category tree and skills, and a living marketplace (50 clients,
 * 200 freelancers, 1,000 projects, proposals, contracts). It takes a few seconds.
 */
import { ConfigError, loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { seedAll } from '../server/seed/seed-all.ts';

try {
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    await migrateToLatest(db);
    const where = config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL';
    await seedAll(db, where, (line) => console.log(line));
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

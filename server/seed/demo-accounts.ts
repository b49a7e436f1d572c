import type { Role } from '../../shared/accounts/user.ts';
import { newUserRow } from '../auth/accounts.ts';
import type { Db } from '../db/database.ts';

/** Sign-in details a new user can try the app with; printed by `npm run seed`. */
export const demoPassword = 'megilance-demo-2026';

export const demoAccounts: Array<{
  email: string;
  name: string;
  role: Role;
  headline: string;
  country: string;
  timezone: string;
  hourlyRate: { amountMinor: number; currency: string } | null;
}> = [
  {
    email: 'client@demo.megilance.test',
    name: 'Dana Client (demo)',
    role: 'client',
    headline: 'Product lead hiring for a mobile app',
    country: 'GB',
    timezone: 'Europe/London',
    hourlyRate: null,
  },
  {
    email: 'freelancer@demo.megilance.test',
    name: 'Sam Freelancer (demo)',
    role: 'freelancer',
    headline: 'Full-stack TypeScript developer',
    country: 'PT',
    timezone: 'Europe/Lisbon',
    hourlyRate: { amountMinor: 6_500, currency: 'EUR' },
  },
];

/** Idempotent: accounts that exist are left as they are. Returns the emails it created. */
export async function seedDemoAccounts(db: Db): Promise<string[]> {
  const created: string[] = [];
  for (const account of demoAccounts) {
    const row = await newUserRow({ ...account, password: demoPassword });
    const inserted = await db.kysely
      .insertInto('users')
      .values({
        ...row,
        // Demo addresses reach no one: nobody could confirm them, so they start confirmed.
        email_verified_at: row.created_at,
        headline: account.headline,
        country: account.country,
        timezone: account.timezone,
        hourly_rate_minor: account.hourlyRate?.amountMinor ?? null,
        hourly_rate_currency: account.hourlyRate?.currency ?? null,
      })
      .onConflict((conflict) => conflict.column('email').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) created.push(account.email);
  }
  return created;
}

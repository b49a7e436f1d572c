import type { Selectable } from 'kysely';
import type { UpdateProfileInput, User } from '../../shared/accounts/user.ts';
import type { Money } from '../../shared/money/money.ts';
import type { UsersTable } from '../db/schema.ts';

export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    headline: row.headline,
    bio: row.bio,
    country: row.country,
    timezone: row.timezone,
    hourlyRate: hourlyRateOf(row),
    emailVerified: row.email_verified_at !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A user's hourly rate as money, when both its amount and currency are set. */
export function hourlyRateOf(
  row: Pick<Selectable<UsersTable>, 'hourly_rate_minor' | 'hourly_rate_currency'>,
): Money | null {
  return row.hourly_rate_minor !== null && row.hourly_rate_currency !== null
    ? { amountMinor: row.hourly_rate_minor, currency: row.hourly_rate_currency }
    : null;
}

/** SQLite and PostgreSQL name a unique-constraint failure differently. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // A composite primary key reports its own SQLite code; it is a uniqueness violation too.
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === '23505'
  );
}

/** The user columns a profile edit sets: only the fields given; empty text clears. */
export function profileChanges(input: UpdateProfileInput): Partial<UsersTable> {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.headline !== undefined ? { headline: input.headline || null } : {}),
    ...(input.bio !== undefined ? { bio: input.bio || null } : {}),
    ...(input.country !== undefined ? { country: input.country } : {}),
    ...(input.timezone !== undefined ? { timezone: input.timezone } : {}),
    ...(input.hourlyRate !== undefined
      ? {
          hourly_rate_minor: input.hourlyRate?.amountMinor ?? null,
          hourly_rate_currency: input.hourlyRate?.currency ?? null,
        }
      : {}),
  };
}

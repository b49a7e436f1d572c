import type { Selectable } from 'kysely';
import type { User } from '../../shared/accounts/user.ts';
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
    hourlyRate:
      row.hourly_rate_minor !== null && row.hourly_rate_currency !== null
        ? { amountMinor: row.hourly_rate_minor, currency: row.hourly_rate_currency }
        : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** SQLite and PostgreSQL name a unique-constraint failure differently. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

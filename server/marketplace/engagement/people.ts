import type { Selectable } from 'kysely';
import type { PersonSummary } from '../../../shared/marketplace/engagement.ts';
import type { UsersTable } from '../../db/schema.ts';

/** The columns a {@link PersonSummary} is made of. */
export const personColumns = [
  'u.id',
  'u.name',
  'u.role',
  'u.headline',
  'u.hourly_rate_minor',
  'u.hourly_rate_currency',
] as const;

type PersonRow = Pick<
  Selectable<UsersTable>,
  'id' | 'name' | 'role' | 'headline' | 'hourly_rate_minor' | 'hourly_rate_currency'
>;

/** A person as lists show them: no email, nothing private. */
export function presentPerson(row: PersonRow): PersonSummary {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    headline: row.headline,
    hourlyRate:
      row.hourly_rate_minor !== null && row.hourly_rate_currency !== null
        ? { amountMinor: row.hourly_rate_minor, currency: row.hourly_rate_currency }
        : null,
  };
}

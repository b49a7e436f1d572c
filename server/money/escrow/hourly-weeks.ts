import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/**
 * Hourly escrows fund one ISO week (`2026-W47`); time entries name their week by its Monday
 * (`2026-11-16`, shared/time/slots.ts). Both are UTC.
 */
const dayMs = 24 * 60 * 60 * 1000;

/** The Monday 00:00 UTC of an ISO week, in epoch ms. */
export function isoWeekStart(week: string): number {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!match) throw new RangeError(`"${week}" is not an ISO week`);
  const year = Number(match[1]);
  const number = Number(match[2]);
  // Week 1 is the week with January 4th in it.
  const january4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(january4).getUTCDay() + 6) % 7;
  return january4 - weekday * dayMs + (number - 1) * 7 * dayMs;
}

/** Whether `week` names a real week (W53 exists only in some years). */
export function isRealIsoWeek(week: string): boolean {
  const start = isoWeekStart(week);
  return isoWeekOf(start) === week;
}

/** The ISO week containing `at`. */
export function isoWeekOf(at: number): string {
  const date = new Date(at);
  const weekday = (date.getUTCDay() + 6) % 7;
  // The week's Thursday decides its year.
  const thursday =
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) -
    weekday * dayMs +
    3 * dayMs;
  const year = new Date(thursday).getUTCFullYear();
  const number = Math.floor((thursday - isoWeekStart(`${year}-W01`)) / (7 * dayMs)) + 1;
  return `${year}-W${String(number).padStart(2, '0')}`;
}

/** Monday of the week as time entries store it (`YYYY-MM-DD`). */
export const mondayOf = (week: string): string =>
  new Date(isoWeekStart(week)).toISOString().slice(0, 10);

/** End of the week (next Monday 00:00 UTC), epoch ms. */
export const isoWeekEnd = (week: string): number => isoWeekStart(week) + 7 * dayMs;

/**
 * The billable time amount of a contract's week, in minor units: `approved` counts only
 * entries the client approved (a manual release), `undisputed` everything not disputed (the
 * automatic release after the review period).
 */
export async function weekTimeAmount(
  db: Kysely<Database>,
  contractId: string,
  week: string,
  which: 'approved' | 'undisputed',
): Promise<number> {
  let query = db
    .selectFrom('time_entries')
    .select(sql<string | null>`cast(sum(amount_minor) as text)`.as('total'))
    .where('contract_id', '=', contractId)
    .where('week', '=', mondayOf(week))
    .where('deleted', '=', 0)
    .where('billable', '=', 1);
  query =
    which === 'approved'
      ? query.where('status', '=', 'approved')
      : query.where('status', '!=', 'disputed');
  const row = await query.executeTakeFirst();
  return Number(row?.total ?? 0);
}

/**
 * The time grid every side agrees on: 10-minute slots aligned to the UTC clock, UTC days
 * (`YYYY-MM-DD`) as the unit a tracked time entry groups its slots by, and weeks from Monday
 * 00:00 UTC as the unit a client approves. Plain arithmetic on epoch milliseconds: no time
 * zone, so a device anywhere computes the same slot, day and week for the same instant.
 */
export const minuteMs = 60_000;
export const slotMs = 10 * minuteMs;
export const dayMs = 24 * 60 * minuteMs;
export const weekMs = 7 * dayMs;
export const slotsPerDay = dayMs / slotMs;

export function slotStart(at: number): number {
  return Math.floor(at / slotMs) * slotMs;
}

/** The UTC day holding `at`, as `YYYY-MM-DD`. */
export function utcDay(at: number): string {
  return new Date(Math.floor(at / dayMs) * dayMs).toISOString().slice(0, 10);
}

/** Midnight UTC of a `YYYY-MM-DD` day, epoch ms. */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

/** Monday 00:00 UTC of the week holding `at`. */
export function weekStart(at: number): number {
  const day = Math.floor(at / dayMs);
  // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
  return (day - ((day + 3) % 7)) * dayMs;
}

/** The Monday (UTC, `YYYY-MM-DD`) of the week holding `at`: how reviews name a week. */
export function weekOf(at: number): string {
  return utcDay(weekStart(at));
}

/** True when `day` (`YYYY-MM-DD`) is a Monday: the only days that name a week. */
export function isWeekName(day: string): boolean {
  const start = dayStart(day);
  return Number.isFinite(start) && weekStart(start) === start;
}

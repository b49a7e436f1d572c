import type { Money } from '../money/money.ts';

const hourMs = 3_600_000;

/**
 * What billed time is worth at an hourly rate, in the rate's minor unit, rounded half up once
 * per entry (never per slot, so twelve slots of an hour cost what one hour costs).
 */
export function amountFor(billedMs: number, rate: Money): Money {
  // Integer maths: amountMinor × ms stays far below 2^53 for any real rate and day.
  const numerator = rate.amountMinor * billedMs;
  return { amountMinor: Math.floor((numerator + hourMs / 2) / hourMs), currency: rate.currency };
}

/** The time of a tracked entry that still counts: slots whose screenshot was deleted do not. */
export function billedOfSegments(
  segments: ReadonlyArray<{ billedMs: number; removed: boolean }>,
): number {
  let total = 0;
  for (const segment of segments) if (!segment.removed) total += segment.billedMs;
  return total;
}

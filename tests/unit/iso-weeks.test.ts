import { describe, expect, it } from 'vitest';
import {
  isoWeekEnd,
  isoWeekOf,
  isoWeekStart,
  isRealIsoWeek,
  mondayOf,
} from '../../server/money/escrow/hourly-weeks.ts';
import { weekOf } from '../../shared/time/slots.ts';

describe('ISO weeks of hourly escrows', () => {
  it('finds the Monday of a week, across year boundaries', () => {
    expect(mondayOf('2026-W47')).toBe('2026-11-16');
    // 2026-01-01 is a Thursday: week 1 starts on the Monday before it.
    expect(mondayOf('2026-W01')).toBe('2025-12-29');
    // 2027-01-01 is a Friday: it belongs to 2026-W53.
    expect(mondayOf('2027-W01')).toBe('2027-01-04');
    expect(isoWeekOf(Date.UTC(2027, 0, 1))).toBe('2026-W53');
    expect(isoWeekOf(Date.UTC(2024, 11, 30))).toBe('2025-W01');
    expect(isoWeekEnd('2026-W47') - isoWeekStart('2026-W47')).toBe(7 * 24 * 60 * 60 * 1000);
  });

  it('tells real weeks from ones the year does not have', () => {
    expect(isRealIsoWeek('2026-W53')).toBe(true);
    expect(isRealIsoWeek('2027-W53')).toBe(false);
    expect(isRealIsoWeek('2027-W52')).toBe(true);
  });

  it('agrees with the time entries’ Monday for every day of two years', () => {
    const dayMs = 24 * 60 * 60 * 1000;
    for (let at = Date.UTC(2025, 0, 1); at < Date.UTC(2027, 0, 1); at += dayMs) {
      expect(mondayOf(isoWeekOf(at))).toBe(weekOf(at));
    }
  });
});

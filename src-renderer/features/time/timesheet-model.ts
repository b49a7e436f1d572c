import Papa from 'papaparse';
import { formatMajorAmount, type Money } from '../../../shared/money/money.ts';
import type { TimeEntryDocument, TimeReviewDocument } from '../../../shared/sync/documents.ts';
import { dayMs, dayStart, isWeekName, utcDay } from '../../../shared/time/slots.ts';
import { openDisputedKeys, slotKey } from './review-model.ts';

/**
 * A contract's timesheet for one week (Monday 00:00 UTC onwards, the unit a client approves):
 * per UTC day the tracked and manual time, how much of it is approved and disputed, and what
 * it is worth at the recorded rates.
 */
export interface TimesheetDay {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  trackedMs: number;
  manualMs: number;
  approvedMs: number;
  disputedMs: number;
  /** Minutes tracked where activity was measured, and of them, with input. */
  measuredMinutes: number;
  activeMinutes: number;
  amountMinor: number;
}

export interface Timesheet {
  week: string;
  currency: string;
  /** False on fixed-price contracts: time carries no amount. */
  priced: boolean;
  days: TimesheetDay[];
  total: Omit<TimesheetDay, 'day'>;
}

/** The seven UTC days of a week named by its Monday. */
export function weekDays(week: string): string[] {
  const start = dayStart(week);
  return Array.from({ length: 7 }, (_, index) => utcDay(start + index * dayMs));
}

export function shiftWeek(week: string, weeks: number): string {
  return isWeekName(week) ? utcDay(dayStart(week) + weeks * 7 * dayMs) : week;
}

const emptyDay = (day: string): TimesheetDay => ({
  day,
  trackedMs: 0,
  manualMs: 0,
  approvedMs: 0,
  disputedMs: 0,
  measuredMinutes: 0,
  activeMinutes: 0,
  amountMinor: 0,
});

export function buildTimesheet(input: {
  week: string;
  currency: string;
  priced: boolean;
  entries: readonly TimeEntryDocument[];
  reviews: readonly TimeReviewDocument[];
}): Timesheet {
  const days = weekDays(input.week).map(emptyDay);
  const byDay = new Map(days.map((day) => [day.day, day]));
  const disputed = openDisputedKeys(input.reviews);

  for (const entry of input.entries) {
    const row = byDay.get(entry.day);
    if (!row) continue;
    if (entry.amount && entry.amount.currency === input.currency) {
      row.amountMinor += entry.amount.amountMinor;
    }
    if (entry.kind === 'manual') {
      row.manualMs += entry.billedMs;
      if (entry.status === 'approved') row.approvedMs += entry.billedMs;
      continue;
    }
    let disputedHere = 0;
    for (const segment of entry.segments) {
      if (segment.removed) continue;
      row.trackedMs += segment.billedMs;
      if (disputed.has(slotKey(entry.id, segment.start))) disputedHere += segment.billedMs;
      if (segment.activeMinutes !== null) {
        row.measuredMinutes += segment.trackedMinutes;
        row.activeMinutes += segment.activeMinutes;
      }
    }
    row.disputedMs += disputedHere;
    // An approved week approves everything but the slots still in dispute.
    if (entry.status === 'approved') row.approvedMs += entry.billedMs - disputedHere;
  }

  const total = emptyDay('');
  for (const day of days) {
    total.trackedMs += day.trackedMs;
    total.manualMs += day.manualMs;
    total.approvedMs += day.approvedMs;
    total.disputedMs += day.disputedMs;
    total.measuredMinutes += day.measuredMinutes;
    total.activeMinutes += day.activeMinutes;
    total.amountMinor += day.amountMinor;
  }
  const { day: _day, ...totals } = total;
  return {
    week: input.week,
    currency: input.currency,
    priced: input.priced,
    days,
    total: totals,
  };
}

/** Activity of a day as a whole percentage, null where it was never measured. */
export const dayActivity = (day: Pick<TimesheetDay, 'measuredMinutes' | 'activeMinutes'>) =>
  day.measuredMinutes === 0 ? null : Math.round((100 * day.activeMinutes) / day.measuredMinutes);

/** Hours as a decimal with two places, as spreadsheets and invoices read them. */
export const decimalHours = (ms: number): string => (ms / 3_600_000).toFixed(2);

export const sheetMoney = (sheet: Timesheet, amountMinor: number): Money => ({
  amountMinor,
  currency: sheet.currency,
});

/** The timesheet as CSV: a row per day and a total row, amounts in major units. */
export function timesheetCsv(sheet: Timesheet, contractTitle: string): string {
  const fields = [
    'Contract',
    'Date (UTC)',
    'Tracked hours',
    'Manual hours',
    'Approved hours',
    'Disputed hours',
    'Activity %',
    ...(sheet.priced ? ['Amount', 'Currency'] : []),
  ];
  const row = (label: string, day: Omit<TimesheetDay, 'day'>) => [
    contractTitle,
    label,
    decimalHours(day.trackedMs),
    decimalHours(day.manualMs),
    decimalHours(day.approvedMs),
    decimalHours(day.disputedMs),
    dayActivity(day)?.toString() ?? '',
    ...(sheet.priced ? [formatMajorAmount(day.amountMinor, sheet.currency), sheet.currency] : []),
  ];
  const data = [...sheet.days.map((day) => row(day.day, day)), row('Total', sheet.total)];
  // Formula-looking cells (a project title starting with "=") are escaped for spreadsheets.
  return Papa.unparse({ fields, data }, { escapeFormulae: true, newline: '\r\n' });
}

/** `timesheet-owl-drawings-2026-11-16.csv` */
export function timesheetFileName(contractTitle: string, week: string): string {
  const slug = contractTitle
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `timesheet-${slug || 'contract'}-${week}.csv`;
}

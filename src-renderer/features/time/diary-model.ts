import { addDays, addHours, format, isValid, parse, startOfDay } from 'date-fns';
import type { LocalScreenshot } from '../../../shared/ipc/screenshots.ts';
import type {
  ScreenshotDocument,
  TimeEntryDocument,
  TimeReviewDocument,
  TimeSegment,
} from '../../../shared/sync/documents.ts';
import { slotMs, utcDay } from '../../../shared/time/slots.ts';
import { disputedSlots, slotKey, type SlotDispute } from './review-model.ts';

/**
 * The work diary of one contract and one day, in the viewer's own time zone: an hour per row,
 * six 10-minute slots per hour. A day is not always 24 hours: on the day clocks spring
 * forward it has 23 rows, on the day they fall back 25 (the repeated hour named with its
 * offset). Slots themselves are UTC-aligned (shared/time/slots.ts), so a freelancer and a
 * client in different zones see the same slots under different hour labels.
 */

type ImageRef = ScreenshotDocument['image'];

/** A screenshot as the diary shows it, from this machine's store or from sync. */
export interface DiaryScreenshot {
  id: string;
  entryId: string;
  slot: number;
  takenAt: number;
  screen: number;
  activity: number | null;
  image: ImageRef;
  thumbnail: ImageRef;
  blurred: boolean;
  /** `pending`: private to the freelancer's machine until `shareAt`; `shared`: the client sees it. */
  state: 'pending' | 'shared';
  shareAt: number | null;
  /** Its bytes are on this machine (the freelancer's own device). */
  local: boolean;
}

export interface DiarySlot {
  start: number;
  label: string;
  /** Tracked time in this slot, with the entry holding it. */
  tracked: { entryId: string; segment: TimeSegment; status: TimeEntryDocument['status'] } | null;
  /** Manual entries covering part of this slot. */
  manualEntryIds: string[];
  screenshots: DiaryScreenshot[];
  dispute: SlotDispute | null;
}

export interface DiaryRow {
  start: number;
  label: string;
  slots: DiarySlot[];
  /** Something was recorded in this hour. */
  busy: boolean;
}

export interface DiaryDay {
  /** The local calendar day, `YYYY-MM-DD`. */
  date: string;
  from: number;
  to: number;
  rows: DiaryRow[];
  trackedMs: number;
  manualMs: number;
  /** Mean activity of the day's tracked minutes where it was measured; null when never. */
  activity: number | null;
}

const dayPattern = 'yyyy-MM-dd';

/** Today as the viewer's calendar names it. */
export const localDate = (at: number): string => format(at, dayPattern);

/** Local midnight of a calendar day and of the next one; null for something not a date. */
export function localDayBounds(date: string): { from: number; to: number } | null {
  const parsed = parse(date, dayPattern, new Date(0));
  if (!isValid(parsed) || format(parsed, dayPattern) !== date) return null;
  const from = startOfDay(parsed);
  return { from: from.getTime(), to: startOfDay(addDays(from, 1)).getTime() };
}

export const shiftDate = (date: string, days: number): string => {
  const bounds = localDayBounds(date);
  return bounds ? format(addDays(bounds.from, days), dayPattern) : date;
};

/** The UTC days a local day touches: the entries to read for it. */
export function utcDaysOf(bounds: { from: number; to: number }): string[] {
  const first = utcDay(bounds.from);
  const last = utcDay(bounds.to - 1);
  return first === last ? [first] : [first, last];
}

/** This machine's screenshots and the recorded ones as one list, this machine's copy first. */
export function diaryScreenshots(
  local: readonly LocalScreenshot[],
  recorded: readonly ScreenshotDocument[],
): DiaryScreenshot[] {
  const byId = new Map<string, DiaryScreenshot>();
  for (const shot of recorded) {
    byId.set(shot.id, {
      id: shot.id,
      entryId: shot.entryId,
      slot: Date.parse(shot.slot),
      takenAt: Date.parse(shot.takenAt),
      screen: shot.screen,
      activity: shot.activity,
      image: shot.image,
      thumbnail: shot.thumbnail,
      blurred: shot.blurred,
      state: 'shared',
      shareAt: null,
      local: false,
    });
  }
  for (const shot of local) {
    byId.set(shot.id, {
      id: shot.id,
      entryId: shot.entryId,
      slot: shot.slot,
      takenAt: shot.takenAt,
      screen: shot.screen,
      activity: shot.activity,
      image: shot.image,
      thumbnail: shot.thumbnail,
      blurred: shot.blurred,
      state: shot.state,
      shareAt: shot.shareAt,
      local: true,
    });
  }
  return [...byId.values()].sort((a, b) => a.takenAt - b.takenAt || a.screen - b.screen);
}

export function buildDiaryDay(input: {
  date: string;
  entries: readonly TimeEntryDocument[];
  screenshots: readonly DiaryScreenshot[];
  reviews: readonly TimeReviewDocument[];
}): DiaryDay | null {
  const bounds = localDayBounds(input.date);
  if (!bounds) return null;
  const { from, to } = bounds;

  const tracked = new Map<number, NonNullable<DiarySlot['tracked']>>();
  const manual: Array<{ id: string; from: number; to: number }> = [];
  let trackedMs = 0;
  let manualMs = 0;
  let measured = 0;
  let active = 0;
  for (const entry of input.entries) {
    if (entry.kind === 'manual' && entry.manual) {
      const start = Date.parse(entry.manual.from);
      const end = Date.parse(entry.manual.to);
      const overlap = Math.min(end, to) - Math.max(start, from);
      if (overlap > 0) {
        manual.push({ id: entry.id, from: start, to: end });
        manualMs += overlap;
      }
      continue;
    }
    for (const segment of entry.segments) {
      const start = Date.parse(segment.start);
      if (start < from || start >= to) continue;
      tracked.set(start, { entryId: entry.id, segment, status: entry.status });
      if (segment.removed) continue;
      trackedMs += segment.billedMs;
      if (segment.activeMinutes !== null) {
        measured += segment.trackedMinutes;
        active += segment.activeMinutes;
      }
    }
  }
  const shotsBySlot = new Map<number, DiaryScreenshot[]>();
  for (const shot of input.screenshots) {
    shotsBySlot.set(shot.slot, [...(shotsBySlot.get(shot.slot) ?? []), shot]);
  }
  const disputes = disputedSlots(input.reviews);

  const rows: DiaryRow[] = [];
  // Hours on the real time line: a skipped hour is not there, a repeated one comes twice.
  for (let hour = from; hour < to; hour = addHours(hour, 1).getTime()) {
    const slots: DiarySlot[] = [];
    const hourEnd = Math.min(addHours(hour, 1).getTime(), to);
    for (let start = Math.ceil(hour / slotMs) * slotMs; start < hourEnd; start += slotMs) {
      const slotTracked = tracked.get(start) ?? null;
      slots.push({
        start,
        label: format(start, 'HH:mm'),
        tracked: slotTracked,
        manualEntryIds: manual
          .filter((m) => m.from < start + slotMs && m.to > start)
          .map((m) => m.id),
        screenshots: shotsBySlot.get(start) ?? [],
        dispute: slotTracked
          ? (disputes.get(slotKey(slotTracked.entryId, slotTracked.segment.start)) ?? null)
          : null,
      });
    }
    rows.push({
      start: hour,
      label: format(hour, 'HH:mm'),
      slots,
      busy: slots.some(
        (slot) => slot.tracked || slot.manualEntryIds.length > 0 || slot.screenshots.length > 0,
      ),
    });
  }
  // Fall-back days repeat an hour: both copies say which offset they are in.
  const seen = new Map<string, number>();
  for (const row of rows) seen.set(row.label, (seen.get(row.label) ?? 0) + 1);
  for (const row of rows) {
    if ((seen.get(row.label) ?? 0) > 1) row.label = `${row.label} (${format(row.start, 'O')})`;
  }

  return {
    date: input.date,
    from,
    to,
    rows,
    trackedMs,
    manualMs,
    activity: measured === 0 ? null : Math.round((100 * active) / measured),
  };
}

/** `09:40–09:50`: a slot's span in the viewer's zone. */
export const slotSpan = (start: number): string =>
  `${format(start, 'HH:mm')}–${format(start + slotMs, 'HH:mm')}`;

/** `Sunday 29 March 2026`. */
export function longDate(date: string): string {
  const bounds = localDayBounds(date);
  return bounds ? format(bounds.from, 'EEEE d MMMM yyyy') : date;
}

/** The activity a slot shows: its measured share, or null ("activity unavailable"). */
export function slotActivity(segment: TimeSegment): number | null {
  if (segment.activeMinutes === null || segment.trackedMinutes === 0) return null;
  return Math.round((100 * segment.activeMinutes) / segment.trackedMinutes);
}

import { beforeAll, describe, expect, it } from 'vitest';
import type { TimeEntryDocument, TimeReviewDocument } from '../../shared/sync/documents.ts';
import { trackedEntryId } from '../../shared/time/stable-ids.ts';
import {
  buildDiaryDay,
  diaryScreenshots,
  localDayBounds,
  shiftDate,
  utcDaysOf,
} from '../../src-renderer/features/time/diary-model.ts';

/**
 * The diary is drawn in the viewer's own zone. This file runs in Europe/Berlin, whose clocks
 * went forward on 29 March 2026 (02:00 → 03:00) and back on 25 October 2026 (03:00 → 02:00).
 */
process.env.TZ = 'Europe/Berlin';

const contractId = '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d04';
const me = '6f1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e02';

function tracked(
  day: string,
  slots: Array<[string, number]>,
  status: TimeEntryDocument['status'] = 'pending',
): TimeEntryDocument {
  const segments = slots.map(([start, billedMs]) => ({
    start,
    billedMs,
    trackedMinutes: Math.ceil(billedMs / 60_000),
    activeMinutes: Math.floor(billedMs / 120_000),
    memo: 'Owls',
    removed: false,
  }));
  return {
    id: trackedEntryId(contractId, me, day),
    updatedAt: `${day}T23:00:00.000Z`,
    contractId,
    freelancerId: me,
    kind: 'tracked',
    day,
    segments,
    manual: null,
    memo: '',
    billable: true,
    billedMs: segments.reduce((sum, s) => sum + s.billedMs, 0),
    rate: null,
    amount: null,
    status,
    createdAt: `${day}T23:00:00.000Z`,
  };
}

describe('the work diary grid in Europe/Berlin', () => {
  beforeAll(() => {
    // Proves the zone took: a diary test in the wrong zone would prove nothing.
    expect(new Date('2026-07-01T12:00:00Z').getTimezoneOffset()).toBe(-120);
    expect(new Date('2026-01-01T12:00:00Z').getTimezoneOffset()).toBe(-60);
  });

  it('has 24 hour rows of six 10-minute slots on an ordinary day', () => {
    const day = buildDiaryDay({ date: '2026-11-20', entries: [], screenshots: [], reviews: [] });
    expect(day?.rows).toHaveLength(24);
    expect(day?.rows.every((row) => row.slots.length === 6)).toBe(true);
    expect(day?.rows[0]?.label).toBe('00:00');
    // Local midnight is 23:00 UTC the day before.
    expect(new Date(day?.from ?? 0).toISOString()).toBe('2026-11-19T23:00:00.000Z');
    expect(utcDaysOf(localDayBounds('2026-11-20')!)).toEqual(['2026-11-19', '2026-11-20']);
  });

  it('has 23 rows on the day clocks spring forward, with no 02:00', () => {
    const day = buildDiaryDay({ date: '2026-03-29', entries: [], screenshots: [], reviews: [] });
    expect(day?.rows).toHaveLength(23);
    expect(day?.rows.map((row) => row.label).slice(0, 4)).toEqual([
      '00:00',
      '01:00',
      '03:00',
      '04:00',
    ]);
    expect((day?.to ?? 0) - (day?.from ?? 0)).toBe(23 * 3_600_000);
  });

  it('has 25 rows on the day clocks fall back, the repeated hour named by its offset', () => {
    const day = buildDiaryDay({ date: '2026-10-25', entries: [], screenshots: [], reviews: [] });
    expect(day?.rows).toHaveLength(25);
    expect(day?.rows.map((row) => row.label).slice(1, 5)).toEqual([
      '01:00',
      '02:00 (GMT+2)',
      '02:00 (GMT+1)',
      '03:00',
    ]);
    expect(day?.rows.flatMap((row) => row.slots)).toHaveLength(150);
  });

  it('puts tracked slots, screenshots, disputes and manual time where they happened', () => {
    // 00:50 UTC and 01:10 UTC on 25 October: 02:50 summer time and 02:10 winter time.
    const entry = tracked('2026-10-25', [
      ['2026-10-25T00:50:00.000Z', 600_000],
      ['2026-10-25T01:10:00.000Z', 300_000],
    ]);
    const manual: TimeEntryDocument = {
      ...tracked('2026-10-25', []),
      id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d77',
      kind: 'manual',
      manual: { from: '2026-10-25T08:00:00.000Z', to: '2026-10-25T08:30:00.000Z' },
      billedMs: 1_800_000,
    };
    const review: TimeReviewDocument = {
      id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d78',
      updatedAt: '2026-10-26T10:00:00.000Z',
      contractId,
      week: '2026-10-19',
      kind: 'dispute',
      slots: [{ entryId: entry.id, start: '2026-10-25T01:10:00.000Z' }],
      reason: 'Not on my project',
      reviewerId: '6f1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e01',
      status: 'open',
      response: '',
      createdAt: '2026-10-26T10:00:00.000Z',
    };
    const shots = diaryScreenshots(
      [],
      [
        {
          id: '6a1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e01',
          updatedAt: '2026-10-25T01:00:00.000Z',
          contractId,
          freelancerId: me,
          entryId: entry.id,
          slot: '2026-10-25T00:50:00.000Z',
          takenAt: '2026-10-25T00:53:00.000Z',
          screen: 0,
          activity: 50,
          image: { hash: 'a'.repeat(64), size: 1, width: 1, height: 1, mimeType: 'image/webp' },
          thumbnail: { hash: 'b'.repeat(64), size: 1, width: 1, height: 1, mimeType: 'image/webp' },
          blurred: false,
          createdAt: '2026-10-25T01:00:00.000Z',
        },
      ],
    );
    const day = buildDiaryDay({
      date: '2026-10-25',
      entries: [entry, manual],
      screenshots: shots,
      reviews: [review],
    });
    if (!day) throw new Error('no day');
    const summer = day.rows[2];
    const winter = day.rows[3];
    expect(summer?.label).toBe('02:00 (GMT+2)');
    expect(summer?.slots[5]).toMatchObject({ label: '02:50', tracked: { entryId: entry.id } });
    expect(summer?.slots[5]?.screenshots.map((s) => s.id)).toEqual([
      '6a1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e01',
    ]);
    expect(winter?.slots[1]).toMatchObject({
      label: '02:10',
      dispute: { status: 'open', reason: 'Not on my project' },
    });
    expect(day.rows.filter((row) => row.busy).map((row) => row.label)).toEqual([
      '02:00 (GMT+2)',
      '02:00 (GMT+1)',
      '09:00',
    ]);
    // 09:00–09:30 local (winter time) is manual.
    expect(day.rows[10]?.slots.map((slot) => slot.manualEntryIds.length)).toEqual([
      1, 1, 1, 0, 0, 0,
    ]);
    expect(day.trackedMs).toBe(900_000);
    expect(day.manualMs).toBe(1_800_000);
  });

  it('refuses what is not a calendar day and steps days across a clock change', () => {
    expect(buildDiaryDay({ date: '2026-02-30', entries: [], screenshots: [], reviews: [] })).toBe(
      null,
    );
    expect(shiftDate('2026-03-28', 1)).toBe('2026-03-29');
    expect(shiftDate('2026-03-29', 1)).toBe('2026-03-30');
    expect(shiftDate('2026-10-26', -1)).toBe('2026-10-25');
  });

  it('prefers this machine’s copy of a screenshot (it knows it is still pending)', () => {
    const id = '6a1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e09';
    const image = {
      hash: 'a'.repeat(64),
      size: 1,
      width: 1,
      height: 1,
      mimeType: 'image/webp' as const,
    };
    const shots = diaryScreenshots(
      [
        {
          id,
          contractId,
          entryId: trackedEntryId(contractId, me, '2026-11-20'),
          slot: Date.parse('2026-11-20T09:00:00.000Z'),
          takenAt: Date.parse('2026-11-20T09:03:00.000Z'),
          screen: 0,
          activity: null,
          image,
          thumbnail: image,
          blurred: false,
          state: 'pending',
          shareAt: Date.parse('2026-11-20T09:13:00.000Z'),
          uploaded: false,
        },
      ],
      [],
    );
    expect(shots).toMatchObject([{ id, state: 'pending', local: true }]);
  });
});

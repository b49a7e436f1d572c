import { describe, expect, it } from 'vitest';
import type { LocalScreenshot } from '../../shared/ipc/screenshots.ts';
import type { TrackerSegmentView } from '../../shared/ipc/tracker.ts';
import type { TimeEntryDocument } from '../../shared/sync/documents.ts';
import { trackedEntryId } from '../../shared/time/stable-ids.ts';
import {
  groupForHandOff,
  handOffEntry,
  handOffRange,
  mergeHandOff,
  screenshotDocumentsToCreate,
  segmentFromTracker,
  withSlotRemoved,
} from '../../src-renderer/features/time/hand-off-model.ts';
import { clientId, freelancerId, hourlyContract } from '../support/hourly-contract.ts';

const me = freelancerId;
const client = clientId;
const contract = hourlyContract;
const t0 = Date.parse('2026-11-20T09:00:00.000Z');
const minute = 60_000;

const contracts = new Map([[contract.id, contract]]);

function view(slot: number, billedMs: number, fields: Partial<TrackerSegmentView> = {}) {
  const start = t0 + slot * 10 * minute;
  return {
    id: `${contract.id}@${new Date(start).toISOString()}`,
    contractId: contract.id,
    start,
    end: start + 10 * minute,
    memo: 'Owls',
    billedMs,
    idlePendingMs: 0,
    idleDiscardedMs: 0,
    trackedMinutes: Math.ceil(billedMs / minute),
    activeMinutes: null,
    activity: null,
    removed: false,
    ...fields,
  } satisfies TrackerSegmentView;
}

/** What a device would hold after handing `views` over onto `stored`. */
function handOver(stored: TimeEntryDocument | null, views: TrackerSegmentView[], now: string) {
  const [group] = groupForHandOff(views, contracts, me);
  if (!group) return stored;
  return handOffEntry(stored, { ...group, freelancerId: me, now }) ?? stored;
}

describe('handing the tracker journal over to time entries', () => {
  it('makes one tracked entry per contract and UTC day, billed at the contract rate', () => {
    const entry = handOver(null, [view(0, 600_000), view(1, 300_000)], '2026-11-20T09:20:00.000Z');
    expect(entry).toMatchObject({
      id: trackedEntryId(contract.id, me, '2026-11-20'),
      kind: 'tracked',
      day: '2026-11-20',
      billedMs: 900_000,
      rate: { amountMinor: 4_500, currency: 'EUR' },
      // 15 minutes at €45/h.
      amount: { amountMinor: 1_125, currency: 'EUR' },
      status: 'pending',
      manual: null,
    });
    expect(entry?.segments.map((s) => s.start)).toEqual([
      '2026-11-20T09:00:00.000Z',
      '2026-11-20T09:10:00.000Z',
    ]);
  });

  it('writes nothing when the same journal is handed over again (a restart)', () => {
    const views = [view(0, 600_000), view(1, 300_000)];
    const first = handOver(null, views, '2026-11-20T09:20:00.000Z');
    if (!first) throw new Error('no entry');
    const [group] = groupForHandOff(views, contracts, me);
    if (!group) throw new Error('no group');
    expect(
      handOffEntry(first, { ...group, freelancerId: me, now: '2026-11-20T10:00:00.000Z' }),
    ).toBe(null);
  });

  it('grows a slot in progress without duplicating time, and never shrinks one', () => {
    const first = handOver(null, [view(0, 600_000), view(1, 120_000)], '2026-11-20T09:12:00.000Z');
    const grown = handOver(first, [view(1, 480_000)], '2026-11-20T09:18:00.000Z');
    expect(grown?.billedMs).toBe(1_080_000);
    expect(grown?.segments).toHaveLength(2);
    expect(grown?.updatedAt).toBe('2026-11-20T09:18:00.000Z');
    // A journal that knows less (another device's shorter copy) takes nothing away.
    const again = handOver(grown, [view(1, 60_000)], '2026-11-20T09:30:00.000Z');
    expect(again).toBe(grown);
  });

  it('keeps a removed slot removed whatever the journal says later', () => {
    const first = handOver(null, [view(0, 600_000), view(1, 600_000)], '2026-11-20T09:20:00.000Z');
    if (!first) throw new Error('no entry');
    const removed = withSlotRemoved(first, '2026-11-20T09:10:00.000Z', '2026-11-20T09:25:00.000Z');
    expect(removed?.billedMs).toBe(600_000);
    expect(removed?.amount).toEqual({ amountMinor: 750, currency: 'EUR' });
    // The journal still has the slot's full time (handed over by a device that missed the delete).
    const later = handOver(removed, [view(1, 600_000)], '2026-11-20T09:40:00.000Z');
    expect(later).toBe(removed);
    expect(
      mergeHandOff(removed?.segments ?? [], [segmentFromTracker(view(1, 600_000))!])[1],
    ).toMatchObject({
      removed: true,
    });
    // And the tracker's own removal (billed 0) lands on a slot never removed here.
    const fromTracker = handOver(
      first,
      [view(0, 0, { removed: true })],
      '2026-11-20T09:50:00.000Z',
    );
    expect(fromTracker?.segments[0]).toMatchObject({ removed: true, billedMs: 600_000 });
    expect(fromTracker?.billedMs).toBe(600_000);
  });

  it('leaves out idle time still waiting for an answer, other people’s contracts and unknown ones', () => {
    const stranger = {
      ...contract,
      id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d99',
      freelancer: { id: client, name: 'G' },
    };
    const groups = groupForHandOff(
      [
        view(0, 0, { idlePendingMs: 600_000 }),
        { ...view(1, 600_000), contractId: stranger.id },
        { ...view(2, 600_000), contractId: 'not-synced-yet' },
      ],
      new Map([...contracts, [stranger.id, stranger]]),
      me,
    );
    expect(groups).toEqual([]);
  });

  it('splits slots on both sides of midnight UTC into two entries', () => {
    const late = Date.parse('2026-11-20T23:50:00.000Z');
    const views = [
      { ...view(0, 600_000), start: late, end: late + 600_000 },
      { ...view(0, 600_000), start: late + 600_000, end: late + 1_200_000 },
    ];
    expect(groupForHandOff(views, contracts, me).map((g) => g.day)).toEqual([
      '2026-11-20',
      '2026-11-21',
    ]);
  });

  it('bills nothing on fixed-price contracts', () => {
    const fixed = {
      ...contract,
      type: 'fixed' as const,
      rate: null,
      total: { amountMinor: 1, currency: 'EUR' },
    };
    const [group] = groupForHandOff([view(0, 600_000)], new Map([[fixed.id, fixed]]), me);
    if (!group) throw new Error('no group');
    const entry = handOffEntry(null, {
      ...group,
      freelancerId: me,
      now: '2026-11-20T09:20:00.000Z',
    });
    expect(entry).toMatchObject({ rate: null, amount: null, billedMs: 600_000 });
  });
});

describe('recording screenshots', () => {
  const shot = (id: string, state: LocalScreenshot['state']): LocalScreenshot => ({
    id,
    contractId: contract.id,
    entryId: trackedEntryId(contract.id, me, '2026-11-20'),
    slot: t0,
    takenAt: t0 + 4 * minute,
    screen: 0,
    activity: null,
    image: { hash: 'a'.repeat(64), size: 100, width: 1280, height: 800, mimeType: 'image/webp' },
    thumbnail: { hash: 'b'.repeat(64), size: 10, width: 320, height: 200, mimeType: 'image/webp' },
    blurred: state === 'shared',
    state,
    shareAt: t0 + 14 * minute,
    uploaded: false,
  });

  it('records shared screenshots under their own id, never pending ones, never twice', () => {
    const shared = shot('6a1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e01', 'shared');
    const pending = shot('6a1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e02', 'pending');
    const known = shot('6a1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e03', 'shared');
    const now = '2026-11-20T09:30:00.000Z';
    const created = screenshotDocumentsToCreate(
      [shared, pending, known],
      new Set([known.id]),
      contracts,
      me,
      now,
    );
    expect(created).toEqual([
      {
        id: shared.id,
        updatedAt: now,
        contractId: contract.id,
        freelancerId: me,
        entryId: shared.entryId,
        slot: '2026-11-20T09:00:00.000Z',
        takenAt: '2026-11-20T09:04:00.000Z',
        screen: 0,
        activity: null,
        image: shared.image,
        thumbnail: shared.thumbnail,
        blurred: true,
        createdAt: now,
      },
    ]);
  });
});

describe('the range a hand-off covers', () => {
  it('looks back 31 days first, then to the start of the previous UTC week', () => {
    // Saturday 21 November 2026, 22:43 UTC.
    const now = Date.parse('2026-11-21T22:43:10.000Z');
    const first = handOffRange(now, true);
    expect(new Date(first.to).toISOString()).toBe('2026-11-21T22:50:00.000Z');
    expect(first.to - first.from).toBe(31 * 86_400_000);
    const later = handOffRange(now, false);
    expect(new Date(later.from).toISOString()).toBe('2026-11-09T00:00:00.000Z');
    expect(later.to).toBe(first.to);
  });
});

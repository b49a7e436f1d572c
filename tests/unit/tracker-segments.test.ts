import { afterEach, describe, expect, it } from 'vitest';
import { openTracker, type Tracker } from '../../src-main/tracker/tracker-service.ts';
import { slotStart as segmentStart, weekStart } from '../../shared/time/slots.ts';
import { segmentId } from '../../src-main/tracker/segments.ts';
import { FakeClock, FakeIdle, minute, second, tempJournal } from '../support/tracker-fakes.ts';

const at = (h: number, m: number, s = 0) => Date.UTC(2026, 2, 2, h, m, s); // Monday 2 March 2026

let trackers: Tracker[] = [];
afterEach(() => {
  for (const tracker of trackers) tracker.close();
  trackers = [];
});

function setup(startWall: number) {
  const clock = new FakeClock(startWall);
  const idle = new FakeIdle(clock).inputDuring(0, Infinity);
  const journalPath = tempJournal();
  const tracker = openTracker({ journalPath, clock, idle, tickMs: 5 * second });
  trackers.push(tracker);
  return { clock, idle, journalPath, tracker };
}

const brief = (tracker: Tracker) =>
  tracker.segments().map((s) => ({
    id: s.id,
    contract: s.contractId,
    start: new Date(s.start).toISOString().slice(11, 16),
    billedMs: s.billedMs,
    memo: s.memo,
  }));

describe('tracker: segments', () => {
  it('aligns slots to the clock and computes stable ids and weeks in UTC', () => {
    expect(segmentStart(at(9, 17, 42))).toBe(at(9, 10));
    expect(segmentId('c1', at(9, 10))).toBe('c1@2026-03-02T09:10:00.000Z');
    expect(weekStart(at(9, 10))).toBe(at(0, 0));
    expect(weekStart(Date.UTC(2026, 2, 8, 23, 59))).toBe(at(0, 0)); // Sunday belongs to it
    expect(weekStart(Date.UTC(2026, 2, 9, 0, 0))).toBe(Date.UTC(2026, 2, 9));
  });

  it('cuts a running entry at every 10-minute boundary', () => {
    const { clock, tracker } = setup(at(9, 4));
    tracker.start({ contractId: 'c1', memo: 'wireframes' });
    clock.advance(20 * minute);
    tracker.stop();
    expect(brief(tracker)).toEqual([
      {
        id: 'c1@2026-03-02T09:00:00.000Z',
        contract: 'c1',
        start: '09:00',
        billedMs: 6 * minute,
        memo: 'wireframes',
      },
      {
        id: 'c1@2026-03-02T09:10:00.000Z',
        contract: 'c1',
        start: '09:10',
        billedMs: 10 * minute,
        memo: 'wireframes',
      },
      {
        id: 'c1@2026-03-02T09:20:00.000Z',
        contract: 'c1',
        start: '09:20',
        billedMs: 4 * minute,
        memo: 'wireframes',
      },
    ]);
    expect(tracker.segments().map((s) => [s.trackedMinutes, s.activity])).toEqual([
      [6, 100],
      [10, 100],
      [4, 100],
    ]);
    expect(tracker.status()).toBeNull();
  });

  it('stops between ticks at the moment stop is pressed', () => {
    const { clock, tracker } = setup(at(9, 4, 30));
    tracker.start({ contractId: 'c1' });
    clock.advance(2 * minute + 40 * second + 1_234);
    tracker.stop();
    const [segment] = tracker.segments();
    expect(segment?.billedMs).toBe(2 * minute + 40 * second + 1_234);
    // 09:04, 09:05, 09:06, 09:07 all hold tracked time.
    expect(segment?.trackedMinutes).toBe(4);
  });

  it('measures activity as minutes with input over minutes tracked', () => {
    const clock = new FakeClock(at(9, 10));
    const idle = new FakeIdle(clock)
      .inputDuring(0, 3 * minute)
      .inputDuring(5 * minute + 2 * second, 6 * minute);
    const tracker = openTracker({ journalPath: tempJournal(), clock, idle });
    trackers.push(tracker);
    tracker.start({ contractId: 'c1' });
    clock.advance(10 * minute);
    tracker.stop();
    const [segment] = tracker.segments();
    expect(segment).toMatchObject({
      billedMs: 10 * minute,
      trackedMinutes: 10,
      activeMinutes: 4,
      activity: 40,
    });
    // Four minutes without input stay under the 5-minute idle threshold: billed, low activity.
    expect(segment?.idlePendingMs).toBe(0);
  });

  it('switches contracts at one instant and keeps a memo per segment', () => {
    const { clock, tracker } = setup(at(9, 4));
    const events: string[] = [];
    tracker.on((event) => {
      if (event.type === 'started' || event.type === 'stopped') {
        events.push(
          `${event.type} ${event.contractId} ${new Date(event.at).toISOString().slice(11, 19)}`,
        );
      }
    });
    tracker.start({ contractId: 'c1', memo: 'design' });
    clock.advance(7 * minute);
    tracker.switchTo({ contractId: 'c2', memo: 'support' });
    clock.advance(7 * minute);
    tracker.setMemo('release notes');
    clock.advance(8 * minute);
    tracker.stop();
    expect(events).toEqual([
      'started c1 09:04:00',
      'stopped c1 09:11:00',
      'started c2 09:11:00',
      'stopped c2 09:26:00',
    ]);
    expect(brief(tracker)).toEqual([
      {
        id: 'c1@2026-03-02T09:00:00.000Z',
        contract: 'c1',
        start: '09:00',
        billedMs: 6 * minute,
        memo: 'design',
      },
      {
        id: 'c1@2026-03-02T09:10:00.000Z',
        contract: 'c1',
        start: '09:10',
        billedMs: 1 * minute,
        memo: 'design',
      },
      {
        id: 'c2@2026-03-02T09:10:00.000Z',
        contract: 'c2',
        start: '09:10',
        billedMs: 9 * minute,
        memo: 'release notes',
      },
      {
        id: 'c2@2026-03-02T09:20:00.000Z',
        contract: 'c2',
        start: '09:20',
        billedMs: 6 * minute,
        memo: 'release notes',
      },
    ]);
    expect(() => tracker.start({ contractId: 'c3' })).not.toThrow();
    expect(() => tracker.start({ contractId: 'c3' })).toThrow(/already running/);
  });

  it('merges two entries in the same slot into one segment id, and a reopen changes nothing', () => {
    const { clock, tracker, journalPath } = setup(at(9, 0));
    tracker.start({ contractId: 'c1' });
    clock.advance(3 * minute);
    tracker.stop();
    clock.advance(2 * minute);
    tracker.start({ contractId: 'c1' });
    clock.advance(4 * minute);
    tracker.stop();
    const segments = tracker.segments();
    expect(segments).toHaveLength(1);
    expect(segments[0]?.billedMs).toBe(7 * minute);
    expect(segments[0]?.entryIds).toHaveLength(2);
    tracker.close();
    const reopened = openTracker({ journalPath, clock, idle: new FakeIdle(clock) });
    trackers.push(reopened);
    expect(reopened.recovered).toEqual([]);
    expect(reopened.segments()).toEqual(segments);
  });
});

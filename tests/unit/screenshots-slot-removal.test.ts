import { afterEach, describe, expect, it } from 'vitest';
import { billedOfSegments } from '../../shared/time/amounts.ts';
import { slotMs } from '../../shared/time/slots.ts';
import { readJournal } from '../../src-main/tracker/journal.ts';
import { applyRecord, emptyLedger } from '../../src-main/tracker/ledger.ts';
import { deriveSegments } from '../../src-main/tracker/segments.ts';
import {
  openTracker,
  type Tracker,
  type TrackerEvent,
} from '../../src-main/tracker/tracker-service.ts';
import { FakeClock, FakeIdle, minute, second, tempJournal } from '../support/tracker-fakes.ts';

const nine = Date.UTC(2026, 2, 2, 9, 0); // Monday 2 March 2026
const hour = 60 * minute;

let trackers: Tracker[] = [];
afterEach(() => {
  for (const tracker of trackers) tracker.close();
  trackers = [];
});

function setup(journalPath = tempJournal(), wall = nine) {
  const clock = new FakeClock(wall);
  const tracker = openTracker({
    journalPath,
    clock,
    idle: new FakeIdle(clock).inputDuring(0, Infinity),
    tickMs: 5 * second,
  });
  trackers.push(tracker);
  const events: TrackerEvent[] = [];
  tracker.on((event) => events.push(event));
  return { clock, tracker, journalPath, events };
}

const brief = (tracker: Tracker) =>
  tracker.segments().map((s) => [(s.start - nine) / minute, s.billedMs / minute, s.removed]);

describe('tracker: removing a slot (its screenshot was deleted)', () => {
  it('zeroes the slot for good, journals it once, and survives a reopen', () => {
    const { clock, tracker, journalPath, events } = setup();
    tracker.start({ contractId: 'c1', screenshotsPerSlot: 2 });
    clock.advance(25 * minute);
    tracker.stop();
    tracker.removeSlot('c1', nine + slotMs + 3 * minute); // any instant inside the slot
    tracker.removeSlot('c1', nine + slotMs); // again: nothing more happens
    expect(brief(tracker)).toEqual([
      [0, 10, false],
      [10, 0, true],
      [20, 5, false],
    ]);
    const removed = tracker.segments()[1];
    // What was tracked stays visible as such; only the billing goes.
    expect(removed).toMatchObject({ trackedMinutes: 10, activity: 100, removed: true });
    expect(billedOfSegments(tracker.segments())).toBe(15 * minute);
    expect(events.filter((e) => e.type === 'slot-removed')).toEqual([
      { type: 'slot-removed', contractId: 'c1', slot: nine + slotMs },
    ]);
    const records = readJournal(journalPath).records.filter((r) => r.t === 'remove');
    expect(records).toEqual([{ t: 'remove', contract: 'c1', slot: nine + slotMs }]);
    expect(tracker.isSlotRemoved('c1', nine + slotMs + 9 * minute)).toBe(true);
    expect(tracker.isSlotRemoved('c2', nine + slotMs)).toBe(false);

    tracker.close();
    trackers = [];
    const reopened = setup(journalPath).tracker;
    expect(brief(reopened)).toEqual([
      [0, 10, false],
      [10, 0, true],
      [20, 5, false],
    ]);
  });

  it('removes the running slot too: time still being tracked in it is not billed', () => {
    const { clock, tracker } = setup();
    tracker.start({ contractId: 'c1', screenshotsPerSlot: 1 });
    clock.advance(4 * minute);
    tracker.removeSlot('c1', nine);
    clock.advance(8 * minute);
    expect(tracker.status()?.billedMs).toBe(2 * minute);
    tracker.stop();
    expect(brief(tracker)).toEqual([
      [0, 0, true],
      [10, 2, false],
    ]);
  });

  it('leaves other contracts’ time in the same slot alone', () => {
    const { clock, tracker } = setup();
    tracker.start({ contractId: 'c1' });
    clock.advance(4 * minute);
    tracker.switchTo({ contractId: 'c2' });
    clock.advance(4 * minute);
    tracker.stop();
    tracker.removeSlot('c1', nine);
    expect(tracker.segments().map((s) => [s.contractId, s.billedMs / minute, s.removed])).toEqual([
      ['c1', 0, true],
      ['c2', 4, false],
    ]);
  });

  it('takes removed time out of the weekly limit, so the limit is reached later', () => {
    const { clock, tracker, events } = setup();
    tracker.start({ contractId: 'c1', weeklyLimitMs: hour });
    clock.advance(20 * minute);
    tracker.removeSlot('c1', nine); // 10 of the 20 minutes no longer count
    clock.advance(60 * minute);
    const stop = events.find((e) => e.type === 'stopped');
    expect(stop).toMatchObject({ reason: 'weekly-limit', at: nine + 70 * minute });
    expect(billedOfSegments(tracker.segments())).toBe(hour);
    // Starting again is refused while the counted time is at the limit...
    expect(() => tracker.start({ contractId: 'c1', weeklyLimitMs: hour })).toThrow(/limit/);
    // ...and allowed once another slot's screenshot is deleted.
    tracker.removeSlot('c1', nine + 60 * minute);
    expect(() => tracker.start({ contractId: 'c1', weeklyLimitMs: hour })).not.toThrow();
  });

  it('replays as a pure fold: removal applies whether it comes before or after the slot’s time', () => {
    const state = emptyLedger();
    applyRecord(state, { t: 'remove', contract: 'c1', slot: nine });
    applyRecord(state, {
      t: 'start',
      entry: 'e1',
      contract: 'c1',
      memo: '',
      at: nine,
      weeklyLimitMs: null,
      shots: 1,
    });
    applyRecord(state, { t: 'tick', entry: 'e1', at: nine + 5 * minute, input: nine });
    applyRecord(state, { t: 'stop', entry: 'e1', at: nine + 5 * minute, reason: 'user' });
    expect(state.entries.get('e1')?.screenshotsPerSlot).toBe(1);
    expect(deriveSegments(state).map((s) => [s.billedMs, s.removed])).toEqual([[0, true]]);
  });

  it('refuses screenshots per slot outside 0–3 before writing anything', () => {
    const { tracker, journalPath } = setup();
    expect(() => tracker.start({ contractId: 'c1', screenshotsPerSlot: 4 })).toThrow(RangeError);
    expect(tracker.status()).toBeNull();
    expect(readJournal(journalPath).records).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { slotMs } from '../../shared/time/slots.ts';
import { createScreenshotScheduler, type Beat } from '../../src-main/screenshots/scheduler.ts';
import { openTracker, type Tracker } from '../../src-main/tracker/tracker-service.ts';
import { FakeClock, FakeIdle, minute, second, tempJournal } from '../support/tracker-fakes.ts';

const nine = Date.UTC(2026, 2, 2, 9, 0); // Monday 2 March 2026, a slot boundary

/** Random numbers the test chooses, in order. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => {
    const value = values[i++ % values.length];
    if (value === undefined) throw new Error('empty sequence');
    return value;
  };
}

let trackers: Tracker[] = [];
afterEach(() => {
  for (const tracker of trackers) tracker.close();
  trackers = [];
});

/**
 * The real tracker on a fake clock, with the scheduler listening to its heartbeats as the
 * screenshot service does; returns the instants at which captures were asked for.
 */
function trackedDay(random: () => number, taken: (contractId: string, slot: number) => number) {
  const clock = new FakeClock(nine);
  const tracker = openTracker({
    journalPath: tempJournal(),
    clock,
    idle: new FakeIdle(clock).inputDuring(0, Infinity),
    tickMs: 5 * second,
  });
  trackers.push(tracker);
  const scheduler = createScreenshotScheduler({ random, momentsTaken: taken });
  const captures: { contractId: string; at: number }[] = [];
  tracker.on((event) => {
    if (event.type !== 'tick') return;
    const beat: Beat = {
      contractId: event.contractId,
      at: event.at,
      screenshotsPerSlot: event.screenshotsPerSlot,
    };
    if (scheduler.due(beat)) {
      scheduler.taken(beat);
      captures.push({ contractId: beat.contractId, at: beat.at });
    }
  });
  return { clock, tracker, scheduler, captures };
}

describe('screenshots: scheduler', () => {
  it('draws N moments per slot, one in each part of it, and captures at the first heartbeat after each', () => {
    const { clock, tracker, scheduler, captures } = trackedDay(sequence(0.5, 0.25, 0.9), () => 0);
    tracker.start({ contractId: 'c1', screenshotsPerSlot: 3 });
    clock.advance(5 * second);
    // Planned at the first heartbeat (09:00:05) over what is left of the slot before its last
    // 10 s: 585 s in three parts of 195 s, one moment in each, at 0.5, 0.25 and 0.9 of it.
    const from = nine + 5 * second;
    const part = (slotMs - 10 * second - 5 * second) / 3;
    const moments = [0.5, 1.25, 2.9].map((k) => Math.floor(from + part * k));
    expect(scheduler.planned('c1', from)).toEqual(moments);

    clock.advance(10 * minute);
    // Each capture is on the tracker's 5 s grid, at the first beat at or after its moment.
    expect(captures.map((c) => c.at)).toEqual(moments.map((m) => Math.ceil(m / 5_000) * 5_000));
    expect(captures.every((c) => c.contractId === 'c1')).toBe(true);
    // The next slot got its own three.
    clock.advance(10 * minute);
    expect(captures.filter((c) => c.at >= nine + slotMs && c.at < nine + 2 * slotMs)).toHaveLength(
      3,
    );
  });

  it('takes none with 0 per slot, and none for a contract without the setting', () => {
    const { clock, tracker, captures } = trackedDay(sequence(0.1), () => 0);
    tracker.start({ contractId: 'c1' });
    clock.advance(25 * minute);
    tracker.switchTo({ contractId: 'c2', screenshotsPerSlot: 0 });
    clock.advance(25 * minute);
    expect(captures).toEqual([]);
  });

  it('continues a slot across stop and start instead of drawing N more, and counts what a previous run took', () => {
    const { clock, tracker, captures } = trackedDay(sequence(0.9), (contractId, slot) =>
      // A previous run of the app already took one screenshot in the 09:10 slot.
      contractId === 'c1' && slot === nine + slotMs ? 1 : 0,
    );
    tracker.start({ contractId: 'c1', screenshotsPerSlot: 1 });
    clock.advance(2 * minute);
    tracker.stop();
    clock.advance(minute);
    tracker.start({ contractId: 'c1', screenshotsPerSlot: 1 });
    clock.advance(7 * minute);
    // 09:00 slot: one moment, drawn at 09:00:05 at 0.9 of the rest, taken after the restart.
    expect(captures.filter((c) => c.at < nine + slotMs)).toHaveLength(1);
    clock.advance(10 * minute);
    // 09:10 slot: its one screenshot exists already.
    expect(captures.filter((c) => c.at >= nine + slotMs && c.at < nine + 2 * slotMs)).toEqual([]);
  });

  it('gives an entry started late in a slot its moments in what is left, and none in its last 10 s', () => {
    const scheduler = createScreenshotScheduler({ random: () => 0.99, momentsTaken: () => 0 });
    const late: Beat = { contractId: 'c1', at: nine + 9 * minute, screenshotsPerSlot: 2 };
    expect(scheduler.due(late)).toBe(false);
    const [first, second] = scheduler.planned('c1', late.at);
    expect(first).toBeGreaterThanOrEqual(late.at);
    expect(second).toBeLessThan(nine + slotMs - 10_000);
    const last: Beat = { contractId: 'c2', at: nine + slotMs - 5_000, screenshotsPerSlot: 3 };
    expect(scheduler.due(last)).toBe(false);
    expect(scheduler.planned('c2', last.at)).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import {
  openTracker,
  type Tracker,
  type TrackerEvent,
} from '../../src-main/tracker/tracker-service.ts';
import { FakeClock, FakeIdle, minute, tempJournal } from '../support/tracker-fakes.ts';

const monday = Date.UTC(2026, 2, 2, 9, 0);
const hour = 60 * minute;

let trackers: Tracker[] = [];
afterEach(() => {
  for (const tracker of trackers) tracker.close();
  trackers = [];
});

function setup(tickMs: number) {
  const clock = new FakeClock(monday);
  const tracker = openTracker({
    journalPath: tempJournal(),
    clock,
    idle: new FakeIdle(clock).inputDuring(0, Infinity),
    tickMs,
    limitWarningMs: hour,
  });
  trackers.push(tracker);
  const events: TrackerEvent[] = [];
  tracker.on((event) => events.push(event));
  const billed = (contractId: string) =>
    tracker
      .segments()
      .filter((s) => s.contractId === contractId)
      .reduce((total, s) => total + s.billedMs, 0);
  return { clock, tracker, events, billed };
}

describe('tracker: weekly hour limit', () => {
  it('warns once with an hour left and stops exactly at the limit, between ticks', () => {
    // 7 s ticks do not divide 2 h: the limit falls between two heartbeats.
    const { clock, tracker, events, billed } = setup(7_000);
    tracker.start({ contractId: 'c1', weeklyLimitMs: 2 * hour });
    clock.advance(59 * minute);
    expect(events.filter((e) => e.type === 'limit-warning')).toEqual([]);
    clock.advance(2 * minute);
    const warnings = events.filter((e) => e.type === 'limit-warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ contractId: 'c1' });
    const remaining = (warnings[0] as { remainingMs: number }).remainingMs;
    expect(remaining).toBeLessThanOrEqual(hour);
    expect(remaining).toBeGreaterThan(hour - 7_000);
    clock.advance(2 * hour);
    expect(events.filter((e) => e.type === 'limit-warning')).toHaveLength(1);
    expect(events.at(-1)).toEqual({
      type: 'stopped',
      entryId: expect.any(String) as string,
      contractId: 'c1',
      at: monday + 2 * hour,
      reason: 'weekly-limit',
    });
    expect(billed('c1')).toBe(2 * hour);
    expect(tracker.status()).toBeNull();
    expect(() => tracker.start({ contractId: 'c1', weeklyLimitMs: 2 * hour })).toThrow(/limit/);
    // Other contracts are not affected.
    expect(() => tracker.start({ contractId: 'c2', weeklyLimitMs: 2 * hour })).not.toThrow();
  });

  it('counts earlier entries of the same week, and starts afresh the next Monday', () => {
    const { clock, tracker, events, billed } = setup(5_000);
    tracker.start({ contractId: 'c1', weeklyLimitMs: 2 * hour });
    clock.advance(90 * minute);
    tracker.stop();
    clock.advance(3 * hour);
    tracker.start({ contractId: 'c1', weeklyLimitMs: 2 * hour });
    expect(events.filter((e) => e.type === 'limit-warning')).toHaveLength(1); // at 1 h of 1.5
    clock.advance(5_000);
    expect(events.filter((e) => e.type === 'limit-warning').at(1)).toEqual({
      type: 'limit-warning',
      contractId: 'c1',
      remainingMs: 30 * minute - 5_000,
    });
    clock.advance(hour);
    expect(events.at(-1)).toMatchObject({ type: 'stopped', reason: 'weekly-limit' });
    expect(billed('c1')).toBe(2 * hour);

    clock.advance(7 * 24 * hour);
    expect(() => tracker.start({ contractId: 'c1', weeklyLimitMs: 2 * hour })).not.toThrow();
    clock.advance(10 * minute);
    tracker.stop();
    expect(billed('c1')).toBe(2 * hour + 10 * minute);
  });

  it('idle time waiting for an answer does not count towards the limit', () => {
    const clock = new FakeClock(monday);
    const tracker = openTracker({
      journalPath: tempJournal(),
      clock,
      idle: new FakeIdle(clock).inputDuring(0, 50 * minute),
      idleThresholdMs: 5 * minute,
    });
    trackers.push(tracker);
    tracker.start({ contractId: 'c1', weeklyLimitMs: hour });
    clock.advance(90 * minute);
    expect(tracker.status()).toMatchObject({ idle: true });
    expect(tracker.status()!.billedMs).toBe(50 * minute - 999);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createPowerEventHub } from '../../src-main/tracker/capabilities.ts';
import {
  openTracker,
  type Tracker,
  type TrackerEvent,
} from '../../src-main/tracker/tracker-service.ts';
import { FakeClock, FakeIdle, minute, second, tempJournal } from '../support/tracker-fakes.ts';

const t0 = Date.UTC(2026, 2, 2, 9, 0);
const hour = 60 * minute;

let trackers: Tracker[] = [];
afterEach(() => {
  for (const tracker of trackers) tracker.close();
  trackers = [];
});

function setup(wall = t0) {
  const clock = new FakeClock(wall);
  const power = createPowerEventHub();
  const tracker = openTracker({
    journalPath: tempJournal(),
    clock,
    idle: new FakeIdle(clock).inputDuring(0, Infinity),
    power,
    tickMs: 5 * second,
  });
  trackers.push(tracker);
  const events: TrackerEvent[] = [];
  tracker.on((event) => events.push(event));
  tracker.start({ contractId: 'c1' });
  const billed = () => tracker.segments().reduce((total, s) => total + s.billedMs, 0);
  const stops = () =>
    events.flatMap((e) => (e.type === 'stopped' ? [[e.reason, e.at - wall]] : []));
  return { clock, power, tracker, events, billed, stops };
}

describe('tracker: sleep, lock and shutdown', () => {
  for (const event of ['suspend', 'lock-screen', 'shutdown'] as const) {
    it(`${event} stops the clock at that moment`, () => {
      const { clock, power, tracker, billed, stops } = setup();
      clock.advance(7 * minute + 2_345);
      power.emit(event);
      expect(tracker.status()).toBeNull();
      expect(stops()).toEqual([[event, 7 * minute + 2_345]]);
      // Time asleep or locked is never billed, whatever happens on wake.
      clock.sleepWithoutEvent(hour);
      power.emit(event === 'lock-screen' ? 'unlock-screen' : 'resume');
      clock.advance(hour);
      expect(billed()).toBe(7 * minute + 2_345);
      expect(clock.pendingTimers).toBe(0);
    });
  }

  it('a missed suspend is caught on resume and stops at the last heartbeat, not at wake-up', () => {
    const { clock, power, billed, stops } = setup();
    clock.advance(7 * minute + 3 * second); // last heartbeat 09:07:00
    clock.sleepWithoutEvent(hour);
    power.emit('resume');
    expect(stops()).toEqual([['suspend', 7 * minute]]);
    expect(billed()).toBe(7 * minute);
  });

  it('a missed lock is caught on unlock the same way', () => {
    const { clock, power, stops } = setup();
    clock.advance(4 * minute + 1 * second);
    power.emit('unlock-screen');
    expect(stops()).toEqual([['lock-screen', 4 * minute]]);
  });

  it('a sleep with no power event at all (monotonic clock stood still) stops at the last heartbeat', () => {
    const { clock, events, billed, stops } = setup();
    clock.advance(7 * minute + 3 * second);
    clock.sleepWithoutEvent(hour);
    clock.advance(5 * second);
    expect(stops()).toEqual([['clock-jump', 7 * minute]]);
    expect(events).toContainEqual({ type: 'clock-jump', driftMs: hour, stopped: true });
    expect(billed()).toBe(7 * minute);
  });

  it('a frozen process (monotonic gap far beyond a tick) stops at the last heartbeat', () => {
    const { clock, billed, stops } = setup();
    clock.advance(3 * minute + 1 * second);
    clock.freeze(hour);
    expect(stops()).toEqual([['gap', 3 * minute]]);
    expect(billed()).toBe(3 * minute);
  });
});

describe('tracker: clock changes', () => {
  it('a wall clock set back mid-entry corrupts neither durations nor slots', () => {
    const { clock, tracker, events, billed } = setup();
    clock.advance(5 * minute);
    clock.setWall(clock.wall - hour);
    clock.advance(10 * minute);
    tracker.stop();
    expect(billed()).toBe(15 * minute);
    expect(events).toContainEqual({ type: 'clock-jump', driftMs: -hour, stopped: false });
    // The entry stays on its own time line: 09:00–09:15, nothing at 08:xx.
    expect(
      tracker.segments().map((s) => [new Date(s.start).toISOString().slice(11, 16), s.billedMs]),
    ).toEqual([
      ['09:00', 10 * minute],
      ['09:10', 5 * minute],
    ]);
  });

  it('small disagreements between the clocks (NTP slew, timer jitter) change nothing', () => {
    const { clock, tracker, events, billed } = setup();
    for (let i = 0; i < 10; i++) {
      clock.advance(1 * minute);
      clock.setWall(clock.wall + 300);
    }
    tracker.stop();
    expect(events.some((e) => e.type === 'clock-jump')).toBe(false);
    expect(billed()).toBe(10 * minute);
  });

  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    hour: '2-digit',
    minute: '2-digit',
  });
  for (const [name, switchAt, localStart, localEnd] of [
    ['spring forward', Date.UTC(2026, 2, 29, 1, 0), '01:55', '03:15'],
    ['fall back', Date.UTC(2026, 9, 25, 1, 0), '02:55', '02:15'],
  ] as const) {
    it(`DST (${name} in Berlin) changes nothing: instants are UTC, durations monotonic`, () => {
      const start = switchAt - 5 * minute;
      const { clock, tracker, billed } = setup(start);
      clock.advance(20 * minute);
      tracker.stop();
      // The local clock jumps across the switch…
      expect([local.format(start), local.format(start + 20 * minute)]).toEqual([
        localStart,
        localEnd,
      ]);
      // …the tracked time does not.
      expect(billed()).toBe(20 * minute);
      expect(tracker.segments().map((s) => [s.start - start, s.billedMs])).toEqual([
        [-5 * minute, 5 * minute],
        [5 * minute, 10 * minute],
        [15 * minute, 5 * minute],
      ]);
    });
  }
});

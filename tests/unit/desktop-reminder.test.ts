import { describe, expect, it } from 'vitest';
import {
  createNoTimerReminder,
  type NoTimerReminderOptions,
} from '../../src-main/desktop/no-timer-reminder.ts';
import { unavailableIdleSource } from '../../src-main/tracker/capabilities.ts';
import { FakeClock, FakeIdle, minute } from '../support/tracker-fakes.ts';

const t0 = Date.UTC(2026, 2, 2, 9, 0);

function setup(script: (idle: FakeIdle) => void, options: Partial<NoTimerReminderOptions> = {}) {
  const clock = new FakeClock(t0);
  const idle = new FakeIdle(clock);
  script(idle);
  const reminders: number[] = [];
  const reminder = createNoTimerReminder({
    clock,
    idle,
    onRemind: (activeMs) => reminders.push(activeMs),
    ...options,
  });
  return { clock, reminder, reminders };
}

describe('no-timer reminder', () => {
  it('fires once after 10 minutes of activity without a timer, and not again for that stretch', () => {
    const { clock, reminder, reminders } = setup((idle) => idle.inputDuring(0, Infinity));
    reminder.setTracking('stopped');
    clock.advance(9 * minute);
    expect(reminders).toEqual([]);
    clock.advance(1.5 * minute);
    // Sampled every 30 s: the first sample at or after ten minutes of work.
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toBeGreaterThanOrEqual(10 * minute);
    expect(reminders[0]).toBeLessThan(10.5 * minute);
    expect(reminder.due).toBe(true);
    clock.advance(60 * minute);
    expect(reminders).toHaveLength(1);
  });

  it('counts activity, not time: idle time before the work does not bring the reminder closer', () => {
    // Away for an hour, then typing from 60:00.
    const { clock, reminder, reminders } = setup((idle) => idle.inputDuring(60 * minute, Infinity));
    reminder.setTracking('stopped');
    clock.advance(69 * minute);
    expect(reminders).toEqual([]);
    clock.advance(1.5 * minute);
    expect(reminders).toHaveLength(1);
  });

  it('a break of five minutes ends the stretch: short stretches never add up to a reminder', () => {
    const { clock, reminder, reminders } = setup((idle) => {
      // 8 minutes on, 6 off, 8 on, 6 off, …
      for (let at = 0; at < 120 * minute; at += 14 * minute) idle.inputDuring(at, at + 8 * minute);
    });
    reminder.setTracking('stopped');
    clock.advance(120 * minute);
    expect(reminders).toEqual([]);
  });

  it('after a break a new stretch of work reminds again', () => {
    const { clock, reminder, reminders } = setup((idle) =>
      idle.inputDuring(0, 15 * minute).inputDuring(25 * minute, Infinity),
    );
    reminder.setTracking('stopped');
    clock.advance(24 * minute);
    expect(reminders).toHaveLength(1);
    expect(reminder.due).toBe(false); // the break answered it
    clock.advance(12 * minute);
    expect(reminders).toHaveLength(2);
  });

  it('stays silent while a timer runs or nobody is signed in, and starts counting afresh after', () => {
    const { clock, reminder, reminders } = setup((idle) => idle.inputDuring(0, Infinity));
    reminder.setTracking('running');
    expect(reminder.watching).toBe(false);
    clock.advance(30 * minute);
    reminder.setTracking('signed-out');
    clock.advance(30 * minute);
    expect(reminders).toEqual([]);
    // The timer stops at 60:00 and the work goes on: ten more minutes, not zero.
    reminder.setTracking('stopped');
    clock.advance(9.5 * minute);
    expect(reminders).toEqual([]);
    clock.advance(1 * minute);
    expect(reminders).toHaveLength(1);
    // A timer started answers the reminder.
    reminder.setTracking('running');
    expect(reminder.due).toBe(false);
  });

  it('snoozes: nothing for the snooze, then once more if the work went on', () => {
    const { clock, reminder, reminders } = setup((idle) => idle.inputDuring(0, Infinity));
    reminder.setTracking('stopped');
    clock.advance(11 * minute);
    expect(reminders).toHaveLength(1);
    reminder.snooze(60 * minute);
    expect(reminder.due).toBe(false);
    clock.advance(59 * minute);
    expect(reminders).toHaveLength(1);
    clock.advance(1 * minute);
    expect(reminders).toHaveLength(2);
    expect(reminder.due).toBe(true);
  });

  it('never fires where the idle time cannot be read, or when turned off', () => {
    const clock = new FakeClock(t0);
    const onRemind = () => {
      throw new Error('must not remind');
    };
    const blind = createNoTimerReminder({ clock, idle: unavailableIdleSource, onRemind });
    blind.setTracking('stopped');
    const off = createNoTimerReminder({
      clock,
      idle: new FakeIdle(clock).inputDuring(0, Infinity),
      afterMs: 0,
      onRemind,
    });
    off.setTracking('stopped');
    expect([blind.watching, off.watching]).toEqual([false, false]);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(120 * minute);
  });

  it('samples only while it watches, with one timer however often it is told', () => {
    const { clock, reminder } = setup((idle) => idle.inputDuring(0, Infinity));
    reminder.setTracking('stopped');
    reminder.setTracking('stopped');
    expect(clock.pendingTimers).toBe(1);
    reminder.setTracking('running');
    expect(clock.pendingTimers).toBe(0);
    reminder.setTracking('stopped');
    reminder.dispose();
    expect(clock.pendingTimers).toBe(0);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, IdleSource } from '../../src-main/tracker/capabilities.ts';

export const second = 1_000;
export const minute = 60_000;

interface Timer {
  every: number;
  next: number;
  task: () => void;
}

/**
 * A clock the test moves by hand. `advance` moves wall and monotonic time together and fires
 * the tracker's timer at each due moment, as the real event loop would.
 */
export class FakeClock implements Clock {
  wall: number;
  mono = 0;
  private timers = new Set<Timer>();

  constructor(wall: number) {
    this.wall = wall;
  }

  wallNow = (): number => this.wall;
  monoNow = (): number => this.mono;
  every = (ms: number, task: () => void): (() => void) => {
    const timer: Timer = { every: ms, next: this.mono + ms, task };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  };

  advance(ms: number): void {
    const target = this.mono + ms;
    for (;;) {
      let due: Timer | null = null;
      for (const timer of this.timers)
        if (timer.next <= target && (!due || timer.next < due.next)) due = timer;
      if (!due) break;
      this.wall += due.next - this.mono;
      this.mono = due.next;
      due.next += due.every;
      due.task();
    }
    this.wall += target - this.mono;
    this.mono = target;
  }

  /** The user (or NTP) sets the wall clock; monotonic time does not move. */
  setWall(wall: number): void {
    this.wall = wall;
  }

  /** Suspend as Linux and macOS see it: wall time passes, the monotonic clock stands still. */
  sleepWithoutEvent(ms: number): void {
    this.wall += ms;
  }

  /** The process is frozen for `ms` (both clocks move, no timer fires), then its timer fires once. */
  freeze(ms: number): void {
    this.wall += ms;
    this.mono += ms;
    for (const timer of this.timers) timer.next = this.mono;
    this.advance(0);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }
}

/**
 * System idle time scripted as periods of input (monotonic ms, [from, to)): inside one the user
 * is typing (idle 0); after it, idle counts from its end, in whole seconds as Electron reports.
 */
export class FakeIdle implements IdleSource {
  private periods: [number, number][] = [];
  private clock: FakeClock;

  constructor(clock: FakeClock) {
    this.clock = clock;
  }

  inputDuring(from: number, to: number): this {
    this.periods.push([from, to]);
    return this;
  }

  idleSeconds = (): number => {
    const now = this.clock.mono;
    let lastInput = -Infinity;
    for (const [from, to] of this.periods) {
      if (now >= from && now < to) return 0;
      if (to <= now) lastInput = Math.max(lastInput, to - 1);
    }
    // No input yet in this test: idle since long before it began.
    if (lastInput === -Infinity) return 24 * 3600;
    return Math.floor((now - lastInput) / 1000);
  };
}

export function tempJournal(): string {
  return join(mkdtempSync(join(tmpdir(), 'megilance-tracker-')), 'journal.jsonl');
}

import type { Clock, IdleSource } from '../tracker/capabilities.ts';

/**
 * "Working without a timer?" While someone is signed in and no timer runs, the system idle
 * time is sampled; once the user has been active for `afterMs` without a break, the reminder
 * fires, once for that stretch of work. A break (no input for `breakMs`, the tracker's idle
 * threshold) or a started timer ends the stretch; a snooze silences it for a while, after
 * which it fires again if the work went on.
 *
 * Where the system idle time cannot be read (the browser host) it never fires: it would have
 * to guess, and a reminder that nags an idle machine teaches people to ignore it.
 */
export type TrackingState = 'running' | 'stopped' | 'signed-out';

export interface NoTimerReminderOptions {
  clock: Clock;
  idle: IdleSource;
  /** Activity without a timer before the reminder. Default 10 minutes; 0 turns it off. */
  afterMs?: number;
  /** Input-free time that ends a stretch of activity. Default 5 minutes. */
  breakMs?: number;
  /** How often the idle time is read while watching. Default 30 s. */
  sampleMs?: number;
  /** Called when the reminder fires, with how long the user has been active. */
  onRemind: (activeMs: number) => void;
}

export interface NoTimerReminder {
  /** Told on every tracker change; it watches only while someone is signed in and stopped. */
  setTracking(state: TrackingState): void;
  /** No reminder for `ms`; afterwards it fires again if the work went on. */
  snooze(ms: number): void;
  /** Fired and not yet answered (by a timer, a break or a snooze). */
  readonly due: boolean;
  readonly watching: boolean;
  dispose(): void;
}

export const defaultReminderAfterMs = 10 * 60_000;

export function createNoTimerReminder(options: NoTimerReminderOptions): NoTimerReminder {
  const { clock, idle } = options;
  const afterMs = options.afterMs ?? defaultReminderAfterMs;
  const breakMs = options.breakMs ?? 5 * 60_000;
  const sampleMs = options.sampleMs ?? 30_000;
  const enabled = afterMs > 0 && idle.available !== false;

  let cancelSampling: (() => void) | null = null;
  /** Monotonic instant of the first input of the current stretch of work. */
  let activeSince: number | null = null;
  let due = false;
  let snoozedUntil = -Infinity;

  const endStretch = () => {
    activeSince = null;
    due = false;
  };

  function sample(): void {
    const now = clock.monoNow();
    const idleMs = Math.max(0, idle.idleSeconds() * 1000);
    if (idleMs >= breakMs) {
      endStretch();
      return;
    }
    const lastInput = now - idleMs;
    activeSince ??= lastInput;
    // Up to the last input, not to now: a pause shorter than a break is not activity either.
    const activeMs = lastInput - activeSince;
    if (!due && now >= snoozedUntil && activeMs >= afterMs) {
      due = true;
      options.onRemind(activeMs);
    }
  }

  function stopWatching(): void {
    cancelSampling?.();
    cancelSampling = null;
    endStretch();
  }

  return {
    setTracking(state) {
      if (state !== 'stopped' || !enabled) {
        stopWatching();
        return;
      }
      cancelSampling ??= clock.every(sampleMs, sample);
    },
    snooze(ms) {
      snoozedUntil = clock.monoNow() + ms;
      due = false;
    },
    get due() {
      return due;
    },
    get watching() {
      return cancelSampling !== null;
    },
    dispose: stopWatching,
  };
}

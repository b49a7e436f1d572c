import { performance } from 'node:perf_hooks';

/**
 * The OS capabilities the tracker needs, as small interfaces: the Electron glue feeds them from
 * `powerMonitor`, tests inject fakes. Nothing here imports Electron.
 */
export interface Clock {
  /** Wall time, UTC epoch ms: used for instants (segment alignment, what the user sees). */
  wallNow(): number;
  /** Monotonic ms from an arbitrary origin: used for durations, immune to clock changes. */
  monoNow(): number;
  /** Runs `task` every `ms` until the returned function is called. */
  every(ms: number, task: () => void): () => void;
}

/** Seconds since the user last touched keyboard or mouse (Electron `powerMonitor.getSystemIdleTime()`). */
export interface IdleSource {
  idleSeconds(): number;
  /**
   * False when the host cannot read input idleness at all (the browser host). The tracker then
   * detects no idle stretches, and whoever shows segments must say "activity unavailable"
   * instead of the figures, which would otherwise claim full activity. Default true.
   */
  readonly available?: boolean;
}

/** The honest idle source of a host without system idle time: nothing is known. */
export const unavailableIdleSource: IdleSource = { available: false, idleSeconds: () => 0 };

/** The power events that stop the clock; names follow Electron's `powerMonitor` events. */
export type PowerEvent = 'suspend' | 'resume' | 'lock-screen' | 'unlock-screen' | 'shutdown';

export interface PowerEvents {
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: PowerEvent) => void): () => void;
}

/** A hub the glue pushes `powerMonitor` events into (and tests fire directly). */
export interface PowerEventHub extends PowerEvents {
  emit(event: PowerEvent): void;
}

export function createPowerEventHub(): PowerEventHub {
  const listeners = new Set<(event: PowerEvent) => void>();
  return {
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (event) => {
      for (const listener of [...listeners]) listener(event);
    },
  };
}

/** The real clock: `Date.now()` for instants, `performance.now()` for durations. */
export const systemClock: Clock = {
  wallNow: () => Date.now(),
  monoNow: () => performance.now(),
  every: (ms, task) => {
    const timer = setInterval(task, ms);
    return () => clearInterval(timer);
  },
};

import { slotMs, slotStart } from '../../shared/time/slots.ts';

/**
 * When to take screenshots: N moments drawn at random inside each 10-minute slot of tracked
 * time, so nobody can predict them. The scheduler follows the tracker's heartbeats (its time
 * line, its clock) and asks for a capture at the first beat at or after each moment; the
 * random source is injected, so tests know the moments in advance.
 */
export interface ScreenshotSchedulerOptions {
  random?: () => number;
  /**
   * Moments are drawn before the slot's last `guardMs`: a later moment could fall after the
   * slot's last heartbeat and be lost. Default 10 s (two tracker ticks).
   */
  guardMs?: number;
  /** How many moments of the contract's slot already have screenshots (after a restart). */
  momentsTaken(contractId: string, slot: number): number;
}

export interface Beat {
  contractId: string;
  /** The heartbeat's instant on the tracker's time line (UTC ms). */
  at: number;
  screenshotsPerSlot: number;
}

export interface ScreenshotScheduler {
  /**
   * Called on every heartbeat of a running entry; true when a capture is due now. The caller
   * reports back with `taken` (or leaves the moment due when it could not capture yet).
   */
  due(beat: Beat): boolean;
  /** The due moment was captured: the next one waits for its own time. */
  taken(beat: Beat): void;
  /** The moments still ahead in the contract's current slot (for tests and diagnostics). */
  planned(contractId: string, at: number): readonly number[];
}

export function createScreenshotScheduler(
  options: ScreenshotSchedulerOptions,
): ScreenshotScheduler {
  const random = options.random ?? Math.random;
  const guardMs = options.guardMs ?? 10_000;
  // One plan per contract and slot; an entry stopped and started again in the same slot (or a
  // switch back and forth) continues it instead of drawing N fresh moments.
  const plans = new Map<string, number[]>();
  const keyOf = (contractId: string, slot: number) => `${contractId}@${slot}`;

  function plan(beat: Beat): number[] {
    const slot = slotStart(beat.at);
    const key = keyOf(beat.contractId, slot);
    let moments = plans.get(key);
    if (!moments) {
      // Slots are over once the time line leaves them: forget their plans.
      for (const old of plans.keys()) if (!old.endsWith(`@${slot}`)) plans.delete(old);
      const wanted = beat.screenshotsPerSlot - options.momentsTaken(beat.contractId, slot);
      // Drawn over what is left of the slot (an entry started at :07 still gets its shots), one
      // in each of `wanted` equal parts of it: random, yet never three in the same few seconds.
      const from = beat.at;
      const part = (slot + slotMs - guardMs - from) / Math.max(1, wanted);
      moments = [];
      if (part > 0) {
        for (let i = 0; i < wanted; i++) moments.push(Math.floor(from + part * (i + random())));
      }
      plans.set(key, moments);
    }
    return moments;
  }

  return {
    due: (beat) => {
      if (beat.screenshotsPerSlot <= 0) return false;
      const next = plan(beat)[0];
      return next !== undefined && next <= beat.at;
    },
    taken: (beat) => {
      const moments = plan(beat);
      // One capture per beat: moments that fell between the same two beats still each get one.
      if (moments[0] !== undefined && moments[0] <= beat.at) moments.shift();
    },
    planned: (contractId, at) => plans.get(keyOf(contractId, slotStart(at))) ?? [],
  };
}

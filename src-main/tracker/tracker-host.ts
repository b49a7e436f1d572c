import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ProblemError, problemTypes } from '../../shared/api/problem.ts';
import { slotStart } from '../../shared/time/slots.ts';
import type {
  TrackerSegmentView,
  TrackerStartInput,
  TrackerStatusView,
} from '../../shared/ipc/tracker.ts';
import { silentLog, type Log } from '../log.ts';
import { unauthenticatedProblem } from '../problems.ts';
import type { Clock, IdleSource, PowerEvents } from './capabilities.ts';
import type { IdleAnswer } from './ledger.ts';
import {
  openTracker,
  TrackerError,
  type StartInput,
  type Tracker,
  type TrackerEvent,
} from './tracker-service.ts';

/**
 * The tracker of whoever is signed in. Each user has their own journal under
 * `<dataDir>/tracker/<profile>/<userId>.jsonl`, opened at sign-in and closed at sign-out, so one
 * person's time never lands in another's journal. A running entry stays open across sign-out
 * and restarts exactly as after a crash: the next open recovers it up to its last heartbeat.
 */
export interface TrackerHost {
  open(userId: string): void;
  /** Closes the journal; a running entry stays open and is recovered at the next open. */
  close(): void;
  /** The app quits: a running entry stops now (the user's own act), then the journal closes. */
  quit(): void;
  status(): TrackerStatusView;
  start(input: TrackerStartInput): TrackerStatusView;
  stop(): TrackerStatusView;
  switchTo(input: TrackerStartInput): TrackerStatusView;
  setMemo(memo: string): TrackerStatusView;
  answerIdle(stretchId: string, answer: IdleAnswer): TrackerStatusView;
  segments(from: number, to: number): TrackerSegmentView[];
  /** The last entry's start, as a start input (the start shortcut); null when signed out. */
  lastStart(): TrackerStartInput | null;
  /** Removes a slot's time for good (its screenshot was deleted). */
  removeSlot(contractId: string, slot: number): void;
  isSlotRemoved(contractId: string, slot: number): boolean;
  /** The slot's activity so far (percent), null where the host cannot read idleness. */
  slotActivity(contractId: string, slot: number): number | null;
  /** Events of whichever user's tracker is open; the subscription outlives sign-outs. */
  on(listener: (event: TrackerEvent) => void): () => void;
}

export interface TrackerHostOptions {
  dataDir: string;
  profile: string;
  clock: Clock;
  idle: IdleSource;
  power?: PowerEvents;
  /** Whether the host can capture the screen (shown to the UI); default false. */
  screenshotsAvailable?: boolean;
  log?: Log;
}

export function journalPathFor(dataDir: string, profile: string, userId: string): string {
  // User ids are server UUIDs; anything else must not become a path.
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(userId)) throw new Error(`Unusable user id: ${userId}`);
  return join(dataDir, 'tracker', profile, `${userId}.jsonl`);
}

function startInput(input: TrackerStartInput): StartInput {
  return {
    contractId: input.contractId,
    ...(input.memo === undefined ? {} : { memo: input.memo }),
    weeklyLimitMs: input.weeklyHourLimit ? input.weeklyHourLimit * 3_600_000 : null,
    screenshotsPerSlot: input.screenshotsPerSlot ?? 0,
    ...(input.contractTitle ? { contractTitle: input.contractTitle } : {}),
  };
}

export function createTrackerHost(options: TrackerHostOptions): TrackerHost {
  const log = options.log ?? silentLog;
  const activityAvailable = options.idle.available !== false;
  let current: { userId: string; tracker: Tracker } | null = null;
  let warnings: TrackerStatusView['limitWarnings'] = [];
  let lastAutoStop: TrackerStatusView['lastAutoStop'] = null;
  const listeners = new Set<(event: TrackerEvent) => void>();

  const onEvent = (event: TrackerEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        // A listener's failure (the screenshot scheduler) must never stop the tracker's tick.
        log.error(`tracker: a ${event.type} listener failed`, error);
      }
    }
    if (event.type === 'limit-warning') {
      warnings = [
        ...warnings.slice(-9),
        {
          contractId: event.contractId,
          remainingMs: event.remainingMs,
          at: options.clock.wallNow(),
        },
      ];
    } else if (event.type === 'stopped') {
      lastAutoStop =
        event.reason === 'user' || event.reason === 'switch'
          ? null
          : { contractId: event.contractId, reason: event.reason, at: event.at };
    } else if (event.type === 'started') {
      lastAutoStop = null;
    }
  };

  const tracker = (): Tracker => {
    if (!current) throw new ProblemError(unauthenticatedProblem('Sign in to track time.'));
    return current.tracker;
  };

  /** Tracker refusals become 409 problems the UI can show as they are. */
  const guarded = (task: () => void): TrackerStatusView => {
    try {
      task();
    } catch (error) {
      if (error instanceof TrackerError) {
        throw new ProblemError({
          type: problemTypes.conflict,
          title: 'Timer refused',
          status: 409,
          detail: error.message,
        });
      }
      throw error;
    }
    return status();
  };

  function status(): TrackerStatusView {
    const open = tracker();
    return {
      activityAvailable,
      screenshotsAvailable: options.screenshotsAvailable ?? false,
      running: open.status(),
      recovered: [...open.recovered],
      questions: open.pendingQuestions(),
      limitWarnings: warnings,
      lastAutoStop,
    };
  }

  function close(): void {
    current?.tracker.close();
    current = null;
    warnings = [];
    lastAutoStop = null;
  }

  return {
    open(userId) {
      if (current?.userId === userId) return;
      close();
      const journalPath = journalPathFor(options.dataDir, options.profile, userId);
      mkdirSync(join(journalPath, '..'), { recursive: true, mode: 0o700 });
      current = {
        userId,
        tracker: openTracker({
          journalPath,
          clock: options.clock,
          idle: options.idle,
          ...(options.power ? { power: options.power } : {}),
          log,
          onEvent,
        }),
      };
    },
    close,
    quit() {
      if (current?.tracker.status()) current.tracker.stop();
      close();
    },
    status,
    start: (input) => guarded(() => tracker().start(startInput(input))),
    stop: () => guarded(() => tracker().stop()),
    switchTo: (input) => guarded(() => tracker().switchTo(startInput(input))),
    setMemo: (memo) => guarded(() => tracker().setMemo(memo)),
    answerIdle: (stretchId, answer) => guarded(() => tracker().answerIdle(stretchId, answer)),
    lastStart: () => {
      const last = current?.tracker.lastStart() ?? null;
      if (!last) return null;
      return {
        contractId: last.contractId,
        ...(last.memo ? { memo: last.memo } : {}),
        weeklyHourLimit: last.weeklyLimitMs === null ? null : last.weeklyLimitMs / 3_600_000,
        screenshotsPerSlot: last.screenshotsPerSlot,
        ...(last.contractTitle ? { contractTitle: last.contractTitle } : {}),
      };
    },
    segments: (from, to) =>
      tracker()
        .segments()
        .filter((segment) => segment.end > from && segment.start < to)
        .map((segment) => ({
          id: segment.id,
          contractId: segment.contractId,
          start: segment.start,
          end: segment.end,
          memo: segment.memo,
          billedMs: segment.billedMs,
          idlePendingMs: segment.idlePendingMs,
          idleDiscardedMs: segment.idleDiscardedMs,
          trackedMinutes: segment.trackedMinutes,
          activeMinutes: activityAvailable ? segment.activeMinutes : null,
          activity: activityAvailable ? segment.activity : null,
          removed: segment.removed,
        })),
    removeSlot: (contractId, slot) => tracker().removeSlot(contractId, slot),
    isSlotRemoved: (contractId, slot) => tracker().isSlotRemoved(contractId, slot),
    slotActivity: (contractId, slot) => {
      if (!activityAvailable) return null;
      const start = slotStart(slot);
      const segment = tracker()
        .segments(start)
        .find((candidate) => candidate.contractId === contractId && candidate.start === start);
      return segment?.activity ?? 0;
    },
    on: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

import { randomUUID } from 'node:crypto';
import { slotMs, slotStart, weekStart } from '../../shared/time/slots.ts';
import { silentLog, type Log } from '../log.ts';
import type { Clock, IdleSource, PowerEvent, PowerEvents } from './capabilities.ts';
import { compactJournalIfLarge, type CompactionOptions } from './compaction.ts';
import { openJournal, readJournal, type Journal } from './journal.ts';
import {
  applyRecord,
  emptyLedger,
  isSlotRemoved,
  type EntryState,
  type IdleAnswer,
  type JournalRecord,
  type LedgerState,
  type StopReason,
} from './ledger.ts';
import { billedInWeek, deriveSegments, type Segment } from './segments.ts';

/**
 * The time tracker: plain Node, fed by the Clock / IdleSource / PowerEvents capabilities so the
 * Electron glue and the tests drive the same code.
 *
 * Time line: when an entry starts, the wall clock (UTC ms) is read once as an anchor; every
 * later instant of that entry is anchor + monotonic time elapsed. Durations are therefore always
 * monotonic, and DST never matters (everything is UTC). Each tick compares the wall and
 * monotonic deltas since the previous tick:
 * - wall clock moved back (user set the time back, NTP step): the entry keeps running on its
 *   anchored time line (durations and slots stay right) and a `clock-jump` event is emitted;
 *   the next entry anchors to the new wall time.
 * - wall clock moved forward more than the monotonic clock: either the time was set forward or
 *   the machine slept without a `suspend` event (the monotonic clock stops during suspend on
 *   Linux and macOS). The two cannot be told apart, so the entry stops at its last heartbeat:
 *   nothing unproven is billed and at most one tick is lost.
 * - monotonic clock moved far more than a tick (the process was frozen): stop at the last
 *   heartbeat, reason `gap`.
 */
export interface TrackerOptions {
  journalPath: string;
  clock: Clock;
  idle: IdleSource;
  power?: PowerEvents;
  /** Heartbeat interval. Default 5 s. */
  tickMs?: number;
  /** Input-free time after which a stretch counts as idle. Default 5 minutes. */
  idleThresholdMs?: number;
  /** How long before a weekly limit to warn. Default 1 hour. */
  limitWarningMs?: number;
  /** Wall/monotonic disagreement tolerated per tick before it counts as a clock jump. Default 2 s. */
  clockJumpToleranceMs?: number;
  /** A monotonic gap between ticks above this stops the entry. Default 3 ticks. */
  maxGapMs?: number;
  newId?: () => string;
  /** When and how much of the journal is compacted at open (compaction.ts). */
  compaction?: CompactionOptions;
  log?: Log;
  /** Subscribed before recovery runs, so it also receives `recovered` events (see `on`). */
  onEvent?: (event: TrackerEvent) => void;
}

export interface StartInput {
  contractId: string;
  memo?: string;
  /** For hourly contracts with a weekly limit; counted per UTC week (Monday 00:00). */
  weeklyLimitMs?: number | null;
  /** Screenshots per 10-minute slot (0–3), the contract's setting; default 0. */
  screenshotsPerSlot?: number;
  /** The contract's title, journaled so the tray and the start shortcut can name it. */
  contractTitle?: string;
}

/** What the last entry was started with: the start shortcut starts it again. */
export interface LastStart {
  contractId: string;
  contractTitle: string | null;
  memo: string;
  weeklyLimitMs: number | null;
  screenshotsPerSlot: number;
}

export interface IdleQuestion {
  stretchId: string;
  contractId: string;
  from: number;
  to: number;
  ms: number;
}

export interface RecoveredEntry {
  entryId: string;
  contractId: string;
  startedAt: number;
  /** The last heartbeat written before the interruption. */
  stoppedAt: number;
  billedMs: number;
}

export type TrackerEvent =
  | { type: 'started'; entryId: string; contractId: string; at: number }
  | { type: 'stopped'; entryId: string; contractId: string; at: number; reason: StopReason }
  | { type: 'recovered'; entry: RecoveredEntry }
  | { type: 'idle-question'; question: IdleQuestion }
  | { type: 'limit-warning'; contractId: string; remainingMs: number }
  | { type: 'clock-jump'; driftMs: number; stopped: boolean }
  /** A heartbeat of the running entry, on its time line (what the screenshot scheduler follows). */
  | {
      type: 'tick';
      entryId: string;
      contractId: string;
      at: number;
      screenshotsPerSlot: number;
    }
  | { type: 'slot-removed'; contractId: string; slot: number };

export interface TrackerStatus {
  entryId: string;
  contractId: string;
  memo: string;
  startedAt: number;
  billedMs: number;
  idle: boolean;
  screenshotsPerSlot: number;
}

export interface Tracker {
  /** Entries that were running when the previous process died, closed at their last heartbeat. */
  readonly recovered: readonly RecoveredEntry[];
  /** Journal lines that failed validation on open (a torn last write, or damage). */
  readonly skippedLines: number;
  status(): TrackerStatus | null;
  start(input: StartInput): string;
  stop(): void;
  /** Stops the running entry (if any) and starts another at the same instant. */
  switchTo(input: StartInput): string;
  setMemo(memo: string): void;
  /** One heartbeat; the clock's timer calls it, tests may too. */
  tick(): void;
  pendingQuestions(): IdleQuestion[];
  answerIdle(stretchId: string, answer: IdleAnswer): void;
  /** Removes a slot's time for good (its screenshot was deleted); repeating it changes nothing. */
  removeSlot(contractId: string, slot: number): void;
  isSlotRemoved(contractId: string, slot: number): boolean;
  /** With `since`, entries that ended before it are left out. */
  segments(since?: number): Segment[];
  /** The most recently started entry's start, running or not; null before the first one. */
  lastStart(): LastStart | null;
  on(listener: (event: TrackerEvent) => void): () => void;
  /** Stops the timer and closes the journal; a running entry stays open, as after a crash. */
  close(): void;
}

export class TrackerError extends Error {
  readonly code: 'already-running' | 'not-running' | 'weekly-limit-reached' | 'unknown-question';
  constructor(code: TrackerError['code'], message: string) {
    super(message);
    this.name = 'TrackerError';
    this.code = code;
  }
}

export function openTracker(options: TrackerOptions): Tracker {
  const { clock, idle } = options;
  const log = options.log ?? silentLog;
  const tickMs = options.tickMs ?? 5_000;
  const idleThresholdMs = options.idleThresholdMs ?? 5 * 60_000;
  const limitWarningMs = options.limitWarningMs ?? 60 * 60_000;
  const tolerance = options.clockJumpToleranceMs ?? 2_000;
  const maxGapMs = options.maxGapMs ?? 3 * tickMs;
  const newId = options.newId ?? randomUUID;

  const state: LedgerState = emptyLedger();
  const read = readJournal(options.journalPath);
  for (const record of read.records) applyRecord(state, record);
  if (read.skippedLines > 0) {
    log.warn(`tracker: skipped ${read.skippedLines} damaged journal line(s) (a torn write).`);
  }
  // Before the journal is opened for appending: compaction replaces the file.
  compactJournalIfLarge({
    journalPath: options.journalPath,
    records: read.records,
    state,
    now: clock.wallNow(),
    log,
    ...(options.compaction ? { options: options.compaction } : {}),
  });
  const journal: Journal = openJournal(options.journalPath);
  const listeners = new Set<(event: TrackerEvent) => void>();
  if (options.onEvent) listeners.add(options.onEvent);
  const emit = (event: TrackerEvent) => {
    for (const listener of [...listeners]) listener(event);
  };
  const commit = (record: JournalRecord) => {
    journal.append(record);
    applyRecord(state, record);
  };

  // Recovery: an entry still running in the journal was interrupted; close it at its last heartbeat.
  const recovered: RecoveredEntry[] = [];
  const interrupted = state.running === null ? undefined : state.entries.get(state.running);
  if (interrupted) {
    commit({ t: 'stop', entry: interrupted.id, at: interrupted.lastBeat, reason: 'recovered' });
    const entry: RecoveredEntry = {
      entryId: interrupted.id,
      contractId: interrupted.contractId,
      startedAt: interrupted.startedAt,
      stoppedAt: interrupted.lastBeat,
      billedMs: billedOf(interrupted),
    };
    recovered.push(entry);
    emit({ type: 'recovered', entry });
    log.info(`tracker: recovered an interrupted entry up to its last heartbeat.`);
  }

  // The running entry's anchors (this process only).
  let anchor: { wall: number; mono: number } | null = null;
  let last: { wall: number; mono: number } | null = null;
  let cancelTimer: (() => void) | null = null;
  const warned = new Set<string>();

  const running = (): EntryState | null =>
    state.running === null ? null : (state.entries.get(state.running) ?? null);
  const timeline = (mono: number): number => {
    if (!anchor) throw new Error('No anchor without a running entry.');
    return anchor.wall + Math.round(mono - anchor.mono);
  };

  /** Whether an interval's time counts for the entry's own contract (work, or idle kept). */
  function billedToEntry(stretch: string | null): boolean {
    return stretch === null || state.stretches.get(stretch)?.answer?.choice === 'keep';
  }

  /** The part of [from, to) outside the entry contract's removed slots. */
  function unremovedMs(contractId: string, from: number, to: number): number {
    let total = 0;
    for (let at = from; at < to;) {
      const end = Math.min(to, slotStart(at) + slotMs);
      if (!isSlotRemoved(state, contractId, slotStart(at))) total += end - at;
      at = end;
    }
    return total;
  }

  function billedOf(entry: EntryState): number {
    let total = 0;
    for (const interval of entry.intervals) {
      if (billedToEntry(interval.stretch)) {
        total += unremovedMs(entry.contractId, interval.from, interval.to);
      }
    }
    return total;
  }

  function questionOf(stretchId: string): IdleQuestion | null {
    const stretch = state.stretches.get(stretchId);
    if (!stretch || stretch.to === null || stretch.answer !== null) return null;
    const entry = state.entries.get(stretch.entryId);
    if (!entry) return null;
    return {
      stretchId,
      contractId: entry.contractId,
      from: stretch.from,
      to: stretch.to,
      ms: stretch.to - stretch.from,
    };
  }

  function stopEntry(entry: EntryState, at: number, reason: StopReason): void {
    const open = entry.openStretch;
    commit({ t: 'stop', entry: entry.id, at, reason });
    cancelTimer?.();
    cancelTimer = null;
    anchor = null;
    last = null;
    emit({
      type: 'stopped',
      entryId: entry.id,
      contractId: entry.contractId,
      at: entry.lastBeat,
      reason,
    });
    const question = open === null ? null : questionOf(open);
    if (question) emit({ type: 'idle-question', question });
  }

  /** Reads both clocks; stops the entry and returns null when they disagree or a gap shows. */
  function readClocks(entry: EntryState): { at: number } | null {
    if (!last) return null;
    const wall = clock.wallNow();
    const mono = clock.monoNow();
    const monoDelta = mono - last.mono;
    const drift = wall - last.wall - monoDelta;
    if (monoDelta > maxGapMs) {
      stopEntry(entry, entry.lastBeat, 'gap');
      return null;
    }
    if (drift > tolerance) {
      emit({ type: 'clock-jump', driftMs: drift, stopped: true });
      stopEntry(entry, entry.lastBeat, 'clock-jump');
      return null;
    }
    if (drift < -tolerance) emit({ type: 'clock-jump', driftMs: drift, stopped: false });
    last = { wall, mono };
    return { at: timeline(mono) };
  }

  function tick(): void {
    const entry = running();
    if (!entry) return;
    const now = readClocks(entry);
    if (!now) return;
    const idleMs = Math.max(0, idle.idleSeconds() * 1000);
    // Idle time comes in whole seconds (floored), so the last input lies in the second before
    // `now - idle`; take its earliest moment, so activity and billing never claim more than seen.
    const input = Math.max(0, Math.round(now.at - idleMs) - 999);
    commit({ t: 'tick', entry: entry.id, at: now.at, input });
    emit({
      type: 'tick',
      entryId: entry.id,
      contractId: entry.contractId,
      at: now.at,
      screenshotsPerSlot: entry.screenshotsPerSlot,
    });
    if (entry.openStretch === null && idleMs >= idleThresholdMs) {
      // The stretch began at the last input, not when the threshold was crossed.
      commit({ t: 'idle', entry: entry.id, stretch: newId(), from: input });
    } else if (entry.openStretch !== null && idleMs < idleThresholdMs) {
      const stretchId = entry.openStretch;
      commit({ t: 'back', entry: entry.id, stretch: stretchId, at: input });
      const question = questionOf(stretchId);
      if (question) emit({ type: 'idle-question', question });
    }
    checkLimit(entry);
  }

  function checkLimit(entry: EntryState): void {
    if (entry.weeklyLimitMs === null || state.running !== entry.id) return;
    const week = weekStart(entry.lastBeat);
    const used = billedInWeek(deriveSegments(state, week), entry.contractId, week);
    const remaining = entry.weeklyLimitMs - used;
    if (remaining <= 0) {
      stopEntry(entry, limitInstant(entry, -remaining), 'weekly-limit');
      return;
    }
    // Once per entry and week: a new start near the limit warns again.
    const key = `${entry.id}@${week}`;
    if (remaining <= limitWarningMs && !warned.has(key)) {
      warned.add(key);
      emit({ type: 'limit-warning', contractId: entry.contractId, remainingMs: remaining });
    }
  }

  /** The instant at which the entry's billed time reached the limit, `excess` ms ago in billed time. */
  function limitInstant(entry: EntryState, excess: number): number {
    let left = excess;
    for (let i = entry.intervals.length - 1; i >= 0; i--) {
      const interval = entry.intervals[i];
      if (!interval || !billedToEntry(interval.stretch)) continue;
      // Walk back slot by slot: time in a removed slot never counted towards the limit.
      for (let to = interval.to; to > interval.from;) {
        const from = Math.max(interval.from, slotStart(to - 1));
        if (!isSlotRemoved(state, entry.contractId, slotStart(from))) {
          if (left <= to - from) return to - left;
          left -= to - from;
        }
        to = from;
      }
    }
    return entry.startedAt;
  }

  function start(input: StartInput): string {
    if (running()) throw new TrackerError('already-running', 'A timer is already running.');
    const wall = clock.wallNow();
    const mono = clock.monoNow();
    const limit = input.weeklyLimitMs ?? null;
    if (limit !== null) {
      const week = weekStart(wall);
      const used = billedInWeek(deriveSegments(state, week), input.contractId, week);
      if (used >= limit) {
        throw new TrackerError(
          'weekly-limit-reached',
          'The weekly hour limit of this contract is reached.',
        );
      }
    }
    const shots = input.screenshotsPerSlot ?? 0;
    // The journal accepts 0–3 only: a record it would skip on replay must never be written.
    if (!Number.isInteger(shots) || shots < 0 || shots > 3) {
      throw new RangeError(`screenshotsPerSlot must be 0–3, not ${shots}`);
    }
    const entryId = newId();
    anchor = { wall, mono };
    last = { wall, mono };
    commit({
      t: 'start',
      entry: entryId,
      contract: input.contractId,
      memo: input.memo ?? '',
      at: wall,
      weeklyLimitMs: limit,
      shots,
      // Cut to what the journal accepts, so the start record is never skipped on replay.
      ...(input.contractTitle ? { title: input.contractTitle.slice(0, 200) } : {}),
    });
    cancelTimer = clock.every(tickMs, () => {
      try {
        tick();
      } catch (error) {
        log.error('tracker: a tick failed', error);
      }
    });
    emit({ type: 'started', entryId, contractId: input.contractId, at: wall });
    return entryId;
  }

  /** Records the present moment (if the clocks agree) and stops there. */
  function stopNow(entry: EntryState, reason: StopReason): void {
    tick();
    if (state.running === entry.id) stopEntry(entry, entry.lastBeat, reason);
  }

  const unsubscribePower = options.power?.subscribe((event: PowerEvent) => {
    const entry = running();
    if (!entry) return;
    try {
      if (event === 'suspend' || event === 'lock-screen' || event === 'shutdown') {
        stopNow(entry, event);
      } else {
        // Woken up with the timer still running: the suspend/lock event was missed, so the
        // last moment known active is the last heartbeat, not now.
        stopEntry(entry, entry.lastBeat, event === 'resume' ? 'suspend' : 'lock-screen');
      }
    } catch (error) {
      log.error(`tracker: handling ${event} failed`, error);
    }
  });

  return {
    recovered,
    skippedLines: read.skippedLines,
    status: () => {
      const entry = running();
      if (!entry) return null;
      return {
        entryId: entry.id,
        contractId: entry.contractId,
        memo: entry.memos.at(-1)?.memo ?? '',
        startedAt: entry.startedAt,
        billedMs: billedOf(entry),
        idle: entry.openStretch !== null,
        screenshotsPerSlot: entry.screenshotsPerSlot,
      };
    },
    start,
    stop: () => {
      const entry = running();
      if (!entry) throw new TrackerError('not-running', 'No timer is running.');
      stopNow(entry, 'user');
    },
    switchTo: (input) => {
      const entry = running();
      if (entry) stopNow(entry, 'switch');
      return start(input);
    },
    setMemo: (memo) => {
      const entry = running();
      if (!entry) throw new TrackerError('not-running', 'No timer is running.');
      tick();
      if (state.running === entry.id)
        commit({ t: 'memo', entry: entry.id, memo, at: entry.lastBeat });
    },
    tick,
    pendingQuestions: () =>
      [...state.stretches.keys()]
        .map(questionOf)
        .filter((question): question is IdleQuestion => question !== null),
    answerIdle: (stretchId, answer) => {
      if (!questionOf(stretchId)) {
        throw new TrackerError('unknown-question', 'There is no open idle question with this id.');
      }
      commit({
        t: 'answer',
        stretch: stretchId,
        choice: answer.choice,
        contract: answer.choice === 'reassign' ? answer.contractId : null,
      });
    },
    removeSlot: (contractId, slot) => {
      const start = slotStart(slot);
      if (isSlotRemoved(state, contractId, start)) return;
      commit({ t: 'remove', contract: contractId, slot: start });
      emit({ type: 'slot-removed', contractId, slot: start });
    },
    isSlotRemoved: (contractId, slot) => isSlotRemoved(state, contractId, slotStart(slot)),
    segments: (since) => deriveSegments(state, since),
    lastStart: () => {
      // Entries are kept in start order.
      const entry = [...state.entries.values()].at(-1);
      if (!entry) return null;
      return {
        contractId: entry.contractId,
        contractTitle: entry.contractTitle,
        // The memo in effect when it stopped: the shortcut continues where the user left off.
        memo: entry.memos.at(-1)?.memo ?? '',
        weeklyLimitMs: entry.weeklyLimitMs,
        screenshotsPerSlot: entry.screenshotsPerSlot,
      };
    },
    on: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      cancelTimer?.();
      cancelTimer = null;
      unsubscribePower?.();
      journal.close();
    },
  };
}

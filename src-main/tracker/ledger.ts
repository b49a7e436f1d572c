import { z } from 'zod';
import { minuteMs, slotMs } from '../../shared/time/slots.ts';

/**
 * The tracker's state as a pure fold over journal records. The live service appends a record
 * and then applies it; recovery replays the same records through the same function, so what
 * was running before a crash and what is rebuilt after it cannot disagree.
 *
 * Every instant here is on the tracker's timeline: UTC ms anchored to the wall clock when the
 * entry started and advanced by the monotonic clock (see tracker-service.ts), so durations are
 * differences of monotonic readings even if the wall clock is changed mid-entry.
 */

const id = z.string().min(1).max(200);
const instant = z.number().int().nonnegative();

export const stopReasons = [
  'user',
  'switch',
  'suspend',
  'lock-screen',
  'shutdown',
  'weekly-limit',
  'gap',
  'clock-jump',
  'recovered',
] as const;
export type StopReason = (typeof stopReasons)[number];

export const journalRecordSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('start'),
    entry: id,
    contract: id,
    memo: z.string().max(2000),
    at: instant,
    weeklyLimitMs: z.number().int().positive().nullable(),
    /** Screenshots per 10-minute slot; absent in journals written before screenshots existed. */
    shots: z.int().min(0).max(3).optional(),
    /** The contract's title as the renderer named it, for the tray and the start shortcut. */
    title: z.string().max(200).optional(),
  }),
  // A heartbeat: the entry ran until `at`; `input` is when the user last touched the machine.
  z.object({ t: z.literal('tick'), entry: id, at: instant, input: instant.nullable() }),
  z.object({ t: z.literal('idle'), entry: id, stretch: id, from: instant }),
  z.object({ t: z.literal('back'), entry: id, stretch: id, at: instant }),
  z.object({ t: z.literal('memo'), entry: id, memo: z.string().max(2000), at: instant }),
  z.object({ t: z.literal('stop'), entry: id, at: instant, reason: z.enum(stopReasons) }),
  // Written by compaction (compaction.ts) in place of a finished entry's ticks, idle marks, memo
  // changes, answers and stop: it replays to exactly the state those records left behind.
  z.object({
    t: z.literal('compacted'),
    entry: id,
    /** The entry's intervals as they ended up: [from, to, idle stretch or null for work]. */
    intervals: z.array(z.tuple([instant, instant, id.nullable()])),
    /** Input minutes as runs: [first minute's start, number of consecutive minutes]. */
    input: z.array(z.tuple([instant, z.number().int().positive()])),
    /** Memo changes after the start's own memo: [at, memo]. */
    memos: z.array(z.tuple([instant, z.string().max(2000)])),
    stretches: z.array(
      z.object({
        id,
        from: instant,
        to: instant,
        answer: z
          .discriminatedUnion('choice', [
            z.object({ choice: z.literal('keep') }),
            z.object({ choice: z.literal('discard') }),
            z.object({ choice: z.literal('reassign'), contractId: id }),
          ])
          .nullable(),
      }),
    ),
    at: instant,
    reason: z.enum(stopReasons),
  }),
  z.object({
    t: z.literal('answer'),
    stretch: id,
    choice: z.enum(['keep', 'discard', 'reassign']),
    contract: id.nullable(),
  }),
  // The freelancer deleted a screenshot of this slot: its time no longer counts, for good.
  z.object({
    t: z.literal('remove'),
    contract: id,
    slot: instant.refine((at) => at % slotMs === 0, 'a slot starts on a 10-minute boundary'),
  }),
]);
export type JournalRecord = z.infer<typeof journalRecordSchema>;

/** A stretch of an entry; `stretch` null is work, otherwise the idle stretch it belongs to. */
export interface Interval {
  from: number;
  to: number;
  stretch: string | null;
}

export type IdleAnswer =
  { choice: 'keep' } | { choice: 'discard' } | { choice: 'reassign'; contractId: string };

export interface IdleStretch {
  id: string;
  entryId: string;
  from: number;
  /** Null while the user is still away. */
  to: number | null;
  answer: IdleAnswer | null;
}

export interface EntryState {
  id: string;
  contractId: string;
  /** Null when the start record carried no title (older journals, or none given). */
  contractTitle: string | null;
  startedAt: number;
  weeklyLimitMs: number | null;
  screenshotsPerSlot: number;
  memos: { at: number; memo: string }[];
  intervals: Interval[];
  /** Starts of the minutes (UTC ms) in which input was seen. */
  inputMinutes: Set<number>;
  lastBeat: number;
  openStretch: string | null;
  stoppedAt: number | null;
  stopReason: StopReason | null;
}

export interface LedgerState {
  entries: Map<string, EntryState>;
  stretches: Map<string, IdleStretch>;
  running: string | null;
  /** Slot starts whose time was removed, per contract (see the `remove` record). */
  removed: Map<string, Set<number>>;
}

export { minuteMs };

export function emptyLedger(): LedgerState {
  return { entries: new Map(), stretches: new Map(), running: null, removed: new Map() };
}

export function isSlotRemoved(state: LedgerState, contractId: string, slot: number): boolean {
  return state.removed.get(contractId)?.has(slot) ?? false;
}

/**
 * Applies one record. Records that do not fit the state (a tick for an entry that is not
 * running, an answer for an unknown stretch) are ignored: a journal is replayed as it is, and
 * one odd line must not stop the rest from being recovered.
 */
export function applyRecord(state: LedgerState, record: JournalRecord): void {
  if (record.t === 'remove') {
    // Any slot, running or long past: removal is about the slot, not about an entry.
    let slots = state.removed.get(record.contract);
    if (!slots) state.removed.set(record.contract, (slots = new Set()));
    slots.add(record.slot);
    return;
  }
  if (record.t === 'answer') {
    const stretch = state.stretches.get(record.stretch);
    if (!stretch) return;
    stretch.answer =
      record.choice === 'reassign' && record.contract !== null
        ? { choice: 'reassign', contractId: record.contract }
        : record.choice === 'keep'
          ? { choice: 'keep' }
          : { choice: 'discard' };
    return;
  }
  if (record.t === 'start') {
    if (state.running !== null || state.entries.has(record.entry)) return;
    state.entries.set(record.entry, {
      id: record.entry,
      contractId: record.contract,
      contractTitle: record.title ?? null,
      startedAt: record.at,
      weeklyLimitMs: record.weeklyLimitMs,
      screenshotsPerSlot: record.shots ?? 0,
      memos: [{ at: record.at, memo: record.memo }],
      intervals: [],
      inputMinutes: new Set(),
      lastBeat: record.at,
      openStretch: null,
      stoppedAt: null,
      stopReason: null,
    });
    state.running = record.entry;
    return;
  }
  const entry = state.entries.get(record.entry);
  if (!entry || state.running !== entry.id) return;
  switch (record.t) {
    case 'tick': {
      if (record.at <= entry.lastBeat) return;
      const last = entry.intervals.at(-1);
      if (last && last.to === entry.lastBeat && last.stretch === entry.openStretch) {
        last.to = record.at;
      } else {
        entry.intervals.push({ from: entry.lastBeat, to: record.at, stretch: entry.openStretch });
      }
      if (record.input !== null && record.input >= entry.startedAt && record.input <= record.at) {
        entry.inputMinutes.add(Math.floor(record.input / minuteMs) * minuteMs);
      }
      entry.lastBeat = record.at;
      return;
    }
    case 'idle': {
      if (entry.openStretch !== null || state.stretches.has(record.stretch)) return;
      // Never reach back past the start or into an earlier stretch of the same entry.
      let floor = entry.startedAt;
      for (const stretch of state.stretches.values()) {
        if (stretch.entryId === entry.id && stretch.to !== null)
          floor = Math.max(floor, stretch.to);
      }
      const from = clamp(record.from, floor, entry.lastBeat);
      state.stretches.set(record.stretch, {
        id: record.stretch,
        entryId: entry.id,
        from,
        to: null,
        answer: null,
      });
      relabel(entry, from, entry.lastBeat, record.stretch);
      entry.openStretch = record.stretch;
      return;
    }
    case 'back': {
      const stretch = state.stretches.get(record.stretch);
      if (!stretch || entry.openStretch !== stretch.id) return;
      const at = clamp(record.at, stretch.from, entry.lastBeat);
      relabel(entry, at, entry.lastBeat, null);
      closeStretch(state, entry, at);
      return;
    }
    case 'memo':
      entry.memos.push({
        at: clamp(record.at, entry.startedAt, entry.lastBeat),
        memo: record.memo,
      });
      return;
    case 'compacted': {
      entry.intervals = record.intervals.map(([from, to, stretch]) => ({ from, to, stretch }));
      for (const [first, count] of record.input) {
        for (let i = 0; i < count; i++) entry.inputMinutes.add(first + i * minuteMs);
      }
      for (const [at, memo] of record.memos) entry.memos.push({ at, memo });
      for (const { id: stretchId, from, to, answer } of record.stretches) {
        state.stretches.set(stretchId, { id: stretchId, entryId: entry.id, from, to, answer });
      }
      entry.lastBeat = record.at;
      entry.stoppedAt = record.at;
      entry.stopReason = record.reason;
      state.running = null;
      return;
    }
    case 'stop': {
      const at = clamp(record.at, entry.startedAt, entry.lastBeat);
      entry.intervals = entry.intervals
        .filter((interval) => interval.from < at)
        .map((interval) => ({ ...interval, to: Math.min(interval.to, at) }));
      for (const minute of entry.inputMinutes) if (minute >= at) entry.inputMinutes.delete(minute);
      if (entry.openStretch !== null) closeStretch(state, entry, at);
      entry.lastBeat = at;
      entry.stoppedAt = at;
      entry.stopReason = record.reason;
      state.running = null;
      return;
    }
  }
}

function closeStretch(state: LedgerState, entry: EntryState, at: number): void {
  const stretch = entry.openStretch === null ? undefined : state.stretches.get(entry.openStretch);
  entry.openStretch = null;
  if (!stretch) return;
  stretch.to = Math.max(stretch.from, at);
  // An idle stretch that turned out empty asks nothing.
  if (stretch.to === stretch.from) state.stretches.delete(stretch.id);
}

/** Marks [from, to) of the entry as belonging to `stretch` (null: work). */
function relabel(entry: EntryState, from: number, to: number, stretch: string | null): void {
  if (to <= from) return;
  const out: Interval[] = [];
  for (const interval of entry.intervals) {
    const cuts = [
      interval.from,
      ...[from, to].filter((c) => c > interval.from && c < interval.to),
      interval.to,
    ];
    for (let i = 0; i < cuts.length - 1; i++) {
      const a = cuts[i] as number;
      const b = cuts[i + 1] as number;
      const inside = a >= from && b <= to;
      const piece = { from: a, to: b, stretch: inside ? stretch : interval.stretch };
      const prev = out.at(-1);
      if (prev && prev.to === piece.from && prev.stretch === piece.stretch) prev.to = piece.to;
      else out.push(piece);
    }
  }
  entry.intervals = out;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

import { minuteMs, slotMs, slotStart, weekMs } from '../../shared/time/slots.ts';
import { isSlotRemoved, type EntryState, type IdleStretch, type LedgerState } from './ledger.ts';

/**
 * A 10-minute slot of one contract, aligned to the UTC clock (:00, :10, …; shared/time/slots.ts).
 * In every time zone whose offset is a whole multiple of 10 minutes that is also :00, :10 locally.
 */
export interface Segment {
  /** Contract + slot start: the same slot always has the same id, so hand-offs are idempotent. */
  id: string;
  contractId: string;
  start: number;
  end: number;
  /** The memo in effect at the last billed moment of the slot. */
  memo: string;
  /** 0 when the slot is `removed`. */
  billedMs: number;
  /** Idle time waiting for the user's answer: not billed. */
  idlePendingMs: number;
  idleDiscardedMs: number;
  /** Minutes of the slot that hold tracked time, and those of them in which input was seen. */
  trackedMinutes: number;
  activeMinutes: number;
  /** activeMinutes / trackedMinutes as a whole percentage (0 when nothing is tracked). */
  activity: number;
  /** A screenshot of the slot was deleted: its time no longer counts (see the `remove` record). */
  removed: boolean;
  entryIds: string[];
}

export function segmentId(contractId: string, start: number): string {
  return `${contractId}@${new Date(start).toISOString()}`;
}

interface Building {
  segment: Segment;
  minutes: Set<number>;
  active: Set<number>;
  memoAt: number;
}

/**
 * Cuts every entry's time into segments, applying the answers given to idle stretches. With
 * `since`, entries that ended before it are left out (the weekly-limit check runs every tick).
 */
export function deriveSegments(state: LedgerState, since = -Infinity): Segment[] {
  const slots = new Map<string, Building>();
  const slot = (contractId: string, start: number): Building => {
    const key = segmentId(contractId, start);
    let building = slots.get(key);
    if (!building) {
      building = {
        segment: {
          id: key,
          contractId,
          start,
          end: start + slotMs,
          memo: '',
          billedMs: 0,
          idlePendingMs: 0,
          idleDiscardedMs: 0,
          trackedMinutes: 0,
          activeMinutes: 0,
          activity: 0,
          removed: isSlotRemoved(state, contractId, start),
          entryIds: [],
        },
        minutes: new Set(),
        active: new Set(),
        memoAt: -1,
      };
      slots.set(key, building);
    }
    return building;
  };

  for (const entry of state.entries.values()) {
    if (entry.lastBeat < since) continue;
    for (const interval of entry.intervals) {
      const stretch = interval.stretch === null ? null : state.stretches.get(interval.stretch);
      const billedTo = billedContract(entry, stretch ?? null, interval.stretch !== null);
      for (let from = interval.from; from < interval.to;) {
        const start = slotStart(from);
        const to = Math.min(interval.to, start + slotMs);
        const ms = to - from;
        if (billedTo === null) {
          const own = slot(entry.contractId, start);
          if (stretch?.answer?.choice === 'discard') own.segment.idleDiscardedMs += ms;
          else own.segment.idlePendingMs += ms;
          addEntry(own.segment, entry.id);
        } else {
          const target = slot(billedTo, start);
          target.segment.billedMs += ms;
          addEntry(target.segment, entry.id);
          for (let m = Math.floor(from / minuteMs) * minuteMs; m < to; m += minuteMs) {
            target.minutes.add(m);
            // Input counts only where the user worked, not in idle time given to this slot.
            if (interval.stretch === null && entry.inputMinutes.has(m)) target.active.add(m);
          }
          if (to > target.memoAt) {
            target.memoAt = to;
            target.segment.memo = memoAt(entry, to - 1);
          }
        }
        from = to;
      }
    }
  }

  return [...slots.values()]
    .map(({ segment, minutes, active }) => {
      segment.trackedMinutes = minutes.size;
      segment.activeMinutes = active.size;
      segment.activity = minutes.size === 0 ? 0 : Math.round((100 * active.size) / minutes.size);
      // Removed for good: the figures above stay as a record of what was tracked, unbilled.
      if (segment.removed) segment.billedMs = 0;
      return segment;
    })
    .sort((a, b) => a.start - b.start || a.contractId.localeCompare(b.contractId));
}

/** Billed time of a contract in the week starting at `week` (shared/time/slots.ts weekStart). */
export function billedInWeek(segments: Segment[], contractId: string, week: number): number {
  let total = 0;
  for (const segment of segments) {
    if (
      segment.contractId === contractId &&
      segment.start >= week &&
      segment.start < week + weekMs
    ) {
      total += segment.billedMs;
    }
  }
  return total;
}

function billedContract(
  entry: EntryState,
  stretch: IdleStretch | null,
  idle: boolean,
): string | null {
  if (!idle) return entry.contractId;
  // Unanswered (or a stretch we cannot find): not billed until the user says so.
  if (!stretch?.answer) return null;
  if (stretch.answer.choice === 'keep') return entry.contractId;
  if (stretch.answer.choice === 'reassign') return stretch.answer.contractId;
  return null;
}

function memoAt(entry: EntryState, at: number): string {
  let memo = '';
  for (const change of entry.memos) if (change.at <= at) memo = change.memo;
  return memo;
}

function addEntry(segment: Segment, entryId: string): void {
  if (!segment.entryIds.includes(entryId)) segment.entryIds.push(entryId);
}

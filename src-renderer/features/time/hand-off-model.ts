import type { LocalScreenshot } from '../../../shared/ipc/screenshots.ts';
import type { TrackerSegmentView } from '../../../shared/ipc/tracker.ts';
import type { Money } from '../../../shared/money/money.ts';
import type {
  ContractDocument,
  ScreenshotDocument,
  TimeEntryDocument,
  TimeSegment,
} from '../../../shared/sync/documents.ts';
import { canonical } from '../../../shared/sync/merge.ts';
import { amountFor, billedOfSegments } from '../../../shared/time/amounts.ts';
import { dayMs, slotMs, slotStart, utcDay, weekMs, weekStart } from '../../../shared/time/slots.ts';
import { trackedEntryId } from '../../../shared/time/stable-ids.ts';

/**
 * The hand-off, as pure rules: the tracker's journal (main process) becomes tracked time
 * entries (synced documents), one per contract and UTC day. Handing the same journal over
 * again must change nothing, and a slot once removed (its screenshot deleted) stays removed
 * whatever the journal says later.
 */

const iso = (at: number) => new Date(at).toISOString();

/** A tracker slot as a time entry stores it; null when it holds nothing worth recording. */
export function segmentFromTracker(view: TrackerSegmentView): TimeSegment | null {
  // Idle time still waiting for an answer bills nothing yet: it arrives once answered.
  if (view.billedMs <= 0 && !view.removed) return null;
  return {
    start: iso(view.start),
    billedMs: Math.min(Math.max(0, view.billedMs), slotMs),
    trackedMinutes: Math.min(Math.max(0, view.trackedMinutes), 10),
    activeMinutes:
      view.activeMinutes === null ? null : Math.min(Math.max(0, view.activeMinutes), 10),
    memo: view.memo.slice(0, 500),
    removed: view.removed,
  };
}

/**
 * The stored slots brought up to date with the journal's. The journal is this device's truth
 * for its slots, so its version wins, except that billed time never shrinks (another device,
 * or an earlier hand-off of a longer journal, may know more) and a removal is never undone.
 */
export function mergeHandOff(
  stored: readonly TimeSegment[],
  fromTracker: readonly TimeSegment[],
): TimeSegment[] {
  const bySlot = new Map<string, TimeSegment>();
  for (const segment of stored) bySlot.set(segment.start, segment);
  for (const fresh of fromTracker) {
    const old = bySlot.get(fresh.start);
    if (!old) {
      bySlot.set(fresh.start, fresh);
      continue;
    }
    const winner = old.billedMs > fresh.billedMs ? old : fresh;
    bySlot.set(fresh.start, { ...winner, removed: old.removed || fresh.removed });
  }
  return [...bySlot.values()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

/** Billed time and what it is worth: the kept slots at the entry's rate. */
export function entryTotals(
  segments: readonly TimeSegment[],
  rate: Money | null,
  billable = true,
): { billedMs: number; amount: Money | null } {
  const billedMs = billedOfSegments(segments);
  return { billedMs, amount: rate && billable ? amountFor(billedMs, rate) : null };
}

/** The rate time on a contract is billed at: hourly contracts only. */
export const contractRate = (contract: ContractDocument): Money | null =>
  contract.type === 'hourly' ? contract.rate : null;

/**
 * A tracked entry with `fresh` slots handed over: the new document, or null when nothing
 * would change (no write, so no push and no churn on the other devices).
 */
export function handOffEntry(
  existing: TimeEntryDocument | null,
  input: {
    contract: ContractDocument;
    freelancerId: string;
    day: string;
    fresh: readonly TimeSegment[];
    now: string;
  },
): TimeEntryDocument | null {
  const { contract, freelancerId, day, fresh, now } = input;
  if (existing) {
    const segments = mergeHandOff(existing.segments, fresh);
    const totals = entryTotals(segments, existing.rate, existing.billable);
    const same =
      canonical(segments) === canonical(existing.segments) &&
      totals.billedMs === existing.billedMs &&
      canonical(totals.amount) === canonical(existing.amount);
    if (same) return null;
    return { ...existing, segments, ...totals, updatedAt: now };
  }
  const segments = mergeHandOff([], fresh);
  if (segments.length === 0) return null;
  const rate = contractRate(contract);
  return {
    id: trackedEntryId(contract.id, freelancerId, day),
    updatedAt: now,
    contractId: contract.id,
    freelancerId,
    kind: 'tracked',
    day,
    segments,
    manual: null,
    memo: '',
    billable: true,
    ...entryTotals(segments, rate),
    rate,
    status: 'pending',
    createdAt: now,
  };
}

/** The tracker's slots grouped by the entry they belong to: my contracts only. */
export function groupForHandOff(
  views: readonly TrackerSegmentView[],
  contracts: ReadonlyMap<string, ContractDocument>,
  me: string,
): Array<{ id: string; contract: ContractDocument; day: string; fresh: TimeSegment[] }> {
  const groups = new Map<
    string,
    { id: string; contract: ContractDocument; day: string; fresh: TimeSegment[] }
  >();
  for (const view of views) {
    const contract = contracts.get(view.contractId);
    // A contract not (yet) on this device, or someone else's: handed over once it is here.
    if (!contract || contract.freelancer.id !== me) continue;
    const segment = segmentFromTracker(view);
    if (!segment) continue;
    const day = utcDay(view.start);
    const id = trackedEntryId(contract.id, me, day);
    let group = groups.get(id);
    if (!group) {
      group = { id, contract, day, fresh: [] };
      groups.set(id, group);
    }
    group.fresh.push(segment);
  }
  return [...groups.values()];
}

/**
 * The screenshots documents to create: shared ones only (a pending screenshot is private to
 * this machine until its grace period ends), same id as here, not yet recorded.
 */
export function screenshotDocumentsToCreate(
  local: readonly LocalScreenshot[],
  recorded: ReadonlySet<string>,
  contracts: ReadonlyMap<string, ContractDocument>,
  me: string,
  now: string,
): ScreenshotDocument[] {
  const created: ScreenshotDocument[] = [];
  for (const shot of local) {
    if (shot.state !== 'shared' || recorded.has(shot.id)) continue;
    const contract = contracts.get(shot.contractId);
    if (!contract || contract.freelancer.id !== me) continue;
    created.push({
      id: shot.id,
      updatedAt: now,
      contractId: contract.id,
      freelancerId: me,
      entryId: shot.entryId,
      slot: iso(shot.slot),
      takenAt: iso(shot.takenAt),
      screen: shot.screen,
      activity: shot.activity,
      image: { ...shot.image },
      thumbnail: { ...shot.thumbnail },
      blurred: shot.blurred,
      createdAt: now,
    });
  }
  return created;
}

/** A tracked entry after a screenshot of `slot` was deleted: its time no longer counts. */
export function withSlotRemoved(
  entry: TimeEntryDocument,
  slot: string,
  now: string,
): TimeEntryDocument | null {
  const target = entry.segments.find((segment) => segment.start === slot);
  if (!target || target.removed) return null;
  const segments = entry.segments.map((segment) =>
    segment.start === slot ? { ...segment, removed: true } : segment,
  );
  return {
    ...entry,
    segments,
    ...entryTotals(segments, entry.rate, entry.billable),
    updatedAt: now,
  };
}

const firstLookBackMs = 31 * dayMs;

/**
 * The range a hand-off covers. The first after sign-in looks back 31 days; later ones from
 * the start of the previous UTC week, the oldest time still open to change (a week is
 * approved once it is over, and until then its slots can change: idle answers, deleted
 * screenshots). The range a hand-off at `now` covers: at most 31 days, as the tracker allows. */
export function handOffRange(now: number, first: boolean): { from: number; to: number } {
  // Up to the running slot's end: the slot in progress is handed over as it grows.
  const to = slotStart(now) + slotMs;
  const from = first ? to - firstLookBackMs : weekStart(now) - weekMs;
  return { from, to };
}

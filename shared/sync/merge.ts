import { stringify } from 'safe-stable-stringify';
import { amountFor, billedOfSegments } from '../time/amounts.ts';
import type { DocumentOf, Receipt, TimeSegment, WireDocument } from './documents.ts';
import type { SyncCollection } from './protocol.ts';

/**
 * Conflict resolution: one deterministic handler per collection, used by every device (as
 * RxDB's conflict handler) and by the tests that prove convergence.
 *
 * RxDB's default keeps the master and drops the device's edit. Ours is a field-level
 * three-way merge: a field only the device changed (against the master it last saw) is kept,
 * a field only the master changed is kept, and a field both changed is settled by the
 * collection's rule for it, else by the later edit. A deletion on either side wins, so a
 * deleted document disappears everywhere.
 */
export interface MergeInput<D> {
  assumedMasterState?: D | undefined;
  realMasterState: D;
  newDocumentState: D;
}

type Mergeable = { updatedAt: string; _deleted: boolean };
type FieldRule<D> = (master: D, fork: D) => unknown;

/** Canonical JSON: the same document always prints the same, whatever its key order. */
export const canonical = (value: unknown): string => stringify(value) ?? 'undefined';
export const sameDocument = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/** The later edit, with ties broken by content so both sides pick the same winner. */
function later<D extends Mergeable>(master: D, fork: D): D {
  if (master.updatedAt !== fork.updatedAt) return master.updatedAt > fork.updatedAt ? master : fork;
  return canonical(master) >= canonical(fork) ? master : fork;
}

export function threeWayMerge<D extends Mergeable>(
  rules: Partial<Record<keyof D, FieldRule<D>>> = {},
) {
  return ({
    assumedMasterState: base,
    realMasterState: master,
    newDocumentState: fork,
  }: MergeInput<D>): D => {
    if (master._deleted) return master;
    const updatedAt = master.updatedAt > fork.updatedAt ? master.updatedAt : fork.updatedAt;
    if (fork._deleted) return { ...master, _deleted: true, updatedAt };

    const result: Record<string, unknown> = { ...master };
    const keys = new Set([...Object.keys(master), ...Object.keys(fork)]) as Set<keyof D & string>;
    for (const key of keys) {
      if (key === '_deleted' || key === 'updatedAt') continue;
      const forkChanged = !base || !sameDocument(fork[key], base[key]);
      const masterChanged = !base || !sameDocument(master[key], base[key]);
      if (!forkChanged) continue;
      if (!masterChanged || sameDocument(master[key], fork[key])) {
        result[key] = fork[key];
        continue;
      }
      const rule = rules[key];
      result[key] = rule ? rule(master, fork) : later(master, fork)[key];
    }
    return { ...result, updatedAt } as D;
  };
}

const earliest = (a: string | null, b: string | null) =>
  a === null ? b : b === null ? a : a < b ? a : b;
const latest = (a: string | null, b: string | null) =>
  a === null ? b : b === null ? a : a > b ? a : b;

/** Receipts only move forward: per recipient, the first time it was delivered and read. */
function mergeReceipts(
  a: Record<string, Receipt>,
  b: Record<string, Receipt>,
): Record<string, Receipt> {
  const merged: Record<string, Receipt> = {};
  for (const userId of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const x = a[userId] ?? { deliveredAt: null, readAt: null };
    const y = b[userId] ?? { deliveredAt: null, readAt: null };
    merged[userId] = {
      deliveredAt: earliest(x.deliveredAt, y.deliveredAt),
      readAt: earliest(x.readAt, y.readAt),
    };
  }
  return merged;
}

type Wire<C extends SyncCollection> = WireDocument<C>;

/** The text of a message goes with its edit time: the later edit wins both. */
const laterEdit = (master: Wire<'messages'>, fork: Wire<'messages'>) =>
  (master.editedAt ?? '') === (fork.editedAt ?? '')
    ? later(master, fork)
    : (master.editedAt ?? '') > (fork.editedAt ?? '')
      ? master
      : fork;

/**
 * Documents only the server writes (contracts, milestones): devices never win a field. A
 * device copy that differs can only be stale, so the master is the answer, deletions included.
 */
export function serverOwned<D>({ realMasterState }: MergeInput<D>): D {
  return realMasterState;
}

/**
 * Two copies of a day's slots (two devices of one freelancer, or a hand-off racing an edit):
 * every slot either side has, per slot the larger billed time (both came from a journal that
 * only grows), and a slot removed on either side stays removed.
 */
export function mergeSegments(a: TimeSegment[], b: TimeSegment[]): TimeSegment[] {
  const bySlot = new Map<string, TimeSegment>();
  for (const segment of [...a, ...b]) {
    const other = bySlot.get(segment.start);
    if (!other) {
      bySlot.set(segment.start, segment);
      continue;
    }
    const winner =
      segment.billedMs !== other.billedMs
        ? segment.billedMs > other.billedMs
          ? segment
          : other
        : canonical(segment) >= canonical(other)
          ? segment
          : other;
    bySlot.set(segment.start, { ...winner, removed: segment.removed || other.removed });
  }
  return [...bySlot.values()].sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
}

const mergeTimeEntries = threeWayMerge<Wire<'timeEntries'>>({
  segments: (m, f) => mergeSegments(m.segments, f.segments),
  status: (m) => m.status,
});

/**
 * A tracked entry's billed time and amount are functions of its slots: after a merge they are
 * computed again, so a merged copy never carries one side's total beside the other's slots.
 */
function withTotals(entry: Wire<'timeEntries'>): Wire<'timeEntries'> {
  if (entry.kind !== 'tracked') return entry;
  const billedMs = billedOfSegments(entry.segments);
  const amount = entry.billable && entry.rate ? amountFor(billedMs, entry.rate) : null;
  return { ...entry, billedMs, amount };
}

export const mergers: { [C in SyncCollection]: (input: MergeInput<Wire<C>>) => Wire<C> } = {
  settings: threeWayMerge<Wire<'settings'>>(),
  // Who is in a conversation is fixed at creation; the server refuses changes to it.
  conversations: threeWayMerge<Wire<'conversations'>>({
    participants: (master) => master.participants,
  }),
  messages: threeWayMerge<Wire<'messages'>>({
    body: (m, f) => laterEdit(m, f).body,
    attachments: (m, f) => laterEdit(m, f).attachments,
    editedAt: (m, f) => latest(m.editedAt, f.editedAt),
    receipts: (m, f) => mergeReceipts(m.receipts, f.receipts),
  }),
  // Read once, read for good.
  notifications: threeWayMerge<Wire<'notifications'>>({
    readAt: (m, f) => earliest(m.readAt, f.readAt),
  }),
  contracts: serverOwned,
  milestones: serverOwned,
  escrows: serverOwned,
  invoices: serverOwned,
  // Billed time and amount follow the merged slots; the status is the server's.
  timeEntries: (input) => withTotals(mergeTimeEntries(input)),
  // Append-only records: the only edits are blurring (before sharing) and deletion.
  screenshots: threeWayMerge<Wire<'screenshots'>>(),
  workLogs: threeWayMerge<Wire<'workLogs'>>(),
  // A withdrawn dispute stays withdrawn.
  timeReviews: threeWayMerge<Wire<'timeReviews'>>({
    status: (m, f) => (m.status === 'withdrawn' || f.status === 'withdrawn' ? 'withdrawn' : 'open'),
  }),
};

export type { DocumentOf };

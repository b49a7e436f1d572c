import type { Kysely } from 'kysely';
import type { TimeSegment } from '../../shared/sync/documents.ts';
import { dayStart, weekOf } from '../../shared/time/slots.ts';
import { weekApprovalId } from '../../shared/time/stable-ids.ts';
import type { Database } from '../db/schema.ts';
import type { SyncWriteContext } from '../sync/write-context.ts';
import { timeAudience } from './time-contract.ts';

type EntryStatus = 'pending' | 'approved' | 'disputed';

/** The Monday (UTC) of the week a `YYYY-MM-DD` day belongs to: how reviews name it. */
export const weekOfDay = (day: string): string => weekOf(dayStart(day));

/** A slot of a contract's time as disputes name it: its entry and its start (epoch ms). */
export const slotKey = (entryId: string, start: string): string =>
  `${entryId}@${Date.parse(start)}`;

/**
 * The slots an entry offers to a dispute: a tracked entry's kept slots, or a manual entry as a
 * whole, named by its start.
 */
export function disputableSlots(entry: {
  id: string;
  segments: ReadonlyArray<Pick<TimeSegment, 'start' | 'removed'>>;
  manualFrom: string | null;
}): string[] {
  if (entry.manualFrom !== null) return [slotKey(entry.id, entry.manualFrom)];
  return entry.segments.filter((s) => !s.removed).map((s) => slotKey(entry.id, s.start));
}

/** Whether the client approved a contract's week: its time is then final. */
export async function isWeekApproved(
  db: Kysely<Database>,
  contractId: string,
  week: string,
): Promise<boolean> {
  const approval = await db
    .selectFrom('time_reviews')
    .select('id')
    .where('id', '=', weekApprovalId(contractId, week))
    .where('deleted', '=', 0)
    .executeTakeFirst();
  return approval !== undefined;
}

/** What a week's reviews make of its entries: every slot an open dispute names, and approval. */
async function weekVerdict(db: Kysely<Database>, contractId: string, week: string) {
  const reviews = await db
    .selectFrom('time_reviews')
    .select(['kind', 'slots', 'status'])
    .where('contract_id', '=', contractId)
    .where('week', '=', week)
    .where('deleted', '=', 0)
    .execute();
  const disputed = new Set<string>();
  for (const review of reviews) {
    if (review.kind !== 'dispute' || review.status !== 'open') continue;
    const slots = JSON.parse(review.slots) as Array<{ entryId: string; start: string }>;
    for (const slot of slots) disputed.add(slotKey(slot.entryId, slot.start));
  }
  return { approved: reviews.some((r) => r.kind === 'approval'), disputed };
}

/**
 * An entry is disputed while an open dispute names one of its slots (whatever else was
 * approved), approved once its week is, pending otherwise.
 */
function statusOf(
  entry: { id: string; segments: string; manual_from: string | null },
  verdict: { approved: boolean; disputed: Set<string> },
): EntryStatus {
  const segments = JSON.parse(entry.segments) as TimeSegment[];
  const slots =
    entry.manual_from !== null
      ? [slotKey(entry.id, entry.manual_from)]
      : segments.map((s) => slotKey(entry.id, s.start));
  if (slots.some((slot) => verdict.disputed.has(slot))) return 'disputed';
  return verdict.approved ? 'approved' : 'pending';
}

/**
 * After a review of a contract's week is written, in the same transaction: each live entry
 * of that week whose status the reviews now change gets it, with a new sequence number, so
 * both parties' devices pull it. Taking the time entries' counter first serialises this with
 * any push of time entries, so an entry is never written against a verdict it did not see.
 */
export async function refreshWeekStatuses(
  context: SyncWriteContext,
  contractId: string,
  week: string,
): Promise<void> {
  const { trx } = context;
  await context.lock('timeEntries');
  const verdict = await weekVerdict(trx, contractId, week);
  const entries = await trx
    .selectFrom('time_entries')
    .select(['id', 'segments', 'manual_from', 'status'])
    .where('contract_id', '=', contractId)
    .where('week', '=', week)
    .where('deleted', '=', 0)
    .orderBy('id')
    .execute();
  const changed = entries
    .map((entry) => ({ id: entry.id, from: entry.status, to: statusOf(entry, verdict) }))
    .filter((change) => change.from !== change.to);
  if (changed.length === 0) return;
  let seq = await context.stamp('timeEntries', await timeAudience(trx, contractId), changed.length);
  const now = new Date().toISOString();
  for (const change of changed) {
    await trx
      .updateTable('time_entries')
      .set({ status: change.to, seq, updated_at: now })
      .where('id', '=', change.id)
      .execute();
    seq += 1;
  }
}

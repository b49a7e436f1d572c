import type { Kysely, Selectable } from 'kysely';
import type { ScreenshotDocument, WireDocument } from '../../../shared/sync/documents.ts';
import { sameDocument } from '../../../shared/sync/merge.ts';
import { slotMs, utcDay } from '../../../shared/time/slots.ts';
import type { Database, ScreenshotsTable } from '../../db/schema.ts';
import { inactiveDetail, type Problem } from '../../time/entry-rules.ts';
import { inactivePeriods, timeContract } from '../../time/time-contract.ts';
import { contractTimeReads } from '../../time/contract-time-reads.ts';
import { isWeekApproved, weekOfDay } from '../../time/week-status.ts';
import {
  allowed,
  denied,
  flag,
  refuseDeviceWrite,
  unchangedFields,
  type SyncSpec,
  type WriteVerdict,
  upsertDocumentRow,
} from '../spec.ts';
import { timeEntriesSpec } from './time-entries.ts';

type Screenshot = WireDocument<'screenshots'>;
type ImageRef = ScreenshotDocument['image'];

function fromRow(row: Selectable<ScreenshotsTable>): Screenshot {
  return {
    id: row.id,
    updatedAt: row.updated_at,
    contractId: row.contract_id,
    freelancerId: row.freelancer_id,
    entryId: row.entry_id,
    slot: row.slot,
    takenAt: row.taken_at,
    screen: row.screen,
    activity: row.activity,
    image: JSON.parse(row.image) as ImageRef,
    thumbnail: JSON.parse(row.thumbnail) as ImageRef,
    blurred: row.blurred === 1,
    createdAt: row.created_at,
    _deleted: row.deleted === 1,
  };
}

/**
 * A shared screenshot is a record of what was on screen: nothing about it changes (blurring
 * happens before it is shared, and makes other bytes). It can only be deleted.
 */
const fixed = [
  'contractId',
  'freelancerId',
  'entryId',
  'slot',
  'takenAt',
  'screen',
  'activity',
  'image',
  'thumbnail',
  'blurred',
  'createdAt',
] as const;

/** A new screenshot: the freelancer's, of a slot of their tracked time on that contract. */
async function creationVerdict(
  db: Kysely<Database>,
  userId: string,
  incoming: Screenshot,
): Promise<WriteVerdict> {
  const problems: Problem[] = [];
  if (incoming.freelancerId !== userId) {
    problems.push(['/freelancerId', 'must be you: screenshots are the freelancer’s']);
  }
  const contract = await timeContract(db, incoming.contractId);
  if (contract?.freelancer_id !== userId) {
    problems.push(['/contractId', 'is not a contract you work on as its freelancer']);
  }
  if (problems.length > 0) return denied(...problems);
  const slot = Date.parse(incoming.slot);
  if (slot % slotMs !== 0) return denied(['/slot', 'must start a 10-minute slot (UTC)']);
  const taken = Date.parse(incoming.takenAt);
  if (taken < slot || taken >= slot + slotMs) {
    problems.push(['/takenAt', 'must lie within its slot']);
  }
  // What was on screen while the contract was paused or ended is not the client's to see,
  // even of a slot the entry keeps as removed; before that moment it lands whenever it syncs.
  // Final whatever the entry holds, so refused at once rather than waited for.
  const inactive = inactiveDetail(
    await inactivePeriods(db, incoming.contractId),
    slot,
    slot + slotMs,
    'this slot',
  );
  if (inactive) return denied(...problems, ['/slot', inactive]);
  const entry = await timeEntriesSpec.find(db, incoming.entryId);
  // Entries and screenshots replicate separately: the entry may be on its way.
  if (!entry) return { allowed: false, pending: 'its time entry has not reached the server yet' };
  if (
    entry.freelancerId !== userId ||
    entry.contractId !== incoming.contractId ||
    entry.kind !== 'tracked'
  ) {
    return denied(['/entryId', 'is not a tracked time entry of yours on this contract']);
  }
  if (utcDay(slot) !== entry.day) {
    problems.push(['/slot', `must be a slot of its entry’s UTC day, ${entry.day}`]);
  }
  if (problems.length > 0) return denied(...problems);
  if (!entry.segments.some((segment) => Date.parse(segment.start) === slot)) {
    // The server's copy of the entry is older than the slot: the entry's next push brings it.
    return { allowed: false, pending: 'its slot has not reached the server yet' };
  }
  return allowed;
}

/**
 * Screenshots: recorded by the contract's freelancer once their grace period passed, seen by
 * both parties (the client reads the images through the blob endpoints). Deleting one is a
 * tombstone, possible until its week is approved.
 */
export const screenshotsSpec: SyncSpec<'screenshots'> = {
  ...contractTimeReads('screenshots', fromRow),
  async authorize(db, user, incoming, existing) {
    if (!existing) return creationVerdict(db, user.userId, incoming);
    if (existing.freelancerId !== user.userId) {
      return refuseDeviceWrite(incoming, existing, sameDocument, {
        create: '',
        change: 'only the freelancer who took a screenshot may delete it',
      });
    }
    const problems = unchangedFields(incoming, existing, fixed, sameDocument).map(
      ([pointer]): Problem => [pointer, 'is fixed once a screenshot is shared; delete it instead'],
    );
    if (existing._deleted && !incoming._deleted) {
      problems.push(['/_deleted', 'a deleted screenshot stays deleted']);
    }
    if (incoming._deleted && !existing._deleted) {
      const entry = await timeEntriesSpec.find(db, existing.entryId);
      const week = entry ? weekOfDay(entry.day) : null;
      if (week && (await isWeekApproved(db, existing.contractId, week))) {
        problems.push([
          '/_deleted',
          `the client approved the week of ${week}: its screenshots can no longer be deleted`,
        ]);
      }
    }
    return problems.length ? denied(...problems) : allowed;
  },
  async write({ trx }, document, _existing, seq) {
    const row = {
      id: document.id,
      seq,
      deleted: flag(document._deleted),
      updated_at: document.updatedAt,
      contract_id: document.contractId,
      freelancer_id: document.freelancerId,
      entry_id: document.entryId,
      slot: document.slot,
      taken_at: document.takenAt,
      screen: document.screen,
      activity: document.activity,
      image_hash: document.image.hash,
      image: JSON.stringify(document.image),
      thumbnail_hash: document.thumbnail.hash,
      thumbnail: JSON.stringify(document.thumbnail),
      blurred: flag(document.blurred),
      created_at: document.createdAt,
    };
    await upsertDocumentRow(trx, 'screenshots', row);
  },
};

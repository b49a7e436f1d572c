import type { Kysely } from 'kysely';
import type { TimeSegment, WireDocument } from '../../shared/sync/documents.ts';
import { isWeekName, weekMs, dayStart } from '../../shared/time/slots.ts';
import { weekApprovalId } from '../../shared/time/stable-ids.ts';
import type { Database } from '../db/schema.ts';
import type { Problem } from './entry-rules.ts';
import type { TimeContract } from './time-contract.ts';
import { disputableSlots, isWeekApproved, slotKey } from './week-status.ts';

type TimeReview = WireDocument<'timeReviews'>;

/**
 * A new review by the contract's client (the caller has checked that much): an approval of a
 * week that is over, or a dispute of slots the freelancer recorded in that week, with a reason.
 * `now` is the server's clock.
 */
export async function newReviewProblems(
  db: Kysely<Database>,
  review: TimeReview,
  contract: TimeContract,
  now: number,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  if (contract.type !== 'hourly') {
    problems.push(['/contractId', 'is fixed-price: only hourly contracts’ time is reviewed']);
  }
  if (!isWeekName(review.week)) {
    return [...problems, ['/week', 'must be a Monday (UTC): weeks are named by their Monday']];
  }
  if (review.status !== 'open') problems.push(['/status', 'must be open when created']);
  if (review.response !== '') {
    problems.push(['/response', 'is the freelancer’s answer: empty when created']);
  }
  if (review._deleted) problems.push(['/_deleted', 'a review is created, never deleted']);
  const approved = await isWeekApproved(db, review.contractId, review.week);

  if (review.kind === 'approval') {
    if (review.id !== weekApprovalId(review.contractId, review.week)) {
      problems.push(['/id', 'must be weekApprovalId(contractId, week): one approval per week']);
    }
    if (review.slots.length > 0) {
      problems.push([
        '/slots',
        'must be empty: an approval covers the week’s time except its disputed slots',
      ]);
    }
    // Approving freezes the week: a week still running would refuse the rest of its time.
    if (dayStart(review.week) + weekMs > now) {
      problems.push(['/week', 'has not ended yet: a week is approved once it is over']);
    }
    return problems;
  }

  if (approved) {
    problems.push([
      '/week',
      'was approved already: dispute its slots before approving it, or with the approval',
    ]);
  }
  if (review.reason.trim() === '') problems.push(['/reason', 'must say why the time is disputed']);
  if (review.slots.length === 0) problems.push(['/slots', 'must name at least one slot']);
  const recorded = await recordedSlots(db, review.contractId, review.week);
  const named = new Set<string>();
  review.slots.forEach((slot, index) => {
    const key = slotKey(slot.entryId, slot.start);
    if (named.has(key)) problems.push([`/slots/${index}`, 'names a slot twice']);
    else if (!recorded.has(key)) {
      problems.push([`/slots/${index}`, 'is not a slot of the freelancer’s time in this week']);
    }
    named.add(key);
  });
  return problems;
}

/** Every slot a dispute of a contract's week may name: the live entries' kept slots. */
async function recordedSlots(
  db: Kysely<Database>,
  contractId: string,
  week: string,
): Promise<Set<string>> {
  const entries = await db
    .selectFrom('time_entries')
    .select(['id', 'segments', 'manual_from'])
    .where('contract_id', '=', contractId)
    .where('week', '=', week)
    .where('deleted', '=', 0)
    .execute();
  return new Set(
    entries.flatMap((entry) =>
      disputableSlots({
        id: entry.id,
        segments: JSON.parse(entry.segments) as TimeSegment[],
        manualFrom: entry.manual_from,
      }),
    ),
  );
}

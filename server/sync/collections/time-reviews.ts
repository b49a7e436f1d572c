import type { Selectable } from 'kysely';
import type { WireDocument } from '../../../shared/sync/documents.ts';
import { sameDocument } from '../../../shared/sync/merge.ts';
import type { TimeReviewsTable } from '../../db/schema.ts';
import type { Problem } from '../../time/entry-rules.ts';
import { newReviewProblems } from '../../time/review-rules.ts';
import { timeContract } from '../../time/time-contract.ts';
import { contractTimeReads } from '../../time/contract-time-reads.ts';
import { refreshWeekStatuses } from '../../time/week-status.ts';
import {
  allowed,
  denied,
  flag,
  refuseDeviceWrite,
  unchangedFields,
  type SyncSpec,
  upsertDocumentRow,
} from '../spec.ts';

type TimeReview = WireDocument<'timeReviews'>;

function fromRow(row: Selectable<TimeReviewsTable>): TimeReview {
  return {
    id: row.id,
    updatedAt: row.updated_at,
    contractId: row.contract_id,
    week: row.week,
    kind: row.kind,
    slots: JSON.parse(row.slots) as TimeReview['slots'],
    reason: row.reason,
    reviewerId: row.reviewer_id,
    status: row.status,
    response: row.response,
    createdAt: row.created_at,
    _deleted: row.deleted === 1,
  };
}

/** What a dispute says, fixed once made: it is withdrawn or answered, never rewritten. */
const disputeFixed = [
  'contractId',
  'week',
  'kind',
  'slots',
  'reason',
  'reviewerId',
  'createdAt',
] as const;

/**
 * Time reviews: the client's approvals and disputes of an hourly contract's weeks, seen by
 * both parties. An approval is final. On a dispute the client may only withdraw it and the
 * freelancer may only answer it. Every write moves the week's entries to the status the
 * reviews now give them, in the same transaction.
 */
export const timeReviewsSpec: SyncSpec<'timeReviews'> = {
  ...contractTimeReads('timeReviews', fromRow),
  async authorize(db, user, incoming, existing) {
    const contract = await timeContract(db, (existing ?? incoming).contractId);
    if (!existing) {
      const problems: Problem[] = [];
      if (contract?.client_id !== user.userId) {
        problems.push([
          '/contractId',
          'is not a contract of yours as its client: clients review time',
        ]);
      }
      if (incoming.reviewerId !== user.userId) problems.push(['/reviewerId', 'must be you']);
      if (problems.length > 0 || !contract) return denied(...problems);
      const rules = await newReviewProblems(db, incoming, contract, Date.now());
      return rules.length ? denied(...rules) : allowed;
    }
    if (existing.kind === 'approval') {
      return refuseDeviceWrite(incoming, existing, sameDocument, {
        create: '',
        change: 'an approval is final: it cannot be changed or deleted',
      });
    }
    const problems: Problem[] = [
      ...unchangedFields(incoming, existing, disputeFixed, sameDocument),
    ];
    if (incoming.status !== existing.status) {
      if (contract?.client_id !== user.userId) {
        problems.push(['/status', 'only the client withdraws a dispute']);
      } else if (incoming.status !== 'withdrawn') {
        problems.push(['/status', 'a withdrawn dispute stays withdrawn']);
      }
    }
    if (incoming.response !== existing.response && contract?.freelancer_id !== user.userId) {
      problems.push(['/response', 'only the freelancer answers a dispute']);
    }
    if (incoming._deleted !== existing._deleted) {
      problems.push(['/_deleted', 'a dispute is withdrawn (status), never deleted']);
    }
    return problems.length ? denied(...problems) : allowed;
  },
  async write(context, document, existing, seq) {
    const row = {
      id: document.id,
      seq,
      deleted: flag(document._deleted),
      updated_at: document.updatedAt,
      contract_id: document.contractId,
      week: document.week,
      kind: document.kind,
      slots: JSON.stringify(document.slots),
      reason: document.reason,
      reviewer_id: document.reviewerId,
      status: document.status,
      response: document.response,
      created_at: document.createdAt,
    };
    await upsertDocumentRow(context.trx, 'time_reviews', row);
    // An answer changes no entry's status; a new review or a withdrawal may.
    if (!existing || existing.status !== document.status) {
      await refreshWeekStatuses(context, document.contractId, document.week);
    }
  },
};

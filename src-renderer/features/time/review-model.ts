import { v4 as uuidV4 } from 'uuid';
import type { TimeEntryDocument, TimeReviewDocument } from '../../../shared/sync/documents.ts';
import { weekOf } from '../../../shared/time/slots.ts';
import { weekApprovalId } from '../../../shared/time/stable-ids.ts';

/**
 * A client's reviews of a contract's time: approving a week (one document per week, the same
 * id from every device) and disputing slots with a reason (one document per dispute). The
 * server turns them into the time entries' `status`; devices only write the reviews.
 */

export type SlotKey = `${string}|${string}`;
export const slotKey = (entryId: string, start: string): SlotKey => `${entryId}|${start}`;

export interface SlotDispute {
  reviewId: string;
  status: TimeReviewDocument['status'];
  reason: string;
  response: string;
}

/** Every disputed slot and the dispute it is in; an open dispute outranks a withdrawn one. */
export function disputedSlots(
  reviews: readonly TimeReviewDocument[],
): ReadonlyMap<SlotKey, SlotDispute> {
  const bySlot = new Map<SlotKey, SlotDispute>();
  for (const review of reviews) {
    if (review.kind !== 'dispute') continue;
    for (const slot of review.slots) {
      const key = slotKey(slot.entryId, slot.start);
      const known = bySlot.get(key);
      if (known?.status === 'open') continue;
      bySlot.set(key, {
        reviewId: review.id,
        status: review.status,
        reason: review.reason,
        response: review.response,
      });
    }
  }
  return bySlot;
}

/** Open disputed slots only: what takes time out of an approval. */
export function openDisputedKeys(reviews: readonly TimeReviewDocument[]): ReadonlySet<SlotKey> {
  const keys = new Set<SlotKey>();
  for (const [key, dispute] of disputedSlots(reviews)) if (dispute.status === 'open') keys.add(key);
  return keys;
}

export function weekApproval(
  reviews: readonly TimeReviewDocument[],
  contractId: string,
  week: string,
): TimeReviewDocument | null {
  const id = weekApprovalId(contractId, week);
  return reviews.find((review) => review.id === id && review.kind === 'approval') ?? null;
}

export function approvalDocument(input: {
  contractId: string;
  week: string;
  reviewerId: string;
  now: string;
}): TimeReviewDocument {
  return {
    id: weekApprovalId(input.contractId, input.week),
    updatedAt: input.now,
    contractId: input.contractId,
    week: input.week,
    kind: 'approval',
    slots: [],
    reason: '',
    reviewerId: input.reviewerId,
    status: 'open',
    response: '',
    createdAt: input.now,
  };
}

export const maxReasonLength = 2000;

/** Why a dispute cannot be sent as it is, or null. */
export function disputeProblem(slotCount: number, reason: string): string | null {
  if (slotCount === 0) return 'Select the slots you dispute first.';
  if (reason.trim().length === 0) return 'Say why you dispute these slots.';
  if (reason.length > maxReasonLength)
    return `Keep the reason under ${maxReasonLength} characters.`;
  return null;
}

/**
 * Disputes of the chosen slots, one per week (reviews are per week; a local day can straddle
 * two UTC weeks).
 */
export function disputeDocuments(input: {
  contractId: string;
  slots: ReadonlyArray<{ entryId: string; start: string }>;
  reason: string;
  reviewerId: string;
  now: string;
  newId?: () => string;
}): TimeReviewDocument[] {
  const newId = input.newId ?? uuidV4;
  const byWeek = new Map<string, Array<{ entryId: string; start: string }>>();
  for (const slot of input.slots) {
    const week = weekOf(Date.parse(slot.start));
    byWeek.set(week, [...(byWeek.get(week) ?? []), { entryId: slot.entryId, start: slot.start }]);
  }
  return [...byWeek].map(([week, slots]) => ({
    id: newId(),
    updatedAt: input.now,
    contractId: input.contractId,
    week,
    kind: 'dispute',
    slots,
    reason: input.reason.trim(),
    reviewerId: input.reviewerId,
    status: 'open',
    response: '',
    createdAt: input.now,
  }));
}

export const entryStatusLabels: Record<TimeEntryDocument['status'], string> = {
  pending: 'Awaiting review',
  approved: 'Approved',
  disputed: 'Disputed',
};

export const entryStatusColors: Record<TimeEntryDocument['status'], string> = {
  pending: 'gray',
  approved: 'teal',
  disputed: 'red',
};

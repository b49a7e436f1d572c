import { z } from 'zod';
import { instantSchema } from '../api/time.ts';
import { currencySchema } from './money.ts';

/**
 * Escrow: money a client paid in for one milestone (fixed price) or one week (hourly) of a
 * contract, held by the platform until it is released to the freelancer or refunded. The
 * server owns it; devices pull these documents read-only (one `escrows` collection holds an
 * escrow with its payment, refunds and dispute inside, see ARCHITECTURE.md on grouping) and
 * change them only through the REST commands below, each with an `Idempotency-Key`.
 *
 * All amounts are minor units of the escrow's currency. `heldMinor` is always
 * `fundedMinor − releasedMinor − refundedMinor`, and never negative.
 */

const id = z.uuid();
const minor = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
/** A positive amount in minor units, for commands. */
export const positiveMinorSchema = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

export const railNames = ['stripe', 'sandbox'] as const;
export const railNameSchema = z.enum(railNames);
export type RailName = z.infer<typeof railNameSchema>;

/**
 * - `awaiting_payment`: the payment is processing (or needs the payer's action);
 * - `payment_failed`: the last payment attempt failed; funding may be retried;
 * - `funded`: money is held; `submitted`: the freelancer asked for release (milestones), the
 *   review period runs until `reviewDeadline`;
 * - `disputed`: frozen; nothing moves until an admin resolves it;
 * - `settled`: nothing is held any more (released, refunded, or split: see the amounts).
 */
export const escrowStatuses = [
  'awaiting_payment',
  'payment_failed',
  'funded',
  'submitted',
  'disputed',
  'settled',
] as const;
export const escrowStatusSchema = z.enum(escrowStatuses);
export type EscrowStatus = z.infer<typeof escrowStatusSchema>;

export const paymentStatusSchema = z.enum(['processing', 'requires_action', 'succeeded', 'failed']);
export type PaymentStatus = z.infer<typeof paymentStatusSchema>;

export const escrowPaymentSchema = z
  .object({
    status: paymentStatusSchema,
    rail: railNameSchema,
    amountMinor: minor,
    /** What the payment provider charged for it (borne by the platform). */
    providerFeeMinor: minor.nullable(),
    failureMessage: z.string().max(500).nullable(),
    updatedAt: instantSchema,
  })
  .strict();

export const refundStatusSchema = z.enum([
  'requested',
  'rejected',
  'processing',
  'succeeded',
  'failed',
]);
export type RefundStatus = z.infer<typeof refundStatusSchema>;

export const escrowRefundSchema = z
  .object({
    id,
    amountMinor: minor,
    reason: z.string().max(2000),
    requestedBy: id,
    status: refundStatusSchema,
    /** Who approved or rejected it: the other party or an admin. */
    decidedBy: id.nullable(),
    decidedAt: instantSchema.nullable(),
    failureMessage: z.string().max(500).nullable(),
    createdAt: instantSchema,
  })
  .strict();
export type EscrowRefund = z.infer<typeof escrowRefundSchema>;

export const disputeOutcomeSchema = z.enum(['release', 'refund', 'split']);
export type DisputeOutcome = z.infer<typeof disputeOutcomeSchema>;

export const escrowDisputeSchema = z
  .object({
    id,
    /** `party`: opened by the client or freelancer; `chargeback`: the card holder's bank. */
    source: z.enum(['party', 'chargeback']),
    /** Null for a chargeback. */
    openedBy: id.nullable(),
    reason: z.string().max(2000),
    status: z.enum(['open', 'resolved']),
    outcome: disputeOutcomeSchema.nullable(),
    releasedMinor: minor,
    refundedMinor: minor,
    openedAt: instantSchema,
    resolvedAt: instantSchema.nullable(),
  })
  .strict();
export type EscrowDispute = z.infer<typeof escrowDisputeSchema>;

export const escrowShape = {
  id,
  updatedAt: instantSchema,
  contractId: id,
  clientId: id,
  freelancerId: id,
  /** Fixed-price contracts: the milestone funded; null for a week of an hourly contract. */
  milestoneId: id.nullable(),
  /** Hourly contracts: the ISO week (`2026-W47`); null for a milestone. */
  week: z
    .string()
    .regex(/^\d{4}-W\d{2}$/)
    .nullable(),
  currency: currencySchema,
  /** What the client set out to fund. */
  amountMinor: minor,
  fundedMinor: minor,
  releasedMinor: minor,
  refundedMinor: minor,
  heldMinor: minor,
  /** The platform's fee taken from what was released so far. */
  platformFeeMinor: minor,
  /** What the freelancer received: released minus the platform fee. */
  freelancerNetMinor: minor,
  status: escrowStatusSchema,
  payment: escrowPaymentSchema.nullable(),
  submittedAt: instantSchema.nullable(),
  /** When a submitted milestone is released automatically unless disputed. */
  reviewDeadline: instantSchema.nullable(),
  refunds: z.array(escrowRefundSchema),
  dispute: escrowDisputeSchema.nullable(),
  createdAt: instantSchema,
};

export const escrowDocumentSchema = z.object(escrowShape).strict().meta({ id: 'EscrowDocument' });
export type EscrowDocument = z.infer<typeof escrowDocumentSchema>;

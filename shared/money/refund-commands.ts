import { z } from 'zod';
import { escrowDocumentSchema, escrowRefundSchema, positiveMinorSchema } from './escrow.ts';

/**
 * Refund commands on an escrow (REST, each with an `Idempotency-Key`). Either party asks:
 * the client for money back, or the freelancer offering to return it; the other party (or
 * an admin) approves or rejects. An approved refund goes back to the client's card through
 * the payment rail; its status is then `succeeded` or `failed`.
 */

export const escrowRefundsParamsSchema = z.object({ id: z.uuid() });

export const escrowRefundParamsSchema = z.object({ id: z.uuid(), refundId: z.uuid() });

export const requestRefundInputSchema = z
  .object({
    /** At most what the escrow holds less other refunds still waiting for a decision. */
    amountMinor: positiveMinorSchema,
    reason: z.string().trim().min(1).max(2000),
  })
  .strict()
  .meta({ id: 'RequestRefundInput' });
export type RequestRefundInput = z.infer<typeof requestRefundInputSchema>;

/** The refund the command created or decided, and its escrow afterwards. */
export const refundCommandResultSchema = z
  .object({ refund: escrowRefundSchema, escrow: escrowDocumentSchema })
  .meta({ id: 'RefundCommandResult' });
export type RefundCommandResult = z.infer<typeof refundCommandResultSchema>;

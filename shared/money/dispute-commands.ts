import { z } from 'zod';
import { escrowDisputeSchema, escrowDocumentSchema, positiveMinorSchema } from './escrow.ts';

/**
 * The money side of disputes (REST, each with an `Idempotency-Key`). Either party opens one
 * on a funded or submitted escrow, which freezes it; an admin resolves it by releasing the
 * money to the freelancer, refunding it to the client, or splitting it.
 */

export const escrowDisputeParamsSchema = z.object({ id: z.uuid() });

export const openDisputeInputSchema = z
  .object({ reason: z.string().trim().min(1).max(2000) })
  .strict()
  .meta({ id: 'OpenDisputeInput' });
export type OpenDisputeInput = z.infer<typeof openDisputeInputSchema>;

export const resolveDisputeInputSchema = z
  .discriminatedUnion('outcome', [
    /** Everything held goes to the freelancer, less the platform fee. */
    z.object({ outcome: z.literal('release') }).strict(),
    /** Everything held goes back to the client. */
    z.object({ outcome: z.literal('refund') }).strict(),
    /**
     * `releaseMinor` to the freelancer (less the platform fee), the rest back to the client;
     * both parts must be positive, so it is below what the escrow holds.
     */
    z.object({ outcome: z.literal('split'), releaseMinor: positiveMinorSchema }).strict(),
  ])
  .meta({ id: 'ResolveDisputeInput' });
export type ResolveDisputeInput = z.infer<typeof resolveDisputeInputSchema>;

/** The dispute opened or resolved, and its escrow afterwards. */
export const disputeCommandResultSchema = z
  .object({ dispute: escrowDisputeSchema, escrow: escrowDocumentSchema })
  .meta({ id: 'DisputeCommandResult' });
export type DisputeCommandResult = z.infer<typeof disputeCommandResultSchema>;

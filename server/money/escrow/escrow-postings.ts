import {
  clientEscrow,
  freelancerAvailable,
  freelancerPending,
  platformFees,
  providerClearing,
  providerFees,
} from '../ledger/accounts.ts';
import type { AccountRef } from '../ledger/accounts.ts';
import type { Posting, PostingLine } from '../ledger/ledger.ts';

/**
 * The ledger transactions of escrow, one builder per kind of movement, so every service that
 * moves escrow money (commands, webhooks, the auto-release sweep, dispute resolution) books
 * it the same way. Where the money is:
 *
 *   client pays in      provider_clearing  → client_escrow          (escrow.fund)
 *   provider's fee      provider_fees      → provider_clearing      (in the same transaction)
 *   release             client_escrow      → freelancer_pending + platform_fees   (escrow.release)
 *   transfer            freelancer_pending → freelancer_available   (payout.transfer: now in the
 *                                             freelancer's payout account at the provider)
 *   payout to the bank  freelancer_available → provider_clearing    (payout.paid)
 *   refund              client_escrow      → provider_clearing      (escrow.refund; undone by
 *                                             escrow.refund_reversal if the provider refuses)
 *
 * (Arrows read "debit ← credit" reversed for brevity: the left account is debited.)
 * References are the business object's id, so the ledger's (kind, reference) uniqueness makes
 * a replayed command or webhook post nothing the second time.
 */

function line(account: PostingLine['account'], amountMinor: number, currency: string): PostingLine {
  return { account, amountMinor, currency };
}

/** The plain movement: `amountMinor` debited to `debit`, credited to `credit`. */
function move(
  kind: string,
  reference: string,
  debit: AccountRef,
  credit: AccountRef,
  amountMinor: number,
  currency: string,
): Posting {
  return {
    kind,
    reference,
    lines: [line(debit, amountMinor, currency), line(credit, -amountMinor, currency)],
  };
}

/** `paymentId` is our payments row's id. */
export function fundPosting(input: {
  paymentId: string;
  contractId: string;
  rail: string;
  currency: string;
  amountMinor: number;
  providerFeeMinor: number;
}): Posting {
  const { currency, rail } = input;
  const lines = [
    line(providerClearing(rail, currency), input.amountMinor, currency),
    line(clientEscrow(input.contractId), -input.amountMinor, currency),
  ];
  if (input.providerFeeMinor > 0) {
    lines.push(
      line(providerFees(rail, currency), input.providerFeeMinor, currency),
      line(providerClearing(rail, currency), -input.providerFeeMinor, currency),
    );
  }
  return { kind: 'escrow.fund', reference: input.paymentId, lines };
}

/** `releaseId` names this release (a command's id, or `auto/<escrowId>`). */
export function releasePosting(input: {
  releaseId: string;
  contractId: string;
  freelancerId: string;
  currency: string;
  amountMinor: number;
  platformFeeMinor: number;
}): Posting {
  const { currency } = input;
  const net = input.amountMinor - input.platformFeeMinor;
  const lines = [line(clientEscrow(input.contractId), input.amountMinor, currency)];
  if (net > 0) lines.push(line(freelancerPending(input.freelancerId, currency), -net, currency));
  if (input.platformFeeMinor > 0) {
    lines.push(line(platformFees(currency), -input.platformFeeMinor, currency));
  }
  return { kind: 'escrow.release', reference: input.releaseId, lines };
}

/** `refundId` is our refunds row's id (or the dispute's, for a resolution's refund part). */
export function refundPosting(input: {
  refundId: string;
  contractId: string;
  rail: string;
  currency: string;
  amountMinor: number;
}): Posting {
  return move(
    'escrow.refund',
    input.refundId,
    clientEscrow(input.contractId),
    providerClearing(input.rail, input.currency),
    input.amountMinor,
    input.currency,
  );
}

/**
 * A refund the provider refused, undone: the money reserved out of escrow when the refund
 * was approved (`escrow.refund`, same reference) goes back into escrow. The pair nets to
 * nothing, and both stay visible in the books, as a card hold and its release would.
 */
export function refundReversalPosting(input: Parameters<typeof refundPosting>[0]): Posting {
  const refund = refundPosting(input);
  return {
    kind: 'escrow.refund_reversal',
    reference: refund.reference,
    lines: refund.lines.map((l) => ({ ...l, amountMinor: -BigInt(l.amountMinor) })),
  };
}

/** `transferId` is the provider's transfer id. */
export function transferPosting(input: {
  transferId: string;
  freelancerId: string;
  currency: string;
  amountMinor: number;
}): Posting {
  return move(
    'payout.transfer',
    input.transferId,
    freelancerPending(input.freelancerId, input.currency),
    freelancerAvailable(input.freelancerId, input.currency),
    input.amountMinor,
    input.currency,
  );
}

/** `payoutId` is the provider's payout id. */
export function payoutPosting(input: {
  payoutId: string;
  freelancerId: string;
  rail: string;
  currency: string;
  amountMinor: number;
}): Posting {
  return move(
    'payout.paid',
    input.payoutId,
    freelancerAvailable(input.freelancerId, input.currency),
    providerClearing(input.rail, input.currency),
    input.amountMinor,
    input.currency,
  );
}

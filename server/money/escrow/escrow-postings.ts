import {
  clientEscrow,
  freelancerAvailable,
  freelancerPending,
  platformFees,
  providerClearing,
  providerFees,
} from '../ledger/accounts.ts';
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
 *   refund              client_escrow      → provider_clearing      (escrow.refund)
 *
 * (Arrows read "debit ← credit" reversed for brevity: the left account is debited.)
 * References are the business object's id, so the ledger's (kind, reference) uniqueness makes
 * a replayed command or webhook post nothing the second time.
 */

/** Platform fee on a release, half-up in minor units; `feeBasisPoints` 1000 = 10 %. */
export function platformFeeOf(amountMinor: number, feeBasisPoints: number): number {
  return Number((BigInt(amountMinor) * BigInt(feeBasisPoints) * 2n + 10_000n) / 20_000n);
}

function line(account: PostingLine['account'], amountMinor: number, currency: string): PostingLine {
  return { account, amountMinor, currency };
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
  const { currency } = input;
  return {
    kind: 'escrow.refund',
    reference: input.refundId,
    lines: [
      line(clientEscrow(input.contractId), input.amountMinor, currency),
      line(providerClearing(input.rail, currency), -input.amountMinor, currency),
    ],
  };
}

/** `transferId` is the provider's transfer id. */
export function transferPosting(input: {
  transferId: string;
  freelancerId: string;
  currency: string;
  amountMinor: number;
}): Posting {
  const { currency } = input;
  return {
    kind: 'payout.transfer',
    reference: input.transferId,
    lines: [
      line(freelancerPending(input.freelancerId, currency), input.amountMinor, currency),
      line(freelancerAvailable(input.freelancerId, currency), -input.amountMinor, currency),
    ],
  };
}

/** `payoutId` is the provider's payout id. */
export function payoutPosting(input: {
  payoutId: string;
  freelancerId: string;
  rail: string;
  currency: string;
  amountMinor: number;
}): Posting {
  const { currency } = input;
  return {
    kind: 'payout.paid',
    reference: input.payoutId,
    lines: [
      line(freelancerAvailable(input.freelancerId, currency), input.amountMinor, currency),
      line(providerClearing(input.rail, currency), -input.amountMinor, currency),
    ],
  };
}

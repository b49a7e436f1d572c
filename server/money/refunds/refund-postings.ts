import { clientEscrow, providerClearing } from '../ledger/accounts.ts';
import type { Posting } from '../ledger/ledger.ts';

/**
 * A refund the provider refused, undone: the money reserved out of escrow when the refund
 * was approved (`escrow.refund`, same reference) goes back into escrow. The pair nets to
 * nothing, and both stay visible in the books, as a card hold and its release would.
 */
export function refundReversalPosting(input: {
  refundId: string;
  contractId: string;
  rail: string;
  currency: string;
  amountMinor: number;
}): Posting {
  const { currency } = input;
  return {
    kind: 'escrow.refund_reversal',
    reference: input.refundId,
    lines: [
      { account: providerClearing(input.rail, currency), amountMinor: input.amountMinor, currency },
      { account: clientEscrow(input.contractId), amountMinor: -input.amountMinor, currency },
    ],
  };
}

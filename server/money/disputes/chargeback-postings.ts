import { clientEscrow, providerClearing, providerFees } from '../ledger/accounts.ts';
import type { Posting, PostingLine } from '../ledger/ledger.ts';

/**
 * A chargeback the platform lost: the card holder's bank took `takenMinor` back through the
 * provider (provider_clearing is credited with all of it). What the escrow still holds pays
 * for it first (client_escrow debited). If the escrow holds less — the money was already
 * released to the freelancer or refunded in part — the platform bears the rest: it is booked
 * to provider_fees as a charge of the provider's, the same expense account as its fees,
 * because it is money the provider took from the platform that no escrow covers.
 */
export function chargebackLostPosting(input: {
  providerDisputeId: string;
  contractId: string;
  rail: string;
  currency: string;
  fromEscrowMinor: number;
  shortfallMinor: number;
}): Posting {
  const { currency } = input;
  const taken = input.fromEscrowMinor + input.shortfallMinor;
  const lines: PostingLine[] = [
    { account: providerClearing(input.rail, currency), amountMinor: -taken, currency },
  ];
  if (input.fromEscrowMinor > 0) {
    lines.push({
      account: clientEscrow(input.contractId),
      amountMinor: input.fromEscrowMinor,
      currency,
    });
  }
  if (input.shortfallMinor > 0) {
    lines.push({
      account: providerFees(input.rail, currency),
      amountMinor: input.shortfallMinor,
      currency,
    });
  }
  return { kind: 'chargeback.lost', reference: input.providerDisputeId, lines };
}

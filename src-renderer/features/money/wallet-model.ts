import type { WalletTransactionKind } from '../../../shared/money/escrow-commands.ts';

export const transactionKindLabels: Record<WalletTransactionKind, string> = {
  'escrow.fund': 'Escrow funded',
  'escrow.release': 'Released to freelancer',
  'escrow.refund': 'Refunded to client',
  'escrow.refund_reversal': 'Refund reversed',
  'chargeback.lost': 'Chargeback lost',
  'payout.transfer': 'Moved to payout account',
  'payout.paid': 'Paid out to bank',
};

const dayMs = 86_400_000;

/**
 * The wallet's date filter: calendar days `YYYY-MM-DD` (either may be empty) as the instants
 * the server takes, `from` inclusive and `to` exclusive, so "to 21 Nov" includes that day.
 * Days are UTC, as the ledger's timestamps.
 */
export function dayRange(
  from: string,
  to: string,
): { ok: true; from?: string; to?: string } | { ok: false; error: string } {
  const start = from ? Date.parse(`${from}T00:00:00.000Z`) : null;
  const end = to ? Date.parse(`${to}T00:00:00.000Z`) + dayMs : null;
  if (Number.isNaN(start) || Number.isNaN(end)) return { ok: false, error: 'Enter a date' };
  if (start !== null && end !== null && end <= start) {
    return { ok: false, error: 'The end is before the start' };
  }
  return {
    ok: true,
    ...(start !== null ? { from: new Date(start).toISOString() } : {}),
    ...(end !== null ? { to: new Date(end).toISOString() } : {}),
  };
}

import type { EscrowDocument, EscrowRefund } from '../../../shared/money/escrow.ts';
import { platformFeeOf } from '../../../shared/money/fees.ts';
import { formatMoney, type Money } from '../../../shared/money/money.ts';
import { formatDate } from '../../ui/format.ts';

/**
 * What an escrow means to a person: its state in words, and the commands each party may give
 * from here. The server decides every command; these only keep buttons away that it would
 * refuse anyway, so a refusal on screen means something changed elsewhere meanwhile.
 */

export type Party = 'client' | 'freelancer';

export type EscrowView = {
  label: string;
  color: string;
  /** A second line: why a payment failed, when the review ends, what moved in part. */
  detail: string | null;
};

const money = (amountMinor: number, currency: string): string =>
  formatMoney({ amountMinor, currency });

/** The state of a milestone's or a week's escrow; `undefined` when nothing was funded yet. */
export function escrowView(escrow: EscrowDocument | undefined): EscrowView {
  if (!escrow) return { label: 'Not funded', color: 'gray', detail: null };
  const { currency } = escrow;
  const partly = escrow.releasedMinor > 0 || escrow.refundedMinor > 0 ? movedText(escrow) : null;
  switch (escrow.status) {
    case 'awaiting_payment':
      return {
        label: 'Awaiting payment',
        color: 'yellow',
        detail:
          escrow.payment?.status === 'requires_action'
            ? 'The card issuer asks the client to confirm this payment.'
            : 'The payment is being processed.',
      };
    case 'payment_failed':
      return {
        label: 'Payment failed',
        color: 'red',
        detail: escrow.payment?.failureMessage ?? 'The payment did not go through.',
      };
    case 'funded':
      return {
        label: partly ? partlyLabel(escrow) : 'Funded',
        color: 'blue',
        detail: partly
          ? `${partly}; ${money(escrow.heldMinor, currency)} still held.`
          : `${money(escrow.heldMinor, currency)} held in escrow.`,
      };
    case 'submitted':
      return {
        label: 'Submitted',
        color: 'indigo',
        detail: escrow.reviewDeadline
          ? `Auto-release on ${formatDate(escrow.reviewDeadline)} unless the client responds.`
          : 'Waiting for the client’s review.',
      };
    case 'disputed':
      return {
        label: 'Disputed',
        color: 'red',
        detail: `${money(escrow.heldMinor, currency)} is frozen until the dispute is resolved.`,
      };
    case 'settled':
      return settledView(escrow);
  }
}

function partlyLabel(escrow: EscrowDocument): string {
  if (escrow.refundedMinor === 0) return 'Partly released';
  if (escrow.releasedMinor === 0) return 'Partly refunded';
  return 'Partly settled';
}

function movedText(escrow: EscrowDocument): string {
  const parts: string[] = [];
  if (escrow.releasedMinor > 0)
    parts.push(`${money(escrow.releasedMinor, escrow.currency)} released`);
  if (escrow.refundedMinor > 0)
    parts.push(`${money(escrow.refundedMinor, escrow.currency)} refunded`);
  return parts.join(', ');
}

function settledView(escrow: EscrowDocument): EscrowView {
  const resolved = escrow.dispute?.status === 'resolved' ? 'Dispute resolved: ' : '';
  if (escrow.refundedMinor === 0) {
    return { label: 'Released', color: 'green', detail: resolved ? `${resolved}released.` : null };
  }
  if (escrow.releasedMinor === 0) {
    return {
      label: 'Refunded',
      color: 'grape',
      detail: `${resolved}${money(escrow.refundedMinor, escrow.currency)} refunded to the client.`,
    };
  }
  return { label: 'Released in part', color: 'teal', detail: `${resolved}${movedText(escrow)}.` };
}

/** The refund waiting for a decision, if any (at most one at a time). */
export function pendingRefund(escrow: EscrowDocument): EscrowRefund | undefined {
  return escrow.refunds.find((refund) => refund.status === 'requested');
}

/** What an escrow pays for: a milestone of a fixed-price contract, or a week of an hourly one. */
export type PaymentTarget =
  { kind: 'milestone'; milestoneId: string } | { kind: 'week'; week: string };

export type EscrowCommand =
  | 'fund'
  | 'retry'
  | 'submit'
  | 'release'
  | 'requestRefund'
  | 'offerRefund'
  | 'decideRefund'
  | 'dispute';

/**
 * What `party` may do with an escrow (or the lack of one) now. `kind` says whether it is a
 * milestone (submitted by the freelancer, then approved) or an hourly week (released once the
 * week's time is approved, with no submission).
 */
export function escrowCommands(
  escrow: EscrowDocument | undefined,
  party: Party,
  me: string,
  options: { kind: 'milestone' | 'week'; contractActive: boolean },
): EscrowCommand[] {
  if (!escrow) return party === 'client' && options.contractActive ? ['fund'] : [];
  const commands: EscrowCommand[] = [];
  if (escrow.status === 'payment_failed' && party === 'client') commands.push('retry');
  const holding =
    (escrow.status === 'funded' || escrow.status === 'submitted') && escrow.heldMinor > 0;
  if (!holding) return commands;
  const pending = pendingRefund(escrow);
  if (party === 'freelancer') {
    if (escrow.status === 'funded' && options.kind === 'milestone') commands.push('submit');
    if (!pending) commands.push('offerRefund');
  } else {
    commands.push('release');
    if (!pending) commands.push('requestRefund');
  }
  if (pending && pending.requestedBy !== me) commands.push('decideRefund');
  commands.push('dispute');
  return commands;
}

/**
 * What was released and what the freelancer received of it after the platform's fee, as the
 * server booked it; null until something was released.
 */
export function feeSplit(
  escrow: EscrowDocument | undefined,
): { released: Money; fee: Money; net: Money } | null {
  if (!escrow || escrow.releasedMinor === 0) return null;
  const { currency } = escrow;
  return {
    released: { amountMinor: escrow.releasedMinor, currency },
    fee: { amountMinor: escrow.platformFeeMinor, currency },
    net: { amountMinor: escrow.freelancerNetMinor, currency },
  };
}

/**
 * Before release: what the freelancer would receive if everything still held were released
 * now, after the platform's fee at the server's rate (`GET /payments/rail`), computed with
 * the server's own rounding. Only for escrows that hold money and wait for a release
 * (funded or submitted, nothing released yet); null otherwise, or while the rate is unknown.
 */
export function expectedSplit(
  escrow: EscrowDocument | undefined,
  feeBasisPoints: number | null,
): { held: Money; fee: Money; net: Money } | null {
  if (!escrow || feeBasisPoints === null) return null;
  if (escrow.status !== 'funded' && escrow.status !== 'submitted') return null;
  if (escrow.releasedMinor > 0 || escrow.heldMinor <= 0) return null;
  const { currency, heldMinor } = escrow;
  const fee = platformFeeOf(heldMinor, feeBasisPoints);
  return {
    held: { amountMinor: heldMinor, currency },
    fee: { amountMinor: fee, currency },
    net: { amountMinor: heldMinor - fee, currency },
  };
}

/** `2026-11-16` (the Monday a time review names) → `2026-W47` (the week an escrow names). */
export function isoWeekOfMonday(monday: string): string {
  const date = new Date(`${monday}T00:00:00Z`);
  // The ISO week belongs to the year of its Thursday.
  const thursday = new Date(date.getTime() + 3 * 86_400_000);
  const year = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  const firstMonday = firstThursday.getTime() - ((firstThursday.getUTCDay() + 6) % 7) * 86_400_000;
  const week = Math.floor((date.getTime() - firstMonday) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** `2026-W47` → `2026-11-16`, its Monday (UTC). */
export function mondayOfIsoWeek(week: string): string {
  const [yearText, weekText] = week.split('-W');
  const year = Number(yearText);
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  const firstMonday = firstThursday.getTime() - ((firstThursday.getUTCDay() + 6) % 7) * 86_400_000;
  return new Date(firstMonday + (Number(weekText) - 1) * 7 * 86_400_000).toISOString().slice(0, 10);
}

/** The weekly amount an hourly contract funds by default: its weekly limit at its rate. */
export function weeklyAmount(rate: Money | null, weeklyHourLimit: number | null): number | null {
  if (!rate || weeklyHourLimit === null) return null;
  return rate.amountMinor * weeklyHourLimit;
}

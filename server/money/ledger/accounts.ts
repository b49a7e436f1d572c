/**
 * The ledger's chart of accounts. An account is a kind plus an owner key; it holds exactly
 * one currency, fixed by its first posting. Accounts that can hold several currencies in
 * real life (a freelancer's balance, the platform's fees) are therefore one account per
 * currency, with the currency in the owner key, so no sum ever adds dollars to euros.
 *
 * Sign convention for entries: debit positive, credit negative. An account's balance is
 * shown on its normal side: assets and expenses are debit-normal (balance = sum), what the
 * platform owes or has earned is credit-normal (balance = −sum).
 */

export const accountKinds = [
  'client_escrow',
  'freelancer_pending',
  'freelancer_available',
  'platform_fees',
  'provider_clearing',
  'provider_fees',
] as const;

export type AccountKind = (typeof accountKinds)[number];

export interface AccountKindRules {
  normalSide: 'debit' | 'credit';
  /** Money held for someone: a negative balance would mean paying out money nobody put in. */
  mayGoNegative: boolean;
}

export const accountKindRules: Readonly<Record<AccountKind, AccountKindRules>> = {
  // Held for the client of one contract until released or refunded: a liability.
  client_escrow: { normalSide: 'credit', mayGoNegative: false },
  // Released to a freelancer but not yet withdrawable (the provider's clearing delay).
  freelancer_pending: { normalSide: 'credit', mayGoNegative: false },
  // A freelancer's withdrawable balance.
  freelancer_available: { normalSide: 'credit', mayGoNegative: false },
  // The platform's earned fees: revenue.
  platform_fees: { normalSide: 'credit', mayGoNegative: false },
  // Money at the payment provider, in flight to or from us: an asset that legitimately
  // dips below zero while a payout leaves before the matching charge settles.
  provider_clearing: { normalSide: 'debit', mayGoNegative: true },
  // What the provider charged us: an expense; refunds of its fees make it move back.
  provider_fees: { normalSide: 'debit', mayGoNegative: true },
};

/** Kinds whose balance must never be below zero, for checks and queries. */
export const nonNegativeKinds: readonly AccountKind[] = accountKinds.filter(
  (kind) => !accountKindRules[kind].mayGoNegative,
);

export interface AccountRef {
  kind: AccountKind;
  /** Who or what the account belongs to; unique together with the kind. */
  ownerKey: string;
}

/** The client's money held for one contract (a contract has one currency). */
export function clientEscrow(contractId: string): AccountRef {
  return { kind: 'client_escrow', ownerKey: contractId };
}

export function freelancerPending(userId: string, currency: string): AccountRef {
  return { kind: 'freelancer_pending', ownerKey: `${userId}/${currency}` };
}

export function freelancerAvailable(userId: string, currency: string): AccountRef {
  return { kind: 'freelancer_available', ownerKey: `${userId}/${currency}` };
}

export function platformFees(currency: string): AccountRef {
  return { kind: 'platform_fees', ownerKey: currency };
}

/** `provider` names the rail ("stripe", "sandbox"), so the two never share a balance. */
export function providerClearing(provider: string, currency: string): AccountRef {
  return { kind: 'provider_clearing', ownerKey: `${provider}/${currency}` };
}

export function providerFees(provider: string, currency: string): AccountRef {
  return { kind: 'provider_fees', ownerKey: `${provider}/${currency}` };
}

/** A stable printable name, for messages and the verify report. */
export function accountName(account: AccountRef): string {
  return `${account.kind}:${account.ownerKey}`;
}

/** Turns a raw sum of entries (debit +, credit −) into the balance on the account's normal side. */
export function normalBalance(kind: AccountKind, rawSum: bigint): bigint {
  return accountKindRules[kind].normalSide === 'debit' ? rawSum : -rawSum;
}

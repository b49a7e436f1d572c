import type { PaymentStatus, RailName } from '../../../shared/money/escrow.ts';

/**
 * The payment rail: everything the platform asks of a payment provider, in our terms.
 * Two implementations: Stripe (the real `stripe` SDK) and a clearly labelled sandbox used
 * when no Stripe keys are configured. Services never import a provider's SDK; they hold a
 * `PaymentRail`. Amounts are minor units; currencies are ISO 4217 upper case.
 *
 * Every call that moves money takes an idempotency key, passed to the provider, so a retry
 * after a timeout never charges, refunds or transfers twice.
 */
export interface PaymentRail {
  readonly name: RailName;

  // --- Customers and saved payment methods (clients) ---
  /** Creates the provider's customer for a user; the caller stores the id (one per user). */
  createCustomer(input: {
    userId: string;
    email: string;
    name: string;
  }): Promise<{ customerId: string }>;
  listPaymentMethods(customerId: string): Promise<SavedPaymentMethod[]>;
  detachPaymentMethod(customerId: string, paymentMethodId: string): Promise<void>;

  // --- Payments into escrow ---
  /** Charges a saved payment method off-session and confirms at once. */
  createPayment(input: CreatePaymentInput): Promise<RailPayment>;
  /** The payment's current state at the provider (webhooks reconcile through it). */
  retrievePayment(paymentId: string): Promise<RailPayment>;
  refund(input: RefundInput): Promise<RailRefund>;

  // --- Freelancer payout accounts (Stripe Connect Express) ---
  createPayoutAccount(input: {
    userId: string;
    email: string;
    country: string;
  }): Promise<{ accountId: string }>;
  retrievePayoutAccount(accountId: string): Promise<PayoutAccountStatus>;
  /** Moves released money to the freelancer's payout account. */
  transfer(input: TransferInput): Promise<RailTransfer>;

  // --- Added with the Stripe and sandbox rails (server/money/rails/) ---
  /**
   * A one-time URL where the freelancer completes onboarding: Stripe-hosted (an account
   * link), or the sandbox's own page, which completes it at once.
   */
  createOnboardingLink(input: {
    accountId: string;
    returnUrl: string;
    refreshUrl: string;
  }): Promise<{ url: string }>;
  /** The most recent payouts of a payout account to its bank, newest first. */
  listPayouts(accountId: string): Promise<RailPayout[]>;
}

export interface RailPayout {
  id: string;
  amountMinor: number;
  currency: string;
  status: 'pending' | 'in_transit' | 'paid' | 'failed' | 'canceled';
  /** ISO 8601 instant the money is expected to (or did) arrive. */
  arrivalDate: string;
}

export interface SavedPaymentMethod {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface CreatePaymentInput {
  customerId: string;
  paymentMethodId: string;
  amountMinor: number;
  currency: string;
  idempotencyKey: string;
  /** Shown at the provider and echoed in webhooks (e.g. `escrowId`). */
  metadata: Record<string, string>;
}

export interface RailPayment {
  id: string;
  status: PaymentStatus;
  amountMinor: number;
  currency: string;
  /** What the provider charged for it, once known (after success). */
  providerFeeMinor: number | null;
  failureMessage: string | null;
  metadata: Record<string, string>;
}

export interface RefundInput {
  paymentId: string;
  amountMinor: number;
  idempotencyKey: string;
  metadata: Record<string, string>;
}

export interface RailRefund {
  id: string;
  paymentId: string;
  status: 'pending' | 'succeeded' | 'failed';
  amountMinor: number;
  failureMessage: string | null;
}

export interface PayoutAccountStatus {
  accountId: string;
  detailsSubmitted: boolean;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  /** What the provider still needs from the freelancer (field names), empty when complete. */
  requirementsDue: string[];
}

export interface TransferInput {
  accountId: string;
  amountMinor: number;
  currency: string;
  idempotencyKey: string;
  metadata: Record<string, string>;
}

export interface RailTransfer {
  id: string;
  amountMinor: number;
  currency: string;
}

/** A provider's error, in words a user can act on; `declined` for card declines. */
export class RailError extends Error {
  readonly code: 'declined' | 'invalid_request' | 'unavailable' | 'authentication';
  constructor(code: RailError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RailError';
    this.code = code;
  }
}

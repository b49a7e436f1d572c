import Stripe from 'stripe';
import type { PaymentStatus } from '../../../shared/money/escrow.ts';
import {
  RailError,
  type CreatePaymentInput,
  type PaymentRail,
  type PayoutAccountStatus,
  type RailPayment,
  type RailPayout,
  type RailRefund,
  type RailTransfer,
  type RefundInput,
  type SavedPaymentMethod,
  type TransferInput,
} from './payment-rail.ts';

export interface StripeRailOptions {
  secretKey: string;
  /** Points the SDK at another server (tests: a local fake), e.g. `http://127.0.0.1:12345`. */
  apiUrl?: string;
}

/** The SDK's client for our configuration; also what the webhook endpoint verifies with. */
export function stripeClient(options: StripeRailOptions): Stripe {
  const target = options.apiUrl ? new URL(options.apiUrl) : null;
  return new Stripe(options.secretKey, {
    // Every money-moving call carries our idempotency key, so the SDK's retries are safe.
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(target
      ? {
          host: target.hostname,
          port: target.port || (target.protocol === 'https:' ? 443 : 80),
          protocol: target.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}

const expandFee = ['latest_charge.balance_transaction'];

/**
 * The payment rail on Stripe: customers and saved cards, PaymentIntents confirmed off-session
 * on a saved card, refunds, Connect Express accounts for freelancers, transfers and payouts.
 * Stripe's errors become `RailError`s; a card decline keeps Stripe's message for the payer.
 */
export class StripeRail implements PaymentRail {
  readonly name = 'stripe' as const;
  readonly stripe: Stripe;

  constructor(options: StripeRailOptions) {
    this.stripe = stripeClient(options);
  }

  async createCustomer(input: { userId: string; email: string; name: string }) {
    const customer = await call(() =>
      this.stripe.customers.create(
        { email: input.email, name: input.name, metadata: { userId: input.userId } },
        // Two racing first uses of one user's customer create one customer at Stripe.
        { idempotencyKey: `customer-${input.userId}` },
      ),
    );
    return { customerId: customer.id };
  }

  async listPaymentMethods(customerId: string): Promise<SavedPaymentMethod[]> {
    const list = await call(() =>
      this.stripe.customers.listPaymentMethods(customerId, { type: 'card', limit: 100 }),
    );
    return list.data.flatMap((method) =>
      method.card
        ? [
            {
              id: method.id,
              brand: method.card.brand,
              last4: method.card.last4,
              expMonth: method.card.exp_month,
              expYear: method.card.exp_year,
            },
          ]
        : [],
    );
  }

  async detachPaymentMethod(customerId: string, paymentMethodId: string): Promise<void> {
    const method = await call(() => this.stripe.paymentMethods.retrieve(paymentMethodId));
    const owner = typeof method.customer === 'string' ? method.customer : method.customer?.id;
    if (owner !== customerId) {
      throw new RailError('invalid_request', `No saved payment method ${paymentMethodId}.`);
    }
    await call(() => this.stripe.paymentMethods.detach(paymentMethodId));
  }

  async createPayment(input: CreatePaymentInput): Promise<RailPayment> {
    const intent = await call(() =>
      this.stripe.paymentIntents.create(
        {
          amount: input.amountMinor,
          currency: input.currency.toLowerCase(),
          customer: input.customerId,
          payment_method: input.paymentMethodId,
          confirm: true,
          off_session: true,
          metadata: input.metadata,
          expand: expandFee,
        },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    return paymentOf(intent);
  }

  async retrievePayment(paymentId: string): Promise<RailPayment> {
    const intent = await call(() =>
      this.stripe.paymentIntents.retrieve(paymentId, { expand: expandFee }),
    );
    return paymentOf(intent);
  }

  async refund(input: RefundInput): Promise<RailRefund> {
    const refund = await call(() =>
      this.stripe.refunds.create(
        { payment_intent: input.paymentId, amount: input.amountMinor, metadata: input.metadata },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    const failed = refund.status === 'failed' || refund.status === 'canceled';
    return {
      id: refund.id,
      paymentId: input.paymentId,
      status: refund.status === 'succeeded' ? 'succeeded' : failed ? 'failed' : 'pending',
      amountMinor: refund.amount,
      failureMessage: failed ? `The refund failed (${refund.failure_reason ?? 'unknown'}).` : null,
    };
  }

  async createPayoutAccount(input: { userId: string; email: string; country: string }) {
    const account = await call(() =>
      this.stripe.accounts.create(
        {
          type: 'express',
          country: input.country,
          email: input.email,
          capabilities: { transfers: { requested: true } },
          metadata: { userId: input.userId },
        },
        { idempotencyKey: `payout-account-${input.userId}` },
      ),
    );
    return { accountId: account.id };
  }

  async retrievePayoutAccount(accountId: string): Promise<PayoutAccountStatus> {
    const account = await call(() => this.stripe.accounts.retrieve(accountId));
    return payoutStatusOf(account);
  }

  async createOnboardingLink(input: { accountId: string; returnUrl: string; refreshUrl: string }) {
    const link = await call(() =>
      this.stripe.accountLinks.create({
        account: input.accountId,
        return_url: input.returnUrl,
        refresh_url: input.refreshUrl,
        type: 'account_onboarding',
      }),
    );
    return { url: link.url };
  }

  async transfer(input: TransferInput): Promise<RailTransfer> {
    const transfer = await call(() =>
      this.stripe.transfers.create(
        {
          amount: input.amountMinor,
          currency: input.currency.toLowerCase(),
          destination: input.accountId,
          metadata: input.metadata,
        },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    return {
      id: transfer.id,
      amountMinor: transfer.amount,
      currency: transfer.currency.toUpperCase(),
    };
  }

  async listPayouts(accountId: string): Promise<RailPayout[]> {
    const list = await call(() =>
      this.stripe.payouts.list({ limit: 20 }, { stripeAccount: accountId }),
    );
    return list.data.map((payout) => ({
      id: payout.id,
      amountMinor: payout.amount,
      currency: payout.currency.toUpperCase(),
      status: payout.status as RailPayout['status'],
      arrivalDate: new Date(payout.arrival_date * 1000).toISOString(),
    }));
  }

  /**
   * A Stripe-hosted Checkout page in setup mode where the client saves a card. The desktop
   * app opens its URL in the system browser: card details never touch our app or server,
   * and no Stripe.js (which a SetupIntent's client secret would need) runs in Electron.
   */
  async createCardSetup(input: { customerId: string; successUrl: string; cancelUrl: string }) {
    const session = await call(() =>
      this.stripe.checkout.sessions.create({
        mode: 'setup',
        customer: input.customerId,
        allowed_payment_method_types: ['card'],
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
      }),
    );
    if (!session.url) throw new RailError('unavailable', 'Stripe returned no Checkout URL.');
    return { url: session.url };
  }
}

export function payoutStatusOf(account: Stripe.Account): PayoutAccountStatus {
  return {
    accountId: account.id,
    detailsSubmitted: account.details_submitted ?? false,
    chargesEnabled: account.charges_enabled ?? false,
    payoutsEnabled: account.payouts_enabled ?? false,
    requirementsDue: account.requirements?.currently_due ?? [],
  };
}

function paymentOf(intent: Stripe.PaymentIntent): RailPayment {
  const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  const txn =
    charge && typeof charge.balance_transaction === 'object' ? charge.balance_transaction : null;
  const status = statusOf(intent.status);
  return {
    id: intent.id,
    status,
    amountMinor: intent.amount,
    currency: intent.currency.toUpperCase(),
    providerFeeMinor: status === 'succeeded' && txn ? txn.fee : null,
    failureMessage:
      status === 'failed'
        ? (intent.last_payment_error?.message ?? 'The payment was not completed.')
        : null,
    metadata: { ...intent.metadata },
  };
}

function statusOf(status: Stripe.PaymentIntent.Status): PaymentStatus {
  switch (status) {
    case 'succeeded':
      return 'succeeded';
    case 'processing':
      return 'processing';
    case 'requires_action':
    case 'requires_confirmation':
    case 'requires_capture':
      return 'requires_action';
    default:
      // requires_payment_method (after a failed attempt) and canceled.
      return 'failed';
  }
}

/** Runs one SDK call, translating Stripe's errors into the rail's. */
async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw railErrorOf(error);
  }
}

export function railErrorOf(error: unknown): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const message = error.message;
  if (error instanceof Stripe.errors.StripeCardError) {
    return new RailError('declined', message, { cause: error });
  }
  if (
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  ) {
    return new RailError('authentication', message, { cause: error });
  }
  if (
    error instanceof Stripe.errors.StripeInvalidRequestError ||
    error instanceof Stripe.errors.StripeIdempotencyError
  ) {
    return new RailError('invalid_request', message, { cause: error });
  }
  return new RailError('unavailable', message, { cause: error });
}

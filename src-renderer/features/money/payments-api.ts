import {
  hostedPageSchema,
  paymentMethodListSchema,
  payoutAccountSchema,
  payoutListSchema,
  railInfoSchema,
  savedPaymentMethodSchema,
} from '../../../shared/money/payment-accounts.ts';
import { api } from '../session/api.ts';

/**
 * Payment accounts: the server's rail, a client's saved cards, a freelancer's payout account
 * and payouts. Saving or removing a card moves no money, so these carry no idempotency key.
 */
export const fetchRail = () => api.json('GET', '/payments/rail', railInfoSchema);

export const fetchPaymentMethods = () =>
  api.json('GET', '/payments/methods', paymentMethodListSchema);

export const removePaymentMethod = (id: string) =>
  api.send('DELETE', `/payments/methods/${encodeURIComponent(id)}`);

/** Sandbox only: a test card that always succeeds or is always declined. */
export const addSandboxCard = (outcome: 'succeeds' | 'declines') =>
  api.json('POST', '/payments/sandbox/cards', savedPaymentMethodSchema, { outcome });

/** Stripe only: the Checkout page (setup mode) where a card is saved, opened in the browser. */
export const startCardSetup = () => api.json('POST', '/payments/methods/setup', hostedPageSchema);

export const fetchPayoutAccount = () =>
  api.json('GET', '/payments/payout-account', payoutAccountSchema);

export const startPayoutOnboarding = () =>
  api.json('POST', '/payments/payout-account/onboarding', hostedPageSchema);

export const fetchPayouts = () => api.json('GET', '/payments/payouts', payoutListSchema);

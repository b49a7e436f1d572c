import { z } from 'zod';
import { railNameSchema } from './escrow.ts';

/**
 * Payment accounts: which rail the server runs on, a client's saved cards, a freelancer's
 * payout account (Stripe Connect Express, or the sandbox's) and its payouts.
 */

export const railInfoSchema = z
  .object({
    /** `sandbox`: no real money moves; cards are test cards, onboarding completes at once. */
    rail: railNameSchema,
    /** The platform's fee on each release (1000 = 10 %): the app shows the net before release. */
    platformFeeBps: z.int().min(0).max(10_000),
  })
  .meta({ id: 'PaymentRailInfo' });

export const savedPaymentMethodSchema = z
  .object({
    id: z.string(),
    brand: z.string(),
    last4: z.string(),
    expMonth: z.int().min(1).max(12),
    expYear: z.int(),
  })
  .meta({ id: 'SavedPaymentMethod' });
export type SavedPaymentMethodView = z.infer<typeof savedPaymentMethodSchema>;

/** Newest first; the first one is the card escrow funding charges. */
export const paymentMethodListSchema = z
  .object({ data: z.array(savedPaymentMethodSchema) })
  .meta({ id: 'PaymentMethodList' });

export const paymentMethodIdParamsSchema = z.object({
  id: z.string().regex(/^[\w-]{3,100}$/, 'must be a payment method id'),
});

/** The sandbox's test cards: one always succeeds, one is always declined. */
export const sandboxCardInputSchema = z
  .object({ outcome: z.enum(['succeeds', 'declines']) })
  .strict()
  .meta({ id: 'SandboxCardInput' });
export type SandboxCardInput = z.infer<typeof sandboxCardInputSchema>;

/** A provider-hosted page the app opens in the browser (Checkout, Connect onboarding). */
export const hostedPageSchema = z.object({ url: z.url() }).meta({ id: 'HostedPage' });

export const payoutAccountStatuses = ['none', 'onboarding', 'active'] as const;

export const payoutAccountSchema = z
  .object({
    status: z.enum(payoutAccountStatuses),
    rail: railNameSchema,
    accountId: z.string().nullable(),
    detailsSubmitted: z.boolean(),
    payoutsEnabled: z.boolean(),
    /** What the provider still needs (its field names); empty when complete. */
    requirementsDue: z.array(z.string()),
  })
  .meta({ id: 'PayoutAccount' });
export type PayoutAccountView = z.infer<typeof payoutAccountSchema>;

export const payoutSchema = z
  .object({
    id: z.string(),
    amountMinor: z.int().min(0),
    currency: z.string(),
    status: z.enum(['pending', 'in_transit', 'paid', 'failed', 'canceled']),
    arrivalDate: z.string(),
  })
  .meta({ id: 'Payout' });

export const payoutListSchema = z
  .object({ data: z.array(payoutSchema) })
  .meta({ id: 'PayoutList' });

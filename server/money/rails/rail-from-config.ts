import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { SandboxRail } from './sandbox-rail.ts';
import { StripeRail } from './stripe-rail.ts';

/**
 * The rail this server runs on, chosen once at startup: Stripe when a secret key is
 * configured, otherwise the sandbox. Kept as a tagged pair so the few places that need a
 * provider's own extras (Stripe Checkout for saving cards, the sandbox's test cards and
 * onboarding page) reach them without casts; everything else holds `rail` as a PaymentRail.
 */
export type ConfiguredRail =
  | { kind: 'stripe'; rail: StripeRail; webhookSecret: string | undefined }
  | { kind: 'sandbox'; rail: SandboxRail };

/** `publicUrl`: the server's base URL once it listens (return pages, sandbox onboarding). */
export function railFromConfig(config: Config, db: Db, publicUrl: () => string): ConfiguredRail {
  if (config.stripe) {
    return {
      kind: 'stripe',
      rail: new StripeRail({ secretKey: config.stripe.secretKey, apiUrl: config.stripe.apiUrl }),
      webhookSecret: config.stripe.webhookSecret,
    };
  }
  return { kind: 'sandbox', rail: new SandboxRail(db, publicUrl) };
}

import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import type { AnyRoute } from '../../http/route.ts';
import type { SyncedWrites } from '../../sync/synced-writes.ts';
import { defaultPaymentMethodFor, storedCustomer } from '../payment-accounts/customers.ts';
import { payoutAccountFor } from '../payment-accounts/payout-accounts.ts';
import type { PaymentRail } from '../rails/payment-rail.ts';
import type { WebhookRegistry } from '../webhooks/webhook-registry.ts';
import { runAutoRelease, startAutoReleaseSweep, type AutoReleaseDeps } from './auto-release.ts';
import { registerEscrowWebhooks } from './escrow-webhooks.ts';
import {
  EscrowService,
  type EscrowPaymentAccounts,
  type EscrowSettings,
} from './escrow-service.ts';
import { PayoutSync, registerPayoutWebhooks } from './payout-sync.ts';
import { PayoutTransfers } from './payout-transfers.ts';
import { escrowRoutes } from './routes.ts';

export interface EscrowCapability {
  service: EscrowService;
  transfers: PayoutTransfers;
  /** Books the provider's payouts to the freelancers' banks (`payout.paid`). */
  payouts: PayoutSync;
  routes: AnyRoute[];
  /** One auto-release sweep at `now` (tests inject the clock). */
  sweep(now?: number): ReturnType<typeof runAutoRelease>;
  /** Stops the periodic sweep and waits for a running one. */
  close(): Promise<void>;
}

/**
 * Escrow wired to the rail and the payment accounts: the service, its routes, the Stripe
 * webhook handlers (registered here, after the payment accounts' own) and the periodic
 * auto-release sweep (`sweepIntervalMs` 0: none, tests call `sweep`).
 */
export function createEscrowCapability(deps: {
  db: Db;
  writes: SyncedWrites;
  rail: PaymentRail;
  webhooks: WebhookRegistry;
  settings: EscrowSettings;
  sweepIntervalMs: number;
  logger: Logger;
}): EscrowCapability {
  const { db, rail } = deps;
  const accounts: EscrowPaymentAccounts = {
    async chargeSourceFor(userId, paymentMethodId) {
      if (paymentMethodId === undefined) {
        const saved = await defaultPaymentMethodFor(db, rail, userId);
        return saved ? { customerId: saved.customerId, paymentMethodId: saved.method.id } : null;
      }
      // A named method must be one of the caller's own saved ones.
      const customerId = await storedCustomer(db, rail, userId);
      if (!customerId) return null;
      const methods = await rail.listPaymentMethods(customerId);
      return methods.some((method) => method.id === paymentMethodId)
        ? { customerId, paymentMethodId }
        : null;
    },
  };
  const payouts = new PayoutSync({ db, rail, logger: deps.logger });
  const transfers = new PayoutTransfers({
    db,
    rail,
    logger: deps.logger,
    afterTransfer: (freelancerId) => payouts.afterTransfer(freelancerId),
    payoutAccountFor: async (userId) => {
      const account = await payoutAccountFor(db, rail, userId);
      return account?.status === 'active' ? { accountId: account.accountId } : null;
    },
  });
  const service = new EscrowService({
    db,
    writes: deps.writes,
    rail,
    accounts,
    transfers,
    settings: deps.settings,
    logger: deps.logger,
  });
  registerEscrowWebhooks(deps.webhooks, { db, transfers });
  registerPayoutWebhooks(deps.webhooks, payouts);
  const sweepDeps: AutoReleaseDeps = {
    db,
    writes: deps.writes,
    settings: deps.settings,
    transfers,
    payouts,
    logger: deps.logger,
  };
  const sweeper =
    deps.sweepIntervalMs > 0 ? startAutoReleaseSweep(sweepDeps, deps.sweepIntervalMs) : null;
  return {
    service,
    transfers,
    payouts,
    routes: escrowRoutes(db, service),
    sweep: (now) => runAutoRelease(sweepDeps, now),
    close: async () => {
      await sweeper?.stop();
    },
  };
}

import type { Db } from '../../db/database.ts';
import type { WebhookRegistry } from '../webhooks/webhook-registry.ts';
import { reconcilePayment } from './payment-reconcile.ts';
import type { PayoutTransfers } from './payout-transfers.ts';

/**
 * Stripe's word on escrow payments. Whatever the event says, the handler asks the rail for
 * the PaymentIntent's current state and reconciles to it (deliveries come late, twice, or
 * out of order); `reconcilePayment` books the money once and never undoes a success.
 */
export function registerEscrowWebhooks(
  registry: WebhookRegistry,
  deps: { db: Db; transfers: PayoutTransfers },
): void {
  for (const type of [
    'payment_intent.succeeded',
    'payment_intent.payment_failed',
    'payment_intent.processing',
  ]) {
    registry.on(type, async (context) => {
      const { event, rail } = context;
      const object = event.data.object as { id?: unknown };
      if (typeof object.id !== 'string') return;
      const payment = await rail.retrievePayment(object.id);
      const row = await deps.db.kysely
        .selectFrom('payments')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('rail', '=', rail.name), eb('provider_payment_id', '=', payment.id)]),
            eb('id', '=', payment.metadata.paymentId ?? ''),
          ]),
        )
        .executeTakeFirst();
      // Not one of ours (another integration on the same Stripe account).
      if (!row) return;
      await context.applyOnce(async (sync) => {
        await reconcilePayment(sync, row.id, payment);
      });
    });
  }

  // A freelancer's payout account became able to receive: move what waits for them.
  registry.on('account.updated', async ({ event }) => {
    const object = event.data.object as { id?: unknown };
    if (typeof object.id !== 'string') return;
    const account = await deps.db.kysely
      .selectFrom('payout_accounts')
      .select(['user_id', 'payouts_enabled'])
      .where('account_id', '=', object.id)
      .executeTakeFirst();
    if (account?.payouts_enabled === 1) await deps.transfers.afterRelease(account.user_id);
  });
}

import type Stripe from 'stripe';
import type { WebhookContext, WebhookHandler } from '../webhooks/webhook-handlers.ts';
import { settleRefund } from './refund-settlement.ts';

/**
 * The provider's later word on a refund: Stripe reports refunds that were `pending` when
 * created (and any whose answer we lost to an outage) through refund events. The refund is
 * found by the provider's id, or by our id in its metadata (set when it was created); a
 * `processing` refund then settles, anything else is left as it is, so duplicated or
 * reordered deliveries change nothing. Refunds of dispute resolutions carry no refund id and
 * are not ours to settle here.
 */

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function outcomeOf(refund: Stripe.Refund) {
  const status: 'succeeded' | 'failed' | 'pending' =
    refund.status === 'succeeded'
      ? 'succeeded'
      : refund.status === 'failed' || refund.status === 'canceled'
        ? 'failed'
        : 'pending';
  return {
    id: refund.id,
    status,
    failureMessage:
      status === 'failed' ? `The refund failed (${refund.failure_reason ?? 'unknown'}).` : null,
  };
}

const refundChanged: WebhookHandler = async (context: WebhookContext) => {
  const refund = context.event.data.object as Stripe.Refund;
  const ourId = refund.metadata?.refundId;
  await context.applyOnce(async (sync) => {
    const found = await sync.trx
      .selectFrom('refunds as r')
      .innerJoin('escrows as e', 'e.id', 'r.escrow_id')
      .select(['r.id as refundId', 'e.id', 'e.client_id', 'e.freelancer_id'])
      .where((eb) =>
        ourId && uuidPattern.test(ourId)
          ? eb.or([eb('r.provider_refund_id', '=', refund.id), eb('r.id', '=', ourId)])
          : eb('r.provider_refund_id', '=', refund.id),
      )
      .executeTakeFirst();
    if (!found) return;
    await settleRefund(sync, found, found.refundId, outcomeOf(refund));
  });
};

/** For the webhook registry: event type → handler. */
export const refundWebhookHandlers: ReadonlyArray<readonly [string, WebhookHandler]> = [
  ['refund.created', refundChanged],
  ['refund.updated', refundChanged],
  ['refund.failed', refundChanged],
  ['charge.refund.updated', refundChanged],
];

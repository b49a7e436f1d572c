import type Stripe from 'stripe';
import type { SyncWriteContext } from '../../sync/write-context.ts';
import type { PaymentRail } from '../rails/payment-rail.ts';

/**
 * How a capability reacts to a verified Stripe event. The webhook endpoint
 * (server/money/webhooks/) verifies the signature, then calls the handlers registered for
 * the event's type. A handler first asks the provider what it needs (outside any database
 * transaction: network calls never hold SQLite's write lock), then calls `applyOnce` with
 * its database work. `applyOnce` records the event id in `webhook_events` in the same
 * transaction as that work, so an event delivered twice (or by two racing deliveries)
 * changes state exactly once; the second call finds the id recorded and does nothing.
 *
 * Deliveries can arrive out of order: handlers reconcile to the object's current state at
 * the provider (retrieve the PaymentIntent and act on its status), never to the event's
 * snapshot alone.
 */
export interface WebhookContext {
  event: Stripe.Event;
  rail: PaymentRail;
  /** Runs `work` in one synced transaction together with recording the event; once per event. */
  applyOnce: (work: (sync: SyncWriteContext) => Promise<void>) => Promise<void>;
}

export type WebhookHandler = (context: WebhookContext) => Promise<void>;

/** Event type (`payment_intent.succeeded`) → handlers, in registration order. */
export type WebhookHandlers = ReadonlyMap<string, readonly WebhookHandler[]>;

import express, { type Router } from 'express';
import type Stripe from 'stripe';
import { problemTypes } from '../../../shared/api/problem.ts';
import type { Db } from '../../db/database.ts';
import { HttpProblem } from '../../http/problem.ts';
import type { SyncedWrites } from '../../sync/synced-writes.ts';
import type { PaymentRail } from '../rails/payment-rail.ts';
import type { WebhookContext } from './webhook-handlers.ts';
import type { WebhookRegistry } from './webhook-registry.ts';

export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';
export const WEBHOOK_BODY_LIMIT = '1mb';

export interface StripeWebhookOptions {
  db: Db;
  writes: SyncedWrites;
  registry: WebhookRegistry;
  rail: PaymentRail;
  /** Checks the signature and parses the event; null when webhooks are not configured. */
  verify: ((payload: Buffer, signature: string) => Stripe.Event) | null;
}

/** Verifies with the SDK's own scheme (HMAC-SHA256 over `timestamp.payload`, 5 min tolerance). */
export function stripeVerifier(stripe: Stripe, secret: string) {
  return (payload: Buffer, signature: string): Stripe.Event =>
    stripe.webhooks.constructEvent(payload, signature, secret);
}

/**
 * `POST /webhooks/stripe`: the raw body (the signature covers its exact bytes) is verified,
 * the event recorded in `webhook_events`, and each registered handler runs with an
 * `applyOnce` that commits the handler's work together with a row naming the event and the
 * handler. A second delivery, or a racing one, finds that row and changes nothing. A handler
 * that throws answers 500 so Stripe delivers again; handlers that already applied the event
 * stay applied. Types nobody handles are recorded and answered 200.
 */
export function stripeWebhookRouter(options: StripeWebhookOptions): Router {
  const router = express.Router();
  router.post(
    STRIPE_WEBHOOK_PATH,
    express.raw({ type: 'application/json', limit: WEBHOOK_BODY_LIMIT }),
    async (req, res) => {
      const event = verifiedEvent(req.body, req.get('stripe-signature'), options.verify);
      const { db } = options;
      await db.kysely
        .insertInto('webhook_events')
        .values({ id: event.id, type: event.type, received_at: new Date().toISOString() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      const handlers = options.registry.handlers.get(event.type) ?? [];
      for (const [position, handler] of handlers.entries()) {
        const handlerKey = `${event.type}#${position}`;
        const context: WebhookContext = {
          event,
          rail: options.rail,
          applyOnce: (work) =>
            options.writes.transaction(async (sync) => {
              // First: on PostgreSQL a racing delivery waits here until this one commits,
              // then finds the row and skips the work.
              const claimed = await sync.trx
                .insertInto('webhook_event_effects')
                .values({
                  event_id: event.id,
                  handler_key: handlerKey,
                  applied_at: new Date().toISOString(),
                })
                .onConflict((oc) => oc.columns(['event_id', 'handler_key']).doNothing())
                .returning('event_id')
                .executeTakeFirst();
              if (claimed) await work(sync);
            }),
        };
        await handler(context);
      }
      await db.kysely
        .updateTable('webhook_events')
        .set({ processed_at: new Date().toISOString() })
        .where('id', '=', event.id)
        .where('processed_at', 'is', null)
        .execute();
      res.status(200).json({ received: true, id: event.id });
    },
  );
  return router;
}

function verifiedEvent(
  body: unknown,
  signature: string | undefined,
  verify: StripeWebhookOptions['verify'],
): Stripe.Event {
  if (!verify) {
    throw new HttpProblem(
      503,
      problemTypes.unavailable,
      'Webhooks not configured',
      'This server has no STRIPE_WEBHOOK_SECRET; Stripe events cannot be verified.',
    );
  }
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw signatureProblem('The body must be the JSON event exactly as Stripe sent it.');
  }
  if (!signature) throw signatureProblem('The Stripe-Signature header is missing.');
  try {
    return verify(body, signature);
  } catch (error) {
    throw signatureProblem(
      `The signature does not verify: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function signatureProblem(detail: string): HttpProblem {
  return new HttpProblem(400, problemTypes.webhookSignature, 'Invalid webhook signature', detail);
}

const problemContent = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
};

/** The endpoint in the OpenAPI document (its body is raw bytes, so it is not a JSON route). */
export const stripeWebhookOpenApiPaths = {
  [`/api/v1${STRIPE_WEBHOOK_PATH}`]: {
    post: {
      summary:
        'Stripe webhook events: verified by the Stripe-Signature header, each applied exactly once',
      tags: ['Payments'],
      parameters: [
        { name: 'Stripe-Signature', in: 'header', required: true, schema: { type: 'string' } },
      ],
      requestBody: {
        content: {
          'application/json': { schema: { type: 'object', description: 'A Stripe event' } },
        },
      },
      responses: {
        '200': { description: 'Recorded (and applied by its handlers, if any)' },
        '400': {
          description: 'Missing or invalid signature; nothing recorded',
          content: problemContent,
        },
        '503': { description: 'No webhook signing secret configured', content: problemContent },
      },
    },
  },
};

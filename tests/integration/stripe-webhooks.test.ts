/**
 * The Stripe webhook endpoint with real signatures (the fake signs with
 * `generateTestHeaderString`, the server verifies with `constructEvent`) on SQLite and
 * PostgreSQL: forged or missing signatures are refused with nothing recorded; an event
 * delivered twice, or by racing deliveries, takes effect once; a handler that fails is
 * retried by the next delivery; unhandled types are recorded and answered 200; an old
 * `account.updated` arriving last does not undo a newer state.
 */
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes } from '../../shared/api/problem.ts';
import { client } from '../support/http.ts';
import { signUpAs } from '../support/marketplace-fixtures.ts';
import {
  startStripeWorld,
  visit,
  type StripeWorld,
} from '../support/fake-stripe/stripe-test-server.ts';

function testEvent(type: string): Stripe.Event {
  return {
    id: `evt_${randomUUID().replaceAll('-', '')}`,
    object: 'event',
    api_version: '2026-10-28',
    created: Math.floor(Date.now() / 1000),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object: { id: `obj_${randomUUID()}` } },
  } as unknown as Stripe.Event;
}

describe.each(['sqlite', 'postgres'] as const)('Stripe webhooks on %s', (dialect) => {
  let world: StripeWorld;
  /** How often each event's effect of the counting handler ran. */
  const applied = new Map<string, number>();
  const failOnce = new Set<string>();

  beforeAll(async () => {
    world = await startStripeWorld(dialect);
    world.server.webhooks.on('test.counted', async ({ event, applyOnce }) => {
      // Slow enough that racing deliveries overlap inside the transaction.
      await applyOnce(async (sync) => {
        await sync.trx.selectFrom('users').select('id').limit(1).execute();
        await new Promise((resolve) => setTimeout(resolve, 30));
        if (failOnce.delete(event.id)) throw new Error('handler failed this time');
        applied.set(event.id, (applied.get(event.id) ?? 0) + 1);
      });
    });
  });
  afterAll(async () => {
    await world.close();
  });

  const recorded = (id: string) =>
    world.server.db.kysely.selectFrom('webhook_events').selectAll().where('id', '=', id).execute();
  const effects = (id: string) =>
    world.server.db.kysely
      .selectFrom('webhook_event_effects')
      .selectAll()
      .where('event_id', '=', id)
      .execute();

  it('refuses a forged signature and a missing one, recording nothing', async () => {
    const event = testEvent('test.counted');
    const forged = await world.fake.deliver(event, 'whsec_notthesecret');
    expect(forged.status).toBe(400);
    const problem = JSON.parse(forged.body) as { type: string; detail: string };
    expect(problem.type).toBe(problemTypes.webhookSignature);
    expect(problem.detail).toContain('signature');

    const unsigned = await fetch(`${world.server.baseUrl}/api/v1/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    expect(unsigned.status).toBe(400);
    expect(unsigned.headers.get('content-type')).toContain('application/problem+json');

    // A signed body with one byte changed no longer verifies.
    const payload = JSON.stringify(event);
    const header = world.stripe.webhooks.generateTestHeaderString({
      payload,
      secret: world.fake.webhookSecret,
    });
    const tampered = await fetch(`${world.server.baseUrl}/api/v1/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      body: payload.replace('test.counted', 'test.countex'),
    });
    expect(tampered.status).toBe(400);
    expect(await recorded(event.id)).toEqual([]);
    expect(applied.get(event.id)).toBeUndefined();
  });

  it('applies an event delivered twice once', async () => {
    const event = testEvent('test.counted');
    expect((await world.fake.deliver(event)).status).toBe(200);
    expect((await world.fake.deliver(event)).status).toBe(200);
    expect(applied.get(event.id)).toBe(1);
    const [row] = await recorded(event.id);
    expect(row).toMatchObject({ id: event.id, type: 'test.counted' });
    expect(row?.processed_at).not.toBeNull();
    expect(await effects(event.id)).toHaveLength(1);
  });

  it('applies an event once when several deliveries race', async () => {
    const event = testEvent('test.counted');
    const answers = await Promise.all([1, 2, 3, 4].map(() => world.fake.deliver(event)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(applied.get(event.id)).toBe(1);
    expect(await recorded(event.id)).toHaveLength(1);
    expect(await effects(event.id)).toHaveLength(1);
  });

  it('answers 500 when a handler fails, records no effect, and applies it on redelivery', async () => {
    const event = testEvent('test.counted');
    failOnce.add(event.id);
    const first = await world.fake.deliver(event);
    expect(first.status).toBe(500);
    expect(await effects(event.id)).toEqual([]);
    expect((await recorded(event.id))[0]?.processed_at).toBeNull();
    expect((await world.fake.deliver(event)).status).toBe(200);
    expect(applied.get(event.id)).toBe(1);
    expect((await recorded(event.id))[0]?.processed_at).not.toBeNull();
  });

  it('records an event type nobody handles and answers 200', async () => {
    const event = testEvent('customer.created');
    const answer = await world.fake.deliver(event);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ received: true, id: event.id });
    const [row] = await recorded(event.id);
    expect(row?.type).toBe('customer.created');
    expect(row?.processed_at).not.toBeNull();
  });

  it('keeps a payout account active when an older account.updated arrives last', async () => {
    const freelancer = await signUpAs(world.server, 'freelancer');
    const api = client(world.server.baseUrl);
    const link = await api.post<{ url: string }>('/payments/payout-account/onboarding', {
      token: freelancer.token,
    });
    expect(link.status).toBe(200);
    const row = () =>
      world.server.db.kysely
        .selectFrom('payout_accounts')
        .selectAll()
        .where('user_id', '=', freelancer.id)
        .executeTakeFirstOrThrow();
    const { account_id: accountId } = await row();
    const stale = world.fake.accountUpdated(accountId);
    expect((await visit(link.body.url)).status).toBe(200);
    const fresh = world.fake.events.at(-1);
    expect(fresh?.type).toBe('account.updated');
    if (!fresh) throw new Error('no account.updated event');
    expect((await row()).payouts_enabled).toBe(0);

    // Newest first, then the stale snapshot, then the newest again: state follows Stripe.
    expect((await world.fake.deliver(fresh)).status).toBe(200);
    expect(await row()).toMatchObject({ payouts_enabled: 1, details_submitted: 1 });
    expect((await world.fake.deliver(stale)).status).toBe(200);
    expect((await world.fake.deliver(fresh)).status).toBe(200);
    const final = await row();
    expect(final).toMatchObject({ payouts_enabled: 1, details_submitted: 1 });
    expect(JSON.parse(final.requirements_due)).toEqual([]);
    expect(await effects(fresh.id)).toHaveLength(1);
    expect(await effects(stale.id)).toHaveLength(1);
  });
});

describe('Stripe webhooks on the sandbox rail', () => {
  it('answer 503: there is no signing secret to verify with', async () => {
    const { startTestServer } = await import('../support/test-server.ts');
    const server = await startTestServer({ dialect: 'sqlite' });
    try {
      const answer = await fetch(`${server.baseUrl}/api/v1/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=abc' },
        body: JSON.stringify(testEvent('test.counted')),
      });
      expect(answer.status).toBe(503);
      expect(((await answer.json()) as { type: string }).type).toBe(problemTypes.unavailable);
      expect(await server.db.kysely.selectFrom('webhook_events').selectAll().execute()).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

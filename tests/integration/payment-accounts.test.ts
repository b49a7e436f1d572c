/**
 * Payment accounts over real HTTP on SQLite and PostgreSQL: the rail in use, a client's
 * saved cards (sandbox test cards; Stripe Checkout in setup mode against the fake), a
 * freelancer's payout account from none through onboarding to active, payouts, and the
 * functions escrow uses to charge a client's card and pay a freelancer. Nobody sees or
 * touches another user's cards or payout account; bad input is a precise problem.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import type {
  PayoutAccountView,
  SavedPaymentMethodView,
} from '../../shared/money/payment-accounts.ts';
import {
  customerFor,
  defaultPaymentMethodFor,
} from '../../server/money/payment-accounts/customers.ts';
import { payoutAccountFor } from '../../server/money/payment-accounts/payout-accounts.ts';
import { startFakeStripe } from '../support/fake-stripe/fake-stripe.ts';
import { client } from '../support/http.ts';
import { signUpAs, type Member } from '../support/marketplace-fixtures.ts';
import {
  startStripeWorld,
  visit,
  type StripeWorld,
} from '../support/fake-stripe/stripe-test-server.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

type Answer<T> = T & Partial<Problem>;

describe.each(['sqlite', 'postgres'] as const)(
  'payment accounts on the sandbox rail, %s',
  (dialect) => {
    let server: TestServer;
    let api: ReturnType<typeof client>;
    let alice: Member;
    let bob: Member;
    let fran: Member;
    let finn: Member;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      api = client(server.baseUrl);
      [alice, bob, fran, finn] = await Promise.all([
        signUpAs(server, 'client'),
        signUpAs(server, 'client'),
        signUpAs(server, 'freelancer'),
        signUpAs(server, 'freelancer'),
      ]);
    });
    afterAll(async () => {
      await server.close();
    });

    it('documents its endpoints in the OpenAPI document', async () => {
      const doc = await api.get<{ paths: Record<string, Record<string, unknown>> }>(
        '/openapi.json',
      );
      const operations = Object.entries(doc.body.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      );
      expect(operations).toEqual(
        expect.arrayContaining([
          'GET /api/v1/payments/rail',
          'GET /api/v1/payments/methods',
          'DELETE /api/v1/payments/methods/{id}',
          'POST /api/v1/payments/methods/setup',
          'POST /api/v1/payments/sandbox/cards',
          'GET /api/v1/payments/payout-account',
          'POST /api/v1/payments/payout-account/onboarding',
          'GET /api/v1/payments/payouts',
          'POST /api/v1/webhooks/stripe',
        ]),
      );
    });

    it('tells signed-in users which rail runs, and nobody else', async () => {
      expect((await api.get('/payments/rail', { token: alice.token })).body).toEqual({
        rail: 'sandbox',
        platformFeeBps: 1000,
      });
      const anonymous = await api.get<Problem>('/payments/rail');
      expect(anonymous.status).toBe(401);
      expect(anonymous.contentType).toContain('application/problem+json');
    });

    it('saves sandbox test cards, lists them newest first, and removes only my own', async () => {
      expect((await api.get('/payments/methods', { token: alice.token })).body).toEqual({
        data: [],
      });
      const good = await api.post<SavedPaymentMethodView>('/payments/sandbox/cards', {
        token: alice.token,
        json: { outcome: 'succeeds' },
      });
      expect(good.status).toBe(201);
      expect(good.body).toMatchObject({ brand: 'sandbox', last4: '4242' });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const bad = await api.post<SavedPaymentMethodView>('/payments/sandbox/cards', {
        token: alice.token,
        json: { outcome: 'declines' },
      });
      expect(bad.body.last4).toBe('0002');
      const list = await api.get<{ data: SavedPaymentMethodView[] }>('/payments/methods', {
        token: alice.token,
      });
      expect(list.body.data.map((m) => m.id)).toEqual([bad.body.id, good.body.id]);

      // Escrow charges the newest card of the client's customer.
      const chosen = await defaultPaymentMethodFor(server.db, server.rail, alice.id);
      expect(chosen?.method.id).toBe(bad.body.id);
      expect(chosen?.customerId).toBe(await customerFor(server.db, server.rail, alice.id));
      expect(await defaultPaymentMethodFor(server.db, server.rail, bob.id)).toBeNull();

      // Bob can neither see nor remove Alice's card.
      expect((await api.get('/payments/methods', { token: bob.token })).body).toEqual({ data: [] });
      const foreign = await api.delete<Problem>(`/payments/methods/${bad.body.id}`, {
        token: bob.token,
      });
      expect(foreign.status).toBe(404);
      expect(foreign.body.type).toBe(problemTypes.notFound);

      expect(
        (await api.delete(`/payments/methods/${bad.body.id}`, { token: alice.token })).status,
      ).toBe(204);
      const after = await api.get<{ data: SavedPaymentMethodView[] }>('/payments/methods', {
        token: alice.token,
      });
      expect(after.body.data.map((m) => m.id)).toEqual([good.body.id]);
      expect(
        (await api.delete(`/payments/methods/${bad.body.id}`, { token: alice.token })).status,
      ).toBe(404);
    });

    it('answers bad input and wrong roles with precise problems', async () => {
      const unknown = await api.post<Problem>('/payments/sandbox/cards', {
        token: alice.token,
        json: { outcome: 'maybe' },
      });
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors?.[0]?.pointer).toBe('/outcome');
      const extra = await api.post<Problem>('/payments/sandbox/cards', {
        token: alice.token,
        json: { outcome: 'succeeds', number: '4242424242424242' },
      });
      expect(extra.status).toBe(422);
      const notJson = await api.post<Problem>('/payments/sandbox/cards', {
        token: alice.token,
        headers: { 'content-type': 'text/plain' },
        raw: 'succeeds',
      });
      expect(notJson.status).toBe(415);
      const badId = await api.delete<Problem>('/payments/methods/%20x', { token: alice.token });
      expect(badId.status).toBe(422);
      expect(badId.body.errors?.[0]?.pointer).toBe('/id');

      const freelancerCard = await api.post<Problem>('/payments/sandbox/cards', {
        token: fran.token,
        json: { outcome: 'succeeds' },
      });
      expect(freelancerCard.status).toBe(403);
      const clientOnboarding = await api.post<Problem>('/payments/payout-account/onboarding', {
        token: alice.token,
      });
      expect(clientOnboarding.status).toBe(403);
      // The sandbox has no Stripe Checkout page; it says where test cards come from.
      const setup = await api.post<Problem>('/payments/methods/setup', { token: alice.token });
      expect(setup.status).toBe(404);
      expect(setup.body.detail).toContain('/payments/sandbox/cards');
    });

    it('takes a freelancer from no payout account through onboarding to active and payouts', async () => {
      const none = await api.get<PayoutAccountView>('/payments/payout-account', {
        token: fran.token,
      });
      expect(none.body).toEqual({
        status: 'none',
        rail: 'sandbox',
        accountId: null,
        detailsSubmitted: false,
        payoutsEnabled: false,
        requirementsDue: [],
      });
      const link = await api.post<{ url: string }>('/payments/payout-account/onboarding', {
        token: fran.token,
      });
      expect(link.status).toBe(200);
      expect(
        link.body.url.startsWith(`${server.baseUrl}/api/v1/payments/sandbox/onboarding/`),
      ).toBe(true);
      const onboarding = await api.get<PayoutAccountView>('/payments/payout-account', {
        token: fran.token,
      });
      expect(onboarding.body).toMatchObject({
        status: 'onboarding',
        payoutsEnabled: false,
        requirementsDue: ['sandbox.onboarding'],
      });

      // Finn sees his own (none), never Fran's.
      const other = await api.get<PayoutAccountView>('/payments/payout-account', {
        token: finn.token,
      });
      expect(other.body).toMatchObject({ status: 'none', accountId: null });
      expect((await api.get('/payments/payouts', { token: finn.token })).body).toEqual({
        data: [],
      });

      const page = await visit(link.body.url);
      expect(page.status).toBe(200);
      expect(page.text).toContain('SANDBOX');
      // A used link is spent.
      expect((await visit(link.body.url)).status).toBe(404);

      const active = await api.get<PayoutAccountView>('/payments/payout-account', {
        token: fran.token,
      });
      expect(active.body).toMatchObject({
        status: 'active',
        detailsSubmitted: true,
        payoutsEnabled: true,
        requirementsDue: [],
      });
      const account = await payoutAccountFor(server.db, server.rail, fran.id);
      expect(account?.accountId).toBe(active.body.accountId);
      expect(await payoutAccountFor(server.db, server.rail, finn.id)).toBeNull();

      // A second onboarding call reuses the account.
      await api.post('/payments/payout-account/onboarding', { token: fran.token });
      expect((await payoutAccountFor(server.db, server.rail, fran.id))?.accountId).toBe(
        account?.accountId,
      );

      await server.rail.transfer({
        accountId: account?.accountId ?? '',
        amountMinor: 12_345,
        currency: 'EUR',
        idempotencyKey: `release-${fran.id}`,
        metadata: {},
      });
      const payouts = await api.get<{ data: Array<{ amountMinor: number; status: string }> }>(
        '/payments/payouts',
        { token: fran.token },
      );
      expect(payouts.body.data).toEqual([
        expect.objectContaining({ amountMinor: 12_345, currency: 'EUR', status: 'paid' }),
      ]);
    });
  },
);

describe.each(['sqlite', 'postgres'] as const)(
  'payment accounts on the Stripe rail, %s',
  (dialect) => {
    let world: StripeWorld;
    let api: ReturnType<typeof client>;

    beforeAll(async () => {
      world = await startStripeWorld(dialect);
      api = client(world.server.baseUrl);
    });
    afterAll(async () => {
      await world.close();
    });

    it('saves a card through Stripe Checkout in setup mode', async () => {
      const alice = await signUpAs(world.server, 'client');
      expect((await api.get('/payments/rail', { token: alice.token })).body).toEqual({
        rail: 'stripe',
        platformFeeBps: 1000,
      });
      const setup = await api.post<Answer<{ url: string }>>('/payments/methods/setup', {
        token: alice.token,
      });
      expect(setup.status).toBe(201);
      expect(setup.body.url.startsWith(world.fake.url)).toBe(true);
      expect((await visit(setup.body.url)).status).toBe(200);
      const list = await api.get<{ data: SavedPaymentMethodView[] }>('/payments/methods', {
        token: alice.token,
      });
      expect(list.body.data).toEqual([expect.objectContaining({ brand: 'visa', last4: '4242' })]);
      // One customer per user, however often the page is opened.
      await api.post('/payments/methods/setup', { token: alice.token });
      const customers = await world.server.db.kysely
        .selectFrom('payment_customers')
        .selectAll()
        .where('user_id', '=', alice.id)
        .execute();
      expect(customers).toHaveLength(1);
      expect(customers[0]?.rail).toBe('stripe');

      const sandboxOnly = await api.post<Problem>('/payments/sandbox/cards', {
        token: alice.token,
        json: { outcome: 'succeeds' },
      });
      expect(sandboxOnly.status).toBe(404);
    });

    it('onboards a freelancer at Stripe Connect and reads the account when asked', async () => {
      const fran = await signUpAs(world.server, 'freelancer');
      const link = await api.post<{ url: string }>('/payments/payout-account/onboarding', {
        token: fran.token,
      });
      expect(link.status).toBe(200);
      expect(link.body.url.startsWith(`${world.fake.url}/connect/onboarding/acct_`)).toBe(true);
      const before = await api.get<PayoutAccountView>('/payments/payout-account', {
        token: fran.token,
      });
      expect(before.body.status).toBe('onboarding');
      expect(before.body.requirementsDue).toContain('external_account');
      await visit(link.body.url);
      // No webhook delivered: reading the status asks Stripe.
      const after = await api.get<PayoutAccountView>('/payments/payout-account', {
        token: fran.token,
      });
      expect(after.body).toMatchObject({ status: 'active', rail: 'stripe', requirementsDue: [] });
    });
  },
);

describe.each(['sqlite', 'postgres'] as const)('browser URLs from PUBLIC_URL, %s', (dialect) => {
  // Behind a proxy: browsers reach the server at another address than it listens on.
  const publicUrl = 'https://megilance.example/app';

  it('points the sandbox onboarding page at PUBLIC_URL', async () => {
    const server = await startTestServer({ dialect, env: { PUBLIC_URL: `${publicUrl}/` } });
    try {
      const fran = await signUpAs(server, 'freelancer');
      const link = await client(server.baseUrl).post<{ url: string }>(
        '/payments/payout-account/onboarding',
        { token: fran.token },
      );
      expect(link.status).toBe(200);
      expect(link.body.url).toMatch(
        new RegExp(`^${publicUrl.replaceAll('.', '\\.')}/api/v1/payments/sandbox/onboarding/\\S+$`),
      );
      // The page itself is served by this server (the proxy forwards the path).
      const path = new URL(link.body.url).pathname.replace(/^\/app/, '');
      expect((await visit(`${server.baseUrl}${path}`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('sends Stripe onboarding back to a return page under PUBLIC_URL', async () => {
    const fake = await startFakeStripe();
    const server = await startTestServer({
      dialect,
      env: {
        STRIPE_SECRET_KEY: fake.apiKey,
        STRIPE_WEBHOOK_SECRET: fake.webhookSecret,
        STRIPE_API_URL: fake.url,
        PUBLIC_URL: publicUrl,
      },
    });
    try {
      const fran = await signUpAs(server, 'freelancer');
      const link = await client(server.baseUrl).post<{ url: string }>(
        '/payments/payout-account/onboarding',
        { token: fran.token },
      );
      expect(link.status).toBe(200);
      expect(new URL(link.body.url).searchParams.get('return')).toBe(
        `${publicUrl}/api/v1/payments/return/onboarding-done`,
      );
    } finally {
      await server.close();
      await fake.close();
    }
  });
});

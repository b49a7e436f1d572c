/**
 * Both payment rails against one contract: the Stripe rail (the real `stripe` SDK against a
 * local fake Stripe speaking its HTTP protocol) and the sandbox rail (state in the real
 * database, SQLite and PostgreSQL). Payments succeed with the provider's fee, declines carry
 * a clear message, idempotency keys replay the first answer and refuse other parameters,
 * refunds never exceed the payment, transfers need a completed payout account.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/database.ts';
import { RailError, type PaymentRail } from '../../server/money/rails/payment-rail.ts';
import {
  SANDBOX_DECLINE_MESSAGE,
  SandboxRail,
  sandboxFeeMinor,
} from '../../server/money/rails/sandbox-rail.ts';
import { StripeRail } from '../../server/money/rails/stripe-rail.ts';
import { fakeStripeFee } from '../support/fake-stripe/fake-stripe.ts';
import {
  startStripeWorld,
  visit,
  type StripeWorld,
} from '../support/fake-stripe/stripe-test-server.ts';
import { startTestServer, type Dialect, type TestServer } from '../support/test-server.ts';

interface RailUnderTest {
  rail: PaymentRail;
  saveCard(customerId: string, outcome: 'succeeds' | 'declines'): Promise<string>;
  declineMessage: string;
  fee(amount: number): number;
  close(): Promise<void>;
}

async function stripeRail(dialect: Dialect): Promise<RailUnderTest & { world: StripeWorld }> {
  const world = await startStripeWorld(dialect);
  return {
    world,
    rail: world.server.rail,
    saveCard: async (customer, outcome) =>
      (
        await world.stripe.paymentMethods.attach(
          outcome === 'succeeds' ? 'pm_card_visa' : 'pm_card_chargeDeclined',
          { customer },
        )
      ).id,
    declineMessage: 'Your card was declined.',
    fee: fakeStripeFee,
    close: () => world.close(),
  };
}

async function sandboxRail(dialect: Dialect): Promise<RailUnderTest & { server: TestServer }> {
  const server = await startTestServer({ dialect });
  const rail = server.rail;
  if (!(rail instanceof SandboxRail)) throw new Error('expected the sandbox rail without keys');
  return {
    server,
    rail,
    saveCard: async (customer, outcome) => (await rail.addTestCard(customer, outcome)).id,
    declineMessage: SANDBOX_DECLINE_MESSAGE,
    fee: sandboxFeeMinor,
    close: () => server.close(),
  };
}

async function refusal(promise: Promise<unknown>): Promise<RailError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RailError);
  return error as RailError;
}

const newUser = () => ({ userId: randomUUID(), email: `u-${randomUUID()}@example.com`, name: 'U' });

describe.each([
  ['stripe', 'sqlite'],
  ['stripe', 'postgres'],
  ['sandbox', 'sqlite'],
  ['sandbox', 'postgres'],
] as const)('the %s rail on %s', (railName, dialect) => {
  let t: RailUnderTest;
  let customerId: string;
  let goodCard: string;
  let badCard: string;

  beforeAll(async () => {
    t = railName === 'stripe' ? await stripeRail(dialect) : await sandboxRail(dialect);
    expect(t.rail.name).toBe(railName);
    ({ customerId } = await t.rail.createCustomer(newUser()));
    goodCard = await t.saveCard(customerId, 'succeeds');
    badCard = await t.saveCard(customerId, 'declines');
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists saved cards and detaches one of them, only for its own customer', async () => {
    const { customerId: own } = await t.rail.createCustomer(newUser());
    const first = await t.saveCard(own, 'succeeds');
    const second = await t.saveCard(own, 'succeeds');
    const listed = await t.rail.listPaymentMethods(own);
    expect(listed.map((m) => m.id).sort()).toEqual([first, second].sort());
    expect(listed[0]).toMatchObject({ last4: '4242', expMonth: 12 });
    expect(listed[0]?.expYear).toBeGreaterThan(2025);

    // Another customer cannot detach it.
    expect((await refusal(t.rail.detachPaymentMethod(customerId, first))).code).toBe(
      'invalid_request',
    );
    await t.rail.detachPaymentMethod(own, first);
    expect((await t.rail.listPaymentMethods(own)).map((m) => m.id)).toEqual([second]);
  });

  it('charges a saved card off-session and reports the provider fee', async () => {
    const payment = await t.rail.createPayment({
      customerId,
      paymentMethodId: goodCard,
      amountMinor: 10_000,
      currency: 'EUR',
      idempotencyKey: `fund-${randomUUID()}`,
      metadata: { escrowId: 'e-1' },
    });
    expect(payment).toMatchObject({
      status: 'succeeded',
      amountMinor: 10_000,
      currency: 'EUR',
      providerFeeMinor: 320,
      failureMessage: null,
      metadata: { escrowId: 'e-1' },
    });
    expect(t.fee(10_000)).toBe(320);
    expect(await t.rail.retrievePayment(payment.id)).toEqual(payment);
  });

  it('refuses a declined card with a message the payer can act on', async () => {
    const error = await refusal(
      t.rail.createPayment({
        customerId,
        paymentMethodId: badCard,
        amountMinor: 5_000,
        currency: 'USD',
        idempotencyKey: `fund-${randomUUID()}`,
        metadata: {},
      }),
    );
    expect(error.code).toBe('declined');
    expect(error.message).toBe(t.declineMessage);
  });

  it('replays a retried payment under the same key and refuses the key for other parameters', async () => {
    const input = {
      customerId,
      paymentMethodId: goodCard,
      amountMinor: 2_500,
      currency: 'USD',
      idempotencyKey: `fund-${randomUUID()}`,
      metadata: { escrowId: 'e-2' },
    };
    const [first, again] = await Promise.all([
      t.rail.createPayment(input),
      t.rail.createPayment(input),
    ]);
    const later = await t.rail.createPayment(input);
    expect(again.id).toBe(first.id);
    expect(later).toEqual(first);
    const reused = await refusal(t.rail.createPayment({ ...input, amountMinor: 2_600 }));
    expect(reused.code).toBe('invalid_request');
    // A retried decline is the same decline, not a second attempt that might pass.
    const declined = { ...input, paymentMethodId: badCard, idempotencyKey: `fund-${randomUUID()}` };
    expect((await refusal(t.rail.createPayment(declined))).code).toBe('declined');
    expect((await refusal(t.rail.createPayment(declined))).message).toBe(t.declineMessage);
  });

  it('refunds part of a payment, replays the refund, and never refunds more than was paid', async () => {
    const payment = await t.rail.createPayment({
      customerId,
      paymentMethodId: goodCard,
      amountMinor: 4_000,
      currency: 'USD',
      idempotencyKey: `fund-${randomUUID()}`,
      metadata: {},
    });
    const key = `refund-${randomUUID()}`;
    const refund = await t.rail.refund({
      paymentId: payment.id,
      amountMinor: 1_500,
      idempotencyKey: key,
      metadata: { refundId: 'r-1' },
    });
    expect(refund).toMatchObject({
      paymentId: payment.id,
      status: 'succeeded',
      amountMinor: 1_500,
      failureMessage: null,
    });
    const replay = await t.rail.refund({
      paymentId: payment.id,
      amountMinor: 1_500,
      idempotencyKey: key,
      metadata: { refundId: 'r-1' },
    });
    expect(replay.id).toBe(refund.id);
    const tooMuch = await refusal(
      t.rail.refund({
        paymentId: payment.id,
        amountMinor: 2_501,
        idempotencyKey: `refund-${randomUUID()}`,
        metadata: {},
      }),
    );
    expect(tooMuch.code).toBe('invalid_request');
    expect(tooMuch.message).toContain('2500');
    const rest = await t.rail.refund({
      paymentId: payment.id,
      amountMinor: 2_500,
      idempotencyKey: `refund-${randomUUID()}`,
      metadata: {},
    });
    expect(rest.amountMinor).toBe(2_500);
  });

  it('onboards a payout account through its link, then transfers and lists payouts', async () => {
    const user = newUser();
    const { accountId } = await t.rail.createPayoutAccount({ ...user, country: 'US' });
    // Creating it again for the same user is the same account.
    expect((await t.rail.createPayoutAccount({ ...user, country: 'US' })).accountId).toBe(
      accountId,
    );
    const before = await t.rail.retrievePayoutAccount(accountId);
    expect(before).toMatchObject({ accountId, detailsSubmitted: false, payoutsEnabled: false });
    expect(before.requirementsDue.length).toBeGreaterThan(0);

    const transfer = {
      accountId,
      amountMinor: 9_000,
      currency: 'USD',
      idempotencyKey: `release-${randomUUID()}`,
      metadata: { escrowId: 'e-3' },
    };
    expect((await refusal(t.rail.transfer(transfer))).code).toBe('invalid_request');

    const { url } = await t.rail.createOnboardingLink({
      accountId,
      returnUrl: 'http://127.0.0.1:1/return',
      refreshUrl: 'http://127.0.0.1:1/refresh',
    });
    expect((await visit(url)).status).toBe(200);
    expect(await t.rail.retrievePayoutAccount(accountId)).toEqual({
      accountId,
      detailsSubmitted: true,
      chargesEnabled: true,
      payoutsEnabled: true,
      requirementsDue: [],
    });

    const sent = await t.rail.transfer(transfer);
    expect(sent).toMatchObject({ amountMinor: 9_000, currency: 'USD' });
    expect((await t.rail.transfer(transfer)).id).toBe(sent.id);
    const payouts = await t.rail.listPayouts(accountId);
    expect(payouts).toHaveLength(1);
    expect(payouts[0]).toMatchObject({ amountMinor: 9_000, currency: 'USD' });
    expect(Date.parse(payouts[0]?.arrivalDate ?? '')).not.toBeNaN();
  });
});

describe.each(['sqlite', 'postgres'] as const)('Stripe specifics on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof stripeRail>>;
  beforeAll(async () => {
    t = await stripeRail(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('leaves a slow payment processing, without a fee, until it settles', async () => {
    const { customerId } = await t.rail.createCustomer(newUser());
    const method = await t.world.stripe.paymentMethods.attach('pm_card_processing', {
      customer: customerId,
    });
    const payment = await t.rail.createPayment({
      customerId,
      paymentMethodId: method.id,
      amountMinor: 7_000,
      currency: 'USD',
      idempotencyKey: `fund-${randomUUID()}`,
      metadata: {},
    });
    expect(payment).toMatchObject({ status: 'processing', providerFeeMinor: null });
    t.world.fake.settlePayment(payment.id, 'succeeded');
    expect(await t.rail.retrievePayment(payment.id)).toMatchObject({
      status: 'succeeded',
      providerFeeMinor: fakeStripeFee(7_000),
    });
  });

  it('sends the idempotency key to Stripe: a retry reaches Stripe but creates nothing new', async () => {
    const { customerId } = await t.rail.createCustomer(newUser());
    const card = await t.saveCard(customerId, 'succeeds');
    const input = {
      customerId,
      paymentMethodId: card,
      amountMinor: 1_000,
      currency: 'USD',
      idempotencyKey: `fund-${randomUUID()}`,
      metadata: {},
    };
    const first = await t.rail.createPayment(input);
    const requests = t.world.fake.requestCount();
    const again = await t.rail.createPayment(input);
    expect(t.world.fake.requestCount()).toBe(requests + 1);
    expect(again.id).toBe(first.id);
    const created = t.world.fake.events.filter(
      (e) =>
        e.type === 'payment_intent.succeeded' && (e.data.object as { id: string }).id === first.id,
    );
    expect(created).toHaveLength(1);
  });

  it('reports a wrong key as an authentication failure, not a decline', async () => {
    const wrong = new StripeRail({ secretKey: 'sk_test_wrong', apiUrl: t.world.fake.url });
    expect((await refusal(wrong.createCustomer(newUser()))).code).toBe('authentication');
  });

  it('opens Stripe Checkout in setup mode; the card saved there is listed', async () => {
    const rail = t.rail as StripeRail;
    const { customerId } = await rail.createCustomer(newUser());
    const { url } = await rail.createCardSetup({
      customerId,
      successUrl: 'http://127.0.0.1:1/ok',
      cancelUrl: 'http://127.0.0.1:1/cancel',
    });
    expect(url.startsWith(t.world.fake.url)).toBe(true);
    expect((await visit(url)).status).toBe(200);
    expect(await rail.listPaymentMethods(customerId)).toEqual([
      expect.objectContaining({ brand: 'visa', last4: '4242' }),
    ]);
  });
});

describe.each(['sqlite', 'postgres'] as const)('the sandbox rail on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof sandboxRail>>;
  beforeAll(async () => {
    t = await sandboxRail(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps its payments in the database: a fresh rail on a new connection sees them', async () => {
    const { customerId } = await t.rail.createCustomer(newUser());
    const card = await t.saveCard(customerId, 'succeeds');
    const payment = await t.rail.createPayment({
      customerId,
      paymentMethodId: card,
      amountMinor: 1_234,
      currency: 'usd',
      idempotencyKey: `fund-${randomUUID()}`,
      metadata: { escrowId: 'x' },
    });
    const db = await openDatabase(t.server.config.database);
    try {
      const reopened = new SandboxRail(db, () => 'http://unused');
      expect(await reopened.retrievePayment(payment.id)).toEqual(payment);
      expect((await reopened.listPaymentMethods(customerId)).map((m) => m.id)).toEqual([card]);
    } finally {
      await db.close();
    }
  });

  it('refunds two racing requests of one payment no further than it was paid', async () => {
    const { customerId } = await t.rail.createCustomer(newUser());
    const card = await t.saveCard(customerId, 'succeeds');
    const payment = await t.rail.createPayment({
      customerId,
      paymentMethodId: card,
      amountMinor: 1_000,
      currency: 'USD',
      idempotencyKey: `fund-${randomUUID()}`,
      metadata: {},
    });
    const results = await Promise.allSettled(
      [1, 2].map(() =>
        t.rail.refund({
          paymentId: payment.id,
          amountMinor: 700,
          idempotencyKey: `refund-${randomUUID()}`,
          metadata: {},
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(RailError);
  });
});

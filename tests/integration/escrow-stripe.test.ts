/**
 * The escrow flow on the Stripe rail: the real `stripe` SDK against the local fake Stripe,
 * on SQLite and PostgreSQL. A card that succeeds funds at once; a slow card leaves the escrow
 * awaiting payment until Stripe's webhook says it succeeded (delivered twice, and a stale
 * event after it, the money is booked once); a declined card answers 402.
 */
import type Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes } from '../../shared/api/problem.ts';
import type { EscrowDocument } from '../../shared/money/escrow.ts';
import { platformFeeOf } from '../../shared/money/fees.ts';
import {
  clientEscrow,
  freelancerPending,
  providerFees,
} from '../../server/money/ledger/accounts.ts';
import { verifyLedger } from '../../server/money/ledger/verify.ts';
import { customerFor } from '../../server/money/payment-accounts/customers.ts';
import {
  balanceOf,
  escrowCalls,
  milestonesOf,
  moneyRowCounts,
} from '../support/escrow-fixtures.ts';
import { startStripeWorld, type StripeWorld } from '../support/fake-stripe/stripe-test-server.ts';
import { createCategory, signUpAs, type Member } from '../support/marketplace-fixtures.ts';
import type { Dialect } from '../support/test-server.ts';
import { timeContractBetween } from '../support/time-fixtures.ts';

describe.each(['sqlite', 'postgres'] as Dialect[])('escrow on the Stripe rail on %s', (dialect) => {
  let world: StripeWorld;
  let owner: Member;
  let freelancer: Member;
  let categoryId: string;
  let calls: ReturnType<typeof escrowCalls>;
  let customerId: string;

  beforeAll(async () => {
    world = await startStripeWorld(dialect);
    const { server } = world;
    const admin = await signUpAs(server, 'admin');
    owner = await signUpAs(server, 'client');
    freelancer = await signUpAs(server, 'freelancer');
    categoryId = (await createCategory(server, admin)).id;
    calls = escrowCalls(server);
    customerId = await customerFor(server.db, server.rail, owner.id);
  });
  afterAll(async () => {
    await world?.close();
  });
  afterEach(async () => {
    expect((await verifyLedger(world.server.db.kysely)).problems).toEqual([]);
  });

  const attach = async (token: string) =>
    (await world.stripe.paymentMethods.attach(token, { customer: customerId })).id;

  async function milestone() {
    const { contractId } = await timeContractBetween(
      world.server,
      { client: owner, freelancer, categoryId },
      'fixed',
    );
    const [first] = await milestonesOf(world.server, contractId);
    if (!first) throw new Error('no milestone');
    return { contractId, milestone: first };
  }

  it('funds with a saved card, and releases with the fee split', async () => {
    const { server } = world;
    const card = await attach('pm_card_visa');
    const { contractId, milestone: m } = await milestone();
    const pendingBefore = await balanceOf(server, freelancerPending(freelancer.id, m.currency));
    const fund = await calls.command(owner, '/escrows', {
      contractId,
      milestoneId: m.id,
      paymentMethodId: card,
    });
    expect(fund.status, JSON.stringify(fund.body)).toBe(201);
    const escrow = fund.body as EscrowDocument;
    expect(escrow).toMatchObject({
      status: 'funded',
      fundedMinor: m.amount_minor,
      payment: { status: 'succeeded', rail: 'stripe' },
    });
    expect(escrow.payment?.providerFeeMinor).toBeGreaterThan(0);
    expect(await balanceOf(server, clientEscrow(contractId))).toBe(m.amount_minor);
    expect(await balanceOf(server, providerFees('stripe', m.currency))).toBeGreaterThanOrEqual(
      escrow.payment?.providerFeeMinor ?? 0,
    );

    const release = await calls.command(owner, `/escrows/${escrow.id}/release`);
    expect(release.status, JSON.stringify(release.body)).toBe(200);
    const fee = platformFeeOf(m.amount_minor, 1000);
    expect(release.body).toMatchObject({ status: 'settled', platformFeeMinor: fee });
    expect(await balanceOf(server, freelancerPending(freelancer.id, m.currency))).toBe(
      pendingBefore + m.amount_minor - fee,
    );
  });

  it('waits for the webhook of a slow payment and books it once, whatever arrives after', async () => {
    const { server } = world;
    const card = await attach('pm_card_processing');
    const { contractId, milestone: m } = await milestone();
    const fund = await calls.command(owner, '/escrows', {
      contractId,
      milestoneId: m.id,
      paymentMethodId: card,
    });
    expect(fund.status, JSON.stringify(fund.body)).toBe(201);
    const escrow = fund.body as EscrowDocument;
    expect(escrow).toMatchObject({ status: 'awaiting_payment', fundedMinor: 0 });
    expect(escrow.payment?.status).toBe('processing');
    expect(await balanceOf(server, clientEscrow(contractId))).toBe(0);

    const payment = await server.db.kysely
      .selectFrom('payments')
      .select('provider_payment_id')
      .where('escrow_id', '=', escrow.id)
      .executeTakeFirstOrThrow();
    const intentId = payment.provider_payment_id ?? '';
    const processingEvent: Stripe.Event | undefined = world.fake.events.find(
      (event) =>
        event.type === 'payment_intent.processing' &&
        (event.data.object as { id?: string }).id === intentId,
    );
    const succeeded = world.fake.settlePayment(intentId, 'succeeded');
    expect((await world.fake.deliver(succeeded)).status).toBe(200);
    const funded = (await calls.get(owner, `/escrows/${escrow.id}`)).body as EscrowDocument;
    expect(funded).toMatchObject({
      status: 'funded',
      fundedMinor: m.amount_minor,
      payment: { status: 'succeeded' },
    });
    expect((await milestonesOf(server, contractId))[0]?.status).toBe('funded');
    const counts = await moneyRowCounts(server);
    expect((await world.fake.deliver(succeeded)).status).toBe(200);
    // The stale "processing" event, delivered last, changes nothing either.
    if (!processingEvent) throw new Error('Stripe emitted no payment_intent.processing');
    expect((await world.fake.deliver(processingEvent)).status).toBe(200);
    expect(await moneyRowCounts(server)).toEqual(counts);
    expect((await calls.get(owner, `/escrows/${escrow.id}`)).body).toEqual(funded);
    expect(await balanceOf(server, clientEscrow(contractId))).toBe(m.amount_minor);
  });

  it('answers a declined card with 402 and books nothing', async () => {
    const { server } = world;
    const card = await attach('pm_card_chargeDeclined');
    const { contractId, milestone: m } = await milestone();
    const before = await moneyRowCounts(server);
    const fund = await calls.command(owner, '/escrows', {
      contractId,
      milestoneId: m.id,
      paymentMethodId: card,
    });
    expect(fund.status, JSON.stringify(fund.body)).toBe(402);
    expect(fund.body.type).toBe(problemTypes.paymentFailed);
    expect(fund.body.detail).toMatch(/declined/i);
    const after = await moneyRowCounts(server);
    expect(after.ledger_entries).toBe(before.ledger_entries);
    expect(await balanceOf(server, clientEscrow(contractId))).toBe(0);
  });
});

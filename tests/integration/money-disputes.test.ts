/**
 * The money side of disputes over real HTTP, on real SQLite and PostgreSQL, through the real
 * Stripe rail against the local fake Stripe: a party's dispute freezes the escrow (release,
 * refund and auto-release refused); an admin resolves it by releasing, refunding or
 * splitting, with the platform fee exact; chargebacks arrive as signed webhooks, freeze the
 * escrow, and end lost (the bank's money booked out of escrow, any shortfall to the
 * platform) or won (unfrozen), whatever order and however often they are delivered.
 * The books verify after every test.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { problemTypes } from '../../shared/api/problem.ts';
import type { DisputeCommandResult } from '../../shared/money/dispute-commands.ts';
import type { EscrowDocument } from '../../shared/money/escrow.ts';
import type { RefundCommandResult } from '../../shared/money/refund-commands.ts';
import { platformFeeOf } from '../../shared/money/fees.ts';
import {
  clientEscrow,
  freelancerPending,
  platformFees,
  providerClearing,
  providerFees,
} from '../../server/money/ledger/accounts.ts';
import { stripeClient } from '../../server/money/rails/stripe-rail.ts';
import { signUpAs } from '../support/marketplace-fixtures.ts';
import type { Dialect } from '../support/test-server.ts';
import {
  balance,
  command,
  escrowRow,
  fundedEscrow,
  ledgerProblems,
  moneyWorld,
  pulledEscrow,
  type FundedEscrow,
  type MoneyWorld,
} from '../support/refund-world.ts';

const dayMs = 24 * 60 * 60 * 1000;

describe.each(['sqlite', 'postgres'] as Dialect[])('money disputes on %s', (dialect) => {
  let world: MoneyWorld;

  beforeAll(async () => {
    world = await moneyWorld(dialect);
  });
  afterAll(async () => {
    await world.close();
  });
  afterEach(async () => {
    expect(await ledgerProblems(world)).toEqual([]);
  });

  const dispute = (escrowId: string, who: 'client' | 'freelancer' = 'client') =>
    command<DisputeCommandResult>(world, world[who], `/escrows/${escrowId}/disputes`, {
      reason: 'The delivery does not match the brief.',
    });
  const resolve = (escrowId: string, body: unknown, who: 'admin' | 'client' = 'admin') =>
    command<DisputeCommandResult>(
      world,
      world[who],
      `/admin/escrows/${escrowId}/dispute/resolve`,
      body,
    );

  async function refundedAtStripe(escrow: FundedEscrow): Promise<number> {
    const sdk = stripeClient({ secretKey: world.stripe.apiKey, apiUrl: world.stripe.url });
    const intent = await sdk.paymentIntents.retrieve(escrow.providerPaymentId, {
      expand: ['latest_charge'],
    });
    return (intent.latest_charge as { amount_refunded?: number } | null)?.amount_refunded ?? 0;
  }

  async function milestoneStatus(escrow: FundedEscrow): Promise<string> {
    const row = await world.server.db.kysely
      .selectFrom('milestones')
      .select('status')
      .where('id', '=', escrow.milestoneId)
      .executeTakeFirstOrThrow();
    return row.status;
  }

  async function disputeRows(escrowId: string) {
    return world.server.db.kysely
      .selectFrom('escrow_disputes')
      .selectAll()
      .where('escrow_id', '=', escrowId)
      .orderBy('opened_at')
      .execute();
  }

  async function notified(userId: string, title: string): Promise<number> {
    const rows = await world.server.db.kysely
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', userId)
      .where('title', '=', title)
      .execute();
    return rows.length;
  }

  async function deliver(event: Stripe.Event) {
    const answer = await world.stripe.deliver(event);
    expect(answer.status).toBe(200);
  }

  it('freezes the escrow: release, refund and auto-release are refused', async () => {
    const escrow = await fundedEscrow(world);
    const waiting = await command<RefundCommandResult>(
      world,
      world.client,
      `/escrows/${escrow.id}/refunds`,
      { amountMinor: 1_000, reason: 'Half-done.' },
    );
    const submitted = await command<EscrowDocument>(
      world,
      world.freelancer,
      `/escrows/${escrow.id}/submit`,
    );
    expect(submitted.status).toBe(200);
    const notifiedBefore = await notified(world.freelancer.id, 'Escrow disputed');

    const opened = await dispute(escrow.id);
    expect(opened.status).toBe(201);
    expect(opened.body.dispute).toMatchObject({
      source: 'party',
      openedBy: world.client.id,
      status: 'open',
      outcome: null,
      releasedMinor: 0,
      refundedMinor: 0,
    });
    expect(opened.body.escrow).toMatchObject({ status: 'disputed', heldMinor: escrow.amountMinor });
    expect(await milestoneStatus(escrow)).toBe('disputed');
    expect(await notified(world.freelancer.id, 'Escrow disputed')).toBe(notifiedBefore + 1);
    expect((await pulledEscrow(world, world.freelancer, escrow.id))?.dispute?.status).toBe('open');

    const release = await command(world, world.client, `/escrows/${escrow.id}/release`, {});
    expect(release.status).toBe(409);
    const refund = await command(world, world.client, `/escrows/${escrow.id}/refunds`, {
      amountMinor: 1,
      reason: 'x',
    });
    expect(refund.status).toBe(409);
    expect(refund.body.detail).toBe(
      'The escrow is disputed: nothing can be refunded until an admin resolves it.',
    );
    const approve = await command(
      world,
      world.freelancer,
      `/escrows/${escrow.id}/refunds/${waiting.body.refund?.id ?? ''}/approve`,
    );
    expect(approve.status).toBe(409);
    const again = await dispute(escrow.id, 'freelancer');
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('The escrow is already disputed.');
    const stranger = await signUpAs(world.server, 'client');
    const notParty = await command(world, stranger, `/escrows/${escrow.id}/disputes`, {
      reason: 'x',
    });
    expect(notParty.status).toBe(404);

    // Long past the review deadline, the sweep still leaves a disputed escrow alone.
    await world.server.escrow.sweep(Date.now() + 60 * dayMs);
    const row = await escrowRow(world, escrow.id);
    expect(row).toMatchObject({ status: 'disputed', released_minor: 0, refunded_minor: 0 });
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(escrow.amountMinor);
  });

  it('splits: the release part less the platform fee to the freelancer, the rest refunded', async () => {
    const escrow = await fundedEscrow(world, 150_000);
    await dispute(escrow.id, 'freelancer');
    const pendingBefore = await balance(world, freelancerPending(world.freelancer.id, 'EUR'));
    const feesBefore = await balance(world, platformFees('EUR'));
    const clearingBefore = await balance(world, providerClearing('stripe', 'EUR'));

    // 10 % of 100 005 is 10 000.5: half-up makes the fee 10 001.
    const releaseMinor = 100_005;
    const fee = platformFeeOf(releaseMinor, world.server.config.escrow.platformFeeBps);
    expect(fee).toBe(10_001);
    const resolved = await resolve(escrow.id, { outcome: 'split', releaseMinor });
    expect(resolved.status).toBe(200);
    expect(resolved.body.dispute).toMatchObject({
      status: 'resolved',
      outcome: 'split',
      releasedMinor: 100_005,
      refundedMinor: 49_995,
    });
    expect(resolved.body.escrow).toMatchObject({
      status: 'settled',
      releasedMinor: 100_005,
      refundedMinor: 49_995,
      heldMinor: 0,
      platformFeeMinor: 10_001,
      freelancerNetMinor: 90_004,
    });
    const row = (await disputeRows(escrow.id))[0];
    expect(row?.resolved_by).toBe(world.admin.id);

    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(0);
    expect(await balance(world, freelancerPending(world.freelancer.id, 'EUR'))).toBe(
      pendingBefore + 90_004,
    );
    expect(await balance(world, platformFees('EUR'))).toBe(feesBefore + 10_001);
    expect(await balance(world, providerClearing('stripe', 'EUR'))).toBe(clearingBefore - 49_995);
    expect(await refundedAtStripe(escrow)).toBe(49_995);
    // Besides the funding's provider fee: one release, with the platform fee.
    const fees = await world.server.db.kysely
      .selectFrom('transaction_fees')
      .selectAll()
      .where('escrow_id', '=', escrow.id)
      .where('platform_fee_minor', '>', 0)
      .execute();
    expect(fees).toHaveLength(1);
    expect(fees[0]).toMatchObject({
      gross_minor: 100_005,
      platform_fee_minor: 10_001,
      provider_fee_minor: 0,
      net_minor: 90_004,
    });
    expect(await milestoneStatus(escrow)).toBe('released');
    for (const who of [world.client, world.freelancer]) {
      expect(await notified(who.id, 'Dispute resolved')).toBeGreaterThan(0);
      const pulled = await pulledEscrow(world, who, escrow.id);
      expect(pulled?.dispute).toEqual(resolved.body.dispute);
    }
  });

  it('releases everything held, less the fee', async () => {
    const escrow = await fundedEscrow(world, 80_000);
    await dispute(escrow.id);
    const pendingBefore = await balance(world, freelancerPending(world.freelancer.id, 'EUR'));
    const resolved = await resolve(escrow.id, { outcome: 'release' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.dispute).toMatchObject({ outcome: 'release', releasedMinor: 80_000 });
    expect(resolved.body.escrow).toMatchObject({
      status: 'settled',
      platformFeeMinor: 8_000,
      freelancerNetMinor: 72_000,
    });
    expect(await balance(world, freelancerPending(world.freelancer.id, 'EUR'))).toBe(
      pendingBefore + 72_000,
    );
    expect(await refundedAtStripe(escrow)).toBe(0);
  });

  it('refunds everything held and rejects refund requests left waiting', async () => {
    const escrow = await fundedEscrow(world, 70_000);
    const waiting = await command<RefundCommandResult>(
      world,
      world.client,
      `/escrows/${escrow.id}/refunds`,
      { amountMinor: 5_000, reason: 'Some back.' },
    );
    await dispute(escrow.id);
    const resolved = await resolve(escrow.id, { outcome: 'refund' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.dispute).toMatchObject({ outcome: 'refund', refundedMinor: 70_000 });
    expect(resolved.body.escrow).toMatchObject({
      status: 'settled',
      refundedMinor: 70_000,
      releasedMinor: 0,
    });
    expect(
      resolved.body.escrow?.refunds.find((r) => r.id === waiting.body.refund?.id)?.status,
    ).toBe('rejected');
    expect(await refundedAtStripe(escrow)).toBe(70_000);
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(0);
    expect(await milestoneStatus(escrow)).toBe('pending');
  });

  it('refuses resolutions that are not an admin’s, not disputed, or split too far', async () => {
    const escrow = await fundedEscrow(world, 30_000);
    const early = await resolve(escrow.id, { outcome: 'release' });
    expect(early.status).toBe(409);
    expect(early.body.detail).toBe('The escrow is funded and has no open dispute to resolve.');
    await dispute(escrow.id);
    const byClient = await resolve(escrow.id, { outcome: 'refund' }, 'client');
    expect(byClient.status).toBe(403);
    expect(byClient.body.type).toBe(problemTypes.forbidden);
    const tooFar = await resolve(escrow.id, { outcome: 'split', releaseMinor: 30_000 });
    expect(tooFar.status).toBe(422);
    expect(tooFar.body.errors?.[0]?.pointer).toBe('/releaseMinor');
    expect(tooFar.body.detail).toBe(
      'The escrow holds 30000 minor units; a split releases less than that (and refunds the rest), so 30000 is too much.',
    );
    const noAmount = await resolve(escrow.id, { outcome: 'split' });
    expect(noAmount.status).toBe(422);
    expect((await escrowRow(world, escrow.id)).status).toBe('disputed');
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(30_000);
  });

  it('keeps the dispute open with the money held when the provider refuses its refund', async () => {
    const escrow = await fundedEscrow(world, 60_000);
    await dispute(escrow.id);
    // Refunded at Stripe directly meanwhile: the resolution's refund no longer fits there.
    const sdk = stripeClient({ secretKey: world.stripe.apiKey, apiUrl: world.stripe.url });
    await sdk.refunds.create({ payment_intent: escrow.providerPaymentId, amount: 50_000 });
    const pendingBefore = await balance(world, freelancerPending(world.freelancer.id, 'EUR'));

    const failed = await resolve(escrow.id, { outcome: 'split', releaseMinor: 20_000 });
    expect(failed.status).toBe(502);
    expect(failed.body.detail).toContain(
      'The payment provider refused the refund of 40000 minor units',
    );
    expect(failed.body.detail).toContain('The release of 20000 stands');
    // The release part stands; the refund part is held again, still disputed.
    expect(await escrowRow(world, escrow.id)).toMatchObject({
      status: 'disputed',
      released_minor: 20_000,
      refunded_minor: 0,
      platform_fee_minor: 2_000,
    });
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(40_000);
    expect(await balance(world, freelancerPending(world.freelancer.id, 'EUR'))).toBe(
      pendingBefore + 18_000,
    );
    expect((await disputeRows(escrow.id))[0]).toMatchObject({
      status: 'open',
      outcome: null,
      released_minor: 20_000,
      refunded_minor: 0,
    });
    expect(await milestoneStatus(escrow)).toBe('disputed');

    // The admin releases what is left instead: the totals make it a split.
    const released = await resolve(escrow.id, { outcome: 'release' });
    expect(released.status).toBe(200);
    expect(released.body.dispute).toMatchObject({
      status: 'resolved',
      outcome: 'release',
      releasedMinor: 60_000,
      refundedMinor: 0,
    });
    expect(released.body.escrow).toMatchObject({ status: 'settled', platformFeeMinor: 6_000 });
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(0);
  });

  it('lets a chargeback take over from a party’s open dispute', async () => {
    const escrow = await fundedEscrow(world, 25_000);
    await dispute(escrow.id, 'freelancer');
    const created = world.stripe.openDispute(escrow.providerPaymentId);
    await deliver(created);
    const rows = await disputeRows(escrow.id);
    expect(rows.map((row) => [row.source, row.status])).toEqual([
      ['party', 'resolved'],
      ['chargeback', 'open'],
    ]);
    await deliver(world.stripe.closeDispute((created.data.object as Stripe.Dispute).id, 'won'));
    expect((await escrowRow(world, escrow.id)).status).toBe('funded');
    expect(await milestoneStatus(escrow)).toBe('funded');
  });

  it('freezes on a chargeback and books a lost one out of escrow', async () => {
    const escrow = await fundedEscrow(world, 90_000);
    const clearingBefore = await balance(world, providerClearing('stripe', 'EUR'));
    const created = world.stripe.openDispute(escrow.providerPaymentId);
    await deliver(created);
    const rows = await disputeRows(escrow.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'chargeback', status: 'open', opened_by: null });
    expect((await escrowRow(world, escrow.id)).status).toBe('disputed');
    for (const who of [world.client, world.freelancer]) {
      expect(await notified(who.id, 'Chargeback opened')).toBeGreaterThan(0);
    }
    const release = await command(world, world.client, `/escrows/${escrow.id}/release`, {});
    expect(release.status).toBe(409);
    const byAdmin = await resolve(escrow.id, { outcome: 'release' });
    expect(byAdmin.status).toBe(409);

    const closed = world.stripe.closeDispute(rows[0]?.provider_dispute_id ?? '', 'lost');
    await deliver(closed);
    const after = await escrowRow(world, escrow.id);
    expect(after).toMatchObject({ status: 'settled', refunded_minor: 90_000, released_minor: 0 });
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(0);
    expect(await balance(world, providerClearing('stripe', 'EUR'))).toBe(clearingBefore - 90_000);
    const [row] = await disputeRows(escrow.id);
    expect(row).toMatchObject({ status: 'resolved', outcome: 'refund', refunded_minor: 90_000 });
    expect(await milestoneStatus(escrow)).toBe('pending');
    const pulled = await pulledEscrow(world, world.client, escrow.id);
    expect(pulled?.dispute).toMatchObject({ source: 'chargeback', status: 'resolved' });
  });

  it('unfreezes a won chargeback to what it was', async () => {
    const escrow = await fundedEscrow(world, 40_000);
    await command(world, world.freelancer, `/escrows/${escrow.id}/submit`);
    const created = world.stripe.openDispute(escrow.providerPaymentId);
    await deliver(created);
    expect((await escrowRow(world, escrow.id)).status).toBe('disputed');
    const id = (created.data.object as Stripe.Dispute).id;
    await deliver(world.stripe.closeDispute(id, 'won'));
    expect(await escrowRow(world, escrow.id)).toMatchObject({
      status: 'submitted',
      refunded_minor: 0,
    });
    expect(await milestoneStatus(escrow)).toBe('submitted');
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(40_000);
    expect((await disputeRows(escrow.id))[0]).toMatchObject({ status: 'resolved', outcome: null });
  });

  it('ends right when closed arrives before created, and duplicates change nothing', async () => {
    const escrow = await fundedEscrow(world, 50_000);
    const created = world.stripe.openDispute(escrow.providerPaymentId);
    const closed = world.stripe.closeDispute((created.data.object as Stripe.Dispute).id, 'lost');
    const clearingBefore = await balance(world, providerClearing('stripe', 'EUR'));
    const notifiedBefore = await notified(world.client.id, 'Chargeback lost');

    await deliver(closed);
    await deliver(created);
    await deliver(closed);
    await deliver(created);

    expect(await escrowRow(world, escrow.id)).toMatchObject({
      status: 'settled',
      refunded_minor: 50_000,
    });
    expect(await disputeRows(escrow.id)).toHaveLength(1);
    expect(await balance(world, providerClearing('stripe', 'EUR'))).toBe(clearingBefore - 50_000);
    expect(await notified(world.client.id, 'Chargeback lost')).toBe(notifiedBefore + 1);
    const postings = await world.server.db.kysely
      .selectFrom('ledger_transactions')
      .select('id')
      .where('kind', '=', 'chargeback.lost')
      .where('reference', '=', (created.data.object as Stripe.Dispute).id)
      .execute();
    expect(postings).toHaveLength(1);
  });

  it('delivered twice at once, a chargeback opens once', async () => {
    const escrow = await fundedEscrow(world, 20_000);
    const created = world.stripe.openDispute(escrow.providerPaymentId);
    const answers = await Promise.all([
      world.stripe.deliver(created),
      world.stripe.deliver(created),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(await disputeRows(escrow.id)).toHaveLength(1);
  });

  it('books to the platform what a lost chargeback takes beyond what escrow holds', async () => {
    const escrow = await fundedEscrow(world, 100_000);
    const offered = await command<RefundCommandResult>(
      world,
      world.freelancer,
      `/escrows/${escrow.id}/refunds`,
      { amountMinor: 30_000, reason: 'Part back.' },
    );
    await command(
      world,
      world.client,
      `/escrows/${escrow.id}/refunds/${offered.body.refund?.id ?? ''}/approve`,
    );
    const feesBefore = await balance(world, providerFees('stripe', 'EUR'));
    // The bank takes the whole charge back, though 30 000 of it were already refunded.
    const created = world.stripe.openDispute(escrow.providerPaymentId);
    await deliver(created);
    await deliver(world.stripe.closeDispute((created.data.object as Stripe.Dispute).id, 'lost'));
    expect(await escrowRow(world, escrow.id)).toMatchObject({
      status: 'settled',
      refunded_minor: 100_000,
    });
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(0);
    expect(await balance(world, providerFees('stripe', 'EUR'))).toBe(feesBefore + 30_000);
  });
});

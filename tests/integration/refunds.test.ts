/**
 * Refunds of escrowed money over real HTTP, on real SQLite and PostgreSQL, through the real
 * Stripe rail (the `stripe` SDK against the local fake Stripe): either party asks, the other
 * party or an admin decides; an approved refund goes back to the card and the ledger moves
 * the exact amount out of escrow. Refusals are precise problems that move nothing; two
 * approvals at once refund once; a refund racing a release never takes more than is held.
 * The books verify after every test.
 */
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes } from '../../shared/api/problem.ts';
import type { RefundCommandResult } from '../../shared/money/refund-commands.ts';
import type { EscrowDocument } from '../../shared/money/escrow.ts';
import { clientEscrow, providerClearing } from '../../server/money/ledger/accounts.ts';
import { accountBalance } from '../../server/money/ledger/balances.ts';
import { verifyLedger } from '../../server/money/ledger/verify.ts';
import { stripeClient } from '../../server/money/rails/stripe-rail.ts';
import { refundPosting } from '../../server/money/escrow/escrow-postings.ts';
import { postTransaction } from '../../server/money/ledger/ledger.ts';
import { client } from '../support/http.ts';
import { escrowCalls, escrowWorld } from '../support/escrow-fixtures.ts';
import { contractBetween } from '../support/marketplace-fixtures.ts';
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

describe.each(['sqlite', 'postgres'] as Dialect[])('refunds on %s', (dialect) => {
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

  const request = (escrowId: string, who: 'client' | 'freelancer', amountMinor: number) =>
    command<RefundCommandResult>(world, world[who], `/escrows/${escrowId}/refunds`, {
      amountMinor,
      reason: who === 'client' ? 'The work was not delivered.' : 'I could not finish it.',
    });
  const decide = (
    escrowId: string,
    refundId: string,
    who: 'client' | 'freelancer' | 'admin',
    action: 'approve' | 'reject',
    key?: string,
  ) =>
    command<RefundCommandResult>(
      world,
      world[who],
      `/escrows/${escrowId}/refunds/${refundId}/${action}`,
      undefined,
      key,
    );

  async function refundsAtStripe(providerPaymentId: string): Promise<number> {
    const sdk = stripeClient({ secretKey: world.stripe.apiKey, apiUrl: world.stripe.url });
    const intent = await sdk.paymentIntents.retrieve(providerPaymentId, {
      expand: ['latest_charge'],
    });
    const charge = intent.latest_charge as { amount_refunded?: number } | null;
    return charge?.amount_refunded ?? 0;
  }

  async function ledgerCount(kind: string, reference: string): Promise<number> {
    const rows = await world.server.db.kysely
      .selectFrom('ledger_transactions')
      .select('id')
      .where('kind', '=', kind)
      .where('reference', '=', reference)
      .execute();
    return rows.length;
  }

  async function notificationsOf(userId: string, title: string): Promise<number> {
    const rows = await world.server.db.kysely
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', userId)
      .where('title', '=', title)
      .execute();
    return rows.length;
  }

  /** The audit rows of `action` about one refund, oldest first (who, request, details). */
  async function auditOf(action: string, refundId: string) {
    const rows = await world.server.db.kysely
      .selectFrom('audit_log')
      .select(['user_id', 'request_id', 'details'])
      .where('action', '=', action)
      .orderBy('id')
      .execute();
    return rows
      .map((row) => ({
        userId: row.user_id,
        requestId: row.request_id,
        details: JSON.parse(row.details ?? '{}') as Record<string, unknown>,
      }))
      .filter((row) => row.details.refundId === refundId);
  }

  async function auditCount(): Promise<number> {
    const row = await world.server.db.kysely
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('refunds everything held when the client asks and the freelancer approves (cancelled)', async () => {
    const escrow = await fundedEscrow(world);
    const clearingBefore = await balance(world, providerClearing('stripe', 'EUR'));
    const notifiedBefore = await notificationsOf(world.client.id, 'Refund completed');

    const asked = await request(escrow.id, 'client', escrow.amountMinor);
    expect(asked.status).toBe(201);
    expect(asked.body.refund).toMatchObject({
      amountMinor: escrow.amountMinor,
      status: 'requested',
      requestedBy: world.client.id,
      decidedBy: null,
    });
    expect(asked.body.escrow?.heldMinor).toBe(escrow.amountMinor);
    const refundId = asked.body.refund?.id ?? '';

    const approved = await decide(escrow.id, refundId, 'freelancer', 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body.refund).toMatchObject({
      id: refundId,
      status: 'succeeded',
      decidedBy: world.freelancer.id,
      failureMessage: null,
    });
    expect(approved.body.escrow).toMatchObject({
      status: 'settled',
      fundedMinor: escrow.amountMinor,
      refundedMinor: escrow.amountMinor,
      releasedMinor: 0,
      heldMinor: 0,
    });

    // The card got it back, once; the ledger moved exactly the amount out of escrow.
    expect(await refundsAtStripe(escrow.providerPaymentId)).toBe(escrow.amountMinor);
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(0);
    expect(await balance(world, providerClearing('stripe', 'EUR'))).toBe(
      clearingBefore - escrow.amountMinor,
    );
    expect(await ledgerCount('escrow.refund', refundId)).toBe(1);

    // The milestone is open again; both parties see the refund inside the escrow document.
    const milestone = await world.server.db.kysely
      .selectFrom('milestones')
      .select('status')
      .where('id', '=', escrow.milestoneId)
      .executeTakeFirstOrThrow();
    expect(milestone.status).toBe('pending');
    for (const who of [world.client, world.freelancer]) {
      const pulled = await pulledEscrow(world, who, escrow.id);
      expect(pulled?.status).toBe('settled');
      expect(pulled?.refunds).toEqual([approved.body.refund]);
    }
    expect(await notificationsOf(world.client.id, 'Refund completed')).toBe(notifiedBefore + 1);
    expect(await notificationsOf(world.freelancer.id, 'Refund requested')).toBeGreaterThan(0);

    // Open again means fundable again: a new escrow, the settled one kept as history.
    const again = await command<EscrowDocument>(world, world.client, '/escrows', {
      contractId: escrow.contractId,
      milestoneId: escrow.milestoneId,
    });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'funded', milestoneId: escrow.milestoneId });
    expect(again.body.id).not.toBe(escrow.id);
  });

  it('refunds part when the freelancer offers it and the client approves', async () => {
    const escrow = await fundedEscrow(world, 150_000);
    const offered = await request(escrow.id, 'freelancer', 40_000);
    expect(offered.status).toBe(201);
    const approved = await decide(escrow.id, offered.body.refund?.id ?? '', 'client', 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body.refund?.status).toBe('succeeded');
    expect(approved.body.escrow).toMatchObject({
      status: 'funded',
      refundedMinor: 40_000,
      heldMinor: 110_000,
    });
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(110_000);
    expect(await refundsAtStripe(escrow.providerPaymentId)).toBe(40_000);
    const row = await escrowRow(world, escrow.id);
    expect(row.status).toBe('funded');

    // A second partial refund of the rest settles it.
    const rest = await request(escrow.id, 'client', 110_000);
    const done = await decide(escrow.id, rest.body.refund?.id ?? '', 'freelancer', 'approve');
    expect(done.body.escrow).toMatchObject({
      status: 'settled',
      heldMinor: 0,
      refundedMinor: 150_000,
    });
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(0);
  });

  it('rejects: the requester is told, nothing moves', async () => {
    const escrow = await fundedEscrow(world);
    const asked = await request(escrow.id, 'client', 10_000);
    const rejected = await decide(escrow.id, asked.body.refund?.id ?? '', 'freelancer', 'reject');
    expect(rejected.status).toBe(200);
    expect(rejected.body.refund).toMatchObject({
      status: 'rejected',
      decidedBy: world.freelancer.id,
    });
    expect(rejected.body.escrow).toMatchObject({ status: 'funded', heldMinor: escrow.amountMinor });
    expect(await ledgerCount('escrow.refund', asked.body.refund?.id ?? '')).toBe(0);
    expect(await refundsAtStripe(escrow.providerPaymentId)).toBe(0);
    expect(await notificationsOf(world.client.id, 'Refund rejected')).toBeGreaterThan(0);
    const refundId = asked.body.refund?.id ?? '';
    expect(await auditOf('refund.requested', refundId)).toEqual([
      {
        userId: world.client.id,
        requestId: expect.any(String) as unknown,
        details: expect.objectContaining({
          escrowId: escrow.id,
          amountMinor: 10_000,
          currency: 'EUR',
          role: 'client',
        }) as unknown,
      },
    ]);
    expect(await auditOf('refund.rejected', refundId)).toEqual([
      expect.objectContaining({
        userId: world.freelancer.id,
        details: expect.objectContaining({ amountMinor: 10_000, admin: false }) as unknown,
      }),
    ]);
  });

  it('lets an admin approve', async () => {
    const escrow = await fundedEscrow(world);
    const asked = await request(escrow.id, 'client', 25_000);
    const approved = await decide(escrow.id, asked.body.refund?.id ?? '', 'admin', 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body.refund).toMatchObject({ status: 'succeeded', decidedBy: world.admin.id });
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(escrow.amountMinor - 25_000);
    const refundId = asked.body.refund?.id ?? '';
    expect(await auditOf('refund.approved', refundId)).toEqual([
      expect.objectContaining({
        userId: world.admin.id,
        details: expect.objectContaining({ amountMinor: 25_000, admin: true }) as unknown,
      }),
    ]);
    // The rail answered at once: the success is the approver's, in the same request.
    const [approval] = await auditOf('refund.approved', refundId);
    expect(await auditOf('refund.succeeded', refundId)).toEqual([
      expect.objectContaining({
        userId: world.admin.id,
        requestId: approval?.requestId,
        details: expect.objectContaining({ amountMinor: 25_000, escrowId: escrow.id }) as unknown,
      }),
    ]);
  });

  it('answers every refusal with a precise problem and moves nothing', async () => {
    const escrow = await fundedEscrow(world, 50_000);
    const stranger = await import('../support/marketplace-fixtures.ts').then((m) =>
      m.signUpAs(world.server, 'client'),
    );

    const auditBefore = await auditCount();
    const tooMuch = await request(escrow.id, 'client', 50_001);
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.type).toBe(problemTypes.validation);
    expect(tooMuch.body.detail).toBe(
      'The escrow holds 50000 minor units; 50001 is more than that.',
    );
    expect(tooMuch.body.errors).toEqual([{ pointer: '/amountMinor', detail: tooMuch.body.detail }]);

    const zero = await request(escrow.id, 'client', 0);
    expect(zero.status).toBe(422);
    expect(zero.body.errors?.[0]?.pointer).toBe('/amountMinor');

    const first = await request(escrow.id, 'client', 30_000);
    expect(first.status).toBe(201);
    expect(await auditCount()).toBe(auditBefore + 1);
    const beyondWaiting = await request(escrow.id, 'freelancer', 20_001);
    expect(beyondWaiting.status).toBe(422);
    expect(beyondWaiting.body.detail).toBe(
      'The escrow holds 50000 minor units and 30000 are already requested, so at most 20000 can be refunded; 20001 is too much.',
    );

    const notParty = await command(world, stranger, `/escrows/${escrow.id}/refunds`, {
      amountMinor: 1,
      reason: 'mine',
    });
    expect(notParty.status).toBe(404);
    expect(notParty.body.type).toBe(problemTypes.notFound);
    const strangerDecides = await command(
      world,
      stranger,
      `/escrows/${escrow.id}/refunds/${first.body.refund?.id ?? ''}/approve`,
    );
    expect(strangerDecides.status).toBe(404);

    const own = await decide(escrow.id, first.body.refund?.id ?? '', 'client', 'approve');
    expect(own.status).toBe(403);
    expect(own.body.detail).toBe(
      'You asked for this refund; the other party or an admin decides it.',
    );

    const unknown = await decide(escrow.id, randomUUID(), 'freelancer', 'approve');
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe('This escrow has no such refund.');

    const noKey = await world.api.post(`/escrows/${escrow.id}/refunds`, {
      token: world.client.token,
      json: { amountMinor: 1, reason: 'x' },
    });
    expect(noKey.status).toBe(400);
    expect((noKey.body as { type: string }).type).toBe(problemTypes.idempotencyKeyRequired);

    expect(await ledgerCount('escrow.refund', first.body.refund?.id ?? '')).toBe(0);
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(50_000);
    // Only the one request that was accepted left a trace.
    expect(await auditCount()).toBe(auditBefore + 1);

    const rejected = await decide(escrow.id, first.body.refund?.id ?? '', 'freelancer', 'reject');
    expect(rejected.status).toBe(200);
    const again = await decide(escrow.id, first.body.refund?.id ?? '', 'admin', 'approve');
    expect(again.status).toBe(409);
    expect(again.body.type).toBe(problemTypes.conflict);
    expect(again.body.detail).toBe('This refund was already decided: it is rejected.');

    // All refunded: a settled escrow refuses new requests.
    const all = await request(escrow.id, 'client', 50_000);
    await decide(escrow.id, all.body.refund?.id ?? '', 'freelancer', 'approve');
    const settled = await request(escrow.id, 'client', 1);
    expect(settled.status).toBe(409);
    expect(settled.body.detail).toBe(
      'The escrow is settled; only a funded or submitted escrow can be refunded.',
    );
  });

  it('replays an approval sent again with the same Idempotency-Key', async () => {
    const escrow = await fundedEscrow(world);
    const asked = await request(escrow.id, 'client', 5_000);
    const key = randomUUID();
    const first = await decide(
      escrow.id,
      asked.body.refund?.id ?? '',
      'freelancer',
      'approve',
      key,
    );
    const second = await decide(
      escrow.id,
      asked.body.refund?.id ?? '',
      'freelancer',
      'approve',
      key,
    );
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await refundsAtStripe(escrow.providerPaymentId)).toBe(5_000);
  });

  it('refunds once when two approvals race', async () => {
    const escrow = await fundedEscrow(world);
    const asked = await request(escrow.id, 'client', 70_000);
    const refundId = asked.body.refund?.id ?? '';
    const answers = await Promise.all([
      decide(escrow.id, refundId, 'freelancer', 'approve'),
      decide(escrow.id, refundId, 'admin', 'approve'),
    ]);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 409]);
    expect(await refundsAtStripe(escrow.providerPaymentId)).toBe(70_000);
    expect(await ledgerCount('escrow.refund', refundId)).toBe(1);
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(escrow.amountMinor - 70_000);
  });

  it('never takes more than is held when a refund races a release', async () => {
    const escrow = await fundedEscrow(world, 100_000);
    const offered = await request(escrow.id, 'freelancer', 80_000);
    const refundId = offered.body.refund?.id ?? '';
    const [approval, release] = await Promise.all([
      decide(escrow.id, refundId, 'client', 'approve'),
      command<EscrowDocument>(world, world.client, `/escrows/${escrow.id}/release`, {
        amountMinor: 60_000,
      }),
    ]);
    // 80 000 + 60 000 > 100 000: exactly one of them moved money, the other was refused.
    expect([approval.status, release.status].sort()).toEqual(
      approval.status === 200 ? [200, 409] : [200, approval.status],
    );
    expect([200, 409, 422]).toContain(release.status);
    expect([approval.status, release.status].filter((status) => status === 200)).toHaveLength(1);
    const row = await escrowRow(world, escrow.id);
    const out = row.released_minor + row.refunded_minor;
    expect(out === 80_000 || out === 60_000).toBe(true);
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(100_000 - out);
    expect(await refundsAtStripe(escrow.providerPaymentId)).toBe(row.refunded_minor);
  });

  it('marks a refund the provider refuses as failed and keeps the money in escrow', async () => {
    const escrow = await fundedEscrow(world, 60_000);
    // Someone refunded most of the charge at Stripe directly: ours no longer fits there.
    const sdk = stripeClient({ secretKey: world.stripe.apiKey, apiUrl: world.stripe.url });
    await sdk.refunds.create({ payment_intent: escrow.providerPaymentId, amount: 50_000 });
    const asked = await request(escrow.id, 'client', 20_000);
    const refundId = asked.body.refund?.id ?? '';
    const approved = await decide(escrow.id, refundId, 'freelancer', 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body.refund?.status).toBe('failed');
    expect(approved.body.refund?.failureMessage).toContain('greater than unrefunded amount');
    expect(approved.body.escrow).toMatchObject({
      status: 'funded',
      heldMinor: 60_000,
      refundedMinor: 0,
    });
    // Reserved and put back: the pair nets to nothing.
    expect(await ledgerCount('escrow.refund', refundId)).toBe(1);
    expect(await ledgerCount('escrow.refund_reversal', refundId)).toBe(1);
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(60_000);
    expect(await notificationsOf(world.client.id, 'Refund failed')).toBeGreaterThan(0);
    expect(await auditOf('refund.failed', refundId)).toEqual([
      expect.objectContaining({
        userId: world.freelancer.id,
        details: expect.objectContaining({
          amountMinor: 20_000,
          failureMessage: expect.stringContaining('greater than unrefunded amount') as unknown,
        }) as unknown,
      }),
    ]);
    expect(await auditOf('refund.succeeded', refundId)).toEqual([]);
  });

  /**
   * A refund the provider has not answered yet: asked over HTTP, then what approval does
   * before it hears back (decided, `processing`, the money set aside in the ledger).
   */
  async function processingRefund(escrow: FundedEscrow, amountMinor: number): Promise<string> {
    const asked = await request(escrow.id, 'client', amountMinor);
    const refundId = asked.body.refund?.id ?? '';
    await world.server.db.kysely.transaction().execute(async (trx) => {
      const now = new Date().toISOString();
      await trx
        .updateTable('refunds')
        .set({ status: 'processing', decided_by: world.freelancer.id, decided_at: now })
        .where('id', '=', refundId)
        .execute();
      await trx
        .updateTable('escrows')
        .set((eb) => ({ refunded_minor: eb('refunded_minor', '+', amountMinor) }))
        .where('id', '=', escrow.id)
        .execute();
      await postTransaction(
        trx,
        refundPosting({
          refundId,
          contractId: escrow.contractId,
          rail: 'stripe',
          currency: 'EUR',
          amountMinor,
        }),
      );
    });
    return refundId;
  }

  function refundEvent(
    type: string,
    escrow: FundedEscrow,
    refund: { id: string; ourId: string; amountMinor: number; status: string },
  ): Stripe.Event {
    return {
      id: `evt_${randomUUID().replaceAll('-', '')}`,
      object: 'event',
      api_version: '2026-10-28',
      created: Math.floor(Date.now() / 1000),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: {
        object: {
          id: refund.id,
          object: 'refund',
          amount: refund.amountMinor,
          currency: 'eur',
          payment_intent: escrow.providerPaymentId,
          status: refund.status,
          failure_reason: refund.status === 'failed' ? 'expired_or_canceled_card' : null,
          metadata: { escrowId: escrow.id, refundId: refund.ourId },
        },
      },
    } as unknown as Stripe.Event;
  }

  it('settles a refund the provider confirms later by webhook, whatever the order', async () => {
    const escrow = await fundedEscrow(world, 30_000);
    const refundId = await processingRefund(escrow, 30_000);
    const re = {
      id: `re_${randomUUID().replaceAll('-', '')}`,
      ourId: refundId,
      amountMinor: 30_000,
    };
    const pending = refundEvent('refund.created', escrow, { ...re, status: 'pending' });
    const succeeded = refundEvent('refund.updated', escrow, { ...re, status: 'succeeded' });

    expect((await world.stripe.deliver(pending)).status).toBe(200);
    const waiting = await world.server.db.kysely
      .selectFrom('refunds')
      .select(['status', 'provider_refund_id'])
      .where('id', '=', refundId)
      .executeTakeFirstOrThrow();
    expect(waiting).toEqual({ status: 'processing', provider_refund_id: re.id });

    expect((await world.stripe.deliver(succeeded)).status).toBe(200);
    // Late and repeated words change nothing.
    expect((await world.stripe.deliver(pending)).status).toBe(200);
    expect((await world.stripe.deliver(succeeded)).status).toBe(200);
    const pulled = await pulledEscrow(world, world.client, escrow.id);
    expect(pulled).toMatchObject({ status: 'settled', heldMinor: 0, refundedMinor: 30_000 });
    expect(pulled?.refunds[0]?.status).toBe('succeeded');
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(0);
    expect(await ledgerCount('escrow.refund', refundId)).toBe(1);
    expect(await ledgerCount('escrow.refund_reversal', refundId)).toBe(0);
    // The webhook's doing, recorded once however often it came: no user, no request.
    expect(await auditOf('refund.succeeded', refundId)).toEqual([
      {
        userId: null,
        requestId: null,
        details: expect.objectContaining({
          amountMinor: 30_000,
          providerRefundId: re.id,
        }) as unknown,
      },
    ]);
  });

  it('puts the money back when the provider reports a refund failed', async () => {
    const escrow = await fundedEscrow(world, 30_000);
    const refundId = await processingRefund(escrow, 10_000);
    const re = {
      id: `re_${randomUUID().replaceAll('-', '')}`,
      ourId: refundId,
      amountMinor: 10_000,
    };
    const failed = refundEvent('refund.failed', escrow, { ...re, status: 'failed' });
    expect((await world.stripe.deliver(failed)).status).toBe(200);
    expect((await world.stripe.deliver(failed)).status).toBe(200);
    const pulled = await pulledEscrow(world, world.freelancer, escrow.id);
    expect(pulled).toMatchObject({ status: 'funded', heldMinor: 30_000, refundedMinor: 0 });
    expect(pulled?.refunds[0]).toMatchObject({
      status: 'failed',
      failureMessage: 'The refund failed (expired_or_canceled_card).',
    });
    expect(await ledgerCount('escrow.refund_reversal', refundId)).toBe(1);
    expect(await balance(world, clientEscrow(escrow.contractId))).toBe(30_000);
  });
});

describe.each(['sqlite', 'postgres'] as Dialect[])(
  'refunds on the sandbox rail on %s',
  (dialect) => {
    it('refunds through the sandbox when no Stripe keys are configured', async () => {
      const { server, category, owner, worker, admin } = await escrowWorld(dialect, {
        owner: 'client',
        worker: 'freelancer',
      });
      try {
        const calls = escrowCalls(server);
        await calls.saveCard(owner, 'succeeds');
        const contractId = await contractBetween(
          server,
          { client: owner, freelancer: worker, categoryId: category.id },
          'active',
        );
        const milestone = await server.db.kysely
          .selectFrom('milestones')
          .select(['id', 'amount_minor'])
          .where('contract_id', '=', contractId)
          .executeTakeFirstOrThrow();
        const funded = await calls.command(owner, '/escrows', {
          contractId,
          milestoneId: milestone.id,
        });
        expect(funded.status).toBe(201);
        const escrowId = funded.body.id ?? '';
        const api = client(server.baseUrl);
        const post = (who: typeof owner, path: string, json?: unknown) =>
          api.post<RefundCommandResult>(path, {
            token: who.token,
            headers: { 'idempotency-key': randomUUID() },
            ...(json === undefined ? {} : { json }),
          });
        const asked = await post(worker, `/escrows/${escrowId}/refunds`, {
          amountMinor: 12_345,
          reason: 'Returning part of it.',
        });
        expect(asked.status).toBe(201);
        const approved = await post(
          admin,
          `/escrows/${escrowId}/refunds/${asked.body.refund.id}/approve`,
        );
        expect(approved.status).toBe(200);
        expect(approved.body.refund.status).toBe('succeeded');
        expect(approved.body.escrow.heldMinor).toBe(milestone.amount_minor - 12_345);
        const refunds = await server.db.kysely
          .selectFrom('sandbox_refunds')
          .select(['amount_minor', 'idempotency_key'])
          .execute();
        expect(refunds).toEqual([{ amount_minor: 12_345, idempotency_key: asked.body.refund.id }]);
        expect(
          Number(
            (await accountBalance(server.db.kysely, clientEscrow(contractId)))?.balanceMinor ?? 0n,
          ),
        ).toBe(milestone.amount_minor - 12_345);
        expect((await verifyLedger(server.db.kysely)).problems).toEqual([]);
      } finally {
        await server.close();
      }
    });
  },
);

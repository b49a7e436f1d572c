/**
 * The audit log of money, over real HTTP on real SQLite and PostgreSQL: each escrow, card,
 * payout-account, dispute and chargeback change writes one audit row in its own transaction,
 * naming who did it (their session and request) with the ids and amounts; what the server
 * does by itself (the auto release, webhooks) is recorded with no user and no request; a
 * refused command writes nothing.
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscrowDocument } from '../../shared/money/escrow.ts';
import type { DisputeCommandResult } from '../../shared/money/dispute-commands.ts';
import { platformFeeOf } from '../../shared/money/fees.ts';
import { client as httpClient } from '../support/http.ts';
import { escrowCalls, escrowWorld, milestonesOf } from '../support/escrow-fixtures.ts';
import type { Member } from '../support/marketplace-fixtures.ts';
import { command, fundedEscrow, moneyWorld, type MoneyWorld } from '../support/refund-world.ts';
import type { Dialect, TestServer } from '../support/test-server.ts';
import { timeContractBetween } from '../support/time-fixtures.ts';

interface AuditRow {
  id: number;
  userId: string | null;
  sessionId: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

/** The audit rows of `action` whose details hold `key: value`, oldest first. */
async function auditOf(
  server: TestServer,
  action: string,
  key: string,
  value: unknown,
): Promise<AuditRow[]> {
  const rows = await server.db.kysely
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .orderBy('id')
    .execute();
  return rows
    .map((row) => ({
      id: row.id,
      userId: row.user_id,
      sessionId: row.session_id,
      requestId: row.request_id,
      details: JSON.parse(row.details ?? '{}') as Record<string, unknown>,
    }))
    .filter((row) => row.details[key] === value);
}

async function auditCount(server: TestServer): Promise<number> {
  const row = await server.db.kysely
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(['sqlite', 'postgres'] as Dialect[])(
  'money audit (sandbox rail) on %s',
  (dialect) => {
    let server: TestServer;
    let owner: Member;
    let freelancer: Member;
    let calls: ReturnType<typeof escrowCalls>;
    let categoryId: string;

    beforeAll(async () => {
      const world = await escrowWorld(dialect, { owner: 'client', freelancer: 'freelancer' });
      ({ server, owner, freelancer } = world);
      categoryId = world.category.id;
      calls = escrowCalls(server);
    });
    afterAll(async () => {
      await server?.close();
    });

    async function milestone() {
      const { contractId } = await timeContractBetween(
        server,
        { client: owner, freelancer, categoryId },
        'fixed',
      );
      const [first] = await milestonesOf(server, contractId);
      if (!first) throw new Error('the contract has no milestone');
      return { contractId, milestone: first };
    }

    it('records cards added and removed, and payout onboarding started, by whom', async () => {
      const card = await calls.saveCard(owner, 'succeeds');
      const [added] = await auditOf(server, 'payment_method.added', 'paymentMethodId', card);
      expect(added).toMatchObject({
        userId: owner.id,
        details: { rail: 'sandbox', paymentMethodId: card, outcome: 'succeeds' },
      });
      expect(added?.sessionId).toEqual(expect.any(String));
      expect(added?.requestId).toEqual(expect.any(String));

      const api = httpClient(server.baseUrl);
      const spare = await calls.saveCard(owner, 'succeeds');
      const removed = await api.delete(`/payments/methods/${spare}`, { token: owner.token });
      expect(removed.status).toBe(204);
      expect(await auditOf(server, 'payment_method.removed', 'paymentMethodId', spare)).toEqual([
        expect.objectContaining({ userId: owner.id }),
      ]);
      // Refused (not theirs any more): nothing is written.
      const before = await auditCount(server);
      const again = await api.delete(`/payments/methods/${spare}`, { token: owner.token });
      expect(again.status).toBe(404);
      expect(await auditCount(server)).toBe(before);

      const onboarding = await api.post('/payments/payout-account/onboarding', {
        token: freelancer.token,
      });
      expect(onboarding.status).toBe(200);
      const account = await server.db.kysely
        .selectFrom('payout_accounts')
        .select('account_id')
        .where('user_id', '=', freelancer.id)
        .executeTakeFirstOrThrow();
      expect(
        await auditOf(server, 'payout_account.onboarding_started', 'accountId', account.account_id),
      ).toEqual([expect.objectContaining({ userId: freelancer.id })]);
    });

    it('records funding, submission and release with amounts and fee; a refused command writes none', async () => {
      await calls.saveCard(owner, 'succeeds');
      const { contractId, milestone: m } = await milestone();
      const fund = await calls.command(owner, '/escrows', { contractId, milestoneId: m.id });
      expect(fund.status).toBe(201);
      const escrow = fund.body as EscrowDocument;
      const funded = await auditOf(server, 'escrow.funded', 'escrowId', escrow.id);
      expect(funded).toHaveLength(1);
      expect(funded[0]).toMatchObject({
        userId: owner.id,
        details: { contractId, amountMinor: m.amount_minor, currency: m.currency },
      });
      expect(funded[0]?.requestId).toEqual(expect.any(String));

      // The client may not submit; the refusal leaves no trace.
      const before = await auditCount(server);
      const refused = await calls.command(owner, `/escrows/${escrow.id}/submit`);
      expect(refused.status).toBe(403);
      const early = await calls.command(owner, `/escrows/${escrow.id}/release`, {
        amountMinor: m.amount_minor + 1,
      });
      expect(early.status).toBe(409);
      expect(await auditCount(server)).toBe(before);

      const submit = await calls.command(freelancer, `/escrows/${escrow.id}/submit`);
      expect(submit.status).toBe(200);
      expect(await auditOf(server, 'escrow.submitted', 'escrowId', escrow.id)).toEqual([
        expect.objectContaining({ userId: freelancer.id }),
      ]);

      const part = 1_000;
      const release = await calls.command(owner, `/escrows/${escrow.id}/release`, {
        amountMinor: part,
      });
      expect(release.status).toBe(200);
      const fee = platformFeeOf(part, 1000);
      expect(await auditOf(server, 'escrow.released', 'escrowId', escrow.id)).toEqual([
        expect.objectContaining({
          userId: owner.id,
          details: expect.objectContaining({
            amountMinor: part,
            platformFeeMinor: fee,
            netMinor: part - fee,
            by: 'client',
          }) as unknown,
        }),
      ]);

      // The sweep releases the rest on its own: no user, no request.
      const deadline = Date.parse((submit.body as EscrowDocument).reviewDeadline ?? '');
      await server.escrow.sweep(deadline);
      const released = await auditOf(server, 'escrow.released', 'escrowId', escrow.id);
      expect(released).toHaveLength(2);
      expect(released[1]).toMatchObject({
        userId: null,
        sessionId: null,
        requestId: null,
        details: {
          amountMinor: m.amount_minor - part,
          platformFeeMinor: platformFeeOf(m.amount_minor - part, 1000),
          by: 'auto',
          ledgerReference: `auto/${escrow.id}`,
        },
      });
    });

    it('records a failed payment', async () => {
      const declining = await calls.saveCard(owner, 'declines');
      const { contractId, milestone: m } = await milestone();
      const fund = await calls.command(owner, '/escrows', {
        contractId,
        milestoneId: m.id,
        paymentMethodId: declining,
      });
      expect(fund.status).toBe(402);
      const { escrowId } = fund.body as unknown as { escrowId: string };
      expect(await auditOf(server, 'escrow.payment_failed', 'escrowId', escrowId)).toEqual([
        expect.objectContaining({
          userId: owner.id,
          details: expect.objectContaining({
            amountMinor: m.amount_minor,
            failureMessage: expect.any(String) as unknown,
          }) as unknown,
        }),
      ]);
      expect(await auditOf(server, 'escrow.funded', 'escrowId', escrowId)).toEqual([]);
    });
  },
);

describe.each(['sqlite', 'postgres'] as Dialect[])('money audit (Stripe rail) on %s', (dialect) => {
  let world: MoneyWorld;

  beforeAll(async () => {
    world = await moneyWorld(dialect);
  });
  afterAll(async () => {
    await world.close();
  });

  it('records a dispute opened by a party and resolved by an admin, with the outcome', async () => {
    const escrow = await fundedEscrow(world, 40_000);
    const opened = await command<DisputeCommandResult>(
      world,
      world.freelancer,
      `/escrows/${escrow.id}/disputes`,
      { reason: 'The client stopped answering.' },
    );
    expect(opened.status).toBe(201);
    const disputeId = opened.body.dispute?.id;
    expect(await auditOf(world.server, 'dispute.opened', 'disputeId', disputeId)).toEqual([
      expect.objectContaining({
        userId: world.freelancer.id,
        details: expect.objectContaining({ escrowId: escrow.id, heldMinor: 40_000 }) as unknown,
      }),
    ]);

    // A party may not resolve: nothing written.
    const before = await auditCount(world.server);
    const refused = await command(
      world,
      world.client,
      `/admin/escrows/${escrow.id}/dispute/resolve`,
      {
        outcome: 'refund',
      },
    );
    expect(refused.status).toBe(403);
    expect(await auditCount(world.server)).toBe(before);

    const resolved = await command<DisputeCommandResult>(
      world,
      world.admin,
      `/admin/escrows/${escrow.id}/dispute/resolve`,
      { outcome: 'split', releaseMinor: 30_000 },
    );
    expect(resolved.status).toBe(200);
    expect(await auditOf(world.server, 'dispute.resolved', 'disputeId', disputeId)).toEqual([
      expect.objectContaining({
        userId: world.admin.id,
        details: expect.objectContaining({
          adminId: world.admin.id,
          outcome: 'split',
          releasedMinor: 30_000,
          platformFeeMinor: platformFeeOf(30_000, 1000),
          refundedMinor: 10_000,
        }) as unknown,
      }),
    ]);
  });

  it('records chargebacks opened and closed from webhooks, with no user', async () => {
    const escrow = await fundedEscrow(world, 20_000);
    const created = world.stripe.openDispute(escrow.providerPaymentId);
    expect((await world.stripe.deliver(created)).status).toBe(200);
    // A second delivery of the same event changes nothing, so records nothing.
    expect((await world.stripe.deliver(created)).status).toBe(200);
    const providerDisputeId = (created.data.object as Stripe.Dispute).id;
    const openedRows = await auditOf(
      world.server,
      'chargeback.opened',
      'providerDisputeId',
      providerDisputeId,
    );
    expect(openedRows).toEqual([
      expect.objectContaining({
        userId: null,
        requestId: null,
        details: expect.objectContaining({ escrowId: escrow.id, amountMinor: 20_000 }) as unknown,
      }),
    ]);
    const closed = world.stripe.closeDispute(providerDisputeId, 'lost');
    expect((await world.stripe.deliver(closed)).status).toBe(200);
    expect(
      await auditOf(world.server, 'chargeback.closed', 'providerDisputeId', providerDisputeId),
    ).toEqual([
      expect.objectContaining({
        userId: null,
        details: expect.objectContaining({
          status: 'lost',
          amountMinor: 20_000,
          fromEscrowMinor: 20_000,
        }) as unknown,
      }),
    ]);
  });
});

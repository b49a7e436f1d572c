/**
 * Escrow over real HTTP on the sandbox rail, on SQLite and PostgreSQL: funding a milestone
 * charges the client's card and books the money, the freelancer submits, the client releases
 * (all or part) with the platform's fee split off, the sweep releases what the client left
 * unreviewed, a declined card answers 402 and books nothing, and every refused command moves
 * nothing. After each test the ledger verifies clean.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import type { EscrowDocument } from '../../shared/money/escrow.ts';
import type { Wallet, WalletTransactionPage } from '../../shared/money/escrow-commands.ts';
import { platformFeeOf } from '../../shared/money/fees.ts';
import {
  clientEscrow,
  freelancerPending,
  platformFees,
  providerClearing,
  providerFees,
} from '../../server/money/ledger/accounts.ts';
import { verifyLedger } from '../../server/money/ledger/verify.ts';
import { sandboxFeeMinor, SANDBOX_DECLINE_MESSAGE } from '../../server/money/rails/sandbox-rail.ts';
import {
  balanceOf,
  escrowAmounts,
  escrowCalls,
  escrowWorld,
  milestonesOf,
  moneyRowCounts,
} from '../support/escrow-fixtures.ts';
import type { Member } from '../support/marketplace-fixtures.ts';
import type { Dialect, TestServer } from '../support/test-server.ts';
import { timeContractBetween } from '../support/time-fixtures.ts';

const dayMs = 24 * 60 * 60 * 1000;

describe.each(['sqlite', 'postgres'] as Dialect[])('escrow on %s', (dialect) => {
  let server: TestServer;
  let owner: Member;
  let freelancer: Member;
  let otherClient: Member;
  let categoryId: string;
  let calls: ReturnType<typeof escrowCalls>;

  beforeAll(async () => {
    const world = await escrowWorld(dialect, {
      owner: 'client',
      freelancer: 'freelancer',
      otherClient: 'client',
    });
    ({ server, owner, freelancer, otherClient } = world);
    categoryId = world.category.id;
    calls = escrowCalls(server);
    await calls.saveCard(owner, 'succeeds');
    await calls.saveCard(otherClient, 'succeeds');
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    const report = await verifyLedger(server.db.kysely);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  /** A fixed-price contract between owner and freelancer, and its first milestone. */
  async function fixedMilestone(parties = { client: owner, freelancer }) {
    const { contractId } = await timeContractBetween(server, { ...parties, categoryId }, 'fixed');
    const [milestone] = await milestonesOf(server, contractId);
    if (!milestone) throw new Error('the contract has no milestone');
    return { contractId, milestone };
  }

  async function funded(parties = { client: owner, freelancer }) {
    const { contractId, milestone } = await fixedMilestone(parties);
    const answer = await calls.command(parties.client, '/escrows', {
      contractId,
      milestoneId: milestone.id,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return { contractId, milestone, escrow: answer.body as EscrowDocument };
  }

  it('funds, submits and releases a milestone with the fee split, to the exact minor unit', async () => {
    const { contractId, milestone } = await fixedMilestone();
    const amount = milestone.amount_minor;
    const currency = milestone.currency;
    const clearingBefore = await balanceOf(server, providerClearing('sandbox', currency));
    const providerFeesBefore = await balanceOf(server, providerFees('sandbox', currency));
    const platformBefore = await balanceOf(server, platformFees(currency));
    const pendingBefore = await balanceOf(server, freelancerPending(freelancer.id, currency));

    const fund = await calls.command(owner, '/escrows', { contractId, milestoneId: milestone.id });
    expect(fund.status, JSON.stringify(fund.body)).toBe(201);
    const escrow = fund.body as EscrowDocument;
    const providerFee = sandboxFeeMinor(amount);
    expect(escrow).toMatchObject({
      contractId,
      clientId: owner.id,
      freelancerId: freelancer.id,
      milestoneId: milestone.id,
      week: null,
      currency,
      amountMinor: amount,
      fundedMinor: amount,
      releasedMinor: 0,
      heldMinor: amount,
      platformFeeMinor: 0,
      freelancerNetMinor: 0,
      status: 'funded',
      payment: {
        status: 'succeeded',
        rail: 'sandbox',
        amountMinor: amount,
        providerFeeMinor: providerFee,
        failureMessage: null,
      },
    });
    expect(await balanceOf(server, clientEscrow(contractId))).toBe(amount);
    expect(await balanceOf(server, providerClearing('sandbox', currency))).toBe(
      clearingBefore + amount - providerFee,
    );
    expect(await balanceOf(server, providerFees('sandbox', currency))).toBe(
      providerFeesBefore + providerFee,
    );
    expect((await milestonesOf(server, contractId))[0]?.status).toBe('funded');

    // The client cannot submit; the freelancer does.
    const clientSubmit = await calls.command(owner, `/escrows/${escrow.id}/submit`);
    expect(clientSubmit.status).toBe(403);
    const before = Date.now();
    const submit = await calls.command(freelancer, `/escrows/${escrow.id}/submit`);
    expect(submit.status, JSON.stringify(submit.body)).toBe(200);
    const submitted = submit.body as EscrowDocument;
    expect(submitted.status).toBe('submitted');
    const deadline = Date.parse(submitted.reviewDeadline ?? '');
    expect(deadline).toBeGreaterThanOrEqual(before + 14 * dayMs);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 14 * dayMs);
    expect((await milestonesOf(server, contractId))[0]?.status).toBe('submitted');

    const release = await calls.command(owner, `/escrows/${escrow.id}/release`);
    expect(release.status, JSON.stringify(release.body)).toBe(200);
    const fee = platformFeeOf(amount, 1000);
    expect(fee).toBe(Math.round(amount / 10));
    expect(release.body).toMatchObject({
      status: 'settled',
      fundedMinor: amount,
      releasedMinor: amount,
      heldMinor: 0,
      platformFeeMinor: fee,
      freelancerNetMinor: amount - fee,
    });
    expect(await balanceOf(server, clientEscrow(contractId))).toBe(0);
    expect(await balanceOf(server, platformFees(currency))).toBe(platformBefore + fee);
    expect(await balanceOf(server, freelancerPending(freelancer.id, currency))).toBe(
      pendingBefore + amount - fee,
    );
    expect((await milestonesOf(server, contractId))[0]?.status).toBe('released');

    // Both parties see the same numbers: over REST and through the synced collection.
    const asFreelancer = await calls.get(freelancer, `/escrows/${escrow.id}`);
    expect(asFreelancer.body).toEqual(release.body);
    const pulled = await calls.get<{ documents: Array<EscrowDocument & { _deleted: boolean }> }>(
      freelancer,
      '/sync/escrows/pull?limit=1000',
    );
    const synced = pulled.body.documents.find((document) => document.id === escrow.id);
    expect(synced).toEqual({ ...(release.body as EscrowDocument), _deleted: false });
    const outsiderPull = await calls.get<{ documents: EscrowDocument[] }>(
      otherClient,
      '/sync/escrows/pull?limit=1000',
    );
    expect(outsiderPull.body.documents.some((document) => document.id === escrow.id)).toBe(false);
    expect((await calls.get(otherClient, `/escrows/${escrow.id}`)).status).toBe(404);

    // Fees recorded per ledger transaction: the funding's provider fee, the release's split.
    const fees = await server.db.kysely
      .selectFrom('transaction_fees')
      .selectAll()
      .where('escrow_id', '=', escrow.id)
      .orderBy('ledger_transaction_id')
      .execute();
    expect(
      fees.map((row) => [
        row.gross_minor,
        row.platform_fee_minor,
        row.provider_fee_minor,
        row.net_minor,
      ]),
    ).toEqual([
      [amount, 0, providerFee, amount],
      [amount, fee, 0, amount - fee],
    ]);

    // The wallet: the freelancer's pending money (no payout account yet), newest first.
    const wallet = await calls.get<Wallet>(freelancer, '/wallet');
    expect(wallet.status).toBe(200);
    expect(wallet.body.balances.find((b) => b.currency === currency)?.pendingMinor).toBe(
      pendingBefore + amount - fee,
    );
    const history = await calls.get<WalletTransactionPage>(
      freelancer,
      '/wallet/transactions?kind=escrow.release',
    );
    expect(history.status).toBe(200);
    expect(history.body.transactions[0]).toMatchObject({
      kind: 'escrow.release',
      escrowId: escrow.id,
      contractId,
      currency,
      grossMinor: amount,
      platformFeeMinor: fee,
      netMinor: amount - fee,
    });
    const clientHistory = await calls.get<WalletTransactionPage>(owner, '/wallet/transactions');
    const mine = clientHistory.body.transactions.filter((t) => t.escrowId === escrow.id);
    expect(mine.map((t) => t.kind)).toEqual(['escrow.release', 'escrow.fund']);
    expect(mine[1]).toMatchObject({ grossMinor: amount, providerFeeMinor: providerFee });
  });

  it('releases part, then the rest, and refuses more than is held', async () => {
    const { contractId, milestone, escrow } = await funded();
    const amount = milestone.amount_minor;
    const part = 40_001;
    const first = await calls.command(owner, `/escrows/${escrow.id}/release`, {
      amountMinor: part,
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({
      status: 'funded',
      releasedMinor: part,
      heldMinor: amount - part,
      platformFeeMinor: platformFeeOf(part, 1000),
      freelancerNetMinor: part - platformFeeOf(part, 1000),
    });
    expect(await balanceOf(server, clientEscrow(contractId))).toBe(amount - part);
    expect((await milestonesOf(server, contractId))[0]?.status).toBe('funded');

    const counts = await moneyRowCounts(server);
    const amounts = await escrowAmounts(server);
    const tooMuch = await calls.command(owner, `/escrows/${escrow.id}/release`, {
      amountMinor: amount - part + 1,
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.detail).toContain(`Only ${amount - part}`);
    expect(await moneyRowCounts(server)).toEqual(counts);
    expect(await escrowAmounts(server)).toEqual(amounts);

    const rest = await calls.command(owner, `/escrows/${escrow.id}/release`);
    expect(rest.status, JSON.stringify(rest.body)).toBe(200);
    const fee = platformFeeOf(part, 1000) + platformFeeOf(amount - part, 1000);
    expect(rest.body).toMatchObject({
      status: 'settled',
      releasedMinor: amount,
      heldMinor: 0,
      platformFeeMinor: fee,
      freelancerNetMinor: amount - fee,
    });
    expect((await milestonesOf(server, contractId))[0]?.status).toBe('released');
    const settledAgain = await calls.command(owner, `/escrows/${escrow.id}/release`);
    expect(settledAgain.status).toBe(409);
  });

  it('releases a submitted milestone automatically after the review period, once', async () => {
    const { contractId, milestone, escrow } = await funded();
    const submit = await calls.command(freelancer, `/escrows/${escrow.id}/submit`);
    const deadline = Date.parse((submit.body as EscrowDocument).reviewDeadline ?? '');
    const pendingBefore = await balanceOf(
      server,
      freelancerPending(freelancer.id, milestone.currency),
    );

    const early = await server.escrow.sweep(deadline - 1);
    expect(early.map((r) => r.escrowId)).not.toContain(escrow.id);
    expect((await calls.get(owner, `/escrows/${escrow.id}`)).body.status).toBe('submitted');

    const due = await server.escrow.sweep(deadline);
    expect(due).toContainEqual({ escrowId: escrow.id, amountMinor: milestone.amount_minor });
    const fee = platformFeeOf(milestone.amount_minor, 1000);
    expect((await calls.get(owner, `/escrows/${escrow.id}`)).body).toMatchObject({
      status: 'settled',
      releasedMinor: milestone.amount_minor,
      platformFeeMinor: fee,
    });
    expect(await balanceOf(server, freelancerPending(freelancer.id, milestone.currency))).toBe(
      pendingBefore + milestone.amount_minor - fee,
    );
    expect((await milestonesOf(server, contractId))[0]?.status).toBe('released');
    const auto = await server.db.kysely
      .selectFrom('ledger_transactions')
      .select('kind')
      .where('reference', '=', `auto/${escrow.id}`)
      .execute();
    expect(auto).toEqual([{ kind: 'escrow.release' }]);

    const again = await server.escrow.sweep(deadline + dayMs);
    expect(again.map((r) => r.escrowId)).not.toContain(escrow.id);
  });

  it('answers a declined card with 402, books nothing, tells the client, and pays on retry', async () => {
    const payer = otherClient;
    const declining = await calls.saveCard(payer, 'declines');
    const { contractId, milestone } = await fixedMilestone({ client: payer, freelancer });
    const counts = await moneyRowCounts(server);

    const fund = await calls.command(payer, '/escrows', {
      contractId,
      milestoneId: milestone.id,
      paymentMethodId: declining,
    });
    expect(fund.status, JSON.stringify(fund.body)).toBe(402);
    const problem = fund.body as unknown as Problem & { escrowId: string };
    expect(problem.type).toBe(problemTypes.paymentFailed);
    expect(problem.detail).toBe(SANDBOX_DECLINE_MESSAGE);

    const escrow = (await calls.get(payer, `/escrows/${problem.escrowId}`)).body as EscrowDocument;
    expect(escrow).toMatchObject({
      status: 'payment_failed',
      fundedMinor: 0,
      heldMinor: 0,
      payment: { status: 'failed', failureMessage: SANDBOX_DECLINE_MESSAGE },
    });
    const after = await moneyRowCounts(server);
    expect(after.ledger_transactions).toBe(counts.ledger_transactions);
    expect(after.ledger_entries).toBe(counts.ledger_entries);
    expect(after.transaction_fees).toBe(counts.transaction_fees);
    expect(after.escrows).toBe((counts.escrows ?? 0) + 1);
    expect(await balanceOf(server, clientEscrow(contractId))).toBe(0);
    expect((await milestonesOf(server, contractId))[0]?.status).toBe('pending');
    const notifications = await server.db.kysely
      .selectFrom('notifications')
      .select(['title', 'body'])
      .where('user_id', '=', payer.id)
      .where('title', '=', 'Payment failed')
      .execute();
    expect(notifications).toHaveLength(1);
    expect(notifications[0]?.body).toContain(SANDBOX_DECLINE_MESSAGE);

    // Funding it again is refused: the escrow exists; paying again is the retry command.
    const twice = await calls.command(payer, '/escrows', { contractId, milestoneId: milestone.id });
    expect(twice.status).toBe(409);
    const good = await calls.saveCard(payer, 'succeeds');
    const retry = await calls.command(payer, `/escrows/${escrow.id}/payments`, {
      paymentMethodId: good,
    });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body).toMatchObject({
      status: 'funded',
      fundedMinor: milestone.amount_minor,
      heldMinor: milestone.amount_minor,
      payment: { status: 'succeeded' },
    });
    expect(await balanceOf(server, clientEscrow(contractId))).toBe(milestone.amount_minor);
    expect((await milestonesOf(server, contractId))[0]?.status).toBe('funded');
    const retryAgain = await calls.command(payer, `/escrows/${escrow.id}/payments`, {});
    expect(retryAgain.status).toBe(409);
  });

  it('replays the first answer to an Idempotency-Key, errors included, and refuses reuse', async () => {
    const { contractId, milestone } = await fixedMilestone();
    const key = randomUUID();
    const body = { contractId, milestoneId: milestone.id };
    const first = await calls.command(owner, '/escrows', body, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const counts = await moneyRowCounts(server);

    const replay = await calls.command(owner, '/escrows', body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(await moneyRowCounts(server)).toEqual(counts);

    const reused = await calls.command(owner, '/escrows', { ...body, currency: 'EUR' }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.type).toBe(problemTypes.idempotencyKeyReused);

    // An error is stored too: the same key answers the same 409 even once it would succeed.
    const escrowId = (first.body as EscrowDocument).id;
    const errorKey = randomUUID();
    const early = await calls.command(
      owner,
      `/escrows/${escrowId}/release`,
      { amountMinor: 10 ** 12 },
      errorKey,
    );
    expect(early.status).toBe(409);
    const earlyAgain = await calls.command(
      owner,
      `/escrows/${escrowId}/release`,
      { amountMinor: 10 ** 12 },
      errorKey,
    );
    expect(earlyAgain.status).toBe(409);
    expect(earlyAgain.headers.get('idempotent-replayed')).toBe('true');
    expect({ ...earlyAgain.body, requestId: null, instance: null }).toEqual({
      ...early.body,
      requestId: null,
      instance: null,
    });

    const missing = await server.db.kysely.selectFrom('idempotency_keys').select('key').execute();
    expect(missing.length).toBeGreaterThan(0);
    const noKey = await fetch(`${server.baseUrl}/api/v1/escrows/${escrowId}/release`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noKey.status).toBe(400);
    const noKeyProblem = (await noKey.json()) as Problem;
    expect(noKeyProblem.type).toBe(problemTypes.idempotencyKeyRequired);
    expect(noKeyProblem.detail).toContain('Idempotency-Key');
    expect(await moneyRowCounts(server)).toEqual(counts);
  });

  it('moves money once when two releases race with different keys', async () => {
    const { contractId, milestone, escrow } = await funded();
    const answers = await Promise.all(
      [0, 1, 2].map(() => calls.command(owner, `/escrows/${escrow.id}/release`)),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
    const releases = await server.db.kysely
      .selectFrom('transaction_fees')
      .select('gross_minor')
      .where('escrow_id', '=', escrow.id)
      .where('platform_fee_minor', '>', 0)
      .execute();
    expect(releases).toEqual([{ gross_minor: milestone.amount_minor }]);
    expect(await balanceOf(server, clientEscrow(contractId))).toBe(0);
  });

  it('moves money once when a click races the automatic release', async () => {
    const { contractId, milestone, escrow } = await funded();
    const submit = await calls.command(freelancer, `/escrows/${escrow.id}/submit`);
    const deadline = Date.parse((submit.body as EscrowDocument).reviewDeadline ?? '');
    const [click, swept] = await Promise.all([
      calls.command(owner, `/escrows/${escrow.id}/release`),
      server.escrow.sweep(deadline),
    ]);
    const byClick = click.status === 200 ? 1 : 0;
    const bySweep = swept.filter((r) => r.escrowId === escrow.id).length;
    expect(byClick + bySweep).toBe(1);
    const released = (await calls.get(owner, `/escrows/${escrow.id}`)).body as EscrowDocument;
    expect(released.releasedMinor).toBe(milestone.amount_minor);
    expect(await balanceOf(server, clientEscrow(contractId))).toBe(0);
  });

  it('funds a milestone once when two fundings race: one escrow, one charge', async () => {
    const { contractId, milestone } = await fixedMilestone();
    const answers = await Promise.all(
      [0, 1, 2].map(() =>
        calls.command(owner, '/escrows', { contractId, milestoneId: milestone.id }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409]);
    const escrows = await server.db.kysely
      .selectFrom('escrows')
      .select('id')
      .where('milestone_id', '=', milestone.id)
      .execute();
    expect(escrows).toHaveLength(1);
    const payments = await server.db.kysely
      .selectFrom('payments')
      .select('id')
      .where('escrow_id', '=', escrows[0]?.id ?? '')
      .execute();
    expect(payments).toHaveLength(1);
    const charges = await server.db.kysely
      .selectFrom('sandbox_payments')
      .select('id')
      .where('idempotency_key', '=', `payment/${payments[0]?.id ?? ''}`)
      .execute();
    expect(charges).toHaveLength(1);
    expect(await balanceOf(server, clientEscrow(contractId))).toBe(milestone.amount_minor);
  });

  it('refuses bad input and the wrong people, moving nothing', async () => {
    const { contractId, milestone, escrow } = await funded();
    const counts = await moneyRowCounts(server);
    const amounts = await escrowAmounts(server);
    const release = `/escrows/${escrow.id}/release`;

    const refused: Array<[string, Promise<{ status: number; body: { type?: string } }>, number]> = [
      ['negative amount', calls.command(owner, release, { amountMinor: -5 }), 422],
      ['zero amount', calls.command(owner, release, { amountMinor: 0 }), 422],
      ['fractional amount', calls.command(owner, release, { amountMinor: 1.5 }), 422],
      ['wrong currency', calls.command(owner, release, { currency: 'USD' }), 422],
      [
        'more than held',
        calls.command(owner, release, { amountMinor: milestone.amount_minor + 1 }),
        409,
      ],
      ['someone else’s escrow', calls.command(otherClient, release, {}), 404],
      ['the freelancer releasing', calls.command(freelancer, release, {}), 403],
      ['unknown escrow', calls.command(owner, `/escrows/${randomUUID()}/release`, {}), 404],
      [
        'funding in another currency',
        calls.command(owner, '/escrows', {
          contractId,
          milestoneId: milestone.id,
          currency: 'USD',
        }),
        422,
      ],
      [
        'funding someone else’s contract',
        calls.command(otherClient, '/escrows', { contractId, milestoneId: milestone.id }),
        404,
      ],
      [
        'the freelancer funding',
        calls.command(freelancer, '/escrows', { contractId, milestoneId: milestone.id }),
        403,
      ],
      [
        'a week on a fixed contract',
        calls.command(owner, '/escrows', { contractId, week: '2026-W40', amountMinor: 100 }),
        422,
      ],
      [
        'a negative week amount',
        calls.command(owner, '/escrows', { contractId, week: '2026-W40', amountMinor: -100 }),
        422,
      ],
      [
        'a milestone funded twice',
        calls.command(owner, '/escrows', { contractId, milestoneId: milestone.id }),
        409,
      ],
    ];
    for (const [label, answer, status] of refused) {
      const { status: actual, body } = await answer;
      expect(actual, `${label}: ${JSON.stringify(body)}`).toBe(status);
      expect(body.type, label).toMatch(/^urn:megilance:problem:/);
    }
    expect(await moneyRowCounts(server)).toEqual(counts);
    expect(await escrowAmounts(server)).toEqual(amounts);
    expect((await calls.get(otherClient, `/contracts/${contractId}/escrows`)).status).toBe(404);
    const listed = await calls.get<EscrowDocument[]>(
      freelancer,
      `/contracts/${contractId}/escrows`,
    );
    expect(listed.body.map((e) => e.id)).toEqual([escrow.id]);
  });

  it('refuses device writes to the escrows collection', async () => {
    const { escrow } = await funded();
    const answer = await fetch(`${server.baseUrl}/api/v1/sync/escrows/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          newDocumentState: { ...escrow, releasedMinor: escrow.fundedMinor, _deleted: false },
          assumedMasterState: { ...escrow, _deleted: false },
        },
      ]),
    });
    expect(answer.status).toBe(403);
    const problem = (await answer.json()) as Problem;
    expect(problem.errors?.map((e) => e.pointer)).toEqual(['/0/newDocumentState/releasedMinor']);
  });
});

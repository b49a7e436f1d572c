/**
 * Escrow beyond single milestones, over real HTTP on SQLite and PostgreSQL: hourly weeks
 * (released by the client's approved time, or automatically by the undisputed time once the
 * week and its review period are over), transfers of released money to a payout account
 * that becomes active later, payment reconciliation that tolerates late and repeated news,
 * and one Idempotency-Key sent twice at once. The ledger verifies clean after each test.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes } from '../../shared/api/problem.ts';
import type { EscrowDocument } from '../../shared/money/escrow.ts';
import type { Wallet } from '../../shared/money/escrow-commands.ts';
import { amountFor } from '../../shared/time/amounts.ts';
import { dayMs, dayStart, minuteMs, weekMs, weekOf } from '../../shared/time/slots.ts';
import { platformFeeOf } from '../../shared/money/fees.ts';
import { isoWeekEnd, isoWeekOf } from '../../server/money/escrow/hourly-weeks.ts';
import { purgeExpiredIdempotencyKeys } from '../../server/money/idempotency/idempotent-route.ts';
import { reconcilePayment } from '../../server/money/escrow/payment-reconcile.ts';
import {
  clientEscrow,
  freelancerAvailable,
  freelancerPending,
} from '../../server/money/ledger/accounts.ts';
import { verifyLedger } from '../../server/money/ledger/verify.ts';
import { SyncedWrites } from '../../server/sync/synced-writes.ts';
import { client } from '../support/http.ts';
import {
  balanceOf,
  escrowCalls,
  escrowWorld,
  milestonesOf,
  moneyRowCounts,
} from '../support/escrow-fixtures.ts';
import { signUpAs, type Member } from '../support/marketplace-fixtures.ts';
import type { Dialect, TestServer } from '../support/test-server.ts';
import {
  approvalOf,
  created,
  eur,
  manualEntry,
  syncCalls,
  timeContractBetween,
} from '../support/time-fixtures.ts';

const hourMs = 60 * minuteMs;
const lastWeek = weekOf(Date.now() - weekMs);
const twoWeeksAgo = weekOf(Date.now() - 2 * weekMs);
const at = (week: string, day: number, hour: number) =>
  dayStart(week) + day * dayMs + hour * hourMs;

describe.each(['sqlite', 'postgres'] as Dialect[])('escrow weeks and payouts on %s', (dialect) => {
  let server: TestServer;
  let owner: Member;
  let freelancer: Member;
  let categoryId: string;
  let calls: ReturnType<typeof escrowCalls>;

  beforeAll(async () => {
    const world = await escrowWorld(dialect, { owner: 'client', freelancer: 'freelancer' });
    ({ server, owner, freelancer } = world);
    categoryId = world.category.id;
    calls = escrowCalls(server);
    await calls.saveCard(owner, 'succeeds');
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    const report = await verifyLedger(server.db.kysely);
    expect(report.problems).toEqual([]);
  });

  it('releases an hourly week by its approved time, and the sweep the undisputed rest', async () => {
    const sync = syncCalls(server);
    const hourly = await timeContractBetween(
      server,
      { client: owner, freelancer, categoryId },
      'hourly',
    );
    const { contractId } = hourly;
    // Last week: 4 hours, approved by the client. Two weeks ago: 2 hours, never reviewed.
    const approvedEntry = manualEntry(hourly, at(lastWeek, 1, 9), at(lastWeek, 1, 13));
    const unreviewed = manualEntry(hourly, at(twoWeeksAgo, 2, 9), at(twoWeeksAgo, 2, 11));
    expect(
      (await sync.push('timeEntries', freelancer, [created(approvedEntry), created(unreviewed)]))
        .status,
    ).toBe(200);
    expect(
      (await sync.push('timeReviews', owner, [created(approvalOf(contractId, owner, lastWeek))]))
        .status,
    ).toBe(200);
    const approvedAmount = amountFor(4 * hourMs, eur(4_500))?.amountMinor ?? 0;
    const undisputedAmount = amountFor(2 * hourMs, eur(4_500))?.amountMinor ?? 0;
    expect(approvedAmount).toBe(18_000);

    // The client funds a week's limit (40 h × 45 EUR): the amount is theirs to choose.
    const week = isoWeekOf(dayStart(lastWeek));
    const fund = await calls.command(owner, '/escrows', { contractId, week, amountMinor: 180_000 });
    expect(fund.status, JSON.stringify(fund.body)).toBe(201);
    const escrow = fund.body as EscrowDocument;
    expect(escrow).toMatchObject({
      week,
      milestoneId: null,
      currency: 'EUR',
      fundedMinor: 180_000,
      status: 'funded',
    });
    const again = await calls.command(owner, '/escrows', { contractId, week, amountMinor: 5 });
    expect(again.status).toBe(409);
    const noSuchWeek = await calls.command(owner, '/escrows', {
      contractId,
      week: '2027-W53',
      amountMinor: 5,
    });
    expect(noSuchWeek.status).toBe(422);

    // Without an amount the release is the week's approved time.
    const release = await calls.command(owner, `/escrows/${escrow.id}/release`);
    expect(release.status, JSON.stringify(release.body)).toBe(200);
    const fee = platformFeeOf(approvedAmount, 1000);
    expect(release.body).toMatchObject({
      status: 'funded',
      releasedMinor: approvedAmount,
      heldMinor: 180_000 - approvedAmount,
      platformFeeMinor: fee,
      freelancerNetMinor: approvedAmount - fee,
    });
    expect(await balanceOf(server, clientEscrow(contractId))).toBe(180_000 - approvedAmount);
    // The approved time is paid: a second default release finds nothing left to pay.
    const twice = await calls.command(owner, `/escrows/${escrow.id}/release`);
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toContain('No approved time');

    // Two weeks ago: funded, never reviewed; released by the sweep once week + 14 days passed.
    const oldWeek = isoWeekOf(dayStart(twoWeeksAgo));
    const old = await calls.command(owner, '/escrows', {
      contractId,
      week: oldWeek,
      amountMinor: 50_000,
    });
    expect(old.status).toBe(201);
    const oldId = (old.body as EscrowDocument).id;
    const due = isoWeekEnd(oldWeek) + 14 * dayMs;
    expect((await server.escrow.sweep(due - 1)).map((r) => r.escrowId)).not.toContain(oldId);
    const swept = await server.escrow.sweep(due);
    expect(swept).toContainEqual({ escrowId: oldId, amountMinor: undisputedAmount });
    expect((await calls.get(owner, `/escrows/${oldId}`)).body).toMatchObject({
      releasedMinor: undisputedAmount,
      heldMinor: 50_000 - undisputedAmount,
      status: 'funded',
    });
    // Once per escrow: the rest stays held (for a refund), whatever later sweeps see.
    const counts = await moneyRowCounts(server);
    expect((await server.escrow.sweep(due + 7 * dayMs)).map((r) => r.escrowId)).not.toContain(
      oldId,
    );
    expect(await moneyRowCounts(server)).toEqual(counts);
  });

  it('keeps released money pending until the payout account is active, then transfers it', async () => {
    const payee = await signUpAs(server, 'freelancer');
    const { contractId } = await timeContractBetween(
      server,
      { client: owner, freelancer: payee, categoryId },
      'fixed',
    );
    const [milestone] = await milestonesOf(server, contractId);
    if (!milestone) throw new Error('no milestone');
    const fund = await calls.command(owner, '/escrows', { contractId, milestoneId: milestone.id });
    const escrowId = (fund.body as EscrowDocument).id;
    const release = await calls.command(owner, `/escrows/${escrowId}/release`);
    expect(release.status).toBe(200);
    const net = milestone.amount_minor - platformFeeOf(milestone.amount_minor, 1000);
    expect(await balanceOf(server, freelancerPending(payee.id, 'EUR'))).toBe(net);
    expect(await balanceOf(server, freelancerAvailable(payee.id, 'EUR'))).toBe(0);

    // The freelancer completes sandbox onboarding; the next sweep transfers what waits.
    const api = client(server.baseUrl);
    const link = await api.post<{ url: string }>('/payments/payout-account/onboarding', {
      token: payee.token,
    });
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    expect((await fetch(link.body.url)).status).toBe(200);
    await server.escrow.transfers.retryAllPending();
    expect(await balanceOf(server, freelancerPending(payee.id, 'EUR'))).toBe(0);
    // The sandbox pays each transfer out to the bank at once: booked as paid out too.
    const moved = () =>
      server.db.kysely
        .selectFrom('ledger_transactions as t')
        .innerJoin('ledger_entries as e', 'e.transaction_id', 't.id')
        .innerJoin('ledger_accounts as a', 'a.id', 'e.account_id')
        .select(['t.kind', 'e.amount_minor'])
        .where('a.kind', '=', 'freelancer_available')
        .where('a.owner_key', '=', freelancerAvailable(payee.id, 'EUR').ownerKey)
        .orderBy('t.id')
        .execute();
    expect((await moved()).map((row) => [row.kind, Number(row.amount_minor)])).toEqual([
      ['payout.transfer', -net],
      ['payout.paid', net],
    ]);
    expect(await balanceOf(server, freelancerAvailable(payee.id, 'EUR'))).toBe(0);
    const wallet = await calls.get<Wallet>(payee, '/wallet');
    expect(wallet.body.balances).toEqual([
      { currency: 'EUR', pendingMinor: 0, availableMinor: 0, inEscrowMinor: 0 },
    ]);
    // Run again: the same state transfers nothing more.
    await server.escrow.transfers.transferPending(payee.id);
    expect(await moved()).toHaveLength(2);

    // With an active account, a release is transferred right away.
    const [, second] = await milestonesOf(server, contractId);
    if (second) {
      const next = await calls.command(owner, '/escrows', { contractId, milestoneId: second.id });
      await calls.command(owner, `/escrows/${(next.body as EscrowDocument).id}/release`);
      const secondNet = second.amount_minor - platformFeeOf(second.amount_minor, 1000);
      expect((await moved()).map((row) => Number(row.amount_minor))).toEqual([
        -net,
        net,
        -secondNet,
        secondNet,
      ]);
      expect(await balanceOf(server, freelancerAvailable(payee.id, 'EUR'))).toBe(0);
    }
  });

  it('reconciles payments idempotently: a success is booked once and never undone', async () => {
    const { contractId } = await timeContractBetween(
      server,
      { client: owner, freelancer, categoryId },
      'fixed',
    );
    const [milestone] = await milestonesOf(server, contractId);
    if (!milestone) throw new Error('no milestone');
    const fund = await calls.command(owner, '/escrows', { contractId, milestoneId: milestone.id });
    const escrow = fund.body as EscrowDocument;
    const payment = await server.db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('escrow_id', '=', escrow.id)
      .executeTakeFirstOrThrow();
    const writes = new SyncedWrites(server.db, () => undefined);
    const counts = await moneyRowCounts(server);
    const news = (status: 'succeeded' | 'failed' | 'processing') => ({
      id: payment.provider_payment_id,
      status,
      providerFeeMinor: 999,
      failureMessage: status === 'failed' ? 'late failure' : null,
    });
    // A repeated success, a late failure and a late "processing", in that order.
    for (const status of ['succeeded', 'failed', 'processing'] as const) {
      expect(
        await writes.transaction((sync) => reconcilePayment(sync, payment.id, news(status))),
      ).toBe('unchanged');
    }
    expect(await moneyRowCounts(server)).toEqual(counts);
    expect((await calls.get(owner, `/escrows/${escrow.id}`)).body).toMatchObject({
      status: 'funded',
      fundedMinor: milestone.amount_minor,
      payment: { status: 'succeeded', failureMessage: null },
    });
  });

  it('answers one Idempotency-Key sent twice at once with one charge', async () => {
    const { contractId } = await timeContractBetween(
      server,
      { client: owner, freelancer, categoryId },
      'fixed',
    );
    const [milestone] = await milestonesOf(server, contractId);
    if (!milestone) throw new Error('no milestone');
    const key = randomUUID();
    const body = { contractId, milestoneId: milestone.id };
    const answers = await Promise.all([
      calls.command(owner, '/escrows', body, key),
      calls.command(owner, '/escrows', body, key),
    ]);
    const originals = answers.filter(
      (a) => a.status === 201 && a.headers.get('idempotent-replayed') === null,
    );
    expect(originals).toHaveLength(1);
    const other = answers.find((a) => a !== originals[0]);
    // Either still running (409, retry later) or already answered (the same 201, replayed).
    if (other?.status === 409) {
      expect(other.body.type).toBe(problemTypes.idempotencyInProgress);
      const later = await calls.command(owner, '/escrows', body, key);
      expect(later.body).toEqual(originals[0]?.body);
    } else {
      expect(other?.status).toBe(201);
      expect(other?.headers.get('idempotent-replayed')).toBe('true');
      expect(other?.body).toEqual(originals[0]?.body);
    }
    const payments = await server.db.kysely
      .selectFrom('payments as p')
      .innerJoin('escrows as e', 'e.id', 'p.escrow_id')
      .select('p.id')
      .where('e.milestone_id', '=', milestone.id)
      .execute();
    expect(payments).toHaveLength(1);

    // Answers are kept for 24 hours, then forgotten by the sweep's purge.
    const stored = () =>
      server.db.kysely
        .selectFrom('idempotency_keys')
        .select('key')
        .where('key', '=', key)
        .execute();
    expect(await purgeExpiredIdempotencyKeys(server.db, Date.now() + 23 * hourMs)).toBe(0);
    expect(await stored()).toHaveLength(1);
    expect(await purgeExpiredIdempotencyKeys(server.db, Date.now() + 25 * hourMs)).toBeGreaterThan(
      0,
    );
    expect(await stored()).toHaveLength(0);
  });
});

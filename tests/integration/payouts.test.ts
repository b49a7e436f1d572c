/**
 * Payouts to the freelancer's bank in the ledger (`payout.paid`: freelancer_available →
 * provider_clearing), on SQLite and PostgreSQL. The sandbox pays each transfer out at once:
 * a release ends with the money paid out and the wallet's available balance back to 0.
 * On Stripe (the real SDK against the local fake), the Connect webhook `payout.paid` books
 * the payout once however often it is delivered; `payout.failed` books nothing and tells
 * the freelancer; a payout larger than what we hold for them books only what is ours.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EscrowDocument } from '../../shared/money/escrow.ts';
import type { Wallet, WalletTransactionPage } from '../../shared/money/escrow-commands.ts';
import { platformFeeOf } from '../../shared/money/fees.ts';
import {
  freelancerAvailable,
  freelancerPending,
  providerClearing,
} from '../../server/money/ledger/accounts.ts';
import { verifyLedger } from '../../server/money/ledger/verify.ts';
import { customerFor } from '../../server/money/payment-accounts/customers.ts';
import { sandboxFeeMinor } from '../../server/money/rails/sandbox-rail.ts';
import { balanceOf, escrowCalls, escrowWorld, milestonesOf } from '../support/escrow-fixtures.ts';
import {
  startStripeWorld,
  visit,
  type StripeWorld,
} from '../support/fake-stripe/stripe-test-server.ts';
import { client } from '../support/http.ts';
import { createCategory, signUpAs, type Member } from '../support/marketplace-fixtures.ts';
import type { Dialect, TestServer } from '../support/test-server.ts';
import { timeContractBetween } from '../support/time-fixtures.ts';

const payoutRows = (server: TestServer) =>
  server.db.kysely
    .selectFrom('ledger_transactions')
    .select(['id', 'reference'])
    .where('kind', '=', 'payout.paid')
    .orderBy('id')
    .execute();

/** Onboards a freelancer's payout account through the rail's hosted page. */
async function onboard(server: TestServer, who: Member): Promise<string> {
  const link = await client(server.baseUrl).post<{ url: string }>(
    '/payments/payout-account/onboarding',
    { token: who.token },
  );
  expect(link.status, JSON.stringify(link.body)).toBe(200);
  expect((await visit(link.body.url)).status).toBe(200);
  const row = await server.db.kysely
    .selectFrom('payout_accounts')
    .select('account_id')
    .where('user_id', '=', who.id)
    .executeTakeFirstOrThrow();
  return row.account_id;
}

describe.each(['sqlite', 'postgres'] as Dialect[])('payouts on the sandbox on %s', (dialect) => {
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
    await onboard(server, freelancer);
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    expect((await verifyLedger(server.db.kysely)).problems).toEqual([]);
  });

  it('pays a release out to the bank at once: available back to 0, the payout in the history', async () => {
    const { contractId } = await timeContractBetween(
      server,
      { client: owner, freelancer, categoryId },
      'fixed',
    );
    const [milestone] = await milestonesOf(server, contractId);
    if (!milestone) throw new Error('no milestone');
    const currency = milestone.currency;
    const clearingBefore = await balanceOf(server, providerClearing('sandbox', currency));
    const fund = await calls.command(owner, '/escrows', { contractId, milestoneId: milestone.id });
    expect(fund.status, JSON.stringify(fund.body)).toBe(201);
    const release = await calls.command(
      owner,
      `/escrows/${(fund.body as EscrowDocument).id}/release`,
    );
    expect(release.status, JSON.stringify(release.body)).toBe(200);
    const net = milestone.amount_minor - platformFeeOf(milestone.amount_minor, 1000);

    // Released → transferred → paid out, all within the release.
    expect(await balanceOf(server, freelancerPending(freelancer.id, currency))).toBe(0);
    expect(await balanceOf(server, freelancerAvailable(freelancer.id, currency))).toBe(0);
    const payouts = await payoutRows(server);
    expect(payouts).toHaveLength(1);
    expect(payouts[0]?.reference).toMatch(/^sbx_po_/);
    // The payout leaves through the provider: clearing keeps the funded amount less the
    // provider's fee and the net paid out (the platform's fee).
    expect(await balanceOf(server, providerClearing('sandbox', currency))).toBe(
      clearingBefore + milestone.amount_minor - sandboxFeeMinor(milestone.amount_minor) - net,
    );

    const wallet = await calls.get<Wallet>(freelancer, '/wallet');
    expect(wallet.body.balances).toEqual([
      { currency, pendingMinor: 0, availableMinor: 0, inEscrowMinor: 0 },
    ]);
    const history = await calls.get<WalletTransactionPage>(freelancer, '/wallet/transactions');
    expect(history.status).toBe(200);
    expect(history.body.transactions.map((t) => t.kind)).toEqual([
      'payout.paid',
      'payout.transfer',
      'escrow.release',
    ]);
    expect(history.body.transactions[0]).toMatchObject({
      kind: 'payout.paid',
      currency,
      grossMinor: net,
      netMinor: net,
    });
    const onlyPayouts = await calls.get<WalletTransactionPage>(
      freelancer,
      '/wallet/transactions?kind=payout.paid',
    );
    expect(onlyPayouts.body.transactions).toHaveLength(1);
    // The client's history has no payouts: they are the freelancer's.
    const clientHistory = await calls.get<WalletTransactionPage>(owner, '/wallet/transactions');
    expect(clientHistory.body.transactions.map((t) => t.kind)).not.toContain('payout.paid');
  });

  it('books each payout once, whoever syncs again (a retry, the sweep)', async () => {
    const before = await payoutRows(server);
    expect(await server.escrow.payouts.syncFreelancer(freelancer.id)).toEqual([]);
    await server.escrow.payouts.syncAllAvailable();
    await Promise.all([1, 2, 3].map(() => server.escrow.payouts.syncFreelancer(freelancer.id)));
    expect(await payoutRows(server)).toEqual(before);
  });

  it('books the payout when an account becomes active later and the sweep transfers', async () => {
    const payee = await signUpAs(server, 'freelancer');
    const { contractId } = await timeContractBetween(
      server,
      { client: owner, freelancer: payee, categoryId },
      'fixed',
    );
    const [milestone] = await milestonesOf(server, contractId);
    if (!milestone) throw new Error('no milestone');
    const fund = await calls.command(owner, '/escrows', { contractId, milestoneId: milestone.id });
    await calls.command(owner, `/escrows/${(fund.body as EscrowDocument).id}/release`);
    const net = milestone.amount_minor - platformFeeOf(milestone.amount_minor, 1000);
    expect(await balanceOf(server, freelancerPending(payee.id, milestone.currency))).toBe(net);
    await onboard(server, payee);
    await server.escrow.transfers.retryAllPending();
    expect(await balanceOf(server, freelancerPending(payee.id, milestone.currency))).toBe(0);
    expect(await balanceOf(server, freelancerAvailable(payee.id, milestone.currency))).toBe(0);
  });
});

describe.each(['sqlite', 'postgres'] as Dialect[])('payouts on Stripe on %s', (dialect) => {
  let world: StripeWorld;
  let owner: Member;
  let freelancer: Member;
  let categoryId: string;
  let calls: ReturnType<typeof escrowCalls>;
  let card: string;
  let accountId: string;

  beforeAll(async () => {
    world = await startStripeWorld(dialect);
    const { server } = world;
    const admin = await signUpAs(server, 'admin');
    owner = await signUpAs(server, 'client');
    freelancer = await signUpAs(server, 'freelancer');
    categoryId = (await createCategory(server, admin)).id;
    calls = escrowCalls(server);
    const customerId = await customerFor(server.db, server.rail, owner.id);
    card = (await world.stripe.paymentMethods.attach('pm_card_visa', { customer: customerId })).id;
    accountId = await onboard(server, freelancer);
    // Stripe tells the platform the account can receive transfers now.
    const updated = world.fake.events.findLast((event) => event.type === 'account.updated');
    if (!updated) throw new Error('no account.updated');
    expect((await world.fake.deliver(updated)).status).toBe(200);
  });
  afterAll(async () => {
    await world?.close();
  });
  afterEach(async () => {
    expect((await verifyLedger(world.server.db.kysely)).problems).toEqual([]);
  });

  const available = (currency: string) =>
    balanceOf(world.server, freelancerAvailable(freelancer.id, currency));

  /** Funds and releases a milestone; the net is transferred to the payout account. */
  async function releasedMilestone() {
    const { contractId } = await timeContractBetween(
      world.server,
      { client: owner, freelancer, categoryId },
      'fixed',
    );
    const [milestone] = await milestonesOf(world.server, contractId);
    if (!milestone) throw new Error('no milestone');
    const fund = await calls.command(owner, '/escrows', {
      contractId,
      milestoneId: milestone.id,
      paymentMethodId: card,
    });
    expect(fund.status, JSON.stringify(fund.body)).toBe(201);
    const release = await calls.command(
      owner,
      `/escrows/${(fund.body as EscrowDocument).id}/release`,
    );
    expect(release.status, JSON.stringify(release.body)).toBe(200);
    const net = milestone.amount_minor - platformFeeOf(milestone.amount_minor, 1000);
    return { net, currency: milestone.currency };
  }

  it('books payout.paid once, even delivered twice, and the money leaves available', async () => {
    const { net, currency } = await releasedMilestone();
    // Transferred, but the payout is still in transit: nothing paid out yet.
    expect(await available(currency)).toBe(net);
    const [payout] = world.fake.payoutsOf(accountId);
    expect(payout).toMatchObject({ amount: net, status: 'in_transit' });
    if (!payout) throw new Error('no payout');
    await world.server.escrow.payouts.syncFreelancer(freelancer.id);
    expect(await available(currency)).toBe(net);

    const paid = world.fake.settlePayout(payout.id, 'paid');
    expect(paid.account).toBe(accountId);
    expect((await world.fake.deliver(paid)).status).toBe(200);
    expect((await world.fake.deliver(paid)).status).toBe(200);
    expect(await available(currency)).toBe(0);
    const booked = await payoutRows(world.server);
    expect(booked.map((row) => row.reference)).toEqual([payout.id]);
    // The sweep (a missed webhook's safety net) finds nothing more to book.
    await world.server.escrow.payouts.syncAllAvailable();
    expect(await payoutRows(world.server)).toEqual(booked);
    const wallet = await calls.get<Wallet>(freelancer, '/wallet');
    expect(wallet.body.balances).toEqual([
      { currency, pendingMinor: 0, availableMinor: 0, inEscrowMinor: 0 },
    ]);
  });

  it('books nothing for payout.failed and tells the freelancer, once', async () => {
    const { net, currency } = await releasedMilestone();
    const [payout] = world.fake.payoutsOf(accountId);
    if (!payout) throw new Error('no payout');
    const before = await payoutRows(world.server);
    const failed = world.fake.settlePayout(payout.id, 'failed');
    expect((await world.fake.deliver(failed)).status).toBe(200);
    expect((await world.fake.deliver(failed)).status).toBe(200);
    expect(await payoutRows(world.server)).toEqual(before);
    expect(await available(currency)).toBe(net);
    const notes = await world.server.db.kysely
      .selectFrom('notifications')
      .select(['title', 'body', 'link'])
      .where('user_id', '=', freelancer.id)
      .where('title', '=', 'A payout to your bank failed')
      .execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toContain('The bank account has been closed.');
    expect(notes[0]?.link).toBe('/settings/payments');
    // A sync later does not book a failed payout either.
    await world.server.escrow.payouts.syncFreelancer(freelancer.id);
    expect(await available(currency)).toBe(net);
  });

  it('books at most what is ours of a payout larger than the available balance', async () => {
    const currency = 'EUR';
    const held = await available(currency);
    expect(held).toBeGreaterThan(0);
    // Money that did not come from us joins the payout at Stripe.
    const bigger = world.fake.createPayout(accountId, held + 12_345, currency);
    const paid = world.fake.settlePayout(bigger, 'paid');
    expect((await world.fake.deliver(paid)).status).toBe(200);
    expect(await available(currency)).toBe(0);
    const row = await world.server.db.kysely
      .selectFrom('ledger_transactions as t')
      .innerJoin('ledger_entries as e', 'e.transaction_id', 't.id')
      .select('e.amount_minor')
      .where('t.kind', '=', 'payout.paid')
      .where('t.reference', '=', bigger)
      .where('e.amount_minor', '>', 0)
      .executeTakeFirstOrThrow();
    expect(Number(row.amount_minor)).toBe(held);

    // Nothing of ours left: a further outside payout books nothing, and the webhook is fine.
    const outside = world.fake.settlePayout(
      world.fake.createPayout(accountId, 5_000, currency),
      'paid',
    );
    const before = await payoutRows(world.server);
    expect((await world.fake.deliver(outside)).status).toBe(200);
    expect(await payoutRows(world.server)).toEqual(before);
    expect(await available(currency)).toBe(0);
  });

  it('ignores payouts of accounts that are not our freelancers’', async () => {
    const stranger = await world.stripe.accounts.create({ type: 'express', country: 'US' });
    const paid = world.fake.settlePayout(world.fake.createPayout(stranger.id, 700, 'eur'), 'paid');
    const before = await payoutRows(world.server);
    expect((await world.fake.deliver(paid)).status).toBe(200);
    expect(await payoutRows(world.server)).toEqual(before);
  });
});

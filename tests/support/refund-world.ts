import { randomUUID } from 'node:crypto';
import type { Problem } from '../../shared/api/problem.ts';
import type { EscrowDocument } from '../../shared/money/escrow.ts';
import { accountBalance } from '../../server/money/ledger/balances.ts';
import { verifyLedger } from '../../server/money/ledger/verify.ts';
import type { AccountRef } from '../../server/money/ledger/accounts.ts';
import { startFakeStripe, type FakeStripe } from './fake-stripe/fake-stripe.ts';
import { client, type HttpAnswer } from './http.ts';
import { contractBetween, createCategory, signUpAs, type Member } from './marketplace-fixtures.ts';
import { startTestServer, type Dialect, type TestServer } from './test-server.ts';

/**
 * What the refund and dispute suites start from: a real server on the Stripe rail, the real
 * `stripe` SDK talking to the local fake Stripe (which also signs and delivers webhooks), an
 * admin, and a client and a freelancer with an active fixed-price contract.
 */
export interface MoneyWorld {
  server: TestServer;
  stripe: FakeStripe;
  api: ReturnType<typeof client>;
  admin: Member;
  client: Member;
  freelancer: Member;
  categoryId: string;
  close(): Promise<void>;
}

export async function moneyWorld(dialect: Dialect): Promise<MoneyWorld> {
  const stripe = await startFakeStripe();
  const server = await startTestServer({
    dialect,
    env: {
      STRIPE_SECRET_KEY: stripe.apiKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_URL: stripe.url,
      // No periodic auto-release: tests run the sweep with their own clock.
      ESCROW_SWEEP_INTERVAL_MS: '0',
    },
  });
  stripe.setWebhookUrl(`${server.baseUrl}/api/v1/webhooks/stripe`);
  const admin = await signUpAs(server, 'admin');
  const category = await createCategory(server, admin, { name: 'Software' });
  const api = client(server.baseUrl);
  const payer = await signUpAs(server, 'client');
  // The client saves a card as in the app: a Checkout page (the fake's), visited once.
  const setup = await api.post<{ url: string }>('/payments/methods/setup', { token: payer.token });
  if (setup.status !== 201) throw new Error(`card setup failed: ${JSON.stringify(setup.body)}`);
  const visit = await fetch(setup.body.url);
  if (!visit.ok) throw new Error(`checkout page failed: ${visit.status}`);
  return {
    server,
    stripe,
    api,
    admin,
    client: payer,
    freelancer: await signUpAs(server, 'freelancer'),
    categoryId: category.id,
    close: async () => {
      await server.close();
      await stripe.close();
    },
  };
}

export interface FundedEscrow {
  id: string;
  contractId: string;
  milestoneId: string;
  amountMinor: number;
  providerPaymentId: string;
}

/**
 * A funded milestone escrow through the real command: a fixed-price contract of one
 * milestone, funded by the client with `POST /escrows` (a PaymentIntent at the fake Stripe).
 */
export async function fundedEscrow(
  world: MoneyWorld,
  amountMinor = 150_000,
): Promise<FundedEscrow> {
  const { server } = world;
  const contractId = await contractBetween(
    server,
    { client: world.client, freelancer: world.freelancer, categoryId: world.categoryId },
    'active',
    {
      proposal: { bid: { type: 'fixed', amount: { amountMinor, currency: 'EUR' } } },
    },
  );
  const milestone = await server.db.kysely
    .selectFrom('milestones')
    .selectAll()
    .where('contract_id', '=', contractId)
    .executeTakeFirstOrThrow();
  const funded = await command<EscrowDocument>(world, world.client, '/escrows', {
    contractId,
    milestoneId: milestone.id,
  });
  if (funded.status !== 201 || funded.body.status !== 'funded') {
    throw new Error(`funding failed: ${funded.status} ${JSON.stringify(funded.body)}`);
  }
  const payment = await server.db.kysely
    .selectFrom('payments')
    .select('provider_payment_id')
    .where('escrow_id', '=', funded.body.id)
    .where('status', '=', 'succeeded')
    .executeTakeFirstOrThrow();
  return {
    id: funded.body.id,
    contractId,
    milestoneId: milestone.id,
    amountMinor: milestone.amount_minor,
    providerPaymentId: payment.provider_payment_id ?? '',
  };
}

/** A POST with a fresh Idempotency-Key (or the one given). */
export function command<T>(
  world: MoneyWorld,
  who: Member,
  path: string,
  json?: unknown,
  key: string = randomUUID(),
): Promise<HttpAnswer<T & Partial<Omit<Problem, 'status'>>>> {
  return world.api.post<T & Partial<Omit<Problem, 'status'>>>(path, {
    token: who.token,
    headers: { 'idempotency-key': key },
    ...(json === undefined ? {} : { json }),
  });
}

export async function escrowRow(world: MoneyWorld, id: string) {
  return world.server.db.kysely
    .selectFrom('escrows')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** An account's balance on its normal side, or 0 when never posted to. */
export async function balance(world: MoneyWorld, account: AccountRef): Promise<number> {
  return Number((await accountBalance(world.server.db.kysely, account))?.balanceMinor ?? 0n);
}

/** The books must balance after every test; the report's problems say why not. */
export async function ledgerProblems(world: MoneyWorld): Promise<string[]> {
  const report = await verifyLedger(world.server.db.kysely);
  return report.problems.map((problem) => problem.message);
}

/** The escrow as a party's device pulls it over the real sync endpoint (all pages). */
export async function pulledEscrow(
  world: MoneyWorld,
  who: Member,
  id: string,
): Promise<EscrowDocument | undefined> {
  let checkpoint: unknown = null;
  let found: EscrowDocument | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: '100' });
    if (checkpoint !== null) query.set('checkpoint', JSON.stringify(checkpoint));
    const page = await world.api.get<{ documents: EscrowDocument[]; checkpoint: unknown }>(
      `/sync/escrows/pull?${query.toString()}`,
      { token: who.token },
    );
    if (page.status !== 200) throw new Error(`pull failed: ${JSON.stringify(page.body)}`);
    for (const document of page.body.documents) if (document.id === id) found = document;
    if (page.body.documents.length === 0 || page.body.checkpoint === null) return found;
    checkpoint = page.body.checkpoint;
  }
}

import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { EscrowDocument } from '../../shared/money/escrow.ts';
import type { AccountRef } from '../../server/money/ledger/accounts.ts';
import { accountBalance } from '../../server/money/ledger/balances.ts';
import { client, type HttpAnswer } from './http.ts';
import { createCategory, signUpAs, type Answer, type Member } from './marketplace-fixtures.ts';
import { startTestServer, type Dialect, type TestServer } from './test-server.ts';

/**
 * What escrow suites start from: a server on `dialect` (sandbox rail, no periodic sweep:
 * tests run it with their own clock), a category, and the members asked for.
 */
export async function escrowWorld<R extends string>(
  dialect: Dialect,
  roles: Record<R, 'client' | 'freelancer'>,
  env: Record<string, string> = {},
) {
  const server = await startTestServer({
    dialect,
    env: { ESCROW_SWEEP_INTERVAL_MS: '0', ...env },
  });
  try {
    const admin = await signUpAs(server, 'admin');
    const members = {} as Record<R, Member>;
    for (const [key, role] of Object.entries(roles) as Array<[R, 'client' | 'freelancer']>) {
      members[key] = await signUpAs(server, role);
    }
    const category = await createCategory(server, admin, { name: 'Software' });
    return { server, admin, category, ...members };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** The escrow commands as the desktop app sends them: JSON with an Idempotency-Key. */
export function escrowCalls(server: TestServer) {
  const api = client(server.baseUrl);
  return {
    command: (
      who: Member,
      path: string,
      json: unknown = {},
      key: string = randomUUID(),
    ): Promise<HttpAnswer<Answer<EscrowDocument>>> =>
      api.post<Answer<EscrowDocument>>(path, {
        token: who.token,
        json,
        headers: { 'Idempotency-Key': key },
      }),
    get: <T = Answer<EscrowDocument>>(who: Member, path: string) =>
      api.get<T>(path, { token: who.token }),
    /** Saves a sandbox test card for a client; it becomes their default (newest). */
    async saveCard(who: Member, outcome: 'succeeds' | 'declines'): Promise<string> {
      const answer = await api.post<{ id: string }>('/payments/sandbox/cards', {
        token: who.token,
        json: { outcome },
      });
      if (answer.status !== 201) throw new Error(`card failed: ${JSON.stringify(answer.body)}`);
      return answer.body.id;
    },
  };
}

/** An account's balance on its normal side, in minor units (0 for an account never used). */
export async function balanceOf(server: TestServer, account: AccountRef): Promise<number> {
  const balance = await accountBalance(server.db.kysely, account);
  return Number(balance?.balanceMinor ?? 0n);
}

/** Row counts of every table money moves through: compared around refused commands. */
export async function moneyRowCounts(server: TestServer): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    'ledger_transactions',
    'ledger_entries',
    'escrows',
    'payments',
    'transaction_fees',
  ]) {
    const { rows } = await sql<{ n: string }>`select cast(count(*) as text) as n from ${sql.table(
      table,
    )}`.execute(server.db.kysely);
    counts[table] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

/** The money columns of every escrow, to prove a refused command changed none of them. */
export async function escrowAmounts(server: TestServer) {
  return server.db.kysely
    .selectFrom('escrows')
    .select([
      'id',
      'status',
      'funded_minor',
      'released_minor',
      'refunded_minor',
      'platform_fee_minor',
    ])
    .orderBy('id')
    .execute();
}

/** A contract's milestones in order, as the database holds them. */
export function milestonesOf(server: TestServer, contractId: string) {
  return server.db.kysely
    .selectFrom('milestones')
    .selectAll()
    .where('contract_id', '=', contractId)
    .orderBy('position')
    .execute();
}

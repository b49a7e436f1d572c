/**
 * The double-entry ledger on real SQLite and real PostgreSQL: balanced postings land, every
 * refused posting writes nothing, balances stay exact when two connections post at once,
 * accounts that may not go negative are guarded under locking, and the invariant check
 * (also as the `ledger:verify` script) catches rows written behind the ledger's back.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientEscrow,
  freelancerAvailable,
  freelancerPending,
  platformFees,
  providerClearing,
  providerFees,
} from '../../server/money/ledger/accounts.ts';
import { accountBalance, listBalances } from '../../server/money/ledger/balances.ts';
import { LedgerError, postTransaction, type Posting } from '../../server/money/ledger/ledger.ts';
import { verifyLedger } from '../../server/money/ledger/verify.ts';
import {
  fundEscrow,
  fundPosting,
  openLedgerDatabases,
  releaseEscrow,
  releaseMany,
  releasePosting,
  type LedgerDatabases,
} from '../support/ledger-fixtures.ts';
import type { Dialect } from '../support/test-server.ts';

const childScript = fileURLToPath(new URL('../support/ledger-child.ts', import.meta.url));
const verifyScript = fileURLToPath(new URL('../../scripts/ledger-verify.ts', import.meta.url));

let counter = 0;
/** A fresh id per use, so tests in one database never share accounts or references. */
function fresh(label: string): string {
  counter++;
  return `${label}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

async function balanceOf(dbs: LedgerDatabases, ref: Parameters<typeof accountBalance>[1]) {
  return (await accountBalance(dbs.db.kysely, ref))?.balanceMinor ?? null;
}

async function rowCounts(dbs: LedgerDatabases) {
  const report = await verifyLedger(dbs.db.kysely);
  return report.counts;
}

/** Expects the posting to be refused with `code` and the tables to be unchanged. */
async function expectRefused(dbs: LedgerDatabases, posting: Posting, code: LedgerError['code']) {
  const before = await rowCounts(dbs);
  const refusal = await dbs.db.kysely
    .transaction()
    .execute((trx) => postTransaction(trx, posting))
    .then(
      () => null,
      (error: unknown) => error,
    );
  expect(refusal).toBeInstanceOf(LedgerError);
  expect((refusal as LedgerError).code).toBe(code);
  expect(await rowCounts(dbs)).toEqual(before);
  return refusal as LedgerError;
}

function runVerifyScript(
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [verifyScript], {
      env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe.each(['sqlite', 'postgres'] as Dialect[])('ledger on %s', (dialect) => {
  let dbs: LedgerDatabases;

  beforeAll(async () => {
    dbs = await openLedgerDatabases(dialect);
  });
  afterAll(async () => {
    await dbs.close();
  });

  it('posts a balanced fund, fee and release and derives every balance from the entries', async () => {
    const contract = fresh('contract');
    const freelancer = fresh('freelancer');
    await fundEscrow(dbs.db, contract, 10_000, fresh('pi'));
    await dbs.db.kysely.transaction().execute(async (trx) => {
      await postTransaction(trx, {
        kind: 'provider.fee',
        reference: fresh('fee'),
        lines: [
          { account: providerFees('sandbox', 'USD'), amountMinor: 320, currency: 'USD' },
          // A bigint amount is taken as exactly as a number.
          { account: providerClearing('sandbox', 'USD'), amountMinor: -320n, currency: 'USD' },
        ],
      });
      await postTransaction(trx, {
        kind: 'escrow.release',
        reference: fresh('milestone'),
        lines: [
          { account: clientEscrow(contract), amountMinor: 10_000, currency: 'USD' },
          { account: freelancerPending(freelancer, 'USD'), amountMinor: -9_000, currency: 'USD' },
          { account: platformFees('USD'), amountMinor: -1_000, currency: 'USD' },
        ],
      });
    });

    expect(await balanceOf(dbs, clientEscrow(contract))).toBe(0n);
    expect(await balanceOf(dbs, freelancerPending(freelancer, 'USD'))).toBe(9_000n);
    expect(await balanceOf(dbs, freelancerAvailable(freelancer, 'USD'))).toBeNull();
    const mine = (
      await listBalances(dbs.db.kysely, ['client_escrow', 'freelancer_pending'])
    ).filter((b) => b.account.ownerKey === contract || b.account.ownerKey.startsWith(freelancer));
    expect(mine.map((b) => [b.account.kind, b.currency, b.balanceMinor])).toEqual([
      ['client_escrow', 'USD', 0n],
      ['freelancer_pending', 'USD', 9_000n],
    ]);
    const all = await listBalances(dbs.db.kysely);
    const debits = all
      .filter((b) => b.account.kind === 'provider_clearing' || b.account.kind === 'provider_fees')
      .reduce((sum, b) => sum + b.balanceMinor, 0n);
    const credits = all
      .filter(
        (b) => !(b.account.kind === 'provider_clearing' || b.account.kind === 'provider_fees'),
      )
      .reduce((sum, b) => sum + b.balanceMinor, 0n);
    // The trial balance: debit-normal balances equal credit-normal balances.
    expect(debits).toBe(credits);
    expect((await verifyLedger(dbs.db.kysely)).ok).toBe(true);
  });

  it('refuses an unbalanced transaction and writes nothing, even after earlier lines of the same caller transaction', async () => {
    const contract = fresh('contract');
    const error = await expectRefused(
      dbs,
      fundPosting(contract, 10_000, fresh('pi'), { escrowMinor: -9_999 }),
      'unbalanced',
    );
    expect(error.message).toBe('the USD lines sum to 1 minor units; debits must equal credits');
    // Balanced in total but not per currency: dollars do not pay for euros.
    await expectRefused(
      dbs,
      {
        kind: 'escrow.fund',
        reference: fresh('pi'),
        lines: [
          { account: providerClearing('sandbox', 'USD'), amountMinor: 500, currency: 'USD' },
          { account: providerClearing('sandbox', 'EUR'), amountMinor: -500, currency: 'EUR' },
        ],
      },
      'unbalanced',
    );

    // A good posting followed by a refused one in the same caller transaction: both roll back.
    const before = await rowCounts(dbs);
    await expect(
      dbs.db.kysely.transaction().execute(async (trx) => {
        await postTransaction(trx, fundPosting(contract, 100, fresh('pi')));
        await postTransaction(trx, releasePosting(contract, fresh('f'), 101, fresh('milestone')));
      }),
    ).rejects.toMatchObject({ code: 'insufficient_balance' });
    expect(await rowCounts(dbs)).toEqual(before);
    expect(await balanceOf(dbs, clientEscrow(contract))).toBeNull();
  });

  it('refuses nonsense lines with a precise reason', async () => {
    const contract = fresh('contract');
    const line = (amountMinor: number | bigint, currency = 'USD') => ({
      account: providerClearing('sandbox', currency),
      amountMinor,
      currency,
    });
    const cases: [Posting, string][] = [
      [
        { kind: 'escrow.fund', reference: fresh('r'), lines: [line(0), line(0)] },
        'line 1: a zero line moves nothing',
      ],
      [
        { kind: 'escrow.fund', reference: fresh('r'), lines: [line(10.5), line(-10.5)] },
        'line 1: the amount must be a whole number of minor units',
      ],
      [
        { kind: 'escrow.fund', reference: fresh('r'), lines: [line(Number.NaN), line(1)] },
        'line 1: the amount must be a whole number of minor units',
      ],
      [
        {
          kind: 'escrow.fund',
          reference: fresh('r'),
          lines: [line(2n ** 60n), line(-(2n ** 60n))],
        },
        'line 1: the amount is out of range',
      ],
      [
        { kind: 'escrow.fund', reference: fresh('r'), lines: [line(5, 'XYZ'), line(-5, 'XYZ')] },
        'line 1: "XYZ" is not a currency',
      ],
      [
        { kind: 'escrow.fund', reference: fresh('r'), lines: [line(5)] },
        'a transaction needs at least two lines',
      ],
      [
        { kind: 'Escrow Fund', reference: fresh('r'), lines: [line(5), line(-5)] },
        '"Escrow Fund" is not a transaction kind',
      ],
      [
        { kind: 'escrow.fund', reference: ' ', lines: [line(5), line(-5)] },
        'the reference must be 1 to 200 characters',
      ],
      [
        {
          kind: 'escrow.fund',
          reference: fresh('r'),
          lines: [line(5), { account: clientEscrow(''), amountMinor: -5, currency: 'USD' }],
        },
        'line 2: the account has no owner key',
      ],
    ];
    for (const [posting, message] of cases) {
      const error = await expectRefused(dbs, posting, 'invalid_posting');
      expect(error.message).toBe(message);
    }

    // An escrow account holds its contract's one currency; a euro line cannot join it.
    await fundEscrow(dbs.db, contract, 1_000, fresh('pi'));
    const mixed = await expectRefused(
      dbs,
      fundPosting(contract, 700, fresh('pi'), { currency: 'EUR' }),
      'currency_mismatch',
    );
    expect(mixed.message).toBe(
      `account client_escrow:${contract} holds USD; a EUR line cannot post to it`,
    );
  });

  it('refuses a release above the escrow balance and posts the same event only once', async () => {
    const contract = fresh('contract');
    const freelancer = fresh('freelancer');
    await fundEscrow(dbs.db, contract, 3_000, fresh('pi'));
    const over = await expectRefused(
      dbs,
      releasePosting(contract, freelancer, 5_000, fresh('milestone')),
      'insufficient_balance',
    );
    expect(over.message).toBe(
      `client_escrow:${contract} would go to -2000 minor units; it may not go negative`,
    );
    expect(await balanceOf(dbs, clientEscrow(contract))).toBe(3_000n);

    // A freelancer cannot withdraw more than is available either.
    await expectRefused(
      dbs,
      {
        kind: 'payout.send',
        reference: fresh('payout'),
        lines: [
          { account: freelancerAvailable(freelancer, 'USD'), amountMinor: 1, currency: 'USD' },
          { account: providerClearing('sandbox', 'USD'), amountMinor: -1, currency: 'USD' },
        ],
      },
      'insufficient_balance',
    );

    const milestone = fresh('milestone');
    await releaseEscrow(dbs.db, contract, freelancer, 1_000, milestone);
    await expect(
      releaseEscrow(dbs.db, contract, freelancer, 1_000, milestone),
    ).rejects.toMatchObject({
      code: 'duplicate',
      message: `a escrow.release transaction for ${milestone} is already posted`,
    });
    expect(await balanceOf(dbs, clientEscrow(contract))).toBe(2_000n);
    expect(await balanceOf(dbs, freelancerPending(freelancer, 'USD'))).toBe(1_000n);
  });

  it('keeps balances exact when two connections release from one escrow at once', async () => {
    const contract = fresh('contract');
    const freelancer = fresh('freelancer');
    await fundEscrow(dbs.db, contract, 20_000, fresh('pi'));
    // 300 attempts of 1.00 against 200.00: exactly 200 may pass, whatever the interleaving.
    let outcomes: { posted: number; refused: number }[];
    if (dialect === 'postgres') {
      // Ten workers on each of two pools: up to twenty transactions in flight at once.
      outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          releaseMany(i % 2 ? dbs.other : dbs.db, contract, freelancer, 15, 100, fresh(`w${i}`)),
        ),
      );
    } else {
      // One process holds one SQLite connection (Kysely queues its transactions), so the
      // second connection lives in a second process and the two race for the write lock.
      if (dbs.database.kind !== 'sqlite') throw new Error('expected a SQLite database');
      const file = dbs.database.file;
      const childPrefix = fresh('child');
      const child = spawn(
        process.execPath,
        [childScript, file, contract, freelancer, '150', '100', childPrefix],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const childDone = new Promise<{ posted: number; refused: number }>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', (code) =>
          code === 0
            ? resolve(JSON.parse(out) as { posted: number; refused: number })
            : reject(new Error(`ledger child exited with ${code}`)),
        );
      });
      await new Promise<void>((resolve) => child.stderr.once('data', () => resolve()));
      const mine = await releaseMany(dbs.db, contract, freelancer, 150, 100, fresh('parent'));
      outcomes = [mine, await childDone];
      expect(outcomes.every((o) => o.posted > 0)).toBe(true);
    }
    const posted = outcomes.reduce((sum, o) => sum + o.posted, 0);
    const refused = outcomes.reduce((sum, o) => sum + o.refused, 0);
    expect([posted, refused]).toEqual([200, 100]);
    expect(await balanceOf(dbs, clientEscrow(contract))).toBe(0n);
    expect(await balanceOf(dbs, freelancerPending(freelancer, 'USD'))).toBe(20_000n);
    expect((await verifyLedger(dbs.other.kysely)).ok).toBe(true);
  });

  it('verify passes on clean books and names a row tampered with by hand', async () => {
    const clean = await verifyLedger(dbs.db.kysely);
    expect(clean).toMatchObject({ ok: true, problems: [] });
    expect(clean.counts.transactions).toBeGreaterThan(0);
    const cleanRun = await runVerifyScript(dbs.env);
    expect(cleanRun.code).toBe(0);
    expect(cleanRun.out).toMatch(
      /^ledger OK: the books balance \(\d+ transactions, \d+ entries, \d+ accounts in /,
    );

    const contract = fresh('contract');
    const posted = await fundEscrow(dbs.db, contract, 500, fresh('pi'));
    const escrow = await dbs.db.kysely
      .selectFrom('ledger_accounts')
      .select('id')
      .where('kind', '=', 'client_escrow')
      .where('owner_key', '=', contract)
      .executeTakeFirstOrThrow();
    // Someone adds a cent to the escrow by hand, bypassing postTransaction.
    await sql`insert into ledger_entries (transaction_id, account_id, amount_minor, currency)
      values (${posted.id}, ${escrow.id}, ${1}, ${'USD'})`.execute(dbs.db.kysely);

    const tampered = await verifyLedger(dbs.db.kysely);
    expect(tampered.ok).toBe(false);
    expect(tampered.problems).toEqual([
      {
        kind: 'unbalanced_transaction',
        message: `transaction ${posted.id}: USD entries sum to 1, not 0`,
      },
    ]);
    const script = await runVerifyScript(dbs.env);
    expect(script.code).toBe(1);
    expect(script.out).toContain('ledger FAILED: 1 problem(s)');
    expect(script.out).toContain(
      `unbalanced_transaction: transaction ${posted.id}: USD entries sum to 1, not 0`,
    );

    await sql`delete from ledger_entries where transaction_id = ${posted.id} and amount_minor = ${1}`.execute(
      dbs.db.kysely,
    );
    // A balanced transaction written by hand that overdraws the escrow is caught as well.
    const [forged] = (
      await sql<{ id: number }>`insert into ledger_transactions (kind, reference, created_at)
        values ('escrow.release', ${fresh('forged')}, ${new Date().toISOString()}) returning id`.execute(
        dbs.db.kysely,
      )
    ).rows;
    const pending = await dbs.db.kysely
      .insertInto('ledger_accounts')
      .values({
        kind: 'freelancer_pending',
        owner_key: `${fresh('f')}/USD`,
        currency: 'USD',
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`insert into ledger_entries (transaction_id, account_id, amount_minor, currency)
      values (${forged?.id}, ${escrow.id}, ${800}, ${'USD'}), (${forged?.id}, ${pending.id}, ${-800}, ${'USD'})`.execute(
      dbs.db.kysely,
    );
    expect((await verifyLedger(dbs.db.kysely)).problems).toEqual([
      {
        kind: 'negative_balance',
        message: `client_escrow:${contract} is at -300 after transaction ${forged?.id}; it may not go negative`,
      },
    ]);
  });
});

describe('ledger locking on postgres', () => {
  let dbs: LedgerDatabases;

  beforeAll(async () => {
    dbs = await openLedgerDatabases('postgres');
  });
  afterAll(async () => {
    await dbs.close();
  });

  it('makes a second release wait for the first to commit, then judge the committed balance', async () => {
    const contract = fresh('contract');
    const freelancer = fresh('freelancer');
    await fundEscrow(dbs.db, contract, 100, fresh('pi'));

    let firstPosted!: () => void;
    const firstHasPosted = new Promise<void>((resolve) => (firstPosted = resolve));
    let firstCommittedAt = 0;
    // The first release posts, then keeps its transaction open for 300 ms.
    const first = releaseEscrow(dbs.db, contract, freelancer, 100, fresh('m'), async () => {
      firstPosted();
      await new Promise((resolve) => setTimeout(resolve, 300));
    }).then((posted) => {
      firstCommittedAt = performance.now();
      return posted;
    });
    await firstHasPosted;
    // Meanwhile another connection releases the same 1.00; without the account lock it would
    // read the still-uncommitted escrow as 1.00 and pass, leaving the escrow at −1.00.
    // It pays a different freelancer, so the escrow is the only account the two share.
    const second = releaseEscrow(dbs.other, contract, fresh('freelancer'), 100, fresh('m')).then(
      () => null,
      (error: unknown) => ({ error, at: performance.now() }),
    );
    await first;
    const refusal = await second;
    expect(refusal?.error).toMatchObject({ code: 'insufficient_balance' });
    expect(refusal?.at).toBeGreaterThanOrEqual(firstCommittedAt);
    expect(await balanceOf(dbs, clientEscrow(contract))).toBe(0n);
    expect((await verifyLedger(dbs.db.kysely)).ok).toBe(true);
  });
});

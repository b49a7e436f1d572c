import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { accountName, normalBalance, type AccountKind, type AccountRef } from './accounts.ts';
import { rawAccountSum } from './ledger.ts';

/**
 * Balances are derived from entries only: there is no stored balance column to fall out of
 * step. Amounts come back as bigint, summed exactly by the database and handed over as text.
 */

export interface AccountBalance {
  account: AccountRef;
  currency: string;
  /** On the account's normal side (escrow holding 100.00 USD is +10000). */
  balanceMinor: bigint;
}

/** One account's balance; an account never posted to has none (null), not a zero of some currency. */
export async function accountBalance(
  db: Kysely<Database>,
  account: AccountRef,
): Promise<AccountBalance | null> {
  const row = await db
    .selectFrom('ledger_accounts')
    .select(['id', 'currency'])
    .where('kind', '=', account.kind)
    .where('owner_key', '=', account.ownerKey)
    .executeTakeFirst();
  if (!row) return null;
  const raw = await rawAccountSum(db, row.id);
  return {
    account: { kind: account.kind, ownerKey: account.ownerKey },
    currency: row.currency,
    balanceMinor: normalBalance(account.kind, raw),
  };
}

/** Every account's balance (optionally of some kinds), ordered by account name. */
export async function listBalances(
  db: Kysely<Database>,
  kinds?: readonly AccountKind[],
): Promise<AccountBalance[]> {
  let query = db
    .selectFrom('ledger_accounts as a')
    .leftJoin('ledger_entries as e', 'e.account_id', 'a.id')
    .select([
      'a.kind',
      'a.owner_key',
      'a.currency',
      sql<string | null>`cast(sum(e.amount_minor) as text)`.as('total'),
    ])
    .groupBy(['a.id', 'a.kind', 'a.owner_key', 'a.currency']);
  if (kinds) {
    if (kinds.length === 0) return [];
    query = query.where('a.kind', 'in', kinds);
  }
  const rows = await query.execute();
  return rows
    .map((row) => ({
      account: { kind: row.kind, ownerKey: row.owner_key },
      currency: row.currency,
      balanceMinor: normalBalance(row.kind, BigInt(row.total ?? '0')),
    }))
    .sort((a, b) => {
      const [x, y] = [accountName(a.account), accountName(b.account)];
      return x < y ? -1 : x > y ? 1 : 0;
    });
}

/**
 * Freelancers whose balance of `kind` is not zero in some currency: the sweeps' work lists
 * (pending money to transfer, available money whose payouts to book).
 */
export async function freelancersHolding(
  db: Kysely<Database>,
  kind: 'freelancer_pending' | 'freelancer_available',
): Promise<string[]> {
  const rows = await db
    .selectFrom('ledger_accounts as a')
    .innerJoin('ledger_entries as e', 'e.account_id', 'a.id')
    .select('a.owner_key')
    .where('a.kind', '=', kind)
    .groupBy('a.owner_key')
    .having((eb) => eb.fn.sum('e.amount_minor'), '!=', 0)
    .execute();
  // Owner keys are `<userId>/<currency>` (accounts.ts): one freelancer per user, however many currencies.
  const ids = new Set(rows.map((row) => row.owner_key.split('/')[0] ?? ''));
  ids.delete('');
  return [...ids];
}

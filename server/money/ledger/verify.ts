import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { accountKindRules, nonNegativeKinds, type AccountKind } from './accounts.ts';

/**
 * The invariant check behind `npm run ledger:verify`. It reads only what is stored and
 * trusts no writer (rows inserted by hand, a bug that skipped `postTransaction`):
 *
 * - every transaction's entries sum to zero in each currency, and it has entries at all;
 * - every entry belongs to an existing transaction and account, is not zero, and is in the
 *   account's currency;
 * - no account that may not go negative (escrow, freelancer balances, fees) is below zero
 *   after any transaction, replayed in posting order (transaction id; see postTransaction
 *   for why id order is commit order for postings that share an account).
 */

export type VerifyProblemKind =
  | 'unbalanced_transaction'
  | 'empty_transaction'
  | 'orphan_entry'
  | 'zero_entry'
  | 'currency_mismatch'
  | 'negative_balance'
  | 'escrow_mismatch';

export interface VerifyProblem {
  kind: VerifyProblemKind;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  problems: VerifyProblem[];
  counts: { accounts: number; transactions: number; entries: number };
}

/** At most this many problems of each kind are listed; one is enough to fail. */
const listLimit = 50;

export async function verifyLedger(db: Kysely<Database>): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];

  const unbalanced = await sql<{ transaction_id: number; currency: string; total: string }>`
    select transaction_id, currency, cast(sum(amount_minor) as text) as total
    from ledger_entries
    group by transaction_id, currency
    having sum(amount_minor) <> 0
    order by transaction_id, currency
    limit ${listLimit}`.execute(db);
  for (const row of unbalanced.rows) {
    problems.push({
      kind: 'unbalanced_transaction',
      message: `transaction ${row.transaction_id}: ${row.currency} entries sum to ${row.total}, not 0`,
    });
  }

  const empty = await sql<{ id: number }>`
    select t.id from ledger_transactions t
    where not exists (select 1 from ledger_entries e where e.transaction_id = t.id)
    order by t.id
    limit ${listLimit}`.execute(db);
  for (const row of empty.rows) {
    problems.push({ kind: 'empty_transaction', message: `transaction ${row.id} has no entries` });
  }

  const orphans = await sql<{ id: number; transaction_missing: number; account_missing: number }>`
    select e.id,
      case when t.id is null then 1 else 0 end as transaction_missing,
      case when a.id is null then 1 else 0 end as account_missing
    from ledger_entries e
    left join ledger_transactions t on t.id = e.transaction_id
    left join ledger_accounts a on a.id = e.account_id
    where t.id is null or a.id is null
    order by e.id
    limit ${listLimit}`.execute(db);
  for (const row of orphans.rows) {
    const missing = [
      Number(row.transaction_missing) ? 'transaction' : '',
      Number(row.account_missing) ? 'account' : '',
    ].filter(Boolean);
    problems.push({
      kind: 'orphan_entry',
      message: `entry ${row.id} belongs to no existing ${missing.join(' or ')}`,
    });
  }

  const zeros = await sql<{ id: number }>`
    select id from ledger_entries where amount_minor = 0 order by id limit ${listLimit}`.execute(
    db,
  );
  for (const row of zeros.rows) {
    problems.push({ kind: 'zero_entry', message: `entry ${row.id} is zero` });
  }

  const mismatched = await sql<{ id: number; currency: string; account_currency: string }>`
    select e.id, e.currency, a.currency as account_currency
    from ledger_entries e join ledger_accounts a on a.id = e.account_id
    where e.currency <> a.currency
    order by e.id
    limit ${listLimit}`.execute(db);
  for (const row of mismatched.rows) {
    problems.push({
      kind: 'currency_mismatch',
      message: `entry ${row.id} is in ${row.currency}; its account holds ${row.account_currency}`,
    });
  }

  const below = belowZero(nonNegativeKinds);
  if (below) {
    const negative = await sql<{
      kind: AccountKind;
      owner_key: string;
      transaction_id: number;
      running: string;
    }>`
      select kind, owner_key, transaction_id, cast(running as text) as running from (
        select a.kind, a.owner_key, e.transaction_id,
          sum(sum(e.amount_minor)) over (
            partition by e.account_id order by e.transaction_id
          ) as running
        from ledger_entries e join ledger_accounts a on a.id = e.account_id
        group by e.account_id, a.kind, a.owner_key, e.transaction_id
      ) r
      where ${below}
      order by transaction_id
      limit ${listLimit}`.execute(db);
    for (const row of negative.rows) {
      const shown =
        accountKindRules[row.kind].normalSide === 'debit' ? row.running : negate(row.running);
      problems.push({
        kind: 'negative_balance',
        message: `${row.kind}:${row.owner_key} is at ${shown} after transaction ${row.transaction_id}; it may not go negative`,
      });
    }
  }

  const escrows = await sql<{ contract_id: string; held: string; booked: string }>`
    select h.contract_id, cast(h.held as text) as held,
      cast(coalesce(-(select sum(e.amount_minor) from ledger_entries e
        join ledger_accounts a on a.id = e.account_id
        where a.kind = 'client_escrow' and a.owner_key = h.contract_id), 0) as text) as booked
    from (
      select cast(contract_id as text) as contract_id,
        sum(funded_minor - released_minor - refunded_minor) as held
      from escrows group by contract_id
    ) h
    order by h.contract_id`.execute(db);
  for (const row of escrows.rows) {
    if (BigInt(row.held) === BigInt(row.booked)) continue;
    if (problems.filter((p) => p.kind === 'escrow_mismatch').length >= listLimit) break;
    problems.push({
      kind: 'escrow_mismatch',
      message: `contract ${row.contract_id}: its escrows hold ${row.held} but client_escrow:${row.contract_id} is at ${row.booked}`,
    });
  }

  const counts = await sql<{
    accounts: number | string;
    transactions: number | string;
    entries: number | string;
  }>`
    select
      (select count(*) from ledger_accounts) as accounts,
      (select count(*) from ledger_transactions) as transactions,
      (select count(*) from ledger_entries) as entries`.execute(db);
  const count = counts.rows[0];
  return {
    ok: problems.length === 0,
    problems,
    counts: {
      accounts: Number(count?.accounts ?? 0),
      transactions: Number(count?.transactions ?? 0),
      entries: Number(count?.entries ?? 0),
    },
  };
}

/** The condition "running sum is on the wrong side of zero" for the guarded kinds, or null. */
function belowZero(kinds: readonly AccountKind[]): RawBuilder<SqlBool> | null {
  const credit = kinds.filter((kind) => accountKindRules[kind].normalSide === 'credit');
  const debit = kinds.filter((kind) => accountKindRules[kind].normalSide === 'debit');
  const list = (values: AccountKind[]) => sql.join(values.map((value) => sql.lit(value)));
  const conditions: RawBuilder<SqlBool>[] = [];
  if (credit.length > 0) conditions.push(sql<SqlBool>`(kind in (${list(credit)}) and running > 0)`);
  if (debit.length > 0) conditions.push(sql<SqlBool>`(kind in (${list(debit)}) and running < 0)`);
  return conditions.length > 0 ? sql<SqlBool>`(${sql.join(conditions, sql` or `)})` : null;
}

function negate(text: string): string {
  return (-BigInt(text)).toString();
}

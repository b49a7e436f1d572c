import { sql, type Kysely, type Transaction } from 'kysely';
import { isKnownCurrency } from '../../../shared/money/money.ts';
import { isUniqueViolation } from '../../auth/users.ts';
import type { Database } from '../../db/schema.ts';
import {
  accountKindRules,
  accountKinds,
  accountName,
  normalBalance,
  type AccountRef,
} from './accounts.ts';

export interface PostingLine {
  account: AccountRef;
  /** Minor units, signed: debit positive, credit negative. A bigint is accepted as well. */
  amountMinor: number | bigint;
  currency: string;
}

export interface Posting {
  /** What happened, e.g. "escrow.fund"; together with `reference` it is unique. */
  kind: string;
  /** The business object or event it belongs to (a milestone id, a webhook event id). */
  reference: string;
  lines: readonly PostingLine[];
}

export type LedgerErrorCode =
  'invalid_posting' | 'unbalanced' | 'currency_mismatch' | 'insufficient_balance' | 'duplicate';

/** Why a posting was refused; the caller's transaction must roll back (nothing is half-written). */
export class LedgerError extends Error {
  readonly code: LedgerErrorCode;
  constructor(code: LedgerErrorCode, message: string) {
    super(message);
    this.name = 'LedgerError';
    this.code = code;
  }
}

export interface PostedTransaction {
  id: number;
  kind: string;
  reference: string;
}

const postingKindPattern = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
const maxMinor = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Writes one balanced transaction inside the caller's database transaction, so the money
 * moves together with the state change it belongs to or not at all.
 *
 * Locking, so that "this account may not go negative" is checked against the real balance:
 * the first statement upserts every touched account, one at a time in a fixed order.
 * - PostgreSQL: the upsert (`on conflict … do update`) takes a row lock on each account that
 *   lasts until commit; a second posting to the same account waits there, and once it gets
 *   the lock its later statements (read committed) see the first one's entries. The fixed
 *   order means two postings over the same accounts never deadlock. Because the
 *   transaction row is inserted after the locks, transaction ids of postings that share an
 *   account follow commit order, which `verify` relies on for running balances.
 * - SQLite: the upsert is a write, so it takes the database's single write lock, held until
 *   commit; nobody else writes in between. If the caller read earlier in its transaction
 *   and another connection has written since, SQLite refuses the upgrade (SQLITE_BUSY)
 *   rather than let us decide on a stale balance.
 */
export async function postTransaction(
  trx: Transaction<Database>,
  posting: Posting,
): Promise<PostedTransaction> {
  const lines = validatePosting(posting);
  const now = new Date().toISOString();

  const accounts = new Map<string, { ref: AccountRef; id: number }>();
  const refs = uniqueAccounts(lines.map((line) => line.account));
  for (const ref of refs) {
    const currency = lines.find((line) => sameAccount(line.account, ref))?.currency ?? '';
    const row = await trx
      .insertInto('ledger_accounts')
      .values({ kind: ref.kind, owner_key: ref.ownerKey, currency, created_at: now })
      .onConflict((oc) =>
        // A no-op update rather than "do nothing": it locks the existing row (see above).
        oc.columns(['kind', 'owner_key']).doUpdateSet({ kind: (eb) => eb.ref('excluded.kind') }),
      )
      .returning(['id', 'currency'])
      .executeTakeFirstOrThrow();
    for (const line of lines) {
      if (sameAccount(line.account, ref) && line.currency !== row.currency) {
        throw new LedgerError(
          'currency_mismatch',
          `account ${accountName(ref)} holds ${row.currency}; a ${line.currency} line cannot post to it`,
        );
      }
    }
    accounts.set(accountName(ref), { ref, id: row.id });
  }

  let transaction: PostedTransaction;
  try {
    transaction = await trx
      .insertInto('ledger_transactions')
      .values({ kind: posting.kind, reference: posting.reference, created_at: now })
      .returning(['id', 'kind', 'reference'])
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new LedgerError(
        'duplicate',
        `a ${posting.kind} transaction for ${posting.reference} is already posted`,
      );
    }
    throw error;
  }

  await trx
    .insertInto('ledger_entries')
    .values(
      lines.map((line) => ({
        transaction_id: transaction.id,
        account_id: accountId(accounts, line.account),
        amount_minor: Number(line.amountMinor),
        currency: line.currency,
      })),
    )
    .execute();

  for (const { ref, id } of accounts.values()) {
    if (accountKindRules[ref.kind].mayGoNegative) continue;
    const balance = await rawAccountSum(trx, id);
    if (normalBalance(ref.kind, balance) < 0n) {
      throw new LedgerError(
        'insufficient_balance',
        `${accountName(ref)} would go to ${normalBalance(ref.kind, balance)} minor units; it may not go negative`,
      );
    }
  }
  return transaction;
}

interface ValidLine {
  account: AccountRef;
  amountMinor: bigint;
  currency: string;
}

/** Checks everything that needs no database; throws `invalid_posting` or `unbalanced`. */
export function validatePosting(posting: Posting): ValidLine[] {
  if (!postingKindPattern.test(posting.kind)) {
    throw new LedgerError('invalid_posting', `"${posting.kind}" is not a transaction kind`);
  }
  if (posting.reference.trim() === '' || posting.reference.length > 200) {
    throw new LedgerError('invalid_posting', 'the reference must be 1 to 200 characters');
  }
  if (posting.lines.length < 2) {
    throw new LedgerError('invalid_posting', 'a transaction needs at least two lines');
  }
  const sums = new Map<string, bigint>();
  const lines = posting.lines.map((line, index): ValidLine => {
    const where = `line ${index + 1}`;
    if (!(accountKinds as readonly string[]).includes(line.account.kind)) {
      throw new LedgerError('invalid_posting', `${where}: unknown account kind`);
    }
    if (line.account.ownerKey.trim() === '') {
      throw new LedgerError('invalid_posting', `${where}: the account has no owner key`);
    }
    if (!isKnownCurrency(line.currency)) {
      throw new LedgerError('invalid_posting', `${where}: "${line.currency}" is not a currency`);
    }
    const amount = toMinor(line.amountMinor);
    if (amount === null) {
      throw new LedgerError(
        'invalid_posting',
        `${where}: the amount must be a whole number of minor units`,
      );
    }
    if (amount === 0n) {
      throw new LedgerError('invalid_posting', `${where}: a zero line moves nothing`);
    }
    if (amount > maxMinor || amount < -maxMinor) {
      throw new LedgerError('invalid_posting', `${where}: the amount is out of range`);
    }
    sums.set(line.currency, (sums.get(line.currency) ?? 0n) + amount);
    return { account: line.account, amountMinor: amount, currency: line.currency };
  });
  for (const [currency, sum] of sums) {
    if (sum !== 0n) {
      throw new LedgerError(
        'unbalanced',
        `the ${currency} lines sum to ${sum} minor units; debits must equal credits`,
      );
    }
  }
  return lines;
}

function toMinor(value: number | bigint): bigint | null {
  if (typeof value === 'bigint') return value;
  return Number.isSafeInteger(value) ? BigInt(value) : null;
}

/** Sum of an account's entries, exact: the database sums and hands back text, never a float. */
export async function rawAccountSum(db: Kysely<Database>, accountId: number): Promise<bigint> {
  const row = await db
    .selectFrom('ledger_entries')
    .select(sql<string | null>`cast(sum(amount_minor) as text)`.as('total'))
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return BigInt(row?.total ?? '0');
}

function sameAccount(a: AccountRef, b: AccountRef): boolean {
  return a.kind === b.kind && a.ownerKey === b.ownerKey;
}

/** Distinct accounts in a fixed global order (kind, then owner key): the lock order. */
function uniqueAccounts(refs: readonly AccountRef[]): AccountRef[] {
  const byName = new Map<string, AccountRef>();
  for (const ref of refs) byName.set(accountName(ref), { kind: ref.kind, ownerKey: ref.ownerKey });
  return [...byName.values()].sort((a, b) =>
    a.kind === b.kind ? compare(a.ownerKey, b.ownerKey) : compare(a.kind, b.kind),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function accountId(accounts: Map<string, { id: number }>, ref: AccountRef): number {
  const account = accounts.get(accountName(ref));
  if (!account) throw new Error(`account ${accountName(ref)} was not upserted`);
  return account.id;
}

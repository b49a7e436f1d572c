import { sql, type Kysely } from 'kysely';
import {
  walletTransactionKinds,
  type Wallet,
  type WalletBalance,
  type WalletTransactionKind,
  type WalletTransactionPage,
  type WalletTransactionsQuery,
} from '../../../shared/money/escrow-commands.ts';
import type { Database } from '../../db/schema.ts';

/**
 * What a user's money looks like, read from the ledger (pending and available for
 * freelancers) and the escrows (held on their contracts), never from a stored balance.
 */
export async function walletOf(db: Kysely<Database>, userId: string): Promise<Wallet> {
  const byCurrency = new Map<string, WalletBalance>();
  const entry = (currency: string) => {
    let balance = byCurrency.get(currency);
    if (!balance) {
      balance = { currency, pendingMinor: 0, availableMinor: 0, inEscrowMinor: 0 };
      byCurrency.set(currency, balance);
    }
    return balance;
  };
  const accounts = await db
    .selectFrom('ledger_accounts as a')
    .leftJoin('ledger_entries as e', 'e.account_id', 'a.id')
    .select([
      'a.kind',
      'a.currency',
      sql<string | null>`cast(sum(e.amount_minor) as text)`.as('total'),
    ])
    .where('a.kind', 'in', ['freelancer_pending', 'freelancer_available'])
    .where('a.owner_key', 'like', `${userId}/%`)
    .groupBy(['a.id', 'a.kind', 'a.currency'])
    .execute();
  for (const account of accounts) {
    // Credit-normal accounts: the balance is the negated sum of entries.
    const balance = -Number(account.total ?? 0);
    if (account.kind === 'freelancer_pending') entry(account.currency).pendingMinor += balance;
    else entry(account.currency).availableMinor += balance;
  }
  const held = await db
    .selectFrom('escrows')
    .select([
      'currency',
      sql<string>`cast(sum(funded_minor - released_minor - refunded_minor) as text)`.as('held'),
    ])
    .where((eb) => eb.or([eb('client_id', '=', userId), eb('freelancer_id', '=', userId)]))
    .groupBy('currency')
    .execute();
  for (const row of held) entry(row.currency).inEscrowMinor += Number(row.held);
  return {
    balances: [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

/**
 * The ledger transactions that touched the user's accounts (a freelancer's pending and
 * available, a client's contracts' escrow), newest first, with the fees recorded for them.
 */
export async function walletTransactions(
  db: Kysely<Database>,
  userId: string,
  query: WalletTransactionsQuery,
): Promise<WalletTransactionPage> {
  const ownAccounts = db
    .selectFrom('ledger_accounts')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('kind', 'in', ['freelancer_pending', 'freelancer_available']),
          eb('owner_key', 'like', `${userId}/%`),
        ]),
        eb.and([
          eb('kind', '=', 'client_escrow'),
          eb(
            'owner_key',
            'in',
            db
              .selectFrom('contracts')
              // Account owner keys are text; contract ids are uuids on PostgreSQL.
              .select(sql<string>`cast(id as text)`.as('id'))
              .where('client_id', '=', userId),
          ),
        ]),
      ]),
    );
  let rows = db
    .selectFrom('ledger_transactions as t')
    .innerJoin('ledger_entries as e', 'e.transaction_id', 't.id')
    .leftJoin('transaction_fees as f', 'f.ledger_transaction_id', 't.id')
    .leftJoin('escrows as es', 'es.id', 'f.escrow_id')
    .select([
      't.id',
      't.kind',
      't.created_at',
      'e.currency',
      'f.escrow_id',
      'es.contract_id',
      'f.gross_minor',
      'f.platform_fee_minor',
      'f.provider_fee_minor',
      'f.net_minor',
      sql<string>`cast(max(abs(e.amount_minor)) as text)`.as('amount'),
    ])
    .where('e.account_id', 'in', ownAccounts)
    // Kinds the wallet knows how to show (new kinds are added to the shared list).
    .where('t.kind', 'in', walletTransactionKinds)
    .groupBy([
      't.id',
      't.kind',
      't.created_at',
      'e.currency',
      'f.escrow_id',
      'es.contract_id',
      'f.gross_minor',
      'f.platform_fee_minor',
      'f.provider_fee_minor',
      'f.net_minor',
    ]);
  if (query.kind) rows = rows.where('t.kind', '=', query.kind);
  if (query.from) rows = rows.where('t.created_at', '>=', query.from);
  if (query.to) rows = rows.where('t.created_at', '<', query.to);
  if (query.cursor !== undefined) rows = rows.where('t.id', '<', query.cursor);
  const page = await rows
    .orderBy('t.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const more = page.length > query.limit;
  const shown = page.slice(0, query.limit);
  return {
    transactions: shown.map((row) => {
      const amount = Number(row.amount);
      return {
        id: Number(row.id),
        kind: row.kind as WalletTransactionKind,
        escrowId: row.escrow_id,
        contractId: row.contract_id,
        currency: row.currency,
        grossMinor: row.gross_minor ?? amount,
        platformFeeMinor: row.platform_fee_minor ?? 0,
        providerFeeMinor: row.provider_fee_minor ?? 0,
        netMinor: row.net_minor ?? amount,
        createdAt: row.created_at,
      };
    }),
    nextCursor: more ? Number(shown.at(-1)?.id) : null,
  };
}

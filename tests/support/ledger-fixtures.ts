import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../server/config.ts';
import { openDatabase, type Db } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import {
  fundPosting as buildFundPosting,
  releasePosting as buildReleasePosting,
} from '../../server/money/escrow/escrow-postings.ts';
import {
  LedgerError,
  postTransaction,
  type PostedTransaction,
  type Posting,
} from '../../server/money/ledger/ledger.ts';
import { dropSchema, testPostgresUrl, type Dialect } from './test-server.ts';

/** A migrated ledger database and a second, independent connection (pool) to it. */
export interface LedgerDatabases {
  database: Config['database'];
  /** The environment under which scripts (ledger:verify) open this same database. */
  env: Record<string, string>;
  db: Db;
  other: Db;
  close(): Promise<void>;
}

export async function openLedgerDatabases(dialect: Dialect): Promise<LedgerDatabases> {
  const dir = await mkdtemp(join(tmpdir(), 'megilance-ledger-'));
  const schema = `test_ledger_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const database: Config['database'] =
    dialect === 'sqlite'
      ? { kind: 'sqlite', file: join(dir, 'megilance.sqlite') }
      : { kind: 'postgres', url: testPostgresUrl, schema };
  const db = await openDatabase(database);
  await migrateToLatest(db);
  const other = await openDatabase(database);
  const env: Record<string, string> =
    dialect === 'sqlite'
      ? { DATA_DIR: dir }
      : { DATA_DIR: dir, DATABASE_URL: testPostgresUrl, DATABASE_SCHEMA: schema };
  return {
    database,
    env,
    db,
    other,
    close: async () => {
      await other.close();
      await db.close();
      if (dialect === 'postgres') await dropSchema(schema);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A client's card payment landing in a contract's escrow; `escrowMinor` overrides the escrow
 * line (credit) to build a wrong posting on purpose.
 */
export function fundPosting(
  contractId: string,
  amountMinor: number,
  reference: string,
  options: { currency?: string; escrowMinor?: number } = {},
): Posting {
  const posting = buildFundPosting({
    paymentId: reference,
    contractId,
    rail: 'sandbox',
    currency: options.currency ?? 'USD',
    amountMinor,
    providerFeeMinor: 0,
  });
  const { escrowMinor } = options;
  if (escrowMinor === undefined) return posting;
  return {
    ...posting,
    lines: posting.lines.map((line) =>
      line.account.kind === 'client_escrow' ? { ...line, amountMinor: escrowMinor } : line,
    ),
  };
}

/** Escrow released to the freelancer's pending balance (no platform fee). */
export function releasePosting(
  contractId: string,
  freelancerId: string,
  amountMinor: number,
  reference: string,
): Posting {
  return buildReleasePosting({
    releaseId: reference,
    contractId,
    freelancerId,
    currency: 'USD',
    amountMinor,
    platformFeeMinor: 0,
  });
}

export function fundEscrow(
  db: Db,
  contractId: string,
  amountMinor: number,
  reference: string,
): Promise<PostedTransaction> {
  return db.kysely
    .transaction()
    .execute((trx) => postTransaction(trx, fundPosting(contractId, amountMinor, reference)));
}

/** Escrow released to the freelancer's pending balance; `hold` keeps the transaction open. */
export function releaseEscrow(
  db: Db,
  contractId: string,
  freelancerId: string,
  amountMinor: number,
  reference: string,
  hold?: () => Promise<void>,
): Promise<PostedTransaction> {
  return db.kysely.transaction().execute(async (trx) => {
    const posted = await postTransaction(
      trx,
      releasePosting(contractId, freelancerId, amountMinor, reference),
    );
    await hold?.();
    return posted;
  });
}

/** Runs releases one after another; counts how many posted and how many the balance refused. */
export async function releaseMany(
  db: Db,
  contractId: string,
  freelancerId: string,
  count: number,
  amountMinor: number,
  referencePrefix: string,
): Promise<{ posted: number; refused: number }> {
  const outcome = { posted: 0, refused: 0 };
  for (let i = 0; i < count; i++) {
    try {
      await releaseEscrow(db, contractId, freelancerId, amountMinor, `${referencePrefix}-${i}`);
      outcome.posted++;
    } catch (error) {
      if (!(error instanceof LedgerError && error.code === 'insufficient_balance')) throw error;
      outcome.refused++;
    }
  }
  return outcome;
}

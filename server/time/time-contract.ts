import type { Kysely } from 'kysely';
import type { Money } from '../../shared/money/money.ts';
import type { Database } from '../db/schema.ts';

/** What the time rules need to know about a contract. */
export interface TimeContract {
  id: string;
  client_id: string;
  freelancer_id: string;
  type: 'fixed' | 'hourly';
  currency: string;
  rate_minor: number | null;
  manual_time_allowed: number;
  status: 'active' | 'paused' | 'ended';
  created_at: string;
}

export async function timeContract(
  db: Kysely<Database>,
  contractId: string,
): Promise<TimeContract | null> {
  const row = await db
    .selectFrom('contracts')
    .select([
      'id',
      'client_id',
      'freelancer_id',
      'type',
      'currency',
      'rate_minor',
      'manual_time_allowed',
      'status',
      'created_at',
    ])
    .where('id', '=', contractId)
    .executeTakeFirst();
  return row ?? null;
}

/** A stretch in which the contract was not active; `to` is null while it still is not. */
export interface InactivePeriod {
  kind: 'paused' | 'ended';
  from: number;
  to: number | null;
}

/** The contract's inactive stretches (migration 0010), oldest first. */
export async function inactivePeriods(
  db: Kysely<Database>,
  contractId: string,
): Promise<InactivePeriod[]> {
  const rows = await db
    .selectFrom('contract_inactive_periods')
    .select(['kind', 'started_at', 'ended_at'])
    .where('contract_id', '=', contractId)
    .orderBy('started_at')
    .execute();
  return rows.map((row) => ({
    kind: row.kind,
    from: Date.parse(row.started_at),
    to: row.ended_at === null ? null : Date.parse(row.ended_at),
  }));
}

/** The hourly rate time is billed at; null on fixed-price contracts, which track unbilled. */
export function contractRate(contract: TimeContract): Money | null {
  return contract.rate_minor === null
    ? null
    : { amountMinor: contract.rate_minor, currency: contract.currency };
}

/**
 * Who sees a contract's time (entries, screenshots, work logs, reviews) and hears of every
 * change to it: its two parties. Empty for a contract that does not exist.
 */
export async function timeAudience(db: Kysely<Database>, contractId: string): Promise<string[]> {
  const contract = await db
    .selectFrom('contracts')
    .select(['client_id', 'freelancer_id'])
    .where('id', '=', contractId)
    .executeTakeFirst();
  return contract ? [contract.client_id, contract.freelancer_id] : [];
}

export async function isContractParty(
  db: Kysely<Database>,
  contractId: string,
  userId: string,
): Promise<boolean> {
  return (await timeAudience(db, contractId)).includes(userId);
}

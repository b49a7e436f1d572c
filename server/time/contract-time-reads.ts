import { sql, type Selectable } from 'kysely';
import type { WireDocument } from '../../shared/sync/documents.ts';
import type { Database } from '../db/schema.ts';
import { pullPage, type SyncSpec } from '../sync/spec.ts';
import { isContractParty, timeAudience } from './time-contract.ts';

/** The synced tables that hang off a contract and are seen by exactly its two parties. */
const tables = {
  timeEntries: 'time_entries',
  screenshots: 'screenshots',
  workLogs: 'work_logs',
  timeReviews: 'time_reviews',
} as const;
type ContractTimeCollection = keyof typeof tables;
type RowOf<C extends ContractTimeCollection> = Selectable<Database[(typeof tables)[C]]>;
/** What the four tables have in common, which is all these queries name. */
type ContractTimeRow = { id: string; contract_id: string; seq: number };

/**
 * The reading half of a contract-time spec, the same for all four: find by id, pull what
 * the user's contracts hold (as client or freelancer), visibility and audience by contract.
 * The writing half (authorize, write) is each collection's own.
 */
export function contractTimeReads<C extends ContractTimeCollection>(
  collection: C,
  fromRow: (row: RowOf<C>) => WireDocument<C>,
): Pick<SyncSpec<C>, 'collection' | 'find' | 'pull' | 'canSee' | 'audience'> {
  // Typed by its common columns; the row is the collection's own, as `tables` maps it.
  const table = () => sql<ContractTimeRow>`${sql.table(tables[collection])}`.as('d');
  return {
    collection,
    async find(db, id) {
      const row = await db
        .selectFrom(table())
        .selectAll()
        .where('d.id', '=', id)
        .executeTakeFirst();
      return row ? fromRow(row as unknown as RowOf<C>) : null;
    },
    pull: (db, userId, afterSeq, limit) =>
      pullPage(
        db
          .selectFrom(table())
          .innerJoin('contracts as c', 'c.id', 'd.contract_id')
          .selectAll('d')
          .where((eb) =>
            eb.or([eb('c.client_id', '=', userId), eb('c.freelancer_id', '=', userId)]),
          ),
        'd.seq',
        afterSeq,
        limit,
        (row) => fromRow(row as unknown as RowOf<C>),
      ),
    canSee: (db, userId, document) => isContractParty(db, document.contractId, userId),
    audience: (db, document) => timeAudience(db, document.contractId),
  };
}

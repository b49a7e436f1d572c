import type { Kysely, Selectable } from 'kysely';
import type { WireDocument } from '../../../shared/sync/documents.ts';
import { sameDocument } from '../../../shared/sync/merge.ts';
import type { Database, MilestonesTable } from '../../db/schema.ts';
import { neverWrittenByDevices, refuseDeviceWrite, pullPage, type SyncSpec } from '../spec.ts';
import { partiesOf } from './contracts.ts';

type Milestone = WireDocument<'milestones'>;

function fromRow(row: Selectable<MilestonesTable>): Milestone {
  return {
    id: row.id,
    updatedAt: row.updated_at,
    contractId: row.contract_id,
    title: row.title,
    amount: { amountMinor: row.amount_minor, currency: row.currency },
    dueDate: row.due_date,
    position: row.position,
    status: row.status,
    createdAt: row.created_at,
    _deleted: false,
  };
}

/** The parties of a milestone's contract: who sees the milestone. */
async function contractParties(db: Kysely<Database>, contractId: string): Promise<string[]> {
  const contract = await db
    .selectFrom('contracts')
    .select(['client_id', 'freelancer_id'])
    .where('id', '=', contractId)
    .executeTakeFirst();
  return contract ? partiesOf(contract) : [];
}

/**
 * Milestones, seen by their contract's parties and written only by the server (created with
 * the contract; their lifecycle moves through the server's commands, never a push).
 */
export const milestonesSpec: SyncSpec<'milestones'> = {
  collection: 'milestones',
  async find(db, id) {
    const row = await db
      .selectFrom('milestones')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  },
  pull: (db, userId, afterSeq, limit) =>
    pullPage(
      db
        .selectFrom('milestones as m')
        .innerJoin('contracts as c', 'c.id', 'm.contract_id')
        .selectAll('m')
        .where((eb) => eb.or([eb('c.client_id', '=', userId), eb('c.freelancer_id', '=', userId)])),
      'm.seq',
      afterSeq,
      limit,
      fromRow,
    ),
  async canSee(db, userId, document) {
    return (await contractParties(db, document.contractId)).includes(userId);
  },
  authorize: (_db, _user, incoming, existing) =>
    Promise.resolve(
      refuseDeviceWrite(incoming, existing, sameDocument, {
        create: 'milestones are created by the server with their contract',
        change: 'is set by the server; milestones change only through the server’s commands',
      }),
    ),
  write: neverWrittenByDevices('milestones'),
  audience: (db, document) => contractParties(db, document.contractId),
};

import { sql, type Kysely, type Selectable } from 'kysely';
import type { WireDocument } from '../../../shared/sync/documents.ts';
import { sameDocument } from '../../../shared/sync/merge.ts';
import type { ContractsTable, Database } from '../../db/schema.ts';
import { neverWrittenByDevices, refuseDeviceWrite, pullPage, type SyncSpec } from '../spec.ts';

type Contract = WireDocument<'contracts'>;

type ContractRow = Selectable<ContractsTable> & {
  project_title: string;
  client_name: string;
  freelancer_name: string;
  milestones_total_minor: number | null;
};

/**
 * Who sees a contract and its milestones, and hears of every change to them: its two
 * parties. Server-side writes pass this to `SyncWriteContext.stamp`.
 */
export const partiesOf = (contract: { client_id: string; freelancer_id: string }): string[] => [
  contract.client_id,
  contract.freelancer_id,
];

/**
 * A contract row with what its document shows besides: the project's title, the parties'
 * names and the milestones' sum (cast, as PostgreSQL sums bigints into numerics).
 */
function selectContracts(db: Kysely<Database>) {
  return db
    .selectFrom('contracts as c')
    .innerJoin('projects as p', 'p.id', 'c.project_id')
    .innerJoin('users as cu', 'cu.id', 'c.client_id')
    .innerJoin('users as fu', 'fu.id', 'c.freelancer_id')
    .selectAll('c')
    .select((eb) => [
      'p.title as project_title',
      'cu.name as client_name',
      'fu.name as freelancer_name',
      eb
        .selectFrom('milestones as m')
        .select(sql<number | null>`cast(sum(m.amount_minor) as bigint)`.as('total'))
        .whereRef('m.contract_id', '=', 'c.id')
        .as('milestones_total_minor'),
    ]);
}

function fromRow(row: ContractRow): Contract {
  const money = (amountMinor: number) => ({ amountMinor, currency: row.currency });
  return {
    id: row.id,
    updatedAt: row.updated_at,
    projectId: row.project_id,
    projectTitle: row.project_title,
    proposalId: row.proposal_id,
    client: { id: row.client_id, name: row.client_name },
    freelancer: { id: row.freelancer_id, name: row.freelancer_name },
    type: row.type,
    currency: row.currency,
    rate: row.rate_minor === null ? null : money(row.rate_minor),
    total: row.type === 'fixed' ? money(row.milestones_total_minor ?? 0) : null,
    weeklyHourLimit: row.weekly_hour_limit,
    manualTimeAllowed: row.manual_time_allowed === 1,
    screenshotsPerSlot: row.screenshots_per_slot,
    status: row.status,
    createdAt: row.created_at,
    // Contracts end; they are never deleted.
    _deleted: false,
  };
}

/**
 * Contracts, pulled by both parties and written only by the server: accepting a proposal
 * creates one (server/marketplace/proposals.ts), its REST commands change its status
 * (server/marketplace/contracts.ts). A change to its milestones' amounts changes its total,
 * so such a write stamps the contract too.
 */
export const contractsSpec: SyncSpec<'contracts'> = {
  collection: 'contracts',
  async find(db, id) {
    const row = await selectContracts(db).where('c.id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : null;
  },
  pull: (db, userId, afterSeq, limit) =>
    pullPage(
      selectContracts(db).where((eb) =>
        eb.or([eb('c.client_id', '=', userId), eb('c.freelancer_id', '=', userId)]),
      ),
      'c.seq',
      afterSeq,
      limit,
      fromRow,
    ),
  canSee: (_db, userId, document) =>
    Promise.resolve(document.client.id === userId || document.freelancer.id === userId),
  authorize: (_db, _user, incoming, existing) =>
    Promise.resolve(
      refuseDeviceWrite(incoming, existing, sameDocument, {
        create: 'contracts are created by the server when a client accepts a proposal',
        change:
          'is set by the server; a contract changes only through PATCH /api/v1/contracts/{id}/status or /settings',
      }),
    ),
  write: neverWrittenByDevices('contracts'),
  audience: (_db, document) => Promise.resolve([document.client.id, document.freelancer.id]),
};

import type { Kysely, Selectable } from 'kysely';
import { problemTypes } from '../../shared/api/problem.ts';
import {
  contractTransitions,
  type Contract,
  type ContractListQuery,
  type ContractPage,
  type ContractSettingsInput,
  type ContractStatus,
} from '../../shared/marketplace/contracts.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/database.ts';
import type { ContractsTable, Database } from '../db/schema.ts';
import { HttpProblem, problems } from '../http/problem.ts';
import type { AuthContext, RequestMeta } from '../http/route.ts';
import { partiesOf } from '../sync/collections/contracts.ts';
import type { SyncedWrites } from '../sync/synced-writes.ts';
import { afterCursor, cutPage } from './cursor.ts';

type ContractRow = Selectable<ContractsTable>;

const notFound = () =>
  problems.notFound('There is no such contract, or you are not a party to it.');

function invalidTransition(from: ContractStatus, to: ContractStatus) {
  const allowed = contractTransitions[from];
  const detail =
    allowed.length === 0
      ? `An ${from} contract is final; it cannot become ${to}.`
      : `A${from === 'active' ? 'n' : ''} ${from} contract can become ${allowed.join(' or ')}, not ${to}.`;
  return new HttpProblem(409, problemTypes.invalidTransition, 'Status change not allowed', detail, {
    extensions: { from, to, allowed },
  });
}

/**
 * Contracts between a client and a freelancer: only the two parties ever see one. Contracts are
 * synced documents of both parties' devices: every change here is stamped for sync in its
 * transaction and announced to both once it commits.
 */
export class ContractService {
  private readonly db: Db;
  private readonly writes: SyncedWrites;

  constructor(db: Db, writes: SyncedWrites) {
    this.db = db;
    this.writes = writes;
  }

  async get(auth: AuthContext, id: string): Promise<Contract> {
    return presentContract(this.db.kysely, await this.partyRow(auth, id));
  }

  /** The caller's contracts, as client or freelancer, newest first. */
  async list(auth: AuthContext, query: ContractListQuery): Promise<ContractPage> {
    let select = this.db.kysely
      .selectFrom('contracts')
      .selectAll()
      .where((eb) =>
        eb.or([eb('client_id', '=', auth.userId), eb('freelancer_id', '=', auth.userId)]),
      )
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit + 1);
    if (query.cursor !== undefined) select = select.where(afterCursor(query.cursor));
    const { rows, nextCursor } = cutPage(await select.execute(), query.limit);
    return { items: await presentContracts(this.db.kysely, rows), nextCursor };
  }

  /**
   * Active ⇄ paused, either → ended. Only the client pauses or resumes; either party may end.
   * Any other move answers 409 naming the allowed ones.
   */
  async changeStatus(
    auth: AuthContext,
    id: string,
    to: ContractStatus,
    meta: RequestMeta,
  ): Promise<Contract> {
    const row = await this.partyRow(auth, id);
    if (to !== 'ended' && row.client_id !== auth.userId) {
      throw problems.forbidden('Only the client pauses or resumes a contract.');
    }
    if (!contractTransitions[row.status].includes(to)) throw invalidTransition(row.status, to);
    const updated = await this.writes.transaction(async (sync) => {
      const { trx } = sync;
      const now = new Date().toISOString();
      const result = await trx
        .updateTable('contracts')
        .set({
          status: to,
          updated_at: now,
          seq: await sync.stamp('contracts', partiesOf(row)),
        })
        .where('id', '=', id)
        .where('status', '=', row.status)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) {
        const current = await trx
          .selectFrom('contracts')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        throw invalidTransition(current.status, to);
      }
      await recordActivityChange(trx, id, row.status, to, now);
      await recordAudit(trx, meta, {
        action: 'contract.status_changed',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { contractId: id, from: row.status, to },
      });
      return trx.selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    });
    return presentContract(this.db.kysely, updated);
  }

  /**
   * The client changes how the contract is tracked (screenshots per slot) while it has not
   * ended; both parties' devices pull the contract again, and the freelancer's tracker takes
   * the new setting from it. Setting what is already set changes and announces nothing.
   */
  async changeSettings(
    auth: AuthContext,
    id: string,
    input: ContractSettingsInput,
    meta: RequestMeta,
  ): Promise<Contract> {
    const row = await this.partyRow(auth, id);
    if (row.client_id !== auth.userId) {
      throw problems.forbidden('Only the client changes a contract’s settings.');
    }
    if (row.status === 'ended') {
      throw new HttpProblem(
        409,
        problemTypes.conflict,
        'Contract has ended',
        'An ended contract’s settings are final.',
      );
    }
    if (row.screenshots_per_slot === input.screenshotsPerSlot) {
      return presentContract(this.db.kysely, row);
    }
    const updated = await this.writes.transaction(async (sync) => {
      const { trx } = sync;
      const result = await trx
        .updateTable('contracts')
        .set({
          screenshots_per_slot: input.screenshotsPerSlot,
          updated_at: new Date().toISOString(),
          seq: await sync.stamp('contracts', partiesOf(row)),
        })
        .where('id', '=', id)
        .where('status', '!=', 'ended')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) {
        throw new HttpProblem(
          409,
          problemTypes.conflict,
          'Contract has ended',
          'The contract ended meanwhile; its settings are final.',
        );
      }
      await recordAudit(trx, meta, {
        action: 'contract.settings_changed',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: {
          contractId: id,
          screenshotsPerSlot: { from: row.screenshots_per_slot, to: input.screenshotsPerSlot },
        },
      });
      return trx.selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    });
    return presentContract(this.db.kysely, updated);
  }

  private async partyRow(auth: AuthContext, id: string): Promise<ContractRow> {
    const row = await this.db.kysely
      .selectFrom('contracts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || (row.client_id !== auth.userId && row.freelancer_id !== auth.userId)) {
      throw notFound();
    }
    return row;
  }
}

/**
 * Keeps the contract's inactive stretches (migration 0010) in step with its status, in the
 * status change's transaction: leaving `active` opens one at that moment, resuming closes it,
 * and a paused contract that ends keeps the stretch its pause opened. The time rules read these
 * to take offline time tracked before the moment and refuse time inside a stretch.
 */
async function recordActivityChange(
  trx: Kysely<Database>,
  contractId: string,
  from: ContractStatus,
  to: ContractStatus,
  at: string,
): Promise<void> {
  if (from === 'active' && to !== 'active') {
    await trx
      .insertInto('contract_inactive_periods')
      .values({ contract_id: contractId, kind: to, started_at: at, ended_at: null })
      .execute();
  } else if (to === 'active') {
    await trx
      .updateTable('contract_inactive_periods')
      .set({ ended_at: at })
      .where('contract_id', '=', contractId)
      .where('ended_at', 'is', null)
      .execute();
  }
}

export async function presentContract(db: Kysely<Database>, row: ContractRow): Promise<Contract> {
  const [contract] = await presentContracts(db, [row]);
  if (!contract) throw new Error('a contract vanished while being presented');
  return contract;
}

/** Rows to answers with their milestones in order: one more query a page. */
async function presentContracts(db: Kysely<Database>, rows: ContractRow[]): Promise<Contract[]> {
  if (rows.length === 0) return [];
  const milestones = await db
    .selectFrom('milestones')
    .selectAll()
    .where(
      'contract_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('contract_id')
    .orderBy('position')
    .execute();
  return rows.map((row) => {
    const own = milestones.filter((m) => m.contract_id === row.id);
    return {
      id: row.id,
      projectId: row.project_id,
      proposalId: row.proposal_id,
      clientId: row.client_id,
      freelancerId: row.freelancer_id,
      type: row.type,
      currency: row.currency,
      rate:
        row.rate_minor === null ? null : { amountMinor: row.rate_minor, currency: row.currency },
      total:
        row.type === 'fixed'
          ? {
              amountMinor: own.reduce((sum, m) => sum + m.amount_minor, 0),
              currency: row.currency,
            }
          : null,
      weeklyHourLimit: row.weekly_hour_limit,
      manualTimeAllowed: row.manual_time_allowed === 1,
      screenshotsPerSlot: row.screenshots_per_slot,
      status: row.status,
      milestones: own.map((m) => ({
        id: m.id,
        title: m.title,
        amount: { amountMinor: m.amount_minor, currency: m.currency },
        dueDate: m.due_date,
        position: m.position,
        status: m.status,
        createdAt: m.created_at,
        updatedAt: m.updated_at,
      })),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  });
}

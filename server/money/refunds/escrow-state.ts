import type { Kysely, Selectable, Updateable } from 'kysely';
import { problemTypes } from '../../../shared/api/problem.ts';
import type { EscrowDocument, EscrowStatus } from '../../../shared/money/escrow.ts';
import { recordActorAudit, type AuditActor } from '../../audit/audit-log.ts';
import type { Database, EscrowsTable, MilestonesTable } from '../../db/schema.ts';
import { HttpProblem, problems } from '../../http/problem.ts';
import type { AuthContext } from '../../http/route.ts';
import { escrowParties, findEscrowDocument } from '../../sync/collections/escrows.ts';
import type { SyncWriteContext } from '../../sync/write-context.ts';

/**
 * What refunds, disputes and chargebacks share about an escrow: who may see it, what it
 * holds, and how a change to it (or to a refund or dispute inside it) reaches both parties'
 * devices: the escrow row is stamped with a new `seq` in the same transaction.
 */

export type EscrowRow = Selectable<EscrowsTable>;

/** Statuses in which money is held and may move (refund, release, dispute). */
export const movableStatuses: readonly EscrowStatus[] = ['funded', 'submitted'];

export function heldOf(row: Pick<EscrowRow, 'funded_minor' | 'released_minor' | 'refunded_minor'>) {
  return row.funded_minor - row.released_minor - row.refunded_minor;
}

export const escrowNotFound = () =>
  problems.notFound('There is no such escrow, or you are not a party to its contract.');

export function conflict(detail: string, extensions: Record<string, unknown> = {}) {
  return new HttpProblem(409, problemTypes.conflict, 'Conflict', detail, { extensions });
}

/** A refused amount, as a validation problem pointing at the field. */
export function amountProblem(pointer: string, detail: string) {
  return new HttpProblem(422, problemTypes.validation, 'Invalid input', detail, {
    errors: [{ pointer, detail }],
  });
}

export type Role = 'client' | 'freelancer' | 'admin';

/**
 * The escrow and the caller's part in it. Someone who is neither party nor (when allowed)
 * an admin learns nothing: 404, as if it did not exist.
 */
export async function escrowForCaller(
  db: Kysely<Database>,
  auth: AuthContext,
  id: string,
  options: { admins: boolean },
): Promise<{ row: EscrowRow; role: Role }> {
  const row = await db.selectFrom('escrows').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw escrowNotFound();
  if (row.client_id === auth.userId) return { row, role: 'client' };
  if (row.freelancer_id === auth.userId) return { row, role: 'freelancer' };
  if (options.admins && auth.role === 'admin') return { row, role: 'admin' };
  throw escrowNotFound();
}

/**
 * Stamps the escrow for sync (new `seq`, `updated_at`) together with `set`, and announces it
 * to both parties after commit. On PostgreSQL the update also locks the row until commit.
 */
export async function stampEscrow(
  sync: SyncWriteContext,
  row: Pick<EscrowRow, 'id' | 'client_id' | 'freelancer_id'>,
  set: Updateable<EscrowsTable> = {},
): Promise<void> {
  const seq = await sync.stamp('escrows', escrowParties(row));
  await sync.trx
    .updateTable('escrows')
    .set({ ...set, seq, updated_at: new Date().toISOString() })
    .where('id', '=', row.id)
    .execute();
}

/** Reads the escrow row inside the transaction (after a stamp, so it is the locked, current one). */
export async function currentEscrow(sync: SyncWriteContext, id: string): Promise<EscrowRow> {
  return sync.trx.selectFrom('escrows').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Moves a milestone escrow's milestone along (weeks have none), stamped for sync. */
export async function setMilestoneStatus(
  sync: SyncWriteContext,
  row: Pick<EscrowRow, 'milestone_id' | 'client_id' | 'freelancer_id'>,
  status: MilestonesTable['status'],
): Promise<void> {
  if (row.milestone_id === null) return;
  const seq = await sync.stamp('milestones', escrowParties(row));
  await sync.trx
    .updateTable('milestones')
    .set({ status, seq, updated_at: new Date().toISOString() })
    .where('id', '=', row.milestone_id)
    .execute();
}

/** The succeeded payment that funded the escrow: what a refund goes back through. */
export async function fundingPayment(db: Kysely<Database>, escrowId: string) {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('escrow_id', '=', escrowId)
    .where('status', '=', 'succeeded')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** The escrow as its parties' devices see it (without the sync tombstone flag). */
export async function presentEscrow(db: Kysely<Database>, id: string): Promise<EscrowDocument> {
  const wire = await findEscrowDocument(db, id);
  if (!wire) throw escrowNotFound();
  const { _deleted: _, ...document } = wire;
  return document;
}

/** What a milestone escrow's milestone becomes once an escrow settles with `released` out. */
export function settledMilestoneStatus(releasedMinor: number): MilestonesTable['status'] {
  // Nothing went to the freelancer: the milestone is open again and can be funded anew.
  return releasedMinor > 0 ? 'released' : 'pending';
}

/**
 * Refund requests still waiting when the escrow settles can no longer be met: rejected, each
 * audited as caused by `actor` (whoever settled the escrow, or the server itself).
 */
export async function rejectWaitingRefunds(
  sync: SyncWriteContext,
  escrowId: string,
  decidedBy: string | null,
  actor: AuditActor,
): Promise<void> {
  const now = new Date().toISOString();
  const rejected = await sync.trx
    .updateTable('refunds')
    .set({ status: 'rejected', decided_by: decidedBy, decided_at: now, updated_at: now })
    .where('escrow_id', '=', escrowId)
    .where('status', '=', 'requested')
    .returning(['id', 'amount_minor'])
    .execute();
  for (const refund of rejected) {
    await recordActorAudit(sync.trx, actor, 'refund.rejected', {
      refundId: refund.id,
      escrowId,
      amountMinor: refund.amount_minor,
      reason: 'escrow settled',
    });
  }
}

import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { problemTypes } from '../../../shared/api/problem.ts';
import type {
  RefundCommandResult,
  RequestRefundInput,
} from '../../../shared/money/refund-commands.ts';
import { recordActorAudit, type AuditActor } from '../../audit/audit-log.ts';
import type { Db } from '../../db/database.ts';
import type { RefundsTable } from '../../db/schema.ts';
import { HttpProblem, problems } from '../../http/problem.ts';
import type { AuthContext } from '../../http/route.ts';
import { notify } from '../../notifications/notify.ts';
import { refundOf } from '../../sync/collections/escrows.ts';
import type { SyncedWrites } from '../../sync/synced-writes.ts';
import type { SyncWriteContext } from '../../sync/write-context.ts';
import { refundPosting } from '../escrow/escrow-postings.ts';
import { LedgerError, postTransaction } from '../ledger/ledger.ts';
import { RailError, type PaymentRail, type RailRefund } from '../rails/payment-rail.ts';
import {
  amountProblem,
  conflict,
  currentEscrow,
  escrowForCaller,
  fundingPayment,
  heldOf,
  movableStatuses,
  presentEscrow,
  stampEscrow,
  type EscrowRow,
} from './escrow-state.ts';
import { settleRefund } from './refund-settlement.ts';

type RefundRow = Selectable<RefundsTable>;

const link = (row: EscrowRow) => `/contracts/${row.contract_id}`;

function frozenOrSettled(row: EscrowRow, doing: string) {
  if (row.status === 'disputed') {
    return conflict(`The escrow is disputed: nothing can be ${doing} until an admin resolves it.`, {
      escrowStatus: row.status,
    });
  }
  return conflict(
    `The escrow is ${row.status}; only a funded or submitted escrow can be ${doing}.`,
    { escrowStatus: row.status },
  );
}

/**
 * Refunds of escrowed money to the client. Either party asks; the other party or an admin
 * decides. Approving reserves the money at once (the ledger moves it out of escrow in the
 * approval's transaction, guarded by the escrow's conditional update and the ledger's
 * "escrow may not go negative" check), then asks the rail, outside any transaction. If the
 * rail refuses, a reversal puts the money back in escrow. Reserving first is what makes a
 * refund racing a release safe: the release sees the money gone before the provider is
 * ever asked, so the platform can never pay the same money out twice.
 */
export class RefundService {
  private readonly db: Db;
  private readonly writes: SyncedWrites;
  private readonly rail: PaymentRail;

  constructor(db: Db, writes: SyncedWrites, rail: PaymentRail) {
    this.db = db;
    this.writes = writes;
    this.rail = rail;
  }

  async request(
    auth: AuthContext,
    escrowId: string,
    input: RequestRefundInput,
    actor: AuditActor,
  ): Promise<RefundCommandResult> {
    const { row: seen, role } = await escrowForCaller(this.db.kysely, auth, escrowId, {
      admins: false,
    });
    const refundId = randomUUID();
    await this.writes.transaction(async (sync) => {
      // Stamping first locks the escrow row: concurrent requests see each other's amounts.
      await stampEscrow(sync, seen);
      const row = await currentEscrow(sync, escrowId);
      if (!movableStatuses.includes(row.status)) throw frozenOrSettled(row, 'refunded');
      const waiting = await sync.trx
        .selectFrom('refunds')
        .select((eb) => eb.fn.sum<string | number | null>('amount_minor').as('total'))
        .where('escrow_id', '=', escrowId)
        .where('status', '=', 'requested')
        .executeTakeFirst();
      const requested = Number(waiting?.total ?? 0);
      const held = heldOf(row);
      const available = held - requested;
      if (input.amountMinor > available) {
        throw amountProblem(
          '/amountMinor',
          requested > 0
            ? `The escrow holds ${held} minor units and ${requested} are already requested, so at most ${Math.max(available, 0)} can be refunded; ${input.amountMinor} is too much.`
            : `The escrow holds ${held} minor units; ${input.amountMinor} is more than that.`,
        );
      }
      const now = new Date().toISOString();
      await sync.trx
        .insertInto('refunds')
        .values({
          id: refundId,
          escrow_id: escrowId,
          amount_minor: input.amountMinor,
          reason: input.reason,
          requested_by: auth.userId,
          status: 'requested',
          decided_by: null,
          decided_at: null,
          provider_refund_id: null,
          failure_message: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await recordActorAudit(sync.trx, actor, 'refund.requested', {
        refundId,
        escrowId,
        contractId: row.contract_id,
        amountMinor: input.amountMinor,
        currency: row.currency,
        role,
      });
      const other = role === 'client' ? row.freelancer_id : row.client_id;
      await notify(sync, {
        userId: other,
        kind: 'money-activity',
        title: role === 'client' ? 'Refund requested' : 'Refund offered',
        body:
          role === 'client'
            ? `The client asks for ${input.amountMinor} minor units of ${row.currency} back: ${input.reason}`
            : `The freelancer offers to return ${input.amountMinor} minor units of ${row.currency}: ${input.reason}`,
        link: link(row),
      });
    });
    return this.result(escrowId, refundId);
  }

  async reject(
    auth: AuthContext,
    escrowId: string,
    refundId: string,
    actor: AuditActor,
  ): Promise<RefundCommandResult> {
    const { row: seen } = await escrowForCaller(this.db.kysely, auth, escrowId, { admins: true });
    await this.writes.transaction(async (sync) => {
      const refund = await this.decidable(sync, auth, seen, refundId);
      const decided = await sync.trx
        .updateTable('refunds')
        .set({
          status: 'rejected',
          decided_by: auth.userId,
          decided_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
        })
        .where('id', '=', refund.id)
        .where('status', '=', 'requested')
        .executeTakeFirst();
      if (Number(decided.numUpdatedRows) !== 1) throw await decidedMeanwhile(sync, refund.id);
      await stampEscrow(sync, seen);
      await recordActorAudit(sync.trx, actor, 'refund.rejected', {
        refundId: refund.id,
        escrowId: seen.id,
        amountMinor: refund.amount_minor,
        currency: seen.currency,
        admin: auth.role === 'admin',
      });
      await notify(sync, {
        userId: refund.requested_by,
        kind: 'money-activity',
        title: 'Refund rejected',
        body: `Your refund of ${refund.amount_minor} minor units of ${seen.currency} was rejected.`,
        link: link(seen),
      });
    });
    return this.result(escrowId, refundId);
  }

  /**
   * Approves and carries out a refund. Two approvals at once: one wins the conditional
   * update from `requested`, the other is told it was already decided (409).
   */
  async approve(
    auth: AuthContext,
    escrowId: string,
    refundId: string,
    actor: AuditActor,
  ): Promise<RefundCommandResult> {
    const { row: seen } = await escrowForCaller(this.db.kysely, auth, escrowId, { admins: true });
    const payment = await fundingPayment(this.db.kysely, escrowId);
    if (!payment?.provider_payment_id) {
      throw conflict('The escrow has no succeeded payment to refund through.');
    }
    if (payment.rail !== this.rail.name) {
      throw conflict(
        `The escrow was paid through the ${payment.rail} rail, but this server runs the ${this.rail.name} rail.`,
      );
    }
    const providerPaymentId = payment.provider_payment_id;

    const refund = await this.writes.transaction(async (sync) => {
      await stampEscrow(sync, seen);
      const refund = await this.decidable(sync, auth, seen, refundId);
      const row = await currentEscrow(sync, escrowId);
      if (!movableStatuses.includes(row.status)) throw frozenOrSettled(row, 'refunded');
      const now = new Date().toISOString();
      const claimed = await sync.trx
        .updateTable('refunds')
        .set({ status: 'processing', decided_by: auth.userId, decided_at: now, updated_at: now })
        .where('id', '=', refund.id)
        .where('status', '=', 'requested')
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw await decidedMeanwhile(sync, refund.id);
      // Reserve: out of escrow now, only if it is still held (a release may have taken it).
      const reserved = await sync.trx
        .updateTable('escrows')
        .set((eb) => ({ refunded_minor: eb('refunded_minor', '+', refund.amount_minor) }))
        .where('id', '=', escrowId)
        .where('status', 'in', movableStatuses)
        .where((eb) =>
          eb(
            eb(eb('funded_minor', '-', eb.ref('released_minor')), '-', eb.ref('refunded_minor')),
            '>=',
            refund.amount_minor,
          ),
        )
        .executeTakeFirst();
      if (Number(reserved.numUpdatedRows) !== 1) {
        throw amountProblem(
          '/amountMinor',
          `The escrow now holds ${heldOf(row)} minor units; this refund of ${refund.amount_minor} no longer fits.`,
        );
      }
      try {
        await postTransaction(
          sync.trx,
          refundPosting({
            refundId: refund.id,
            contractId: row.contract_id,
            rail: payment.rail,
            currency: row.currency,
            amountMinor: refund.amount_minor,
          }),
        );
      } catch (error) {
        if (error instanceof LedgerError && error.code === 'insufficient_balance') {
          throw amountProblem(
            '/amountMinor',
            `The escrow no longer holds ${refund.amount_minor} minor units.`,
          );
        }
        throw error;
      }
      await recordActorAudit(sync.trx, actor, 'refund.approved', {
        refundId: refund.id,
        escrowId,
        amountMinor: refund.amount_minor,
        currency: row.currency,
        admin: auth.role === 'admin',
      });
      return refund;
    });

    let outcome: RailRefund;
    try {
      outcome = await this.rail.refund({
        paymentId: providerPaymentId,
        amountMinor: refund.amount_minor,
        // The refund's own id: a retried call can never refund twice at the provider.
        idempotencyKey: refund.id,
        metadata: { escrowId, refundId: refund.id },
      });
    } catch (error) {
      if (!(error instanceof RailError)) throw error;
      if (error.code === 'unavailable') {
        // We cannot know whether the provider refunded: the money stays set aside and the
        // refund `processing` until the provider's refund webhook says how it ended.
        throw new HttpProblem(
          503,
          problemTypes.unavailable,
          'Payment provider unavailable',
          `The payment provider could not be reached (${error.message}). The refund stays processing with the money set aside; it completes when the provider confirms it.`,
        );
      }
      outcome = {
        id: '',
        paymentId: providerPaymentId,
        status: 'failed',
        amountMinor: refund.amount_minor,
        failureMessage: error.message,
      };
    }
    await this.settle(refund.id, outcome, actor);
    return this.result(escrowId, refundId);
  }

  /** Records what the rail said about a processing refund (see settleRefund). */
  async settle(refundId: string, outcome: RailRefund, actor: AuditActor): Promise<void> {
    const known = await this.db.kysely
      .selectFrom('refunds as r')
      .innerJoin('escrows as e', 'e.id', 'r.escrow_id')
      .select(['e.id', 'e.client_id', 'e.freelancer_id'])
      .where('r.id', '=', refundId)
      .executeTakeFirstOrThrow();
    await this.writes.transaction((sync) => settleRefund(sync, known, refundId, outcome, actor));
  }

  /** The refund, if the caller may decide it: the party who did not ask, or an admin. */
  private async decidable(
    sync: SyncWriteContext,
    auth: AuthContext,
    row: EscrowRow,
    refundId: string,
  ): Promise<RefundRow> {
    const refund = await sync.trx
      .selectFrom('refunds')
      .selectAll()
      .where('id', '=', refundId)
      .where('escrow_id', '=', row.id)
      .executeTakeFirst();
    if (!refund) throw problems.notFound('This escrow has no such refund.');
    if (refund.requested_by === auth.userId) {
      throw problems.forbidden(
        'You asked for this refund; the other party or an admin decides it.',
      );
    }
    if (refund.status !== 'requested') {
      throw alreadyDecided(refund.status);
    }
    return refund;
  }

  private async result(escrowId: string, refundId: string): Promise<RefundCommandResult> {
    const refund = await this.db.kysely
      .selectFrom('refunds')
      .selectAll()
      .where('id', '=', refundId)
      .executeTakeFirstOrThrow();
    return { refund: refundOf(refund), escrow: await presentEscrow(this.db.kysely, escrowId) };
  }
}

function alreadyDecided(status: string): HttpProblem {
  return conflict(`This refund was already decided: it is ${status}.`, { refundStatus: status });
}

/** Lost the conditional update to a concurrent decision: name what it became. */
async function decidedMeanwhile(sync: SyncWriteContext, refundId: string): Promise<HttpProblem> {
  const now = await sync.trx
    .selectFrom('refunds')
    .select('status')
    .where('id', '=', refundId)
    .executeTakeFirst();
  return alreadyDecided(now?.status ?? 'gone');
}

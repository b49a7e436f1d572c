import { randomUUID } from 'node:crypto';
import { problemTypes } from '../../../shared/api/problem.ts';
import type {
  DisputeCommandResult,
  OpenDisputeInput,
  ResolveDisputeInput,
} from '../../../shared/money/dispute-commands.ts';
import type { DisputeOutcome } from '../../../shared/money/escrow.ts';
import { recordActorAudit, type AuditActor } from '../../audit/audit-log.ts';
import type { Db } from '../../db/database.ts';
import { HttpProblem, problems } from '../../http/problem.ts';
import type { AuthContext } from '../../http/route.ts';
import { notify } from '../../notifications/notify.ts';
import { disputeOf } from '../../sync/collections/escrows.ts';
import type { SyncedWrites } from '../../sync/synced-writes.ts';
import { platformFeeOf } from '../../../shared/money/fees.ts';
import { refundPosting, refundReversalPosting, releasePosting } from '../escrow/escrow-postings.ts';
import { postTransaction } from '../ledger/ledger.ts';
import { RailError, type PaymentRail } from '../rails/payment-rail.ts';
import {
  amountProblem,
  conflict,
  currentEscrow,
  escrowForCaller,
  escrowNotFound,
  fundingPayment,
  heldOf,
  movableStatuses,
  presentEscrow,
  rejectWaitingRefunds,
  setMilestoneStatus,
  settledMilestoneStatus,
  stampEscrow,
  type EscrowRow,
} from '../refunds/escrow-state.ts';

const link = (row: EscrowRow) => `/contracts/${row.contract_id}`;

/**
 * The money side of disputes. Opening one freezes the escrow (status `disputed`: the
 * release, refund and auto-release commands all require funded or submitted). An admin
 * resolves it: everything held is released, refunded, or split. The resolution books the
 * release and reserves the refund in one transaction, then asks the rail to refund; if the
 * rail refuses, the refund part goes back into escrow and the dispute reopens with what is
 * left (the release part stands: it moved no money outside the platform).
 */
export class DisputeService {
  private readonly db: Db;
  private readonly writes: SyncedWrites;
  private readonly rail: PaymentRail;
  private readonly feeBasisPoints: number;
  private readonly afterRelease: (freelancerId: string) => Promise<void>;

  /**
   * `afterRelease`: what follows any release (the escrow capability's transfer of what is
   * pending to the freelancer's payout account); it must not fail the resolution.
   */
  constructor(
    db: Db,
    writes: SyncedWrites,
    rail: PaymentRail,
    options: { feeBasisPoints: number; afterRelease?: (freelancerId: string) => Promise<void> },
  ) {
    this.db = db;
    this.writes = writes;
    this.rail = rail;
    this.feeBasisPoints = options.feeBasisPoints;
    this.afterRelease = options.afterRelease ?? (() => Promise.resolve());
  }

  async open(
    auth: AuthContext,
    escrowId: string,
    input: OpenDisputeInput,
    actor: AuditActor,
  ): Promise<DisputeCommandResult> {
    const { row: seen, role } = await escrowForCaller(this.db.kysely, auth, escrowId, {
      admins: false,
    });
    const disputeId = randomUUID();
    await this.writes.transaction(async (sync) => {
      await stampEscrow(sync, seen);
      const row = await currentEscrow(sync, escrowId);
      if (!movableStatuses.includes(row.status)) {
        throw conflict(
          row.status === 'disputed'
            ? 'The escrow is already disputed.'
            : `The escrow is ${row.status}; only a funded or submitted escrow can be disputed.`,
          { escrowStatus: row.status },
        );
      }
      await sync.trx
        .updateTable('escrows')
        .set({ status: 'disputed' })
        .where('id', '=', escrowId)
        .execute();
      await sync.trx
        .insertInto('escrow_disputes')
        .values({
          id: disputeId,
          escrow_id: escrowId,
          source: 'party',
          opened_by: auth.userId,
          reason: input.reason,
          status: 'open',
          outcome: null,
          resolved_by: null,
          provider_dispute_id: null,
          opened_at: new Date().toISOString(),
          resolved_at: null,
        })
        .execute();
      await setMilestoneStatus(sync, row, 'disputed');
      await recordActorAudit(sync.trx, actor, 'dispute.opened', {
        disputeId,
        escrowId,
        contractId: row.contract_id,
        role,
        heldMinor: heldOf(row),
        currency: row.currency,
      });
      await notify(sync, {
        userId: role === 'client' ? row.freelancer_id : row.client_id,
        kind: 'dispute-opened',
        title: 'Escrow disputed',
        body: `The ${role} disputed this escrow: ${input.reason} Nothing moves until an admin resolves it.`,
        link: link(row),
      });
    });
    return this.result(escrowId, disputeId);
  }

  async resolve(
    auth: AuthContext,
    escrowId: string,
    input: ResolveDisputeInput,
    actor: AuditActor,
  ): Promise<DisputeCommandResult> {
    if (auth.role !== 'admin') throw problems.forbidden('Only an admin resolves disputes.');
    const seen = await this.db.kysely
      .selectFrom('escrows')
      .selectAll()
      .where('id', '=', escrowId)
      .executeTakeFirst();
    if (!seen) throw escrowNotFound();
    const payment = await fundingPayment(this.db.kysely, escrowId);
    // Names this resolution's refund: at the provider (idempotency) and in the ledger.
    const attempt = randomUUID();

    const planned = await this.writes.transaction(async (sync) => {
      await stampEscrow(sync, seen);
      const row = await currentEscrow(sync, escrowId);
      const dispute = await sync.trx
        .selectFrom('escrow_disputes')
        .selectAll()
        .where('escrow_id', '=', escrowId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (!dispute || row.status !== 'disputed') {
        throw conflict(`The escrow is ${row.status} and has no open dispute to resolve.`, {
          escrowStatus: row.status,
        });
      }
      if (dispute.source === 'chargeback') {
        throw conflict(
          'This is a chargeback: the card holder’s bank decides it, and the escrow follows.',
        );
      }
      const held = heldOf(row);
      const releaseMinor =
        input.outcome === 'release' ? held : input.outcome === 'refund' ? 0 : input.releaseMinor;
      if (input.outcome === 'split' && releaseMinor >= held) {
        throw amountProblem(
          '/releaseMinor',
          `The escrow holds ${held} minor units; a split releases less than that (and refunds the rest), so ${releaseMinor} is too much.`,
        );
      }
      const refundMinor = held - releaseMinor;
      if (refundMinor > 0 && (!payment?.provider_payment_id || payment.rail !== this.rail.name)) {
        throw conflict('The escrow has no payment this server can refund through.');
      }
      const feeMinor = platformFeeOf(releaseMinor, this.feeBasisPoints);
      const now = new Date().toISOString();
      const moved = await sync.trx
        .updateTable('escrows')
        .set((eb) => ({
          released_minor: eb('released_minor', '+', releaseMinor),
          platform_fee_minor: eb('platform_fee_minor', '+', feeMinor),
          refunded_minor: eb('refunded_minor', '+', refundMinor),
          status: 'settled',
        }))
        .where('id', '=', escrowId)
        .where('status', '=', 'disputed')
        .where('released_minor', '=', row.released_minor)
        .where('refunded_minor', '=', row.refunded_minor)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1)
        throw conflict('The escrow changed meanwhile; try again.');
      if (releaseMinor > 0) {
        const posted = await postTransaction(
          sync.trx,
          releasePosting({
            releaseId: `dispute/${dispute.id}/${attempt}`,
            contractId: row.contract_id,
            freelancerId: row.freelancer_id,
            currency: row.currency,
            amountMinor: releaseMinor,
            platformFeeMinor: feeMinor,
          }),
        );
        await sync.trx
          .insertInto('transaction_fees')
          .values({
            ledger_transaction_id: posted.id,
            escrow_id: escrowId,
            currency: row.currency,
            gross_minor: releaseMinor,
            platform_fee_minor: feeMinor,
            provider_fee_minor: 0,
            net_minor: releaseMinor - feeMinor,
            created_at: now,
          })
          .execute();
      }
      if (refundMinor > 0 && payment) {
        await postTransaction(
          sync.trx,
          refundPosting({
            refundId: `dispute/${dispute.id}/${attempt}`,
            contractId: row.contract_id,
            rail: payment.rail,
            currency: row.currency,
            amountMinor: refundMinor,
          }),
        );
      }
      const released = dispute.released_minor + releaseMinor;
      const refunded = dispute.refunded_minor + refundMinor;
      await sync.trx
        .updateTable('escrow_disputes')
        .set({
          status: 'resolved',
          outcome: outcomeOf(released, refunded),
          released_minor: released,
          refunded_minor: refunded,
          resolved_by: auth.userId,
          resolved_at: now,
        })
        .where('id', '=', dispute.id)
        .execute();
      await rejectWaitingRefunds(sync, escrowId, auth.userId, actor);
      await recordActorAudit(sync.trx, actor, 'dispute.resolved', {
        disputeId: dispute.id,
        escrowId,
        contractId: row.contract_id,
        adminId: auth.userId,
        outcome: outcomeOf(released, refunded),
        releasedMinor: releaseMinor,
        platformFeeMinor: feeMinor,
        refundedMinor: refundMinor,
        currency: row.currency,
      });
      await setMilestoneStatus(
        sync,
        row,
        settledMilestoneStatus(row.released_minor + releaseMinor),
      );
      for (const userId of [row.client_id, row.freelancer_id]) {
        await notify(sync, {
          userId,
          kind: 'money-activity',
          title: 'Dispute resolved',
          body: `An admin resolved the dispute: ${releaseMinor} minor units of ${row.currency} released to the freelancer (platform fee ${feeMinor}), ${refundMinor} refunded to the client.`,
          link: link(row),
        });
      }
      return { disputeId: dispute.id, refundMinor, releaseMinor, row };
    });

    if (planned.refundMinor > 0 && payment?.provider_payment_id) {
      let failure: string | null = null;
      try {
        const refund = await this.rail.refund({
          paymentId: payment.provider_payment_id,
          amountMinor: planned.refundMinor,
          idempotencyKey: attempt,
          metadata: { escrowId, disputeId: planned.disputeId },
        });
        if (refund.status === 'failed') failure = refund.failureMessage ?? 'The refund failed.';
      } catch (error) {
        if (!(error instanceof RailError)) throw error;
        failure = error.message;
      }
      if (failure !== null) {
        await this.undoRefundPart(
          planned.row,
          planned.disputeId,
          attempt,
          planned.refundMinor,
          failure,
          actor,
        );
        throw new HttpProblem(
          502,
          problemTypes.unavailable,
          'Refund failed at the payment provider',
          `The payment provider refused the refund of ${planned.refundMinor} minor units: ${failure} ${planned.releaseMinor > 0 ? `The release of ${planned.releaseMinor} stands; ` : ''}the rest is held again and the dispute is open.`,
        );
      }
    }
    if (planned.releaseMinor > 0) await this.afterRelease(planned.row.freelancer_id);
    return this.result(escrowId, planned.disputeId);
  }

  /** The provider refused a resolution's refund: the money is held again, still disputed. */
  private async undoRefundPart(
    seen: EscrowRow,
    disputeId: string,
    attempt: string,
    refundMinor: number,
    failure: string,
    actor: AuditActor,
  ): Promise<void> {
    await this.writes.transaction(async (sync) => {
      await stampEscrow(sync, seen, { status: 'disputed' });
      await sync.trx
        .updateTable('escrows')
        .set((eb) => ({ refunded_minor: eb('refunded_minor', '-', refundMinor) }))
        .where('id', '=', seen.id)
        .execute();
      const payment = await fundingPayment(sync.trx, seen.id);
      await postTransaction(
        sync.trx,
        refundReversalPosting({
          refundId: `dispute/${disputeId}/${attempt}`,
          contractId: seen.contract_id,
          rail: payment?.rail ?? this.rail.name,
          currency: seen.currency,
          amountMinor: refundMinor,
        }),
      );
      await sync.trx
        .updateTable('escrow_disputes')
        .set((eb) => ({
          status: 'open',
          outcome: null,
          refunded_minor: eb('refunded_minor', '-', refundMinor),
          resolved_by: null,
          resolved_at: null,
        }))
        .where('id', '=', disputeId)
        .execute();
      await setMilestoneStatus(sync, seen, 'disputed');
      await recordActorAudit(sync.trx, actor, 'refund.failed', {
        disputeId,
        escrowId: seen.id,
        amountMinor: refundMinor,
        currency: seen.currency,
        failureMessage: failure,
        disputeReopened: true,
      });
      for (const userId of [seen.client_id, seen.freelancer_id]) {
        await notify(sync, {
          userId,
          kind: 'money-activity',
          title: 'Dispute refund failed',
          body: `The refund of ${refundMinor} minor units failed at the payment provider: ${failure} The money is held again while the dispute stays open.`,
          link: link(seen),
        });
      }
    });
  }

  private async result(escrowId: string, disputeId: string): Promise<DisputeCommandResult> {
    const dispute = await this.db.kysely
      .selectFrom('escrow_disputes')
      .selectAll()
      .where('id', '=', disputeId)
      .executeTakeFirstOrThrow();
    return {
      dispute: disputeOf(dispute),
      escrow: await presentEscrow(this.db.kysely, escrowId),
    };
  }
}

/** What a resolution did, from its totals (a reopened one may have released part before). */
function outcomeOf(releasedMinor: number, refundedMinor: number): DisputeOutcome {
  if (releasedMinor > 0 && refundedMinor > 0) return 'split';
  return releasedMinor > 0 ? 'release' : 'refund';
}

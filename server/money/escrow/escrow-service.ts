import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { problemTypes } from '../../../shared/api/problem.ts';
import type { EscrowDocument } from '../../../shared/money/escrow.ts';
import type {
  FundEscrowBody,
  ReleaseEscrowBody,
  RetryPaymentBody,
} from '../../../shared/money/escrow-commands.ts';
import { recordActorAudit, type AuditActor } from '../../audit/audit-log.ts';
import { isUniqueViolation } from '../../auth/users.ts';
import type { Db } from '../../db/database.ts';
import { HttpProblem, problems } from '../../http/problem.ts';
import type { AuthContext } from '../../http/route.ts';
import { escrowDocuments } from '../../sync/collections/escrows.ts';
import type { SyncedWrites } from '../../sync/synced-writes.ts';
import { withLedgerProblems } from '../ledger/ledger-problems.ts';
import { RailError, type PaymentRail, type RailPayment } from '../rails/payment-rail.ts';
import {
  amountProblem,
  conflict,
  escrowForCaller,
  heldOf,
  presentEscrow,
  setMilestoneStatus,
} from '../refunds/escrow-state.ts';
import { releaseEscrow, type ReleaseSettings } from './escrow-release.ts';
import { isRealIsoWeek, weekTimeAmount } from './hourly-weeks.ts';
import { reconcilePayment } from './payment-reconcile.ts';
import type { PayoutTransfers } from './payout-transfers.ts';

/**
 * Where a client's money comes from and a freelancer's goes to, at the rail (provided by the
 * payment-accounts capability, server/money/payment-accounts/).
 */
export interface EscrowPaymentAccounts {
  /** The client's customer at the rail and the method to charge: the one given, or their default. */
  chargeSourceFor(
    userId: string,
    paymentMethodId: string | undefined,
  ): Promise<{ customerId: string; paymentMethodId: string } | null>;
}

export interface EscrowSettings extends ReleaseSettings {
  /** ESCROW_REVIEW_DAYS: how long a client has to review a submitted milestone. */
  reviewDays: number;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * The escrow commands: fund (a milestone or an hourly week), retry a failed payment,
 * submit, release, and the reads. Network calls to the rail happen outside any database
 * transaction; every state change is one synced transaction, compare-and-set on the
 * escrow's row, with its ledger posting inside, so racing commands move money once.
 */
export class EscrowService {
  private readonly db: Db;
  private readonly writes: SyncedWrites;
  private readonly rail: PaymentRail;
  private readonly accounts: EscrowPaymentAccounts;
  private readonly transfers: PayoutTransfers;
  private readonly settings: EscrowSettings;
  private readonly logger: Logger;

  constructor(deps: {
    db: Db;
    writes: SyncedWrites;
    rail: PaymentRail;
    accounts: EscrowPaymentAccounts;
    transfers: PayoutTransfers;
    settings: EscrowSettings;
    logger: Logger;
  }) {
    this.db = deps.db;
    this.writes = deps.writes;
    this.rail = deps.rail;
    this.accounts = deps.accounts;
    this.transfers = deps.transfers;
    this.settings = deps.settings;
    this.logger = deps.logger;
  }

  // --- Funding ---

  async fund(auth: AuthContext, body: FundEscrowBody, actor: AuditActor): Promise<EscrowDocument> {
    const db = this.db.kysely;
    const contract = await db
      .selectFrom('contracts')
      .selectAll()
      .where('id', '=', body.contractId)
      .executeTakeFirst();
    if (
      !contract ||
      (contract.client_id !== auth.userId && contract.freelancer_id !== auth.userId)
    ) {
      throw problems.notFound('There is no such contract, or you are not a party to it.');
    }
    if (contract.client_id !== auth.userId) {
      throw problems.forbidden('Only the contract’s client funds escrow.');
    }
    if (contract.status !== 'active') {
      throw conflict(`The contract is ${contract.status}; only an active contract can be funded.`);
    }
    if (body.currency !== undefined && body.currency !== contract.currency) {
      throw amountProblem(
        '/currency',
        `The contract is in ${contract.currency}; escrow for it is funded in ${contract.currency}, not ${body.currency}.`,
      );
    }
    let target: { milestoneId: string | null; week: string | null; amountMinor: number };
    if ('milestoneId' in body) {
      if (contract.type !== 'fixed') {
        throw amountProblem(
          '/milestoneId',
          'An hourly contract is funded by the week, not by milestone.',
        );
      }
      const milestone = await db
        .selectFrom('milestones')
        .selectAll()
        .where('id', '=', body.milestoneId)
        .where('contract_id', '=', contract.id)
        .executeTakeFirst();
      if (!milestone) {
        throw problems.notFound('The contract has no such milestone.');
      }
      if (milestone.status !== 'pending') {
        throw conflict(`The milestone is already ${milestone.status}; it can be funded only once.`);
      }
      target = { milestoneId: milestone.id, week: null, amountMinor: milestone.amount_minor };
    } else {
      if (contract.type !== 'hourly') {
        throw amountProblem('/week', 'A fixed-price contract is funded by milestone, not by week.');
      }
      if (!isRealIsoWeek(body.week)) {
        throw amountProblem('/week', `${body.week} does not exist (that year has no such week).`);
      }
      target = { milestoneId: null, week: body.week, amountMinor: body.amountMinor };
    }
    const source = await this.chargeSource(auth.userId, body.paymentMethodId);

    const now = new Date().toISOString();
    const escrowId = randomUUID();
    const paymentId = randomUUID();
    try {
      await this.writes.transaction(async (sync) => {
        const parties = [contract.client_id, contract.freelancer_id];
        const seq = await sync.stamp('escrows', parties);
        await sync.trx
          .insertInto('escrows')
          .values({
            id: escrowId,
            seq,
            contract_id: contract.id,
            client_id: contract.client_id,
            freelancer_id: contract.freelancer_id,
            milestone_id: target.milestoneId,
            week: target.week,
            currency: contract.currency,
            amount_minor: target.amountMinor,
            status: 'awaiting_payment',
            submitted_at: null,
            review_deadline: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await this.insertPayment(
          sync.trx,
          paymentId,
          escrowId,
          target.amountMinor,
          contract.currency,
          now,
        );
      });
    } catch (error) {
      // The unique indexes on milestone and on (contract, week): one escrow, whoever wins.
      if (isUniqueViolation(error)) {
        throw conflict(
          target.milestoneId
            ? 'The milestone already has an escrow (funded, or being funded).'
            : `The week ${target.week ?? ''} already has an escrow; top-ups are not supported.`,
        );
      }
      throw error;
    }
    return this.charge(escrowId, paymentId, target.amountMinor, contract.currency, source, actor);
  }

  /** Pays again for an escrow whose last payment failed. */
  async retryPayment(
    auth: AuthContext,
    id: string,
    body: RetryPaymentBody,
    actor: AuditActor,
  ): Promise<EscrowDocument> {
    const { row, role } = await escrowForCaller(this.db.kysely, auth, id, { admins: false });
    if (role !== 'client') throw problems.forbidden('Only the contract’s client pays into escrow.');
    if (row.status !== 'payment_failed') {
      throw conflict(
        `The escrow is ${row.status}; only an escrow whose payment failed is paid again.`,
      );
    }
    const source = await this.chargeSource(auth.userId, body.paymentMethodId);
    const paymentId = randomUUID();
    const now = new Date().toISOString();
    await this.writes.transaction(async (sync) => {
      // Compare-and-set: of two retries at once, one pays.
      const seq = await sync.stamp('escrows', [row.client_id, row.freelancer_id]);
      const updated = await sync.trx
        .updateTable('escrows')
        .set({ status: 'awaiting_payment', seq, updated_at: now })
        .where('id', '=', row.id)
        .where('status', '=', 'payment_failed')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        throw conflict('The escrow changed meanwhile; reload it.');
      }
      await this.insertPayment(sync.trx, paymentId, row.id, row.amount_minor, row.currency, now);
    });
    return this.charge(row.id, paymentId, row.amount_minor, row.currency, source, actor);
  }

  private async chargeSource(userId: string, paymentMethodId: string | undefined) {
    const source = await this.accounts.chargeSourceFor(userId, paymentMethodId);
    if (!source) {
      throw new HttpProblem(
        409,
        problemTypes.conflict,
        'No payment method',
        paymentMethodId
          ? `${paymentMethodId} is not one of your saved payment methods.`
          : 'Save a card first (it becomes your default), or name a paymentMethodId.',
      );
    }
    return source;
  }

  private async insertPayment(
    trx: Parameters<Parameters<SyncedWrites['transaction']>[0]>[0]['trx'],
    paymentId: string,
    escrowId: string,
    amountMinor: number,
    currency: string,
    now: string,
  ) {
    await trx
      .insertInto('payments')
      .values({
        id: paymentId,
        escrow_id: escrowId,
        rail: this.rail.name,
        provider_payment_id: null,
        amount_minor: amountMinor,
        currency,
        status: 'processing',
        provider_fee_minor: null,
        failure_message: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  /** Charges at the rail (no transaction open), then reconciles in a second transaction. */
  private async charge(
    escrowId: string,
    paymentId: string,
    amountMinor: number,
    currency: string,
    source: { customerId: string; paymentMethodId: string },
    actor: AuditActor,
  ): Promise<EscrowDocument> {
    let railPayment: Pick<RailPayment, 'status' | 'providerFeeMinor' | 'failureMessage'> & {
      id: string | null;
    };
    try {
      railPayment = await this.rail.createPayment({
        customerId: source.customerId,
        paymentMethodId: source.paymentMethodId,
        amountMinor,
        currency,
        idempotencyKey: `payment/${paymentId}`,
        metadata: { escrowId, paymentId },
      });
    } catch (error) {
      if (!(error instanceof RailError) || error.code === 'unavailable') {
        // The provider may or may not have charged: the payment stays processing and the
        // webhook (metadata.paymentId) settles it.
        this.logger.warn({ err: error, paymentId }, 'payment outcome unknown; waiting for webhook');
        throw new HttpProblem(
          503,
          problemTypes.unavailable,
          'Payment provider unavailable',
          'The payment provider did not answer; the payment is processing and the escrow updates when it does.',
          { headers: { 'Retry-After': '30' } },
        );
      }
      railPayment = {
        id: null,
        status: 'failed',
        providerFeeMinor: null,
        failureMessage: error.message,
      };
    }
    const outcome = await withLedgerProblems(() =>
      this.writes.transaction((sync) => reconcilePayment(sync, paymentId, railPayment, actor)),
    );
    if (outcome === 'failed' || railPayment.status === 'failed') {
      throw new HttpProblem(
        402,
        problemTypes.paymentFailed,
        'Payment failed',
        railPayment.failureMessage ?? 'The payment failed.',
        { extensions: { escrowId } },
      );
    }
    return presentEscrow(this.db.kysely, escrowId);
  }

  // --- Review and release ---

  async submit(auth: AuthContext, id: string, actor: AuditActor): Promise<EscrowDocument> {
    const { row, role } = await escrowForCaller(this.db.kysely, auth, id, { admins: false });
    if (role !== 'freelancer') {
      throw problems.forbidden('Only the freelancer submits a milestone for review.');
    }
    if (row.milestone_id === null) {
      throw conflict('An hourly week is not submitted; it is released after the week’s review.');
    }
    if (row.status !== 'funded') {
      throw conflict(`The escrow is ${row.status}; only a funded milestone can be submitted.`, {
        allowed: ['funded'],
      });
    }
    const now = Date.now();
    await this.writes.transaction(async (sync) => {
      const seq = await sync.stamp('escrows', [row.client_id, row.freelancer_id]);
      const updated = await sync.trx
        .updateTable('escrows')
        .set({
          status: 'submitted',
          submitted_at: new Date(now).toISOString(),
          review_deadline: new Date(now + this.settings.reviewDays * dayMs).toISOString(),
          seq,
          updated_at: new Date(now).toISOString(),
        })
        .where('id', '=', row.id)
        .where('status', '=', 'funded')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0)
        throw conflict('The escrow changed meanwhile; reload it.');
      await setMilestoneStatus(sync, row, 'submitted');
      await recordActorAudit(sync.trx, actor, 'escrow.submitted', {
        escrowId: row.id,
        contractId: row.contract_id,
        milestoneId: row.milestone_id,
      });
    });
    return presentEscrow(this.db.kysely, row.id);
  }

  async release(
    auth: AuthContext,
    id: string,
    body: ReleaseEscrowBody,
    actor: AuditActor,
  ): Promise<EscrowDocument> {
    const { row, role } = await escrowForCaller(this.db.kysely, auth, id, { admins: false });
    if (role !== 'client') throw problems.forbidden('Only the contract’s client releases escrow.');
    if (body.currency !== undefined && body.currency !== row.currency) {
      throw amountProblem('/currency', `The escrow holds ${row.currency}, not ${body.currency}.`);
    }
    if (row.status === 'disputed') {
      throw conflict('The escrow is disputed: nothing moves until the dispute is resolved.');
    }
    if (row.status !== 'funded' && row.status !== 'submitted') {
      throw conflict(`The escrow is ${row.status}; only funded or submitted escrow is released.`, {
        allowed: ['funded', 'submitted'],
      });
    }
    const held = heldOf(row);
    let amount = body.amountMinor;
    if (amount === undefined) {
      amount =
        row.week === null
          ? held
          : // The approved time not yet paid for, capped at what is held.
            Math.min(
              held,
              (await weekTimeAmount(this.db.kysely, row.contract_id, row.week, 'approved')) -
                row.released_minor,
            );
      if (amount <= 0) {
        throw conflict(
          row.week === null
            ? 'Nothing is held in this escrow.'
            : `No approved time in ${row.week} is left to release; approve the week's time or name an amountMinor.`,
        );
      }
    }
    if (amount > held) {
      throw conflict(
        `Only ${held} (minor units of ${row.currency}) is held in this escrow; ${amount} cannot be released.`,
        { heldMinor: held },
      );
    }
    await releaseEscrow(this.writes, this.settings, row, amount, `release/${randomUUID()}`, actor);
    // After commit: the net goes to the freelancer's payout account if it can receive.
    await this.transfers.afterRelease(row.freelancer_id);
    return presentEscrow(this.db.kysely, row.id);
  }

  // --- Reads ---

  async get(auth: AuthContext, id: string): Promise<EscrowDocument> {
    const { row } = await escrowForCaller(this.db.kysely, auth, id, { admins: true });
    return presentEscrow(this.db.kysely, row.id);
  }

  async listForContract(auth: AuthContext, contractId: string): Promise<EscrowDocument[]> {
    const db = this.db.kysely;
    const contract = await db
      .selectFrom('contracts')
      .select(['client_id', 'freelancer_id'])
      .where('id', '=', contractId)
      .executeTakeFirst();
    const party =
      contract && (contract.client_id === auth.userId || contract.freelancer_id === auth.userId);
    if (!party && auth.role !== 'admin') {
      throw problems.notFound('There is no such contract, or you are not a party to it.');
    }
    const rows = await db
      .selectFrom('escrows')
      .selectAll()
      .where('contract_id', '=', contractId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const documents = await escrowDocuments(db, rows);
    return documents.map(({ _deleted: _, ...document }) => document);
  }
}

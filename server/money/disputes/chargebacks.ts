import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { automaticActor, recordActorAudit } from '../../audit/audit-log.ts';
import { notify } from '../../notifications/notify.ts';
import type { SyncWriteContext } from '../../sync/write-context.ts';
import { postTransaction } from '../ledger/ledger.ts';
import type { WebhookContext, WebhookHandler } from '../webhooks/webhook-handlers.ts';
import {
  currentEscrow,
  heldOf,
  movableStatuses,
  rejectWaitingRefunds,
  setMilestoneStatus,
  settledMilestoneStatus,
  stampEscrow,
  type EscrowRow,
} from '../refunds/escrow-state.ts';
import { chargebackLostPosting } from './chargeback-postings.ts';

/**
 * Chargebacks: the card holder's bank disputes a payment that funded an escrow.
 *
 * - `charge.dispute.created` opens a chargeback dispute on the escrow and freezes it.
 * - `charge.dispute.closed` ends it: `lost` means the bank took the money back (booked out of
 *   escrow, see chargebackLostPosting) and the escrow settles; anything else (`won`,
 *   `warning_closed`) unfreezes it as it was.
 *
 * Delivery may be duplicated or reordered. The endpoint records each event once; on top of
 * that the dispute row is keyed by the provider's dispute id, so a `closed` that arrives
 * first opens and closes in one go, and the late `created` then finds it and does nothing.
 */

interface DisputeEvent {
  providerDisputeId: string;
  providerPaymentId: string | null;
  amountMinor: number;
  currency: string;
  status: string;
  reason: string;
}

function disputeOf(event: Stripe.Event): DisputeEvent {
  const dispute = event.data.object as Stripe.Dispute;
  const intent = dispute.payment_intent;
  return {
    providerDisputeId: dispute.id,
    providerPaymentId: typeof intent === 'string' ? intent : (intent?.id ?? null),
    amountMinor: dispute.amount,
    currency: dispute.currency.toUpperCase(),
    status: dispute.status,
    reason: dispute.reason,
  };
}

async function escrowOfPayment(sync: SyncWriteContext, providerPaymentId: string | null) {
  if (providerPaymentId === null) return null;
  const payment = await sync.trx
    .selectFrom('payments')
    .select(['escrow_id', 'rail'])
    .where('rail', '=', 'stripe')
    .where('provider_payment_id', '=', providerPaymentId)
    .executeTakeFirst();
  if (!payment) return null;
  const escrow = await sync.trx
    .selectFrom('escrows')
    .selectAll()
    .where('id', '=', payment.escrow_id)
    .executeTakeFirstOrThrow();
  return { escrow, rail: payment.rail };
}

const link = (row: EscrowRow) => `/contracts/${row.contract_id}`;

async function tellBoth(sync: SyncWriteContext, row: EscrowRow, title: string, body: string) {
  for (const userId of [row.client_id, row.freelancer_id]) {
    await notify(sync, { userId, kind: 'money-activity', title, body, link: link(row) });
  }
}

/** Opens the chargeback dispute unless it exists; returns its row id. */
async function openChargeback(
  sync: SyncWriteContext,
  seen: EscrowRow,
  dispute: DisputeEvent,
): Promise<{ id: string; status: 'open' | 'resolved'; created: boolean }> {
  const existing = await sync.trx
    .selectFrom('escrow_disputes')
    .select(['id', 'status'])
    .where('provider_dispute_id', '=', dispute.providerDisputeId)
    .executeTakeFirst();
  if (existing) return { ...existing, created: false };
  await stampEscrow(sync, seen);
  const row = await currentEscrow(sync, seen.id);
  const now = new Date().toISOString();
  // A party's open dispute gives way: the bank's decision overrides the platform's.
  await sync.trx
    .updateTable('escrow_disputes')
    .set({ status: 'resolved', resolved_at: now })
    .where('escrow_id', '=', row.id)
    .where('status', '=', 'open')
    .execute();
  const id = randomUUID();
  await sync.trx
    .insertInto('escrow_disputes')
    .values({
      id,
      escrow_id: row.id,
      source: 'chargeback',
      opened_by: null,
      reason: `The card holder’s bank disputes the payment (${dispute.reason}).`,
      status: 'open',
      outcome: null,
      resolved_by: null,
      provider_dispute_id: dispute.providerDisputeId,
      opened_at: now,
      resolved_at: null,
    })
    .execute();
  // Only held money can be frozen; a settled escrow stays settled and records the dispute.
  if (movableStatuses.includes(row.status)) {
    await sync.trx
      .updateTable('escrows')
      .set({ status: 'disputed' })
      .where('id', '=', row.id)
      .execute();
    await setMilestoneStatus(sync, row, 'disputed');
  }
  await recordActorAudit(sync.trx, automaticActor, 'chargeback.opened', {
    disputeId: id,
    escrowId: row.id,
    contractId: row.contract_id,
    providerDisputeId: dispute.providerDisputeId,
    amountMinor: dispute.amountMinor,
    currency: dispute.currency,
    reason: dispute.reason,
  });
  await tellBoth(
    sync,
    row,
    'Chargeback opened',
    `The client’s bank disputes the payment of ${dispute.amountMinor} minor units of ${dispute.currency}. The escrow is frozen until the bank decides.`,
  );
  return { id, status: 'open', created: true };
}

async function closeChargeback(
  sync: SyncWriteContext,
  seen: EscrowRow,
  rail: string,
  disputeRowId: string,
  dispute: DisputeEvent,
): Promise<void> {
  await stampEscrow(sync, seen);
  const row = await currentEscrow(sync, seen.id);
  const now = new Date().toISOString();
  const unfrozen = row.submitted_at ? 'submitted' : 'funded';
  if (dispute.status !== 'lost') {
    await sync.trx
      .updateTable('escrow_disputes')
      .set({ status: 'resolved', resolved_at: now })
      .where('id', '=', disputeRowId)
      .execute();
    if (row.status === 'disputed') {
      const back = heldOf(row) > 0 ? unfrozen : 'settled';
      await sync.trx
        .updateTable('escrows')
        .set({ status: back })
        .where('id', '=', row.id)
        .execute();
      await setMilestoneStatus(
        sync,
        row,
        back === 'settled' ? settledMilestoneStatus(row.released_minor) : back,
      );
    }
    await recordActorAudit(sync.trx, automaticActor, 'chargeback.closed', {
      disputeId: disputeRowId,
      escrowId: row.id,
      providerDisputeId: dispute.providerDisputeId,
      status: dispute.status,
      amountMinor: dispute.amountMinor,
      currency: dispute.currency,
    });
    await tellBoth(
      sync,
      row,
      'Chargeback won',
      'The bank decided the payment stands. The escrow is active again.',
    );
    return;
  }
  const taken = dispute.amountMinor;
  const fromEscrow = dispute.currency === row.currency ? Math.min(heldOf(row), taken) : 0;
  const shortfall = taken - fromEscrow;
  if (taken > 0) {
    await postTransaction(
      sync.trx,
      chargebackLostPosting({
        providerDisputeId: dispute.providerDisputeId,
        contractId: row.contract_id,
        rail,
        currency: dispute.currency,
        fromEscrowMinor: fromEscrow,
        shortfallMinor: shortfall,
      }),
    );
  }
  // What the bank took back from escrow went to the client: it counts as refunded.
  await sync.trx
    .updateTable('escrows')
    .set((eb) => ({ refunded_minor: eb('refunded_minor', '+', fromEscrow), status: 'settled' }))
    .where('id', '=', row.id)
    .execute();
  await sync.trx
    .updateTable('escrow_disputes')
    .set({ status: 'resolved', outcome: 'refund', refunded_minor: fromEscrow, resolved_at: now })
    .where('id', '=', disputeRowId)
    .execute();
  await rejectWaitingRefunds(sync, row.id, null, automaticActor);
  await recordActorAudit(sync.trx, automaticActor, 'chargeback.closed', {
    disputeId: disputeRowId,
    escrowId: row.id,
    providerDisputeId: dispute.providerDisputeId,
    status: dispute.status,
    amountMinor: taken,
    fromEscrowMinor: fromEscrow,
    shortfallMinor: shortfall,
    currency: dispute.currency,
  });
  await setMilestoneStatus(sync, row, settledMilestoneStatus(row.released_minor));
  await tellBoth(
    sync,
    row,
    'Chargeback lost',
    `The bank returned ${taken} minor units of ${dispute.currency} to the client’s card; ${fromEscrow} came out of escrow. The escrow is settled.`,
  );
}

const created: WebhookHandler = async (context: WebhookContext) => {
  const dispute = disputeOf(context.event);
  await context.applyOnce(async (sync) => {
    const found = await escrowOfPayment(sync, dispute.providerPaymentId);
    if (!found) return;
    await openChargeback(sync, found.escrow, dispute);
  });
};

const closed: WebhookHandler = async (context: WebhookContext) => {
  const dispute = disputeOf(context.event);
  await context.applyOnce(async (sync) => {
    const found = await escrowOfPayment(sync, dispute.providerPaymentId);
    if (!found) return;
    // Closed before created was seen: open it first, then close.
    const opened = await openChargeback(sync, found.escrow, dispute);
    if (opened.status === 'resolved') return;
    const escrow = await currentEscrow(sync, found.escrow.id);
    await closeChargeback(sync, escrow, found.rail, opened.id, dispute);
  });
};

/** For the webhook registry: event type → handler. */
export const chargebackWebhookHandlers: ReadonlyArray<readonly [string, WebhookHandler]> = [
  ['charge.dispute.created', created],
  ['charge.dispute.closed', closed],
];

import { automaticActor, recordActorAudit, type AuditActor } from '../../audit/audit-log.ts';
import type { EscrowsTable } from '../../db/schema.ts';
import { notify } from '../../notifications/notify.ts';
import type { SyncWriteContext } from '../../sync/write-context.ts';
import { refundReversalPosting } from '../escrow/escrow-postings.ts';
import { postTransaction } from '../ledger/ledger.ts';
import type { RailRefund } from '../rails/payment-rail.ts';
import {
  currentEscrow,
  fundingPayment,
  heldOf,
  movableStatuses,
  setMilestoneStatus,
  settledMilestoneStatus,
  stampEscrow,
  type EscrowRow,
} from './escrow-state.ts';

const link = (row: EscrowRow) => `/contracts/${row.contract_id}`;

/**
 * Records what the provider said about a `processing` refund, inside the caller's synced
 * transaction: right after approval, or later from a webhook (a refund the provider first
 * reported pending, or one whose answer was lost to an outage). Success settles the escrow
 * when it holds nothing more; failure puts the reserved money back (a reversal posting);
 * pending only remembers the provider's id. Only a `processing` refund moves, so a repeated
 * or late word changes nothing. `actor`: who approved (the rail answered at once), or the
 * server itself for a webhook.
 */
export async function settleRefund(
  sync: SyncWriteContext,
  escrow: Pick<EscrowsTable, 'id' | 'client_id' | 'freelancer_id'>,
  refundId: string,
  outcome: Pick<RailRefund, 'id' | 'status' | 'failureMessage'>,
  actor: AuditActor = automaticActor,
): Promise<void> {
  // Stamp (and so lock the escrow) first; then the refund's status is read under it.
  await stampEscrow(sync, escrow);
  const refund = await sync.trx
    .selectFrom('refunds')
    .selectAll()
    .where('id', '=', refundId)
    .executeTakeFirstOrThrow();
  if (refund.status !== 'processing') return;
  const row = await currentEscrow(sync, refund.escrow_id);
  const now = new Date().toISOString();
  const providerRefundId = outcome.id === '' ? refund.provider_refund_id : outcome.id;
  if (outcome.status === 'pending') {
    await sync.trx
      .updateTable('refunds')
      .set({ provider_refund_id: providerRefundId, updated_at: now })
      .where('id', '=', refundId)
      .execute();
    return;
  }
  const parties = [row.client_id, row.freelancer_id];
  if (outcome.status === 'succeeded') {
    await sync.trx
      .updateTable('refunds')
      .set({ status: 'succeeded', provider_refund_id: providerRefundId, updated_at: now })
      .where('id', '=', refundId)
      .execute();
    await settleIfEmpty(sync, row);
    await recordActorAudit(sync.trx, actor, 'refund.succeeded', {
      refundId,
      escrowId: row.id,
      amountMinor: refund.amount_minor,
      currency: row.currency,
      providerRefundId,
    });
    for (const userId of parties) {
      await notify(sync, {
        userId,
        kind: 'money-activity',
        title: 'Refund completed',
        body: `${refund.amount_minor} minor units of ${row.currency} were refunded to the client’s card.`,
        link: link(row),
      });
    }
    return;
  }
  const message = (outcome.failureMessage ?? 'The payment provider refused the refund.').slice(
    0,
    500,
  );
  await sync.trx
    .updateTable('refunds')
    .set({
      status: 'failed',
      failure_message: message,
      provider_refund_id: providerRefundId,
      updated_at: now,
    })
    .where('id', '=', refundId)
    .execute();
  // The reservation goes back into escrow: net, a failed refund moves nothing.
  await sync.trx
    .updateTable('escrows')
    .set((eb) => ({ refunded_minor: eb('refunded_minor', '-', refund.amount_minor) }))
    .where('id', '=', row.id)
    .execute();
  const payment = await fundingPayment(sync.trx, row.id);
  await postTransaction(
    sync.trx,
    refundReversalPosting({
      refundId,
      contractId: row.contract_id,
      rail: payment?.rail ?? 'stripe',
      currency: row.currency,
      amountMinor: refund.amount_minor,
    }),
  );
  await recordActorAudit(sync.trx, actor, 'refund.failed', {
    refundId,
    escrowId: row.id,
    amountMinor: refund.amount_minor,
    currency: row.currency,
    failureMessage: message,
  });
  for (const userId of parties) {
    await notify(sync, {
      userId,
      kind: 'money-activity',
      title: 'Refund failed',
      body: `The refund of ${refund.amount_minor} minor units of ${row.currency} failed: ${message} The money stays in escrow.`,
      link: link(row),
    });
  }
}

/** An escrow that holds nothing and has no refund in flight is settled. */
async function settleIfEmpty(sync: SyncWriteContext, row: EscrowRow): Promise<void> {
  if (heldOf(row) !== 0 || !movableStatuses.includes(row.status)) return;
  const inFlight = await sync.trx
    .selectFrom('refunds')
    .select('id')
    .where('escrow_id', '=', row.id)
    .where('status', '=', 'processing')
    .executeTakeFirst();
  if (inFlight) return;
  await sync.trx
    .updateTable('escrows')
    .set({ status: 'settled' })
    .where('id', '=', row.id)
    .where('status', 'in', movableStatuses)
    .execute();
  await setMilestoneStatus(sync, row, settledMilestoneStatus(row.released_minor));
}

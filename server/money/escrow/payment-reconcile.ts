import { formatMoney } from '../../../shared/money/money.ts';
import { automaticActor, recordActorAudit, type AuditActor } from '../../audit/audit-log.ts';
import { notify } from '../../notifications/notify.ts';
import type { SyncWriteContext } from '../../sync/write-context.ts';
import { postTransaction } from '../ledger/ledger.ts';
import type { RailPayment } from '../rails/payment-rail.ts';
import { setMilestoneStatus, stampEscrow } from '../refunds/escrow-state.ts';
import { fundPosting } from './escrow-postings.ts';

export type ReconcileOutcome = 'succeeded' | 'failed' | 'processing' | 'unchanged';

/**
 * Brings our payments row (and its escrow) to the provider's state of the payment, inside
 * the caller's synced transaction. Idempotent and order-tolerant: called from the funding
 * command and from every webhook delivery, in any order, it books the money once (ledger
 * reference = the payments row's id) and never undoes a success; a late "processing" or
 * "failed" for a payment already settled changes nothing. `actor`: the client's funding
 * command, or the server itself for a webhook; audited only when the payment's state changes.
 */
export async function reconcilePayment(
  sync: SyncWriteContext,
  paymentRowId: string,
  railPayment: Pick<RailPayment, 'status' | 'providerFeeMinor' | 'failureMessage'> & {
    id: string | null;
  },
  actor: AuditActor = automaticActor,
): Promise<ReconcileOutcome> {
  const { trx } = sync;
  const payment = await trx
    .selectFrom('payments')
    .selectAll()
    .where('id', '=', paymentRowId)
    .executeTakeFirst();
  if (!payment) throw new Error(`no payments row ${paymentRowId}`);
  if (payment.status === 'succeeded') return 'unchanged';
  const now = new Date().toISOString();
  const providerPaymentId = payment.provider_payment_id ?? railPayment.id;

  if (railPayment.status === 'succeeded') {
    // Compare-and-set: of two racing reconciliations only one turns it to succeeded.
    const updated = await trx
      .updateTable('payments')
      .set({
        status: 'succeeded',
        provider_payment_id: providerPaymentId,
        provider_fee_minor: railPayment.providerFeeMinor ?? 0,
        failure_message: null,
        updated_at: now,
      })
      .where('id', '=', payment.id)
      .where('status', '!=', 'succeeded')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return 'unchanged';
    const escrow = await trx
      .selectFrom('escrows')
      .selectAll()
      .where('id', '=', payment.escrow_id)
      .executeTakeFirstOrThrow();
    const providerFee = railPayment.providerFeeMinor ?? 0;
    const posted = await postTransaction(
      trx,
      fundPosting({
        paymentId: payment.id,
        contractId: escrow.contract_id,
        rail: payment.rail,
        currency: payment.currency,
        amountMinor: payment.amount_minor,
        providerFeeMinor: providerFee,
      }),
    );
    await trx
      .insertInto('transaction_fees')
      .values({
        ledger_transaction_id: posted.id,
        escrow_id: escrow.id,
        currency: payment.currency,
        gross_minor: payment.amount_minor,
        platform_fee_minor: 0,
        provider_fee_minor: providerFee,
        // The whole payment is held for the client; the provider's fee is the platform's cost.
        net_minor: payment.amount_minor,
        created_at: now,
      })
      .execute();
    const waiting = escrow.status === 'awaiting_payment' || escrow.status === 'payment_failed';
    await stampEscrow(sync, escrow, {
      funded_minor: escrow.funded_minor + payment.amount_minor,
      ...(waiting ? { status: 'funded' as const } : {}),
    });
    if (waiting) await setMilestoneStatus(sync, escrow, 'funded');
    await recordActorAudit(trx, actor, 'escrow.funded', {
      escrowId: escrow.id,
      contractId: escrow.contract_id,
      clientId: escrow.client_id,
      paymentId: payment.id,
      providerPaymentId,
      amountMinor: payment.amount_minor,
      currency: payment.currency,
      providerFeeMinor: providerFee,
    });
    return 'succeeded';
  }

  if (railPayment.status === 'failed') {
    if (payment.status === 'failed') return 'unchanged';
    const message = (railPayment.failureMessage ?? 'The payment failed.').slice(0, 500);
    await trx
      .updateTable('payments')
      .set({
        status: 'failed',
        provider_payment_id: providerPaymentId,
        failure_message: message,
        updated_at: now,
      })
      .where('id', '=', payment.id)
      .execute();
    const escrow = await trx
      .selectFrom('escrows')
      .selectAll()
      .where('id', '=', payment.escrow_id)
      .executeTakeFirstOrThrow();
    // Only the escrow's current attempt decides its status.
    const latest = await trx
      .selectFrom('payments')
      .select('id')
      .where('escrow_id', '=', escrow.id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const current = escrow.status === 'awaiting_payment' && latest?.id === payment.id;
    await stampEscrow(sync, escrow, current ? { status: 'payment_failed' } : {});
    await recordActorAudit(trx, actor, 'escrow.payment_failed', {
      escrowId: escrow.id,
      contractId: escrow.contract_id,
      clientId: escrow.client_id,
      paymentId: payment.id,
      amountMinor: payment.amount_minor,
      currency: payment.currency,
      failureMessage: message,
    });
    await notify(sync, {
      userId: escrow.client_id,
      kind: 'money-activity',
      title: 'Payment failed',
      body: `Funding ${formatMoney({ amountMinor: payment.amount_minor, currency: payment.currency })} into escrow failed: ${message}`,
      link: `/contracts/${escrow.contract_id}`,
    });
    return 'failed';
  }

  // Still processing (or waiting for the payer): note it; a webhook finishes it.
  if (payment.status === 'failed') return 'unchanged';
  await trx
    .updateTable('payments')
    .set({ status: railPayment.status, provider_payment_id: providerPaymentId, updated_at: now })
    .where('id', '=', payment.id)
    .execute();
  const escrow = await trx
    .selectFrom('escrows')
    .select(['id', 'client_id', 'freelancer_id'])
    .where('id', '=', payment.escrow_id)
    .executeTakeFirstOrThrow();
  await stampEscrow(sync, escrow);
  return 'processing';
}

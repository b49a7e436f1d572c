import type { Kysely, Selectable } from 'kysely';
import type { WireDocument } from '../../../shared/sync/documents.ts';
import { sameDocument } from '../../../shared/sync/merge.ts';
import type {
  Database,
  EscrowDisputesTable,
  EscrowsTable,
  PaymentsTable,
  RefundsTable,
} from '../../db/schema.ts';
import { neverWrittenByDevices, refuseDeviceWrite, type SyncSpec } from '../spec.ts';

type Escrow = WireDocument<'escrows'>;
type EscrowRow = Selectable<EscrowsTable>;

/**
 * Escrows, seen by their contract's two parties and written only by the server (the escrow,
 * refund and dispute commands, webhooks, the auto-release sweep). One document holds the
 * escrow with its latest payment, its refunds and its latest dispute: whoever changes any of
 * those rows stamps the escrow row (new `seq`, `updated_at`) in the same transaction, so the
 * change reaches devices.
 */
export const escrowParties = (row: { client_id: string; freelancer_id: string }): string[] => [
  row.client_id,
  row.freelancer_id,
];

function paymentOf(row: Selectable<PaymentsTable>): Escrow['payment'] {
  return {
    status: row.status,
    rail: row.rail,
    amountMinor: row.amount_minor,
    providerFeeMinor: row.provider_fee_minor,
    failureMessage: row.failure_message,
    updatedAt: row.updated_at,
  };
}

export function refundOf(row: Selectable<RefundsTable>): Escrow['refunds'][number] {
  return {
    id: row.id,
    amountMinor: row.amount_minor,
    reason: row.reason,
    requestedBy: row.requested_by,
    status: row.status,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    failureMessage: row.failure_message,
    createdAt: row.created_at,
  };
}

export function disputeOf(row: Selectable<EscrowDisputesTable>): NonNullable<Escrow['dispute']> {
  return {
    id: row.id,
    source: row.source,
    openedBy: row.opened_by,
    reason: row.reason,
    status: row.status,
    outcome: row.outcome,
    releasedMinor: row.released_minor,
    refundedMinor: row.refunded_minor,
    openedAt: row.opened_at,
    resolvedAt: row.resolved_at,
  };
}

/** Escrow rows as documents, with what hangs off them read in three queries for the batch. */
export async function escrowDocuments(db: Kysely<Database>, rows: EscrowRow[]): Promise<Escrow[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [payments, refunds, disputes] = await Promise.all([
    db
      .selectFrom('payments')
      .selectAll()
      .where('escrow_id', 'in', ids)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('refunds')
      .selectAll()
      .where('escrow_id', 'in', ids)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('escrow_disputes')
      .selectAll()
      .where('escrow_id', 'in', ids)
      .orderBy('opened_at')
      .orderBy('id')
      .execute(),
  ]);
  // Ordered oldest first: the last one seen per escrow is its latest.
  const latestPayment = new Map(payments.map((row) => [row.escrow_id, row]));
  const latestDispute = new Map(disputes.map((row) => [row.escrow_id, row]));
  return rows.map((row) => {
    const payment = latestPayment.get(row.id);
    const dispute = latestDispute.get(row.id);
    const released = row.released_minor;
    return {
      id: row.id,
      updatedAt: row.updated_at,
      contractId: row.contract_id,
      clientId: row.client_id,
      freelancerId: row.freelancer_id,
      milestoneId: row.milestone_id,
      week: row.week,
      currency: row.currency,
      amountMinor: row.amount_minor,
      fundedMinor: row.funded_minor,
      releasedMinor: released,
      refundedMinor: row.refunded_minor,
      heldMinor: row.funded_minor - released - row.refunded_minor,
      platformFeeMinor: row.platform_fee_minor,
      freelancerNetMinor: released - row.platform_fee_minor,
      status: row.status,
      payment: payment ? paymentOf(payment) : null,
      submittedAt: row.submitted_at,
      reviewDeadline: row.review_deadline,
      refunds: refunds.filter((refund) => refund.escrow_id === row.id).map(refundOf),
      dispute: dispute ? disputeOf(dispute) : null,
      createdAt: row.created_at,
      _deleted: false,
    };
  });
}

/** One escrow's document, or null. Works inside a transaction too (pass `trx`). */
export async function findEscrowDocument(db: Kysely<Database>, id: string): Promise<Escrow | null> {
  const row = await db.selectFrom('escrows').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const [document] = await escrowDocuments(db, [row]);
  return document ?? null;
}

export const escrowsSpec: SyncSpec<'escrows'> = {
  collection: 'escrows',
  find: findEscrowDocument,
  async pull(db, userId, afterSeq, limit) {
    const rows = await db
      .selectFrom('escrows')
      .selectAll()
      .where((eb) => eb.or([eb('client_id', '=', userId), eb('freelancer_id', '=', userId)]))
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    const documents = await escrowDocuments(db, rows);
    return rows.flatMap((row, index) => {
      const document = documents[index];
      return document ? [{ seq: row.seq, document }] : [];
    });
  },
  canSee: (_db, userId, document) =>
    Promise.resolve(document.clientId === userId || document.freelancerId === userId),
  authorize: (_db, _user, incoming, existing) =>
    Promise.resolve(
      refuseDeviceWrite(incoming, existing, sameDocument, {
        create: 'escrows are created by the server when a client funds a milestone or a week',
        change: 'is set by the server; escrows change only through the money commands',
      }),
    ),
  write: neverWrittenByDevices('escrows'),
  audience: (_db, document) => Promise.resolve([document.clientId, document.freelancerId]),
};

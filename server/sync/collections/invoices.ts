import type { Kysely, Selectable } from 'kysely';
import type { InvoiceLine } from '../../../shared/money/invoices.ts';
import type { WireDocument } from '../../../shared/sync/documents.ts';
import { sameDocument } from '../../../shared/sync/merge.ts';
import type { Database, InvoicesTable } from '../../db/schema.ts';
import { neverWrittenByDevices, refuseDeviceWrite, pullPage, type SyncSpec } from '../spec.ts';

type Invoice = WireDocument<'invoices'>;

export function invoiceFromRow(row: Selectable<InvoicesTable>): Invoice {
  return {
    id: row.id,
    updatedAt: row.updated_at,
    issuerId: row.issuer_id,
    issuerName: row.issuer_name,
    recipientId: row.recipient_id,
    recipientName: row.recipient_name,
    contractId: row.contract_id,
    contractTitle: row.contract_title,
    number: row.number,
    sequence: row.sequence === null ? null : Number(row.sequence),
    source: {
      kind: row.source_kind,
      week: row.source_week,
      milestoneId: row.source_milestone_id,
    },
    lines: JSON.parse(row.lines) as InvoiceLine[],
    taxRateBps: Number(row.tax_rate_bps),
    currency: row.currency,
    subtotalMinor: Number(row.subtotal_minor),
    taxMinor: Number(row.tax_minor),
    totalMinor: Number(row.total_minor),
    issueDate: row.issue_date,
    dueDate: row.due_date,
    status: row.status,
    notes: row.notes,
    sentAt: row.sent_at,
    paidAt: row.paid_at,
    voidedAt: row.voided_at,
    createdAt: row.created_at,
    _deleted: false,
  };
}

/** Who sees an invoice: its issuer and its recipient. */
export const invoiceAudience = (invoice: { issuerId: string; recipientId: string }): string[] => [
  invoice.issuerId,
  invoice.recipientId,
];

/**
 * Invoices, seen by issuer and recipient and written only by the server (the invoice
 * commands in server/money/invoices/): numbering must be gapless per issuer, which only the
 * server's counter can promise, so devices read them (offline too) and never push them.
 */
export const invoicesSpec: SyncSpec<'invoices'> = {
  collection: 'invoices',
  async find(db, id) {
    const row = await db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? invoiceFromRow(row) : null;
  },
  pull: (db: Kysely<Database>, userId, afterSeq, limit) =>
    pullPage(
      db
        .selectFrom('invoices')
        .selectAll()
        .where((eb) => eb.or([eb('issuer_id', '=', userId), eb('recipient_id', '=', userId)])),
      'seq',
      afterSeq,
      limit,
      invoiceFromRow,
    ),
  canSee: (_db, userId, document) => Promise.resolve(invoiceAudience(document).includes(userId)),
  authorize: (_db, _user, incoming, existing) =>
    Promise.resolve(
      refuseDeviceWrite(incoming, existing, sameDocument, {
        create: 'invoices are created by the server (POST /api/v1/invoices)',
        change: 'is set by the server; invoices change only through the invoice commands',
      }),
    ),
  write: neverWrittenByDevices('invoices'),
  audience: (_db, document) => Promise.resolve(invoiceAudience(document)),
};

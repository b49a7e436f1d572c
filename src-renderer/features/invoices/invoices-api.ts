import {
  invoiceDocumentSchema,
  type CreateInvoiceInput,
  type InvoiceDocument,
  type InvoiceStatus,
  type UpdateInvoiceInput,
} from '../../../shared/money/invoices.ts';
import { idempotencyKeyHeader } from '../../../shared/money/escrow-commands.ts';
import { api } from '../session/api.ts';

/**
 * Invoices change only through the server's commands (it numbers them); the changed invoice
 * reaches both parties' devices through sync. Creating and moving one carries the
 * `Idempotency-Key` of the intent (see money/idempotency.ts): a retried send never takes a
 * second number.
 */
const id = encodeURIComponent;

export const createInvoice = (input: CreateInvoiceInput, key: string): Promise<InvoiceDocument> =>
  api.json('POST', '/invoices', invoiceDocumentSchema, input, { [idempotencyKeyHeader]: key });

export const updateInvoice = (
  invoiceId: string,
  input: UpdateInvoiceInput,
): Promise<InvoiceDocument> =>
  api.json('PATCH', `/invoices/${id(invoiceId)}`, invoiceDocumentSchema, input);

export const moveInvoice = (
  invoiceId: string,
  to: InvoiceStatus,
  key: string,
): Promise<InvoiceDocument> =>
  api.json(
    'POST',
    `/invoices/${id(invoiceId)}/transition`,
    invoiceDocumentSchema,
    { to },
    { [idempotencyKeyHeader]: key },
  );

/** The invoice's PDF, rendered by the server, fetched with the bearer token. */
export async function invoicePdf(invoiceId: string): Promise<Blob> {
  const response = await api.bytes('GET', `/invoices/${id(invoiceId)}/pdf`);
  return new Blob([await response.arrayBuffer()], { type: 'application/pdf' });
}

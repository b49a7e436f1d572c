import { z } from 'zod';
import { instantSchema } from '../api/time.ts';
import { currencySchema } from './money.ts';

/**
 * Invoices: a freelancer (issuer) bills a client (recipient) for a contract's approved week of
 * hours, a released milestone, or lines written by hand. All amounts are minor units of the
 * contract's currency.
 *
 * Deviation from ARCHITECTURE.md ("device-owned invoices"): invoices are written by the
 * server and synced read-only to both parties, because gapless numbering per issuer needs one
 * counter that only the server can hold. Devices still read them offline; they change them
 * only through the REST commands (`/api/v1/invoices`).
 */

const id = z.uuid();
const minor = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
/** A calendar date, `YYYY-MM-DD`. */
const date = z.iso.date();

export const invoiceStatuses = ['draft', 'sent', 'paid', 'overdue', 'void'] as const;
export const invoiceStatusSchema = z.enum(invoiceStatuses);
export type InvoiceStatus = z.infer<typeof invoiceStatusSchema>;

/**
 * The lifecycle. `sent` assigns the number; `overdue` is set by the server's sweep once the
 * due date has passed (never by a command); paid and void are final, and a void invoice keeps
 * its number so the sequence stays gapless.
 */
export const invoiceTransitions: Record<InvoiceStatus, readonly InvoiceStatus[]> = {
  draft: ['sent', 'void'],
  sent: ['paid', 'overdue', 'void'],
  overdue: ['paid', 'void'],
  paid: [],
  void: [],
};

/** What an invoice bills: a week (its Monday, UTC, as time reviews name it), a milestone, or lines by hand. */
export const invoiceSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('week'),
      week: date.refine(
        (day) => new Date(`${day}T00:00:00.000Z`).getUTCDay() === 1,
        'must be a Monday (YYYY-MM-DD): weeks are named by their Monday, UTC',
      ),
    })
    .strict(),
  z.object({ kind: z.literal('milestone'), milestoneId: id }).strict(),
  z.object({ kind: z.literal('manual') }).strict(),
]);
export type InvoiceSourceInput = z.infer<typeof invoiceSourceSchema>;

/**
 * The source as the document stores it: one flat object (devices' RxDB schemas cannot hold a
 * union), `week` set for a week, `milestoneId` for a milestone, both null by hand.
 */
export const invoiceDocumentSourceSchema = z
  .object({
    kind: z.enum(['week', 'milestone', 'manual']),
    week: date.nullable(),
    milestoneId: id.nullable(),
  })
  .strict();
export type InvoiceSource = z.infer<typeof invoiceDocumentSourceSchema>;

/** Quantities are thousandths (hours to the 3.6 s, items to 0.001). */
export const MAX_QUANTITY_THOUSANDTHS = 1_000_000_000;
export const MAX_UNIT_PRICE_MINOR = 1_000_000_000_000;
export const MAX_LINES = 200;

/**
 * A line as a person writes it; the server computes its amount.
 */
export const invoiceLineInputSchema = z
  .object({
    description: z.string().trim().min(1).max(500),
    quantityThousandths: z.int().min(1).max(MAX_QUANTITY_THOUSANDTHS),
    unitPriceMinor: z.int().min(0).max(MAX_UNIT_PRICE_MINOR),
  })
  .strict()
  .meta({ id: 'InvoiceLineInput' });
export type InvoiceLineInput = z.infer<typeof invoiceLineInputSchema>;

/**
 * A line of an invoice. By hand, `amountMinor` is quantity × unit price rounded half up. For a
 * week of hours it is the sum of that day's approved time entries' billed amounts, exactly as
 * the time module computed them (each entry rounded once), so it can differ from quantity ×
 * price by a minor unit; the amount is what is owed.
 */
export const invoiceLineSchema = z
  .object({
    description: z.string().min(1).max(500),
    quantityThousandths: z.int().min(0).max(MAX_QUANTITY_THOUSANDTHS),
    unitPriceMinor: minor,
    amountMinor: minor,
  })
  .strict();
export type InvoiceLine = z.infer<typeof invoiceLineSchema>;

/** Tax rate in basis points: 2000 is 20 %. */
export const taxRateBpsSchema = z.int().min(0).max(10_000);

export const invoiceShape = {
  id,
  updatedAt: instantSchema,
  /** The freelancer who bills. */
  issuerId: id,
  issuerName: z.string().min(1).max(100),
  /** The client who pays. */
  recipientId: id,
  recipientName: z.string().min(1).max(100),
  contractId: id,
  /** The contract's project title, for showing offline. */
  contractTitle: z.string().min(1).max(200),
  /** `INV-0001`: null while a draft (or a draft voided); assigned when sent, gapless per issuer. */
  number: z.string().max(32).nullable(),
  /** The number's position in the issuer's sequence (1, 2, …); null with the number. */
  sequence: z.int().min(1).nullable(),
  source: invoiceDocumentSourceSchema,
  lines: z.array(invoiceLineSchema).max(MAX_LINES),
  taxRateBps: taxRateBpsSchema,
  currency: currencySchema,
  subtotalMinor: minor,
  taxMinor: minor,
  totalMinor: minor,
  /** The day it was sent; null while a draft. */
  issueDate: date.nullable(),
  dueDate: date,
  status: invoiceStatusSchema,
  notes: z.string().max(2000),
  sentAt: instantSchema.nullable(),
  paidAt: instantSchema.nullable(),
  voidedAt: instantSchema.nullable(),
  createdAt: instantSchema,
};

export const invoiceDocumentSchema = z
  .object(invoiceShape)
  .strict()
  .meta({ id: 'InvoiceDocument' });
export type InvoiceDocument = z.infer<typeof invoiceDocumentSchema>;

/** `POST /api/v1/invoices`: `lines` only by hand; week and milestone lines come from the server. */
export const createInvoiceSchema = z
  .object({
    contractId: id,
    source: invoiceSourceSchema,
    lines: z.array(invoiceLineInputSchema).min(1).max(MAX_LINES).optional(),
    taxRateBps: taxRateBpsSchema.default(0),
    /** Defaults to 14 days after today (UTC). */
    dueDate: date.optional(),
    notes: z.string().max(2000).default(''),
  })
  .strict()
  .superRefine((input, context) => {
    if (input.source.kind === 'manual' && input.lines === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['lines'],
        message: 'an invoice by hand needs at least one line',
      });
    }
    if (input.source.kind !== 'manual' && input.lines !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['lines'],
        message: `the lines of an invoice for a ${input.source.kind} come from it; leave them out`,
      });
    }
  })
  .meta({ id: 'CreateInvoice' });
export type CreateInvoiceInput = z.infer<typeof createInvoiceSchema>;
/** What a client sends (defaults may be left out). */
export type CreateInvoiceRequest = z.input<typeof createInvoiceSchema>;

/** `PATCH /api/v1/invoices/:id`, drafts only. Lines only on invoices by hand. */
export const updateInvoiceSchema = z
  .object({
    lines: z.array(invoiceLineInputSchema).min(1).max(MAX_LINES).optional(),
    taxRateBps: taxRateBpsSchema.optional(),
    dueDate: date.optional(),
    notes: z.string().max(2000).optional(),
  })
  .strict()
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    message: 'change at least one of lines, taxRateBps, dueDate, notes',
  })
  .meta({ id: 'UpdateInvoice' });
export type UpdateInvoiceInput = z.infer<typeof updateInvoiceSchema>;

/** `POST /api/v1/invoices/:id/transition`. */
export const invoiceTransitionSchema = z
  .object({ to: invoiceStatusSchema })
  .strict()
  .meta({ id: 'InvoiceTransition' });
export type InvoiceTransitionInput = z.infer<typeof invoiceTransitionSchema>;

export const invoiceIdParamsSchema = z.object({ id: z.uuid() });

/** The PDF of an invoice: `GET /api/v1/invoices/:id/pdf` (application/pdf). */
export const invoicePdfPath = (invoiceId: string): string => `/invoices/${invoiceId}/pdf`;

/** `GET /api/v1/invoices?status=&role=`: mine, as issuer or recipient. */
export const invoiceListQuerySchema = z.object({
  status: invoiceStatusSchema.optional(),
  role: z.enum(['issuer', 'recipient']).optional(),
});
export type InvoiceListQuery = z.infer<typeof invoiceListQuerySchema>;

export const invoiceListSchema = z
  .object({ invoices: z.array(invoiceDocumentSchema) })
  .meta({ id: 'InvoiceList' });

/** `INV-0001`, `INV-0042`, `INV-12345`. */
export function invoiceNumber(sequence: number): string {
  return `INV-${String(sequence).padStart(4, '0')}`;
}

/** Quantity (thousandths) × unit price, rounded half up once; BigInt so no product overflows. */
export function lineAmount(quantityThousandths: number, unitPriceMinor: number): number {
  const product = BigInt(quantityThousandths) * BigInt(unitPriceMinor);
  const amount = (product + 500n) / 1000n;
  if (amount > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('line amount is too large');
  return Number(amount);
}

/**
 * Subtotal, tax and total: tax is rounded half up once, on the subtotal (never per line), so
 * the same lines always give the same tax whatever their order or number.
 */
export function invoiceTotals(
  lines: ReadonlyArray<{ amountMinor: number }>,
  taxRateBps: number,
): { subtotalMinor: number; taxMinor: number; totalMinor: number } {
  let subtotal = 0n;
  for (const line of lines) subtotal += BigInt(line.amountMinor);
  const tax = (subtotal * BigInt(taxRateBps) + 5_000n) / 10_000n;
  const total = subtotal + tax;
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('invoice total is too large');
  return { subtotalMinor: Number(subtotal), taxMinor: Number(tax), totalMinor: Number(total) };
}

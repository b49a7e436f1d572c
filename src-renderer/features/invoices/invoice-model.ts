import {
  invoiceLineInputSchema,
  invoiceTotals,
  invoiceTransitions,
  lineAmount,
  MAX_QUANTITY_THOUSANDTHS,
  type InvoiceDocument,
  type InvoiceLineInput,
  type InvoiceStatus,
} from '../../../shared/money/invoices.ts';
import { parseAmount } from '../marketplace/money-fields.ts';

/**
 * Invoices as people read them: statuses in words, the moves each side may make, a line
 * editor's text turned into the server's line inputs, and totals to show before saving.
 */

export const invoiceStatusLabels: Record<InvoiceStatus, string> = {
  draft: 'Draft',
  sent: 'Sent',
  paid: 'Paid',
  overdue: 'Overdue',
  void: 'Void',
};

export const invoiceStatusColors: Record<InvoiceStatus, string> = {
  draft: 'gray',
  sent: 'blue',
  paid: 'green',
  overdue: 'red',
  void: 'dark',
};

export type InvoiceMove = { to: InvoiceStatus; label: string; confirm: string | null };

const moveLabels: Partial<Record<InvoiceStatus, Omit<InvoiceMove, 'to'>>> = {
  sent: {
    label: 'Send',
    confirm:
      'Sending gives the invoice its number and shows it to the client. Its lines cannot change afterwards.',
  },
  paid: { label: 'Mark paid', confirm: null },
  void: {
    label: 'Void',
    confirm: 'A void invoice keeps its number but is no longer owed. This cannot be undone.',
  },
};

/**
 * The moves the issuer may make now. `overdue` is the server's own (after the due date), and
 * the recipient makes none: they pay, and the issuer marks it paid.
 */
export function invoiceMoves(invoice: InvoiceDocument, me: string): InvoiceMove[] {
  if (invoice.issuerId !== me) return [];
  return invoiceTransitions[invoice.status].flatMap((to) => {
    const words = moveLabels[to];
    return words ? [{ to, ...words }] : [];
  });
}

/** A line as the editor holds it: what the person typed. */
export type LineDraft = { description: string; quantity: string; unitPrice: string };

export const emptyLine = (): LineDraft => ({ description: '', quantity: '1', unitPrice: '' });

export type LineErrors = Partial<Record<keyof LineDraft, string>>;

/** `1.5` → 1500 thousandths; at most three decimals. */
export function parseQuantity(text: string): number | null {
  const match = /^(\d+)(?:\.(\d{0,3}))?$/.exec(text.trim().replace(/,/g, ''));
  if (!match) return null;
  const thousandths = Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
  return Number.isSafeInteger(thousandths) ? thousandths : null;
}

/** Thousandths back to text: 1500 → `1.5`. */
export function quantityText(thousandths: number): string {
  const whole = Math.floor(thousandths / 1000);
  const fraction = String(thousandths % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/**
 * The editor's lines as the server's inputs, or each line's errors. Checked with the shared
 * schema, so the form refuses what the server would refuse.
 */
export function parseLines(
  drafts: readonly LineDraft[],
  currency: string,
): { ok: true; lines: InvoiceLineInput[] } | { ok: false; errors: LineErrors[] } {
  const lines: InvoiceLineInput[] = [];
  const errors: LineErrors[] = [];
  let failed = drafts.length === 0;
  for (const draft of drafts) {
    const lineErrors: LineErrors = {};
    const quantity = parseQuantity(draft.quantity);
    if (quantity === null || quantity === 0)
      lineErrors.quantity = 'Enter a quantity such as 1 or 2.5';
    else if (quantity > MAX_QUANTITY_THOUSANDTHS)
      lineErrors.quantity = 'That quantity is too large';
    const price = parseAmount(draft.unitPrice, currency);
    if (!price.ok) lineErrors.unitPrice = price.error;
    else if (price.amountMinor === null) lineErrors.unitPrice = 'Enter a price';
    if (draft.description.trim() === '') lineErrors.description = 'Describe the work';
    const candidate = {
      description: draft.description.trim(),
      quantityThousandths: quantity ?? 0,
      unitPriceMinor: price.ok ? (price.amountMinor ?? 0) : 0,
    };
    if (Object.keys(lineErrors).length === 0) {
      const checked = invoiceLineInputSchema.safeParse(candidate);
      if (checked.success) lines.push(checked.data);
      else lineErrors.description = checked.error.issues[0]?.message ?? 'This line is not valid';
    }
    if (Object.keys(lineErrors).length > 0) failed = true;
    errors.push(lineErrors);
  }
  return failed ? { ok: false, errors } : { ok: true, lines };
}

/** Totals of what the editor holds now, skipping lines not yet valid (a preview). */
export function draftTotals(drafts: readonly LineDraft[], currency: string, taxRateBps: number) {
  const amounts = drafts.map((draft) => {
    const quantity = parseQuantity(draft.quantity);
    const price = parseAmount(draft.unitPrice, currency);
    return quantity !== null && price.ok && price.amountMinor !== null
      ? lineAmount(quantity, price.amountMinor)
      : 0;
  });
  return invoiceTotals(
    amounts.map((amountMinor) => ({ amountMinor })),
    taxRateBps,
  );
}

/** `20` or `7.5` (percent) → basis points; null when not a rate. */
export function parseTaxPercent(text: string): number | null {
  const match = /^(\d{1,3})(?:\.(\d{0,2}))?$/.exec(text.trim());
  if (!match) return null;
  const bps = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return bps <= 10_000 ? bps : null;
}

export const taxPercentText = (bps: number): string => (bps / 100).toFixed(2).replace(/\.?0+$/, '');

/** Sums per currency of invoices (a list's totals: never adds different currencies). */
export function totalsByCurrency(invoices: readonly InvoiceDocument[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const invoice of invoices) {
    if (invoice.status === 'void') continue;
    totals.set(invoice.currency, (totals.get(invoice.currency) ?? 0) + invoice.totalMinor);
  }
  return totals;
}

import PDFDocument from 'pdfkit';
import type { InvoiceDocument } from '../../../shared/money/invoices.ts';
import { formatMoney } from '../../../shared/money/money.ts';

/** `2500` thousandths → `2.5`; whole numbers without a point. */
export function formatQuantity(thousandths: number): string {
  const whole = Math.floor(thousandths / 1000);
  const fraction = String(thousandths % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** `2000` basis points → `20%`, `825` → `8.25%`. */
export function formatTaxRate(bps: number): string {
  const whole = Math.floor(bps / 100);
  const fraction = String(bps % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${fraction ? `${whole}.${fraction}` : whole}%`;
}

const statusLabel: Record<InvoiceDocument['status'], string> = {
  draft: 'Draft',
  sent: 'Sent',
  paid: 'Paid',
  overdue: 'Overdue',
  void: 'Void',
};

/** Column x positions and widths on an A4 page with 50 pt margins (495 pt of width). */
const columns = {
  description: { x: 50, width: 235 },
  quantity: { x: 290, width: 60 },
  unitPrice: { x: 355, width: 90 },
  amount: { x: 450, width: 95 },
};

/**
 * The invoice as a printable A4 PDF (pdfkit, built-in Helvetica): parties, number, dates,
 * lines, subtotal, tax and total formatted with `formatMoney`, status, notes. Drafts and void
 * invoices carry a large diagonal mark. The document's dates are the invoice's own, so the
 * same invoice renders to the same bytes.
 */
export function renderInvoicePdf(invoice: InvoiceDocument): Promise<Buffer> {
  const document = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: {
      Title: invoice.number ? `Invoice ${invoice.number}` : 'Draft invoice',
      Author: invoice.issuerName,
      Subject: invoice.contractTitle,
      Creator: 'MegiLance',
      Producer: 'MegiLance',
      CreationDate: new Date(invoice.createdAt),
      ModDate: new Date(invoice.updatedAt),
    },
  });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
  });

  const money = (amountMinor: number) => formatMoney({ amountMinor, currency: invoice.currency });
  const hours = invoice.source.kind === 'week';

  if (invoice.status === 'draft' || invoice.status === 'void') {
    // Behind everything else: the mark must never hide a figure.
    document
      .save()
      .rotate(-35, { origin: [297, 421] })
      .fontSize(120)
      .fillColor('#e6e6e6')
      .text(invoice.status === 'draft' ? 'DRAFT' : 'VOID', 60, 360, {
        width: 480,
        align: 'center',
        lineBreak: false,
      })
      .restore()
      .fillColor('black');
  }

  // Single-line cells skip pdfkit's line wrapper (most of its cost); right-aligned ones are
  // placed by their measured width.
  const cell = (text: string, x: number, y: number) =>
    document.text(text, x, y, { lineBreak: false });
  const right = (text: string, rightEdge: number, y: number) =>
    document.text(text, rightEdge - document.widthOfString(text), y, { lineBreak: false });
  const pageRight = 545;

  document.font('Helvetica-Bold').fontSize(24);
  cell('INVOICE', 50, 50);
  document.font('Helvetica').fontSize(12);
  cell(invoice.number ?? 'Not numbered until sent', 50, 80);
  document.fontSize(10);
  right(`Status: ${statusLabel[invoice.status]}`, pageRight, 55);
  right(`Issue date: ${invoice.issueDate ?? 'not issued yet'}`, pageRight, 70);
  right(`Due date: ${invoice.dueDate}`, pageRight, 85);

  document.font('Helvetica-Bold');
  cell('From', 50, 125);
  cell('Bill to', 300, 125);
  document.font('Helvetica');
  cell(invoice.issuerName, 50, 140);
  cell(invoice.recipientName, 300, 140);
  document.text(`Contract: ${invoice.contractTitle}`, 50, 170, { width: 495 });

  let y = Math.max(205, document.y + 12);
  const rightOf = (column: { x: number; width: number }) => column.x + column.width;
  document.font('Helvetica-Bold');
  cell('Description', columns.description.x, y);
  right(hours ? 'Hours' : 'Qty', rightOf(columns.quantity), y);
  right(hours ? 'Rate' : 'Unit price', rightOf(columns.unitPrice), y);
  right('Amount', rightOf(columns.amount), y);
  y += 16;
  document.moveTo(50, y).lineTo(pageRight, y).stroke();
  y += 6;
  document.font('Helvetica');
  for (const line of invoice.lines) {
    // Measured only near the page's foot: a description (≤ 500 characters) is at most ~150 pt.
    if (
      y + 150 > 700 &&
      y + document.heightOfString(line.description, { width: columns.description.width }) > 700
    ) {
      document.addPage();
      y = 50;
    }
    document.text(line.description, columns.description.x, y, {
      width: columns.description.width,
    });
    const bottom = document.y;
    right(formatQuantity(line.quantityThousandths), rightOf(columns.quantity), y);
    right(money(line.unitPriceMinor), rightOf(columns.unitPrice), y);
    right(money(line.amountMinor), rightOf(columns.amount), y);
    y = Math.max(bottom, y + 12) + 6;
  }
  if (y > 660) {
    document.addPage();
    y = 50;
  }
  document.moveTo(300, y).lineTo(pageRight, y).stroke();
  y += 8;
  const total = (label: string, value: string, bold = false) => {
    document.font(bold ? 'Helvetica-Bold' : 'Helvetica');
    cell(label, 300, y);
    right(value, rightOf(columns.amount), y);
    y += 16;
  };
  total('Subtotal', money(invoice.subtotalMinor));
  total(`Tax (${formatTaxRate(invoice.taxRateBps)})`, money(invoice.taxMinor));
  total(`Total (${invoice.currency})`, money(invoice.totalMinor), true);

  if (invoice.notes.trim()) {
    y += 16;
    document.font('Helvetica-Bold');
    cell('Notes', 50, y);
    document.font('Helvetica').text(invoice.notes, 50, y + 15, { width: 495 });
  }

  document.end();
  return done;
}

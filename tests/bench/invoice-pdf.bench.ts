/**
 * Invoice PDF render time (issue 6, "Benchmark"): `renderInvoicePdf` (the code behind
 * `GET /api/v1/invoices/:id/pdf`, pdfkit with the built-in Helvetica) for a week's invoice of
 * 7 lines and a long one of 60 lines (two pages), against its floor: a bare pdfkit document
 * holding the same strings, one `text()` call each, no layout. In process, no HTTP: the
 * request around it is measured by api-overhead.bench.ts.
 */
import PDFDocument from 'pdfkit';
import type { InvoiceDocument } from '../../shared/money/invoices.ts';
import { formatMoney } from '../../shared/money/money.ts';
import { renderInvoicePdf } from '../../server/money/invoices/invoice-pdf.ts';

const rounds = Math.max(10, Number(process.env.BENCH_PDF_ROUNDS ?? 200));

function invoiceWith(lineCount: number): InvoiceDocument {
  const lines = Array.from({ length: lineCount }, (_, i) => ({
    description: `Hours worked on day ${i + 1}: tracker, screenshots and the review screens`,
    quantityThousandths: 7_250 + i * 10,
    unitPriceMinor: 4_500,
    amountMinor: 32_625 + i * 45,
  }));
  const subtotalMinor = lines.reduce((sum, line) => sum + line.amountMinor, 0);
  const taxMinor = Math.floor((subtotalMinor * 2_000 + 5_000) / 10_000);
  return {
    id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d0f',
    updatedAt: '2026-11-21T10:00:00.000Z',
    issuerId: '6f1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e02',
    issuerName: 'Fiona Freelancer',
    recipientId: '6f1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e01',
    recipientName: 'Olivia Owner',
    contractId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d04',
    contractTitle: 'Time tracker for a design studio',
    number: 'INV-0042',
    sequence: 42,
    source: { kind: 'week', week: '2026-11-16', milestoneId: null },
    lines,
    taxRateBps: 2_000,
    currency: 'EUR',
    subtotalMinor,
    taxMinor,
    totalMinor: subtotalMinor + taxMinor,
    issueDate: '2026-11-21',
    dueDate: '2026-12-05',
    status: 'sent',
    notes: 'Bank transfer within 14 days, please.',
    sentAt: '2026-11-21T10:00:00.000Z',
    paidAt: null,
    voidedAt: null,
    createdAt: '2026-11-21T09:00:00.000Z',
  };
}

/** Every string the invoice PDF shows, as plain text. */
function stringsOf(invoice: InvoiceDocument): string[] {
  const money = (amountMinor: number) => formatMoney({ amountMinor, currency: invoice.currency });
  return [
    'INVOICE',
    invoice.number ?? '',
    invoice.issuerName,
    invoice.recipientName,
    invoice.contractTitle,
    invoice.issueDate ?? '',
    invoice.dueDate,
    ...invoice.lines.flatMap((line) => [
      line.description,
      String(line.quantityThousandths / 1000),
      money(line.unitPriceMinor),
      money(line.amountMinor),
    ]),
    money(invoice.subtotalMinor),
    money(invoice.taxMinor),
    money(invoice.totalMinor),
    invoice.notes,
  ];
}

function barePdf(strings: readonly string[]): Promise<Buffer> {
  const document = new PDFDocument({ size: 'A4', margin: 50 });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => {
    document.on('end', () => resolve(Buffer.concat(chunks)));
  });
  for (const text of strings) document.text(text);
  document.end();
  return done;
}

async function time(render: () => Promise<Buffer>) {
  // Warm-up: JIT, and pdfkit's font metrics loaded once per process.
  for (let i = 0; i < 10; i += 1) await render();
  let bytes = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i += 1) bytes = (await render()).length;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { msPerPdf: ms / rounds, bytes };
}

const fixed = (n: number, digits = 2) => n.toFixed(digits);

export async function run(): Promise<void> {
  console.log(`${rounds} renders each, in process, after 10 warm-up renders`);
  console.log('| invoice | renderInvoicePdf | bare pdfkit, same strings | size (invoice / bare) |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const lineCount of [7, 60]) {
    const invoice = invoiceWith(lineCount);
    const strings = stringsOf(invoice);
    const ours = await time(() => renderInvoicePdf(invoice));
    const bare = await time(() => barePdf(strings));
    console.log(
      `| ${lineCount} lines | ${fixed(ours.msPerPdf)} ms | ${fixed(bare.msPerPdf)} ms | ${fixed(ours.bytes / 1024, 1)} KB / ${fixed(bare.bytes / 1024, 1)} KB |`,
    );
  }
}

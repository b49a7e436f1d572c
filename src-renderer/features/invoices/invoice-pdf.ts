import type { InvoiceDocument } from '../../../shared/money/invoices.ts';
import { invoicePdf } from './invoices-api.ts';

/**
 * The invoice's PDF, rendered by the server and fetched with the bearer token (a link cannot
 * send one), shown from a `blob:` URL in a new window: a browser tab, or in the desktop app a
 * sandboxed child window (src-main allows blobs of the app's own origin, see
 * src-main/windows/window-open-policy.ts). Only where the host opens no window (a popup
 * blocker) is it saved as a download instead.
 */
const fileName = (invoice: InvoiceDocument) =>
  `${invoice.number ?? `draft-${invoice.id.slice(0, 8)}`}.pdf`;

async function pdfUrl(invoice: InvoiceDocument): Promise<string> {
  const url = URL.createObjectURL(await invoicePdf(invoice.id));
  // The opened window holds its own reference; ours is released after a while.
  setTimeout(() => URL.revokeObjectURL(url), 5 * 60_000);
  return url;
}

function download(url: string, name: string) {
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
}

export async function openInvoicePdf(invoice: InvoiceDocument): Promise<void> {
  const url = await pdfUrl(invoice);
  const opened = window.open(url, '_blank');
  if (!opened) download(url, fileName(invoice));
}

/** Opens the PDF and asks its window to print once the viewer has loaded it. */
export async function printInvoicePdf(invoice: InvoiceDocument): Promise<void> {
  const url = await pdfUrl(invoice);
  const opened = window.open(url, '_blank');
  if (!opened) {
    download(url, fileName(invoice));
    return;
  }
  opened.addEventListener('load', () => opened.print(), { once: true });
}

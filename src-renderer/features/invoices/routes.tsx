import { createRoute } from '@tanstack/react-router';
import { invoiceStatusSchema, type InvoiceStatus } from '../../../shared/money/invoices.ts';
import type { appRoute as AppRoute } from '../../app/router.tsx';
import { InvoicePage } from './InvoicePage.tsx';
import { InvoicesPage, type InvoiceSide } from './InvoicesPage.tsx';

/**
 * The Invoices screens under `#/invoices`: the list (`?side=issued|received&status=`) and
 * one invoice's page.
 */
export function invoiceRoutes(getParentRoute: () => typeof AppRoute) {
  const list = createRoute({
    getParentRoute,
    path: 'invoices',
    validateSearch: (
      search: Record<string, unknown>,
    ): { side?: InvoiceSide; status?: InvoiceStatus } => {
      const status = invoiceStatusSchema.safeParse(search.status);
      const side = search.side === 'received' || search.side === 'issued' ? search.side : undefined;
      return { ...(side ? { side } : {}), ...(status.success ? { status: status.data } : {}) };
    },
    component: function Invoices() {
      const { side, status } = list.useSearch();
      return <InvoicesPage side={side} status={status} />;
    },
  });

  const invoice = createRoute({
    getParentRoute,
    path: 'invoices/$invoiceId',
    component: function Invoice() {
      const { invoiceId } = invoice.useParams();
      return <InvoicePage key={invoiceId} invoiceId={invoiceId} />;
    },
  });

  return [list, invoice] as const;
}

import { useMemo } from 'react';
import { map } from 'rxjs';
import type { InvoiceDocument } from '../../../shared/money/invoices.ts';
import { useObservable, useSyncEngine } from '../../sync/SyncProvider.tsx';

/**
 * Invoices as this device holds them (the server writes them, devices pull them), so the
 * list and each invoice read the same offline.
 */

/** Every invoice I issued or received, newest first (live). */
export function useInvoices(): InvoiceDocument[] | null {
  const engine = useSyncEngine();
  const source = useMemo(
    () =>
      engine
        ? engine.db.invoices
            .find({ sort: [{ createdAt: 'desc' }] })
            .$.pipe(map((docs) => docs.map((doc) => doc.toMutableJSON())))
        : null,
    [engine],
  );
  return useObservable(source, null);
}

/** One invoice: undefined while the first answer is on its way, null when it is not here. */
export function useInvoice(id: string): InvoiceDocument | null | undefined {
  const engine = useSyncEngine();
  const source = useMemo(
    () =>
      engine
        ? engine.db.invoices.findOne(id).$.pipe(map((doc) => (doc ? doc.toMutableJSON() : null)))
        : null,
    [engine, id],
  );
  return useObservable<InvoiceDocument | null | undefined>(source, undefined);
}

/** A contract's invoices (live), to know what was already billed. */
export function useContractInvoices(contractId: string): InvoiceDocument[] | null {
  const engine = useSyncEngine();
  const source = useMemo(
    () =>
      engine
        ? engine.db.invoices
            .find({ selector: { contractId } })
            .$.pipe(map((docs) => docs.map((doc) => doc.toMutableJSON())))
        : null,
    [engine, contractId],
  );
  return useObservable(source, null);
}

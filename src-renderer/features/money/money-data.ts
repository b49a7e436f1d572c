import { useMemo } from 'react';
import { map } from 'rxjs';
import type { EscrowDocument } from '../../../shared/money/escrow.ts';
import { useObservable, useSyncEngine } from '../../sync/SyncProvider.tsx';

/**
 * Escrows as this device holds them: written by the server, pulled here read-only, so a
 * contract's payments show offline and change as soon as a change reaches the device.
 */

/** A contract's escrows, oldest first (live); null until the first answer. */
export function useContractEscrows(contractId: string): EscrowDocument[] | null {
  const engine = useSyncEngine();
  const source = useMemo(
    () =>
      engine
        ? engine.db.escrows
            .find({ selector: { contractId }, sort: [{ createdAt: 'asc' }] })
            .$.pipe(map((docs) => docs.map((doc) => doc.toMutableJSON())))
        : null,
    [engine, contractId],
  );
  return useObservable(source, null);
}

/** The latest escrow of each milestone or week (a later one supersedes an earlier one). */
export function latestEscrowBy(
  escrows: readonly EscrowDocument[],
  keyOf: (escrow: EscrowDocument) => string | null,
): Map<string, EscrowDocument> {
  const latest = new Map<string, EscrowDocument>();
  for (const escrow of escrows) {
    const key = keyOf(escrow);
    if (key === null) continue;
    const seen = latest.get(key);
    if (!seen || seen.createdAt <= escrow.createdAt) latest.set(key, escrow);
  }
  return latest;
}

import { useMemo } from 'react';
import { map } from 'rxjs';
import type { ContractDocument, MilestoneDocument } from '../../../shared/sync/documents.ts';
import { useObservable, useSyncEngine } from '../../sync/SyncProvider.tsx';

/**
 * Contracts' view of the device database: live queries as hooks. Contracts and milestones are
 * written by the server and pulled here, so these screens read the same offline, and change
 * as soon as a change reaches this device.
 */

/** Every contract of mine, as client or freelancer, newest first (live). */
export function useContracts(): ContractDocument[] | null {
  const engine = useSyncEngine();
  const source = useMemo(
    () =>
      engine
        ? engine.db.contracts
            .find({ sort: [{ createdAt: 'desc' }] })
            .$.pipe(map((docs) => docs.map((doc) => doc.toMutableJSON())))
        : null,
    [engine],
  );
  return useObservable(source, null);
}

/** One contract: undefined while the first answer is on its way, null when it is not here. */
export function useContract(id: string): ContractDocument | null | undefined {
  const engine = useSyncEngine();
  const source = useMemo(
    () =>
      engine
        ? engine.db.contracts.findOne(id).$.pipe(map((doc) => (doc ? doc.toMutableJSON() : null)))
        : null,
    [engine, id],
  );
  return useObservable<ContractDocument | null | undefined>(source, undefined);
}

/** A contract's milestones in their order (live). */
export function useMilestones(contractId: string): MilestoneDocument[] | null {
  const engine = useSyncEngine();
  const source = useMemo(
    () =>
      engine
        ? engine.db.milestones
            .find({ selector: { contractId }, sort: [{ position: 'asc' }] })
            .$.pipe(map((docs) => docs.map((doc) => doc.toMutableJSON())))
        : null,
    [engine, contractId],
  );
  return useObservable(source, null);
}

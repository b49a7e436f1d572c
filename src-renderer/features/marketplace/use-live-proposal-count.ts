import { useMemo } from 'react';
import { useObservable, useSyncEngine } from '../../sync/SyncProvider.tsx';

/**
 * A project's proposal count as the server announces it while the screen is open: watched
 * over the sync engine's live socket on mount, let go on unmount, asked again after every
 * reconnect. Null until the server has answered (offline, or a watch it refused): the
 * screen then shows the count it loaded.
 */
export function useLiveProposalCount(projectId: string): number | null {
  const engine = useSyncEngine();
  const count$ = useMemo(() => engine?.watchProjectProposals(projectId), [engine, projectId]);
  return useObservable<number | null>(count$, null);
}

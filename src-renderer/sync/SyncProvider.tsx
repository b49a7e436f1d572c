/**
 * How to use sync from a screen (note for the Messages UI and the shell's indicator):
 *
 *   <SyncProvider> wraps the signed-in shell (features/shell/AppLayout.tsx). Inside it:
 *
 *   const engine = useSyncEngine();          // SyncEngine | null: null while starting or signed out
 *   const state = useObservable(engine?.state$, null);        // online | syncing | offline | error
 *   const failed = useObservable(engine?.failed$, emptyMap);  // id → why the server refused it
 *   const messages$ = useMemo(() => engine?.db.messages.find({ selector: { conversationId } })
 *     .sort({ sentAt: 'asc' }).$, [engine, conversationId]);
 *   await engine.db.messages.insert(doc);    // a local write: shown at once, pending until pushed
 *   engine.retry(); engine.discard(id);      // a failed item's "retry" / "discard"
 *   engine.setTyping(conversationId, true);
 *
 *   useSyncStartError() says why the local database could not open (null otherwise).
 *   Writes are validated with the zod schemas of shared/sync/documents.ts (an invalid
 *   document rejects the insert with InvalidDocumentError); set `updatedAt` on every edit.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import {
  endSession,
  refreshAccessToken,
  useSessionStore,
} from '../features/session/session-store.ts';
import { startSyncEngine, type SyncEngine } from './engine.ts';

export { useObservable } from './use-observable.ts';

type SyncContextValue = { engine: SyncEngine | null; error: string | null };

const SyncContext = createContext<SyncContextValue>({ engine: null, error: null });

/**
 * Engines start and stop one after another: the next user's database opens only after the
 * previous one closed (and React's strict mode, mounting twice, never opens one twice).
 */
let lifecycle: Promise<unknown> = Promise.resolve();

async function deviceStorage(): Promise<RxStorage<unknown, unknown>> {
  const dexie = getRxStorageDexie() as RxStorage<unknown, unknown>;
  // RxDB's dev-mode checks only on request: in a browser it also injects an iframe.
  if (import.meta.env.DEV && import.meta.env.VITE_RXDB_DEV_MODE === 'true') {
    const { enableRxdbDevMode } = await import('./dev-mode.ts');
    return enableRxdbDevMode(dexie);
  }
  return dexie;
}

/** Runs the sync engine of whoever is signed in; closes it on sign-out or a change of user. */
export function SyncProvider({ children }: { children: ReactNode }) {
  const userId = useSessionStore((state) => (state.phase === 'signedIn' ? state.user?.id : null));
  const serverUrl = useSessionStore((state) => state.appInfo?.serverUrl ?? null);
  const [value, setValue] = useState<SyncContextValue>({ engine: null, error: null });

  useEffect(() => {
    if (!userId || !serverUrl) return;
    let cancelled = false;
    let started: SyncEngine | null = null;
    lifecycle = lifecycle
      .then(async () => {
        if (cancelled) return;
        started = await startSyncEngine({
          userId,
          serverUrl,
          storage: await deviceStorage(),
          getAccessToken: () => useSessionStore.getState().accessToken,
          // Rejects when the host cannot refresh now (offline); ends the session itself
          // when the refresh token is dead, which closes this engine.
          refreshAccessToken,
          onSessionEnded: endSession,
        });
        if (!cancelled) setValue({ engine: started, error: null });
      })
      .catch((error: unknown) => {
        if (!cancelled) {
          setValue({
            engine: null,
            error: error instanceof Error ? error.message : 'The local database could not open.',
          });
        }
      });
    return () => {
      cancelled = true;
      setValue({ engine: null, error: null });
      lifecycle = lifecycle.then(() => started?.close()).catch(() => undefined);
    };
  }, [userId, serverUrl]);

  return <SyncContext.Provider value={value}>{children}</SyncContext.Provider>;
}

export function useSyncEngine(): SyncEngine | null {
  return useContext(SyncContext).engine;
}

export function useSyncStartError(): string | null {
  return useContext(SyncContext).error;
}

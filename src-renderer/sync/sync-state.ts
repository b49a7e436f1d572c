import { fromEvent, map, merge, of, startWith, type Observable } from 'rxjs';

export type SyncState =
  | { kind: 'online' }
  | { kind: 'syncing' }
  | { kind: 'offline' }
  | { kind: 'error'; reason: string };

export interface SyncSignals {
  /** The operating system / browser says there is a network (or the caller's `online$`). */
  network: boolean;
  socketConnected: boolean;
  /** Did the last HTTP exchange get an answer? null before the first one. */
  reachable: boolean | null;
  /** Some replication is pulling or pushing right now. */
  active: boolean;
  pendingCount: number;
  /** Changes the server refused: document id → reason. */
  failed: ReadonlyMap<string, string>;
  /** The last failure that is not about the network (server error, session over), or null. */
  problem: string | null;
}

/**
 * One status for the shell's indicator. Offline wins (nothing else can be done about it);
 * then refusals and errors, which need the person; then whether work is under way.
 * Either channel answering counts as online: the socket can be down behind a proxy while
 * HTTP works, and HTTP can be idle while the socket proves the server is there.
 */
export function syncStateOf(signals: SyncSignals): SyncState {
  if (!signals.network) return { kind: 'offline' };
  if (!signals.socketConnected && signals.reachable === false) return { kind: 'offline' };
  if (signals.failed.size > 0) {
    const [first] = signals.failed.values();
    const count = signals.failed.size;
    return {
      kind: 'error',
      reason: `The server refused ${count === 1 ? 'a change' : `${count} changes`}: ${first ?? ''}`,
    };
  }
  if (signals.problem) return { kind: 'error', reason: signals.problem };
  if (signals.active || signals.pendingCount > 0 || signals.reachable === null) {
    return { kind: 'syncing' };
  }
  return { kind: 'online' };
}

export const sameSyncState = (a: SyncState, b: SyncState): boolean =>
  a.kind === b.kind && (a.kind !== 'error' || (b.kind === 'error' && a.reason === b.reason));

/** The browser's idea of the network; always "online" where there is no browser (Node). */
export function browserOnline$(): Observable<boolean> {
  if (typeof window === 'undefined' || typeof navigator === 'undefined') return of(true);
  return merge(
    fromEvent(window, 'online').pipe(map(() => true)),
    fromEvent(window, 'offline').pipe(map(() => false)),
  ).pipe(startWith(navigator.onLine));
}

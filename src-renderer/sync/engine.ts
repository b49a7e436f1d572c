import type { RxStorage } from 'rxdb';
import {
  BehaviorSubject,
  combineLatest,
  distinctUntilChanged,
  filter,
  map,
  merge,
  type Observable,
  pairwise,
  shareReplay,
  startWith,
  switchMap,
  EMPTY,
  interval,
  Subject,
  type Subscription,
} from 'rxjs';
import type { Problem } from '../../shared/api/problem.ts';
import { syncCollections, type SyncCollection } from '../../shared/sync/protocol.ts';
import { createUserDatabase, type MegilanceDatabase } from './database.ts';
import { createHttpTransport, type SyncTransportError } from './http-transport.ts';
import { connectLive, type SocketFactory } from './live-connection.ts';
import { openOutbox } from './outbox.ts';
import { replicateCollection, type CollectionReplication } from './replication.ts';
import { createRetryPolicy, type Persist } from './retry-policy.ts';
import { browserOnline$, sameSyncState, syncStateOf, type SyncState } from './sync-state.ts';

export type { MegilanceDatabase } from './database.ts';
export type { SyncState } from './sync-state.ts';

export interface SyncEngine {
  readonly userId: string;
  readonly db: MegilanceDatabase;
  readonly state$: Observable<SyncState>;
  readonly lastSyncedAt$: Observable<string | null>;
  /** Local writes not yet acknowledged by the server, all collections. */
  readonly pendingChanges$: Observable<number>;
  /** Ids of documents with unacknowledged local writes (refused ones included). */
  readonly pendingIds$: Observable<ReadonlySet<string>>;
  /** Document id → reason its push was refused. */
  readonly failed$: Observable<ReadonlyMap<string, string>>;
  /** userId → online. */
  readonly presence$: Observable<ReadonlyMap<string, boolean>>;
  /** conversationId → userIds typing. */
  readonly typing$: Observable<ReadonlyMap<string, ReadonlySet<string>>>;
  setTyping(conversationId: string, typing: boolean): void;
  /** A project's proposal count, live over the socket while subscribed (live-connection.ts). */
  watchProjectProposals(projectId: string): Observable<number>;
  /** Re-run replication now, pushing refused documents again (the UI's "retry"). */
  retry(): void;
  /**
   * Gives up a refused change: the document goes back to what the server holds, or away if
   * the server never had it. Resolves false for an id the engine does not know as failed.
   */
  discard(documentId: string): Promise<boolean>;
  /** Resolves once every collection has pushed and pulled all it can (tests, "sync now"). */
  awaitInSync(): Promise<void>;
  close(): Promise<void>;
}

export interface SyncEngineOptions {
  userId: string;
  serverUrl: string;
  storage: RxStorage<unknown, unknown>;
  getAccessToken(): string | null;
  /**
   * A fresh access token, or null when the session cannot be renewed (signed out). Reject
   * when it cannot be done right now (offline): the engine tries again later.
   */
  refreshAccessToken(): Promise<string | null>;
  /** The server says the session is over (revoked elsewhere): sign out. */
  onSessionEnded?(problem: Problem): void;
  fetch?: typeof fetch;
  socketFactory?: SocketFactory;
  /** Whether there is a network; defaults to the browser's online/offline events. */
  online$?: Observable<boolean>;
  /** Several simulated devices of one user in one process (tests); see `createUserDatabase`. */
  namespace?: string;
  multiInstance?: boolean;
  /** The collections to open and replicate; all unless told (see `createUserDatabase`). */
  collections?: readonly SyncCollection[];
  /** How often to pull while the socket is down but the network is up (ms). */
  pollWithoutSocketMs?: number;
  /** Back-off between attempts that failed for a passing reason (ms; tests shorten it). */
  retryDelayMs?: { min?: number; max?: number };
}

/**
 * Opens the user's database and keeps it converging with the server: one RxDB replication
 * per collection over HTTP, woken by socket.io, with the status, pending changes, refusals,
 * presence and typing the screens show.
 */
export async function startSyncEngine(options: SyncEngineOptions): Promise<SyncEngine> {
  const multiInstance = options.multiInstance ?? typeof window !== 'undefined';
  const db = await createUserDatabase({
    userId: options.userId,
    storage: options.storage,
    multiInstance,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.collections ? { collections: options.collections } : {}),
  });
  const outbox = await openOutbox(db);
  const abort = new AbortController();
  const subscriptions: Subscription[] = [];

  let refreshing: Promise<string | null> | null = null;
  /**
   * One refresh for all collections and the socket: the server rotates refresh tokens. A
   * refresh that fails (offline) rejects and is tried again later; only null means the
   * session cannot be renewed.
   */
  const refreshAccessToken = () => {
    refreshing ??= options.refreshAccessToken().finally(() => {
      refreshing = null;
    });
    return refreshing;
  };

  const network$ = (options.online$ ?? browserOnline$()).pipe(
    distinctUntilChanged(),
    shareReplay({ bufferSize: 1, refCount: true }),
  );
  // Short enough that a server gone while its last answers still arrived shows as offline
  // within seconds; a pull that finds nothing new is one cheap query.
  const pollMs = options.pollWithoutSocketMs ?? 10_000;
  const reachable$ = new BehaviorSubject<boolean | null>(null);
  const problem$ = new BehaviorSubject<string | null>(null);
  const retry$ = new Subject<void>();

  const live = connectLive({
    serverUrl: options.serverUrl,
    getAccessToken: () => options.getAccessToken(),
    refreshAccessToken,
    ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
  });
  subscriptions.push(network$.subscribe((online) => live.setNetwork(online)));

  const transport = createHttpTransport({
    serverUrl: options.serverUrl,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    getAccessToken: () => options.getAccessToken(),
    refreshAccessToken,
    signal: abort.signal,
    onSessionEnded: (problem) => options.onSessionEnded?.(problem),
    onReachable: (reachable) => {
      if (reachable$.value !== reachable) reachable$.next(reachable);
    },
  });

  const socketLost$ = live.connected$.pipe(
    pairwise(),
    filter(([before, now]) => before && !now),
  );
  // Transitions only: `network$` replays its last value to every new subscriber, and a
  // replayed "online" would end every back-off wait at once.
  const backOnline$ = network$.pipe(
    pairwise(),
    filter(([before, now]) => !before && now),
  );
  /** Moments worth trying the server again right away. */
  const nudge$ = merge(live.connects$, backOnline$, retry$);
  /**
   * Without the socket (a proxy that blocks WebSockets and long-polling alike) nothing says
   * "changed": fall back to pulling now and then, while the network is there.
   */
  const poll$ = combineLatest([live.connected$, network$]).pipe(
    switchMap(([connected, online]) => (connected || !online ? EMPTY : interval(pollMs))),
  );
  /**
   * Pull from the checkpoint: on every (re)connect (nothing said while away is lost), when
   * the network returns, on "retry", when the socket drops (a cheap probe that tells
   * "offline" from "socket blocked, HTTP fine"), and while polling.
   */
  const resync$ = merge(nudge$, socketLost$, poll$);

  const basePersist = createRetryPolicy({
    signal: abort.signal,
    nudge$,
    ...(options.retryDelayMs?.min !== undefined ? { minDelayMs: options.retryDelayMs.min } : {}),
    ...(options.retryDelayMs?.max !== undefined ? { maxDelayMs: options.retryDelayMs.max } : {}),
    onFailure: (error: SyncTransportError) => {
      if (error.kind === 'unavailable' || error.kind === 'protocol') problem$.next(error.message);
    },
  });
  const persist: Persist = async (operation, persistOptions) => {
    const result = await basePersist(operation, persistOptions);
    if (problem$.value !== null) problem$.next(null);
    return result;
  };

  const replications: CollectionReplication[] = (options.collections ?? syncCollections).map(
    (collection) =>
      replicateCollection({
        collection,
        // Each collection is typed by its name; the generic replication sees one of them.
        rxCollection: db.collections[collection] as never,
        serverUrl: options.serverUrl,
        transport,
        persist,
        outbox,
        changed$: live.changed$,
        resync$,
        waitForLeadership: multiInstance,
      }),
  );

  // Errors RxDB saw from the handlers (the session ended, an answer we did not understand).
  for (const replication of replications) {
    subscriptions.push(
      replication.state.error$.subscribe((error) => {
        if (abort.signal.aborted) return;
        const reason = rxErrorReason(error);
        if (reason) problem$.next(reason);
      }),
    );
  }
  subscriptions.push(
    live.refused$.subscribe((reason) => {
      if (reason) problem$.next(reason);
    }),
  );

  const active$ = combineLatest(replications.map((r) => r.state.active$)).pipe(
    map((actives) => actives.some(Boolean)),
    startWith(true),
  );

  const state$ = combineLatest({
    network: network$,
    socketConnected: live.connected$,
    reachable: reachable$,
    active: active$,
    pendingIds: outbox.pendingIds$,
    failed: outbox.failed$,
    problem: problem$,
  }).pipe(
    map((signals) => syncStateOf({ ...signals, pendingCount: signals.pendingIds.size })),
    distinctUntilChanged(sameSyncState),
    shareReplay({ bufferSize: 1, refCount: true }),
  );

  let closed = false;
  const engine: SyncEngine = {
    userId: options.userId,
    db,
    state$,
    lastSyncedAt$: outbox.lastSyncedAt$,
    pendingChanges$: outbox.pendingIds$.pipe(
      map((ids) => ids.size),
      distinctUntilChanged(),
    ),
    pendingIds$: outbox.pendingIds$,
    failed$: outbox.failed$,
    presence$: live.presence$,
    typing$: live.typing$,
    setTyping: (conversationId, typing) => live.setTyping(conversationId, typing),
    watchProjectProposals: (projectId) => live.watchProjectProposals(projectId),
    retry() {
      if (closed) return;
      problem$.next(null);
      retry$.next();
      for (const replication of replications) void replication.retryFailed().catch(() => undefined);
    },
    async discard(documentId) {
      const failed = await firstFailed(outbox.failed$);
      if (!failed.has(documentId)) return false;
      const replication = replications.find((r) =>
        collectionHolds(r.collection, documentId, outbox),
      );
      return replication ? replication.discard(documentId) : false;
    },
    async awaitInSync() {
      await Promise.all(replications.map((r) => r.state.awaitInSync()));
      await Promise.all(replications.map((r) => r.reconcile()));
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const subscription of subscriptions) subscription.unsubscribe();
      live.close();
      abort.abort();
      await Promise.all(replications.map((r) => r.cancel()));
      await outbox.flush();
      reachable$.complete();
      problem$.complete();
      retry$.complete();
      await db.close();
    },
  };
  return engine;
}

function collectionHolds(
  collection: SyncCollection,
  id: string,
  outbox: { failedIdsOf(collection: SyncCollection): string[] },
) {
  return outbox.failedIdsOf(collection).includes(id);
}

function firstFailed(failed$: Observable<ReadonlyMap<string, string>>) {
  return new Promise<ReadonlyMap<string, string>>((resolve) => {
    const subscription = failed$.subscribe((value) => {
      resolve(value);
      queueMicrotask(() => subscription.unsubscribe());
    });
  });
}

/** The sentence inside RxDB's wrapper error (RC_PULL / RC_PUSH carry the handler's error). */
function rxErrorReason(error: unknown): string | null {
  const parameters = (error as { parameters?: { errors?: Array<{ message?: unknown }> } })
    .parameters;
  const inner = parameters?.errors?.[0]?.message;
  if (typeof inner === 'string') {
    return /engine closed/.test(inner) ? null : inner;
  }
  return error instanceof Error ? error.message : null;
}

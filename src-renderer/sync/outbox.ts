import { BehaviorSubject, type Observable } from 'rxjs';
import type { SyncCollection } from '../../shared/sync/protocol.ts';
import type { MegilanceDatabase } from './database.ts';

/**
 * What this device has written that the server has not acknowledged, and what the server
 * refused (with its reason). RxDB itself keeps every unpushed write; this is the index of
 * them the screens need ("pending", "failed: retry"), kept in a local document of the user's
 * database so it survives a restart of the app. It is a hint, checked against RxDB's own
 * replication state when the engine starts and whenever a collection goes idle.
 */
export interface OutboxState {
  pending: Record<string, SyncCollection>;
  failed: Record<string, { collection: SyncCollection; reason: string }>;
  lastSyncedAt: string | null;
  /** When this state was written (ms): writes after it may be missing from `pending`. */
  savedAt: number;
}

export interface Outbox {
  readonly pendingIds$: Observable<ReadonlySet<string>>;
  readonly failed$: Observable<ReadonlyMap<string, string>>;
  readonly lastSyncedAt$: Observable<string | null>;
  /** As restored from the last run (for the startup check). */
  readonly restored: Readonly<OutboxState>;
  markPending(collection: SyncCollection, id: string): void;
  /** The server holds exactly this device's state of the document. */
  markSettled(id: string): void;
  markRefused(collection: SyncCollection, id: string, reason: string): void;
  isFailed(id: string): boolean;
  idsOf(collection: SyncCollection): string[];
  failedIdsOf(collection: SyncCollection): string[];
  synced(at?: Date): void;
  flush(): Promise<void>;
}

const outboxId = 'megilance-sync-outbox';
const saveDelayMs = 150;

export async function openOutbox(db: MegilanceDatabase): Promise<Outbox> {
  const stored = await db.getLocal<OutboxState>(outboxId);
  const restored: OutboxState = stored
    ? {
        pending: { ...(stored.get('pending') as OutboxState['pending']) },
        failed: { ...(stored.get('failed') as OutboxState['failed']) },
        lastSyncedAt: stored.get('lastSyncedAt') as OutboxState['lastSyncedAt'],
        savedAt: stored.get('savedAt') as OutboxState['savedAt'],
      }
    : { pending: {}, failed: {}, lastSyncedAt: null, savedAt: 0 };

  const pending = new Map(Object.entries(restored.pending));
  const failed = new Map(Object.entries(restored.failed));
  for (const [id, { collection }] of failed) pending.set(id, collection);

  const pendingIds$ = new BehaviorSubject<ReadonlySet<string>>(new Set(pending.keys()));
  const failed$ = new BehaviorSubject<ReadonlyMap<string, string>>(reasons());
  const lastSyncedAt$ = new BehaviorSubject<string | null>(restored.lastSyncedAt);
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<unknown> = Promise.resolve();

  function reasons(): ReadonlyMap<string, string> {
    return new Map([...failed].map(([id, { reason }]) => [id, reason]));
  }

  // A push settles hundreds of ids in one go: screens hear the outcome once, not per id
  // (a new Set per settled id made a 1,000-document push quadratic).
  let pendingDirty = false;
  let failedDirty = false;
  let emitQueued = false;
  function changed(pendingChanged: boolean, failedChanged: boolean) {
    pendingDirty ||= pendingChanged;
    failedDirty ||= failedChanged;
    if (!emitQueued) {
      emitQueued = true;
      queueMicrotask(() => {
        emitQueued = false;
        if (pendingDirty) pendingIds$.next(new Set(pending.keys()));
        if (failedDirty) failed$.next(reasons());
        pendingDirty = failedDirty = false;
      });
    }
    scheduleSave();
  }

  function scheduleSave() {
    saveTimer ??= setTimeout(() => {
      saveTimer = undefined;
      void save();
    }, saveDelayMs);
  }

  function save(): Promise<unknown> {
    const state: OutboxState = {
      pending: Object.fromEntries(pending),
      failed: Object.fromEntries(failed),
      lastSyncedAt: lastSyncedAt$.value,
      savedAt: Date.now(),
    };
    saving = saving
      .then(() => (db.closed ? undefined : db.upsertLocal<OutboxState>(outboxId, state)))
      .catch(() => {
        // Losing one save loses nothing but a hint: the startup check rebuilds it from RxDB.
      });
    return saving;
  }

  return {
    pendingIds$: pendingIds$.asObservable(),
    failed$: failed$.asObservable(),
    lastSyncedAt$: lastSyncedAt$.asObservable(),
    restored,
    markPending(collection, id) {
      if (pending.get(id) === collection) return;
      pending.set(id, collection);
      changed(true, false);
    },
    markSettled(id) {
      const wasPending = pending.delete(id);
      const wasFailed = failed.delete(id);
      if (wasPending || wasFailed) changed(wasPending, wasFailed);
    },
    markRefused(collection, id, reason) {
      const wasPending = pending.get(id) === collection;
      pending.set(id, collection);
      const before = failed.get(id);
      if (before?.reason === reason && wasPending) return;
      failed.set(id, { collection, reason });
      changed(!wasPending, true);
    },
    isFailed: (id) => failed.has(id),
    idsOf: (collection) => [...pending].filter(([, c]) => c === collection).map(([id]) => id),
    failedIdsOf: (collection) =>
      [...failed].filter(([, entry]) => entry.collection === collection).map(([id]) => id),
    synced(at = new Date()) {
      lastSyncedAt$.next(at.toISOString());
      scheduleSave();
    },
    async flush() {
      clearTimeout(saveTimer);
      saveTimer = undefined;
      await save();
      pendingIds$.complete();
      failed$.complete();
      lastSyncedAt$.complete();
    },
  };
}

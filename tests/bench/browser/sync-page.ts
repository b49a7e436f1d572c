/**
 * The benchmark page: our sync engine on RxDB's Dexie (IndexedDB) storage, exactly as the app
 * starts it, and PouchDB 9's browser build (IndexedDB through its `idb` adapter), side by side
 * in one page. The driver opens a fresh browser context (fresh IndexedDB) per measurement and
 * calls one of these; every clock here is `performance.now()` inside the page.
 */
import PouchDB, { type PouchDatabase } from 'pouchdb-browser';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { BehaviorSubject, filter, firstValueFrom, type Observable } from 'rxjs';
import { startSyncEngine, type SyncEngine } from '../../../src-renderer/sync/engine.ts';
import type {
  BenchApi,
  OurDevice,
  OurInitialSyncArgs,
  OurPushArgs,
  PouchInitialSyncArgs,
  PouchPushArgs,
  Timing,
} from './api.ts';

const ourStorage = 'RxDB Dexie storage (IndexedDB)';
// A 10,000-document sync makes a few dozen requests; keep every one of them visible.
performance.setResourceTimingBufferSize(5_000);

function withTimeout<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what()}`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/**
 * Where the time went: how many sync requests ran between two instants, and for how long at
 * least one of them was waiting on the server, CORS preflights included (the rest is the
 * device's own work).
 */
function requestsNote(from: number, to: number, operation: 'pull' | 'push'): string {
  const entries = performance
    .getEntriesByType('resource')
    .filter(
      (entry) =>
        entry.name.includes('/api/v1/sync/') &&
        entry.name.includes(`/${operation}`) &&
        entry.startTime >= from &&
        entry.startTime <= to,
    )
    .map((entry) => [entry.startTime, entry.startTime + entry.duration] as const)
    .sort((a, b) => a[0] - b[0]);
  let busy = 0;
  let openUntil = -Infinity;
  for (const [start, end] of entries) {
    if (end <= openUntil) continue;
    busy += end - Math.max(start, openUntil);
    openUntil = end;
  }
  const firstStart = entries[0]?.[0];
  return (
    `${entries.length} ${operation} requests, a ${operation} in flight for ${Math.round(busy)} ms` +
    (firstStart === undefined ? '' : `, the first sent at +${Math.round(firstStart - from)} ms`)
  );
}

function first<T>(source: Observable<T>, predicate: (value: T) => boolean): Promise<T> {
  return firstValueFrom(source.pipe(filter(predicate)));
}

/** Starts the engine as the app does; with `online$`, that switch is the device's network. */
function startEngine(device: OurDevice, online$?: BehaviorSubject<boolean>) {
  return startSyncEngine({
    userId: device.userId,
    serverUrl: device.serverUrl,
    storage: getRxStorageDexie(),
    getAccessToken: () => device.accessToken,
    // Tokens outlive the benchmark; a refresh would be a failure worth seeing.
    refreshAccessToken: () => Promise.resolve(null),
    ...(online$
      ? {
          online$,
          // Offline means no network for HTTP either, as with the browser's own switch.
          fetch: (input: RequestInfo | URL, init?: RequestInit) =>
            online$.value
              ? fetch(input, init)
              : Promise.reject(new TypeError('Failed to fetch: offline')),
        }
      : {}),
  });
}

async function closeQuietly(engine: SyncEngine | null) {
  await engine?.close().catch(() => undefined);
}

/** A fresh device: from engine start until every message is written to its IndexedDB. */
async function ourInitialSync(args: OurInitialSyncArgs): Promise<Timing> {
  const seen = new Set<string>();
  let engine: SyncEngine | null = null;
  try {
    const started = performance.now();
    engine = await startEngine(args);
    const opened = performance.now();
    const messages = engine.db.messages;
    // The first pull is a network round trip away: nothing can have been written yet.
    const allIn = new Promise<number>((resolve) => {
      const subscription = messages.eventBulks$.subscribe((bulk) => {
        for (const event of bulk.events) seen.add(event.documentId);
        if (seen.size >= args.expected) {
          resolve(performance.now());
          subscription.unsubscribe();
        }
      });
    });
    const before = await messages.count().exec();
    if (before !== 0) throw new Error(`the new device already held ${before} messages`);
    const finished = await withTimeout(
      allIn,
      args.timeoutMs,
      () => `${seen.size} of ${args.expected} messages arrived`,
    );
    const docs = await messages.count().exec();
    return {
      ms: finished - started,
      docs,
      storage: ourStorage,
      note: `database open ${Math.round(opened - started)} ms; ${requestsNote(started, finished, 'pull')}`,
    };
  } finally {
    await closeQuietly(engine);
  }
}

/**
 * A device that has synced goes offline, its person writes messages, and it comes back: from
 * the moment the network returns until the server has acknowledged every message (the
 * server answers a push after its commit; the driver then pulls to check).
 */
async function ourPush(args: OurPushArgs): Promise<Timing> {
  const online$ = new BehaviorSubject(true);
  let engine: SyncEngine | null = null;
  try {
    engine = await startEngine(args, online$);
    const db = engine.db;
    await withTimeout(
      first(db.conversations.findOne(args.conversationId).$, (doc) => doc !== null),
      args.timeoutMs,
      () => 'the conversation never reached the device',
    );
    await engine.awaitInSync();

    online$.next(false);
    await db.messages.bulkInsert(args.messages.map(({ _deleted: _gone, ...message }) => message));
    await withTimeout(
      first(engine.pendingChanges$, (count) => count >= args.messages.length),
      args.timeoutMs,
      () => 'the new messages never showed as pending',
    );
    // Let the replication meet the closed network and settle into waiting for it.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const pending = engine.pendingChanges$;
    const failed = engine.failed$;
    const started = performance.now();
    online$.next(true);
    let lastPending = args.messages.length;
    const subscription = pending.subscribe((count) => {
      lastPending = count;
    });
    let reasons = '';
    const failedSubscription = failed.subscribe((map) => {
      reasons = [...map.values()].slice(0, 3).join('; ');
    });
    try {
      await withTimeout(
        first(pending, (count) => count === 0),
        args.timeoutMs,
        () => `${lastPending} still pending${reasons ? ` (refused: ${reasons})` : ''}`,
      );
    } finally {
      subscription.unsubscribe();
      failedSubscription.unsubscribe();
    }
    const finished = performance.now();
    return {
      ms: finished - started,
      docs: await db.messages.count().exec(),
      storage: ourStorage,
      note: requestsNote(started, finished, 'push'),
    };
  } finally {
    await closeQuietly(engine);
  }
}

function pouchStorage(db: PouchDatabase) {
  return `PouchDB ${PouchDB.version} ${db.adapter} adapter (IndexedDB)`;
}

/** A fresh device: from opening the database until `replicate.from` completes. */
async function pouchInitialSync(args: PouchInitialSyncArgs): Promise<Timing> {
  const started = performance.now();
  const local = new PouchDB(`bench-initial-${Date.now()}`);
  try {
    const result = await withTimeout(
      local.replicate.from(
        args.remoteUrl,
        args.batchSize ? { batch_size: args.batchSize } : undefined,
      ),
      args.timeoutMs,
      () => 'replicate.from did not complete',
    );
    const finished = performance.now();
    if (!result.ok)
      throw new Error(`replication reported errors: ${JSON.stringify(result.errors)}`);
    const info = await local.info();
    return { ms: finished - started, docs: info.doc_count, storage: pouchStorage(local) };
  } finally {
    await local.close().catch(() => undefined);
  }
}

/** Documents written locally first; timed: `replicate.to` the server until it completes. */
async function pouchPush(args: PouchPushArgs): Promise<Timing> {
  const local = new PouchDB(`bench-push-${Date.now()}`);
  const remote = new PouchDB(args.remoteUrl);
  try {
    const written = await local.bulkDocs(args.docs);
    const refused = written.filter((row) => row.error);
    if (refused.length > 0) throw new Error(`local bulkDocs refused ${refused.length} docs`);
    const started = performance.now();
    const result = await withTimeout(
      local.replicate.to(remote, args.batchSize ? { batch_size: args.batchSize } : undefined),
      args.timeoutMs,
      () => 'replicate.to did not complete',
    );
    const finished = performance.now();
    if (!result.ok)
      throw new Error(`replication reported errors: ${JSON.stringify(result.errors)}`);
    const info = await remote.info();
    return { ms: finished - started, docs: info.doc_count, storage: pouchStorage(local) };
  } finally {
    await local.close().catch(() => undefined);
    await remote.close().catch(() => undefined);
  }
}

const api: BenchApi = { ourInitialSync, ourPush, pouchInitialSync, pouchPush };
window.megilanceBench = api;

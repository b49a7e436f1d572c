import {
  getAssumedMasterState,
  getChangedDocumentsSince,
  getMetaWriteRow,
  type RxCollection,
  type RxReplicationWriteToMasterRow,
  type RxStorageInstanceReplicationState,
  type WithDeleted,
} from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import {
  debounceTime,
  filter,
  map,
  merge,
  Subject,
  type Observable,
  type Subscription,
} from 'rxjs';
import type { Problem } from '../../shared/api/problem.ts';
import type { DocumentOf, WireDocument } from '../../shared/sync/documents.ts';
import { canonical } from '../../shared/sync/merge.ts';
import { MAX_PUSH_ROWS, type Checkpoint, type SyncCollection } from '../../shared/sync/protocol.ts';
import { withoutRxMeta } from './conflict-handler.ts';
import { SyncTransportError, type PushRow, type SyncTransport } from './http-transport.ts';
import type { Outbox } from './outbox.ts';
import type { Persist } from './retry-policy.ts';

/**
 * Measured on the first sync of 10,000 messages (Node, memory storage, loopback): 300 →
 * ~14k docs/s, 500 → ~19k, 1,000 → ~12k (one answer then takes long enough to parse and
 * write that the pipelining of fetch and write is lost). The server allows up to 1,000.
 */
export const PULL_BATCH_SIZE = 500;
// As many as the server takes at once: fewer round trips and transactions per offline backlog.
export const PUSH_BATCH_SIZE = MAX_PUSH_ROWS;
/** Tries before a push still "waiting for a related change" is set aside as failed. */
const PENDING_ATTEMPTS = 6;

type Doc<C extends SyncCollection> = DocumentOf[C];

export interface CollectionReplicationOptions<C extends SyncCollection> {
  collection: C;
  rxCollection: RxCollection<Doc<C>>;
  serverUrl: string;
  transport: SyncTransport;
  persist: Persist;
  outbox: Outbox;
  /** The server says this collection moved on to `seq`. */
  changed$: Observable<{ collection: SyncCollection; seq: number }>;
  /** Pull from the checkpoint now: (re)connected, back online, retry pressed. */
  resync$: Observable<unknown>;
  waitForLeadership: boolean;
}

export interface CollectionReplication {
  readonly collection: SyncCollection;
  readonly state: RxReplicationState<unknown, Checkpoint>;
  /** Push the refused documents again, unchanged. */
  retryFailed(): Promise<void>;
  /** Give up a refused change: back to what the server holds (gone, if it never had it). */
  discard(id: string): Promise<boolean>;
  /** Brings the pending index in line with RxDB's replication state. */
  reconcile(ids?: string[]): Promise<void>;
  cancel(): Promise<void>;
}

export function replicateCollection<C extends SyncCollection>(
  options: CollectionReplicationOptions<C>,
): CollectionReplication {
  const { collection, rxCollection, transport, persist, outbox } = options;
  let lastSeenSeq = -1;
  /**
   * Ids whose refused push RxDB is about to report as sent (see `keepUnacknowledged`): that
   * one `sent$` emission must not clear them.
   */
  const refusedEcho = new Map<string, number>();
  const subscriptions: Subscription[] = [];

  const state = replicateRxCollection<Doc<C>, Checkpoint>({
    // With the server in the identifier, another server starts from scratch, as it must
    // (normalised, so a trailing slash does not restart it and re-push everything).
    replicationIdentifier: `megilance-sync-${options.serverUrl.replace(/\/+$/, '')}-${collection}`,
    collection: rxCollection,
    live: true,
    retryTime: 5_000,
    waitForLeadership: options.waitForLeadership,
    // The app keeps syncing while its window is hidden in the tray.
    toggleOnDocumentVisible: false,
    autoStart: true,
    pull: {
      batchSize: PULL_BATCH_SIZE,
      handler: async (checkpoint, batchSize) => {
        const result = await persist(() =>
          transport.pull(collection, checkpoint ?? undefined, batchSize),
        );
        outbox.synced();
        if (result.checkpoint) lastSeenSeq = Math.max(lastSeenSeq, result.checkpoint.seq);
        return {
          documents: result.documents as unknown as WithDeleted<Doc<C>>[],
          checkpoint: result.checkpoint ?? checkpoint ?? undefined,
        };
      },
      // The server only says "changed"; RESYNC pulls from the checkpoint (no inline documents).
      stream$: merge(
        options.changed$.pipe(
          filter((event) => event.collection === collection && event.seq > lastSeenSeq),
        ),
        options.resync$,
      ).pipe(map(() => 'RESYNC' as const)),
    },
    push: {
      batchSize: PUSH_BATCH_SIZE,
      handler: (rows) => pushHandler(rows),
    },
  });

  function internal(): RxStorageInstanceReplicationState<Doc<C>> {
    const inner = state.internalReplicationState;
    if (!inner) throw new Error(`The ${collection} replication has not started`);
    return inner;
  }

  async function pushHandler(
    rows: RxReplicationWriteToMasterRow<Doc<C>>[],
  ): Promise<WithDeleted<Doc<C>>[]> {
    const wireRows = rows.map((row): PushRow<C> => ({
      newDocumentState: withoutRxMeta(row.newDocumentState),
      ...(row.assumedMasterState
        ? { assumedMasterState: withoutRxMeta(row.assumedMasterState) }
        : {}),
    }));
    // Deleting what the server holds as deleted (or never held) tells it nothing.
    const toSend = wireRows.filter(
      (row) => !(row.newDocumentState._deleted && row.assumedMasterState?._deleted),
    );
    if (toSend.length === 0) return [];
    const conflicts = await pushBatch(toSend, PENDING_ATTEMPTS);
    outbox.synced();
    return conflicts;
  }

  /**
   * Pushes rows; when the server refuses the batch (which writes nothing), finds the rows it
   * blamed, sets them aside as failed and pushes the others, so one bad document never holds
   * up the rest. Without pointers to blame (a 413), halves the batch until it finds them.
   */
  async function pushBatch(
    rows: PushRow<C>[],
    pendingAttempts: number,
  ): Promise<WireDocument<C>[]> {
    let outcome;
    try {
      outcome = await persist(() => transport.push(collection, rows), {
        maxPendingAttempts: pendingAttempts,
      });
    } catch (error) {
      if (!(error instanceof SyncTransportError) || error.kind !== 'pending') throw error;
      // Still waiting for a related document after several tries: find which rows wait.
      if (rows.length === 1) {
        await refuse(rows[0]!, error.message);
        return [];
      }
      return halves(rows, 1);
    }
    if (outcome.written) return outcome.conflicts;

    const blamed = blame(outcome.problem, rows.length);
    if (blamed.size === 0 && rows.length > 1) return halves(rows, pendingAttempts);
    for (const [index, row] of rows.entries()) {
      if (blamed.size === 0 || blamed.has(index)) {
        await refuse(row, blamed.get(index) ?? problemReason(outcome.problem));
      }
    }
    const rest = rows.filter((_, index) => blamed.size > 0 && !blamed.has(index));
    return rest.length > 0 ? pushBatch(rest, pendingAttempts) : [];
  }

  async function halves(rows: PushRow<C>[], pendingAttempts: number) {
    const middle = Math.ceil(rows.length / 2);
    const first = await pushBatch(rows.slice(0, middle), pendingAttempts);
    const second = await pushBatch(rows.slice(middle), pendingAttempts);
    return [...first, ...second];
  }

  async function refuse(row: PushRow<C>, reason: string) {
    const id = row.newDocumentState.id;
    await keepUnacknowledged(row);
    refusedEcho.set(id, (refusedEcho.get(id) ?? 0) + 1);
    outbox.markRefused(collection, id, reason);
  }

  /**
   * RxDB's push handler can only answer "written" or "conflict"; throwing makes it retry the
   * whole batch forever. A refused row is therefore answered "written", so RxDB moves on, and
   * this keeps RxDB's record of the server's state true: it rewrites the row's replication
   * meta document (what RxDB assumes the server holds) before RxDB records the refused state
   * as acknowledged, so that record loses its write race (a 409 RxDB ignores). The refused
   * document then stays a local change in RxDB's eyes: it is not overwritten by pulls, and it
   * is pushed again by `retryFailed()` or the next edit. A document the server never had is
   * recorded as "held deleted" there, the nearest RxDB has to "absent".
   */
  async function keepUnacknowledged(row: PushRow<C>) {
    const inner = internal();
    const id = row.newDocumentState.id;
    const assumed = (await getAssumedMasterState(inner, [id]))[id];
    const metaRow = assumed
      ? await getMetaWriteRow(inner, assumed.docData, assumed.metaDocument)
      : await getMetaWriteRow(inner, {
          ...(row.newDocumentState as unknown as WithDeleted<Doc<C>>),
          _deleted: true,
        });
    await inner.input.metaInstance.bulkWrite([metaRow], 'megilance-keep-refused-unacknowledged');
  }

  // Local writes become pending; RxDB's writes of server state settle them.
  subscriptions.push(
    rxCollection.eventBulks$.subscribe((bulk) => {
      const fromServer = bulk.context.startsWith('replication-downstream-');
      for (const event of bulk.events) {
        if (fromServer) {
          if (!outbox.isFailed(event.documentId)) outbox.markSettled(event.documentId);
        } else {
          outbox.markPending(collection, event.documentId);
        }
      }
    }),
  );

  // A push the server took settles the document if nothing was written over it since.
  const sentQueue = new Map<string, string>();
  const sentTick = new Subject<void>();
  subscriptions.push(
    state.sent$.subscribe((doc) => {
      const id = (doc as { id: string }).id;
      const echoes = refusedEcho.get(id) ?? 0;
      if (echoes > 0) {
        if (echoes === 1) refusedEcho.delete(id);
        else refusedEcho.set(id, echoes - 1);
        return;
      }
      sentQueue.set(id, canonical(withoutRxMeta(doc)));
      sentTick.next();
    }),
    sentTick.pipe(debounceTime(0)).subscribe(() => void settleSent().catch(() => undefined)),
  );

  async function settleSent() {
    const batch = [...sentQueue];
    sentQueue.clear();
    if (batch.length === 0 || rxCollection.closed) return;
    const current = await rxCollection.storageInstance.findDocumentsById(
      batch.map(([id]) => id),
      true,
    );
    const byId = new Map(current.map((doc) => [(doc as { id: string }).id, doc]));
    for (const [id, sentState] of batch) {
      const doc = byId.get(id);
      if (doc && canonical(withoutRxMeta(doc)) === sentState) outbox.markSettled(id);
    }
  }

  // When the collection goes quiet, check what is still marked pending against RxDB.
  subscriptions.push(
    state.active$
      .pipe(
        filter((active) => !active),
        debounceTime(50),
      )
      .subscribe(() => void reconcile().catch(() => undefined)),
  );

  /**
   * A document is pending exactly when its local state differs from what RxDB assumes the
   * server holds. Checked for the ids the outbox lists (and on start for everything written
   * since the outbox was last saved), never by scanning the collection.
   */
  async function reconcile(ids: string[] = outbox.idsOf(collection)) {
    if (ids.length === 0 || rxCollection.closed || state.isStopped()) return;
    await state.startPromise;
    const inner = internal();
    const [forks, assumed] = await Promise.all([
      rxCollection.storageInstance.findDocumentsById(ids, true),
      getAssumedMasterState(inner, ids),
    ]);
    const forkById = new Map(forks.map((doc) => [(doc as { id: string }).id, doc]));
    for (const id of ids) {
      const fork = forkById.get(id);
      const master = assumed[id];
      const inSync = fork
        ? master !== undefined && canonical(withoutRxMeta(fork)) === canonical(master.docData)
        : true;
      if (inSync) outbox.markSettled(id);
      else if (!fork) continue;
      else outbox.markPending(collection, id);
    }
  }

  /** On start: the outbox's list plus whatever was written after it was last saved. */
  async function reconcileOnStart() {
    const since = outbox.restored.savedAt - 5_000;
    const recent =
      since > 0
        ? await getChangedDocumentsSince(rxCollection.storageInstance, 10_000, {
            id: '',
            lwt: since,
          })
        : { documents: [] };
    const ids = new Set([
      ...outbox.idsOf(collection),
      ...recent.documents.map((doc) => (doc as { id: string }).id),
    ]);
    await reconcile([...ids]);
  }
  void state.startPromise.then(() => reconcileOnStart()).catch(() => undefined);

  /**
   * The server's current state of a document this device last saw as `lastKnown`. While a
   * refused change sat here, pulls skipped the document (RxDB never overwrites a local
   * change), so the device may not have the server's latest. There is no "get one document"
   * endpoint; a push row whose assumed state cannot match makes the server answer with its
   * document as a conflict, writing nothing. (Should the server have lost it, it stores
   * `lastKnown` again, which is what this device believed it held.)
   */
  async function currentMaster(lastKnown: WireDocument<C>): Promise<WireDocument<C>> {
    const probe: PushRow<C> = {
      newDocumentState: lastKnown,
      assumedMasterState: { ...lastKnown, updatedAt: NEVER_STORED } as unknown as WireDocument<C>,
    };
    const outcome = await persist(() => transport.push(collection, [probe]));
    if (!outcome.written) throw new Error(problemReason(outcome.problem));
    return outcome.conflicts.find((doc) => doc.id === lastKnown.id) ?? lastKnown;
  }

  /** A write of the same content: a new revision RxDB's upstream pushes again. */
  async function touch(ids: string[]) {
    if (ids.length === 0) return;
    const docs = await rxCollection.storageInstance.findDocumentsById(ids, true);
    for (const doc of docs) {
      const id = (doc as { id: string }).id;
      if (doc._deleted) {
        // A refused deletion: write the tombstone again (RxDB keeps tombstones as documents;
        // the collection's storage wrapper gives the write its new revision and time).
        await rxCollection.storageInstance.bulkWrite(
          [{ previous: doc, document: { ...doc } }],
          'megilance-retry-refused',
        );
        continue;
      }
      const rxDoc = await rxCollection.findOne(id).exec();
      await rxDoc?.incrementalModify((data) => data);
    }
  }

  return {
    collection,
    state: state as unknown as RxReplicationState<unknown, Checkpoint>,
    retryFailed: () => touch(outbox.failedIdsOf(collection)),
    async discard(id) {
      await state.startPromise;
      const inner = internal();
      const assumed = (await getAssumedMasterState(inner, [id]))[id];
      const rxDoc = await rxCollection.findOne(id).exec();
      if (!assumed || assumed.docData._deleted) {
        // The server never had it (or holds it deleted): deleting locally is all there is.
        await rxDoc?.remove();
      } else {
        const master = await currentMaster(assumed.docData as unknown as WireDocument<C>);
        // RxDB's record first, then the document: the upstream then sees nothing to push.
        const assumedNow = (await getAssumedMasterState(inner, [id]))[id];
        const metaRow = await getMetaWriteRow(
          inner,
          master as unknown as WithDeleted<Doc<C>>,
          assumedNow?.metaDocument,
        );
        await inner.input.metaInstance.bulkWrite([metaRow], 'megilance-discard-refused');
        if (master._deleted) {
          await rxDoc?.remove();
        } else if (rxDoc) {
          const { _deleted: _gone, ...content } = master;
          await rxDoc.incrementalModify(() => content as unknown as Doc<C>);
        }
      }
      outbox.markSettled(id);
      await reconcile([id]);
      return true;
    },
    reconcile: (ids) => reconcile(ids),
    async cancel() {
      for (const subscription of subscriptions) subscription.unsubscribe();
      await state.cancel();
    },
  };
}

/**
 * An `updatedAt` no stored document has: a push row assuming it always conflicts, so the
 * server answers with its current document and writes nothing.
 */
const NEVER_STORED = '0001-01-01T00:00:00.000Z';

/** Row index → what the server said about it, from pointers like `/3/newDocumentState/body`. */
function blame(problem: Problem, rowCount: number): Map<number, string> {
  const blamed = new Map<number, string>();
  for (const error of problem.errors ?? []) {
    const match = /^\/(\d+)(?:\/newDocumentState)?(\/.*)?$/.exec(error.pointer);
    if (!match) continue;
    const index = Number(match[1]);
    if (index >= rowCount) continue;
    const field = (match[2] ?? '').split('/').filter(Boolean).join('.');
    const reason = field ? `${field} ${error.detail}` : error.detail;
    blamed.set(index, blamed.has(index) ? `${blamed.get(index)}; ${reason}` : reason);
  }
  return blamed;
}

function problemReason(problem: Problem): string {
  return problem.detail ?? problem.title;
}

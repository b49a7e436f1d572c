import type { RxConflictHandler, WithDeleted } from 'rxdb';
import type { DocumentOf, WireDocument } from '../../shared/sync/documents.ts';
import { mergers, sameDocument } from '../../shared/sync/merge.ts';
import type { SyncCollection } from '../../shared/sync/protocol.ts';

/** RxDB's local bookkeeping: never replicated, so it must never decide equality or a merge. */
export function withoutRxMeta<D extends object>(document: D): D {
  const {
    _meta: _m,
    _rev: _r,
    _attachments: _a,
    ...rest
  } = document as D & {
    _meta?: unknown;
    _rev?: unknown;
    _attachments?: unknown;
  };
  return rest as D;
}

/**
 * The collection's conflict handler: the deterministic merge from `shared/` (the one the
 * server's tests use), instead of RxDB's default where the master wins and the device's edit
 * is dropped. `isEqual` runs on every document the replication looks at, so it stays a plain
 * canonical-JSON comparison.
 */
export function conflictHandlerFor<C extends SyncCollection>(
  collection: C,
): RxConflictHandler<DocumentOf[C]> {
  const merge = mergers[collection] as (input: {
    assumedMasterState?: WireDocument<C> | undefined;
    realMasterState: WireDocument<C>;
    newDocumentState: WireDocument<C>;
  }) => WireDocument<C>;
  const wire = (document: WithDeleted<DocumentOf[C]>) =>
    withoutRxMeta(document) as unknown as WireDocument<C>;
  return {
    isEqual: (a, b) => sameDocument(withoutRxMeta(a), withoutRxMeta(b)),
    resolve: (input) => {
      const merged = merge({
        assumedMasterState: input.assumedMasterState && wire(input.assumedMasterState),
        realMasterState: wire(input.realMasterState),
        newDocumentState: wire(input.newDocumentState),
      });
      return Promise.resolve(merged as unknown as WithDeleted<DocumentOf[C]>);
    },
  };
}

import {
  sql,
  type Insertable,
  type Kysely,
  type SelectQueryBuilder,
  type Transaction,
} from 'kysely';
import type { FieldError } from '../../shared/api/problem.ts';
import type { WireDocument } from '../../shared/sync/documents.ts';
import type { SyncCollection } from '../../shared/sync/protocol.ts';
import type { Database } from '../db/schema.ts';
import type { AuthContext } from '../http/route.ts';
import type { SyncWriteContext } from './write-context.ts';

/**
 * What a table does to opt into sync: how to read, write and pull its documents, who may
 * see one, and which changes a user may make to which fields. The sync service does the
 * rest (checkpoints, conflicts, transactions, live notifications).
 */
export interface SyncSpec<C extends SyncCollection> {
  collection: C;
  find(db: Kysely<Database>, id: string): Promise<WireDocument<C> | null>;
  /** Documents `userId` may see with a sequence above `afterSeq`, in sequence order. */
  pull(
    db: Kysely<Database>,
    userId: string,
    afterSeq: number,
    limit: number,
  ): Promise<Array<{ seq: number; document: WireDocument<C> }>>;
  canSee(db: Kysely<Database>, userId: string, document: WireDocument<C>): Promise<boolean>;
  /**
   * Problems with a write, as pointers into the document (`/body`); none means allowed.
   * `existing` is null for a creation.
   */
  authorize(
    db: Kysely<Database>,
    user: AuthContext,
    incoming: WireDocument<C>,
    existing: WireDocument<C> | null,
  ): Promise<WriteVerdict>;
  /** Stores the document under `seq`, with whatever rows hang off it. */
  write(
    context: SyncWriteContext,
    document: WireDocument<C>,
    existing: WireDocument<C> | null,
    seq: number,
  ): Promise<void>;
  /** Who must hear that the document changed. */
  audience(db: Kysely<Database>, document: WireDocument<C>): Promise<string[]>;
}

export type WriteVerdict =
  | { allowed: true }
  | { allowed: false; errors: FieldError[] }
  /** Depends on a document not synced yet (a message before its conversation): retry later. */
  | { allowed: false; pending: string };

/**
 * A pull's page: the rows of `visible` (a query already narrowed to what the user may see)
 * whose `seq` column is above the checkpoint, in sequence order, at most `limit`, as documents.
 */
export async function pullPage<DB, TB extends keyof DB, Row extends { seq: number }, Document>(
  visible: SelectQueryBuilder<DB, TB, Row>,
  seq: 'seq' | `${string}.seq`,
  afterSeq: number,
  limit: number,
  fromRow: (row: Row) => Document,
): Promise<Array<{ seq: number; document: Document }>> {
  const rows = await visible
    .where(sql.ref(seq), '>', afterSeq)
    .orderBy(sql.ref(seq))
    .limit(limit)
    .execute();
  return rows.map((row) => ({ seq: row.seq, document: fromRow(row) }));
}

export const allowed: WriteVerdict = { allowed: true };

export function denied(...errors: Array<[pointer: string, detail: string]>): WriteVerdict {
  return { allowed: false, errors: errors.map(([pointer, detail]) => ({ pointer, detail })) };
}

/** Fields that must not change after creation, reported one by one. */
export function unchangedFields<D extends Record<string, unknown>>(
  incoming: D,
  existing: D,
  fields: ReadonlyArray<keyof D & string>,
  same: (a: unknown, b: unknown) => boolean,
): Array<[string, string]> {
  return fields
    .filter((field) => !same(incoming[field], existing[field]))
    .map((field) => [`/${field}`, 'cannot be changed'] as [string, string]);
}

export const flag = (value: boolean): number => (value ? 1 : 0);

/**
 * Documents only the server writes (contracts, milestones): every push is refused. A creation
 * is blamed on the whole document, a change on each field it tried to change.
 */
export function refuseDeviceWrite<D extends Record<string, unknown>>(
  incoming: D,
  existing: D | null,
  same: (a: unknown, b: unknown) => boolean,
  reasons: { create: string; change: string },
): WriteVerdict {
  if (!existing) return denied(['', reasons.create]);
  const fields = [...new Set([...Object.keys(incoming), ...Object.keys(existing)])].filter(
    (field) => !same(incoming[field], existing[field]),
  );
  if (fields.length === 0) return denied(['', reasons.change]);
  return denied(...fields.map((field) => [`/${field}`, reasons.change] as [string, string]));
}

/** The `write` of a spec whose `authorize` refuses everything: reaching it is a bug. */
export function neverWrittenByDevices(collection: string): () => Promise<never> {
  return () =>
    Promise.reject(new Error(`${collection} are written by the server, never from a push`));
}

/** The synced tables keyed by their document's `id`. */
type DocumentTable =
  | 'user_settings'
  | 'conversations'
  | 'messages'
  | 'notifications'
  | 'time_entries'
  | 'screenshots'
  | 'work_logs'
  | 'time_reviews';

/** Stores a document's row: inserted the first time, replaced whole after (a push is the document). */
export async function upsertDocumentRow<T extends DocumentTable>(
  trx: Transaction<Database>,
  table: T,
  row: Insertable<Database[T]>,
): Promise<void> {
  await trx
    .insertInto(table)
    .values(row)
    .onConflict((conflict) => conflict.column('id').doUpdateSet(row))
    .execute();
}

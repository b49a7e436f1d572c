import { z } from 'zod';

/**
 * The replication protocol (RxDB's, over HTTP): see ARCHITECTURE.md, "Sync protocol".
 *
 *   GET  /api/v1/sync/:collection/pull?checkpoint=<JSON>&limit=N → { documents, checkpoint }
 *   POST /api/v1/sync/:collection/push  [{ newDocumentState, assumedMasterState? }]
 *                                       → the master documents of the rows in conflict
 *
 * A checkpoint is the server's sequence number of the last change a device has seen. The
 * server assigns it per collection, strictly increasing in commit order: never a clock.
 *
 * What devices may rely on:
 * - A row whose document the server has never had is written, whatever its assumed master.
 * - A row whose document exists and whose assumed master differs is a conflict: the master
 *   comes back and nothing of that row is written.
 * - A refused push (403, 422) writes nothing and blames rows by JSON pointer,
 *   `/<row index>/newDocumentState/<field>`; a 409 `sync-pending` asks to retry shortly.
 * - `sync:changed` goes to every device of every user who can see the change, the pushing
 *   device included.
 * - Contracts and milestones are the server's: it writes them (accepting a proposal, the
 *   contract's REST commands) and refuses any push of them. Devices only pull.
 * - Time entries, screenshots and work logs are the freelancer's; time reviews the client's.
 *   A time entry's `status` is the server's: it follows the client's reviews.
 */
export const syncCollections = [
  'settings',
  'conversations',
  'messages',
  'notifications',
  'contracts',
  'milestones',
  'timeEntries',
  'screenshots',
  'workLogs',
  'timeReviews',
  'escrows',
  'invoices',
] as const;
export type SyncCollection = (typeof syncCollections)[number];
export const syncCollectionSchema = z.enum(syncCollections);

export const checkpointSchema = z
  .object({ seq: z.int().min(0) })
  .strict()
  .meta({ id: 'Checkpoint' });
export type Checkpoint = z.infer<typeof checkpointSchema>;

export const MAX_PULL_LIMIT = 1000;
export const MAX_PUSH_ROWS = 500;

/** The checkpoint travels URL-encoded JSON in the query string; absent means "from the start". */
export const pullQuerySchema = z.object({
  checkpoint: z
    .string()
    .max(200)
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({
          code: 'custom',
          message: 'must be a JSON checkpoint such as {"seq":12}',
        });
        return z.NEVER;
      }
    })
    .pipe(checkpointSchema)
    .optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(100),
});

/** Every document on the wire carries its deletion flag; deletes are tombstones. */
export const deletedFlag = { _deleted: z.boolean() };

export function pullResponseSchema<D extends z.ZodType>(document: D) {
  return z.object({ documents: z.array(document), checkpoint: checkpointSchema.nullable() });
}

export function pushRowSchema<D extends z.ZodType>(document: D) {
  return z.object({
    newDocumentState: document,
    assumedMasterState: document.nullable().optional(),
  });
}

export function pushBodySchema<D extends z.ZodType>(document: D) {
  return z
    .array(pushRowSchema(document))
    .min(1, 'push at least one row')
    .max(MAX_PUSH_ROWS, `push at most ${MAX_PUSH_ROWS} rows at once`);
}

/** socket.io events. The server only says "something changed"; devices pull from their checkpoint. */
export const liveEvents = {
  /** server → device: `{ collection, seq }` after a commit the device's user can see. */
  changed: 'sync:changed',
  /** server → device: a participant's presence, `{ userId, online }`. */
  presence: 'presence',
  /** both ways: `{ conversationId, typing }` (the server adds `userId` when relaying). */
  typing: 'typing',
  /** device → server, acknowledged: `{ projectId }` (shared/marketplace/project-watch.ts). */
  projectWatch: 'project:watch',
  /** device → server, acknowledged: `{ projectId }`. */
  projectUnwatch: 'project:unwatch',
  /** server → watchers of a project: `{ projectId, proposalCount }` after a commit. */
  projectProposals: 'project:proposals',
} as const;

export const changedEventSchema = z.object({ collection: syncCollectionSchema, seq: z.int() });
export const typingEventSchema = z.object({ conversationId: z.uuid(), typing: z.boolean() });
export const presenceEventSchema = z.object({ userId: z.uuid(), online: z.boolean() });

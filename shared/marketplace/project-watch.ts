import { z } from 'zod';

/**
 * Watching a project over the live socket: its proposal count as it changes. The socket asks
 * with `project:watch` / `project:unwatch` (names in `liveEvents`, shared/sync/protocol.ts)
 * and a socket.io acknowledgement; the server answers every ask, so the client always knows.
 * What it hears is a hint for the screen, never data: a reload answers the same count.
 */

/** Watches one socket may hold at once; each is a room on the server. */
export const MAX_WATCHED_PROJECTS = 20;

/** device → server: `project:watch` and `project:unwatch`. */
export const projectWatchSchema = z.object({ projectId: z.uuid() }).strict();
export type ProjectWatch = z.infer<typeof projectWatchSchema>;

/** server → watchers: `project:proposals`, after a commit that changed the count. */
export const projectProposalsEventSchema = z.object({
  projectId: z.uuid(),
  /** Exactly `Project.proposalCount`: the project's proposals that were not withdrawn. */
  proposalCount: z.int().min(0),
});
export type ProjectProposalsEvent = z.infer<typeof projectProposalsEventSchema>;

/**
 * Why an ask was refused, as an API problem would say it: `validation` (not a project id),
 * `not-found` (no such project, or not visible to this user: the two are not told apart),
 * `watch-limit` (already watching `MAX_WATCHED_PROJECTS`), `conflict` (an unwatch or a newer
 * watch of the same project came while this one was checked: that one decides), `internal`.
 */
export const watchRefusalSchema = z.object({
  ok: z.literal(false),
  type: z.string(),
  detail: z.string(),
});
export type WatchRefusal = z.infer<typeof watchRefusalSchema>;

/** The answer to `project:watch`: watching, with the count as of now (nothing missed). */
export const watchAckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), projectId: z.uuid(), proposalCount: z.int().min(0) }),
  watchRefusalSchema,
]);
export type WatchAck = z.infer<typeof watchAckSchema>;

/** The answer to `project:unwatch`: no longer watching (also when it never was). */
export const unwatchAckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), projectId: z.uuid() }),
  watchRefusalSchema,
]);
export type UnwatchAck = z.infer<typeof unwatchAckSchema>;

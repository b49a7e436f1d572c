import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import { problemTypes } from '../../shared/api/problem.ts';
import {
  MAX_WATCHED_PROJECTS,
  projectWatchSchema,
  type ProjectProposalsEvent,
  type UnwatchAck,
  type WatchAck,
  type WatchRefusal,
} from '../../shared/marketplace/project-watch.ts';
import { liveEvents } from '../../shared/sync/protocol.ts';
import { HttpProblem } from '../http/problem.ts';
import type { AuthContext } from '../http/route.ts';

export const projectRoom = (projectId: string) => `project:${projectId}`;
const isProjectRoom = (room: string) => room.startsWith('project:');
const projectIdOf = (room: string) => room.slice('project:'.length);

export interface ProjectWatchOptions {
  /**
   * Resolves if `auth` may see the project; throws the API's 404 problem otherwise
   * (ProjectService's rule: public and published, or its client, or an admin).
   */
  requireVisible(auth: AuthContext, projectId: string): Promise<void>;
  /** The count as every project answer has it (`Project.proposalCount`). */
  proposalCount(projectId: string): Promise<number>;
  logger: Logger;
}

const refusal = (type: string, detail: string): WatchRefusal => ({ ok: false, type, detail });

/** socket.io hands the acknowledgement callback last, when the client asked for one. */
const replyOf = <T>(ack: unknown): ((answer: T) => void) =>
  typeof ack === 'function' ? (answer) => (ack as (answer: T) => void)(answer) : () => undefined;

/**
 * `project:watch` / `project:unwatch` on one socket. A refused watch (bad id, a project the
 * user may not see, over the cap) is answered with the refusal in the acknowledgement and
 * logged as a warning, and joins nothing: that socket hears nothing of the project. A watch
 * answers the count as of now, read after joining (so no change falls between the read and
 * the join), and a client (re)watching after a reconnect misses nothing.
 * The cap counts the socket's project rooms (rooms a recovered connection got back included)
 * and the watches still being checked, so asks sent all at once cannot pass it together.
 */
export function handleProjectWatches(
  socket: Socket,
  auth: AuthContext,
  options: ProjectWatchOptions,
): void {
  const { logger } = options;
  // Each watch is a room held in memory (on every instance, in scale mode): bounded.
  const max = MAX_WATCHED_PROJECTS;
  /** Watches still being checked: they hold their place under the cap meanwhile. */
  const pending = new Map<string, symbol>();
  const holds = (projectId: string) =>
    pending.has(projectId) || socket.rooms.has(projectRoom(projectId));
  const holding = () =>
    pending.size +
    [...socket.rooms].filter((room) => isProjectRoom(room) && !pending.has(projectIdOf(room)))
      .length;
  const failed = (reply: (answer: WatchRefusal) => void, error: unknown, projectId: string) => {
    logger.warn({ err: error, projectId }, 'project watch failed');
    reply(refusal(problemTypes.internal, 'Could not watch the project just now.'));
  };
  const refuse = (reply: (answer: WatchRefusal) => void, answer: WatchRefusal, extra: object) => {
    logger.warn({ userId: auth.userId, refusal: answer.type, ...extra }, 'project watch refused');
    reply(answer);
  };

  socket.on(liveEvents.projectWatch, (payload: unknown, ack: unknown) => {
    const reply = replyOf<WatchAck>(ack);
    const parsed = projectWatchSchema.safeParse(payload);
    if (!parsed.success) {
      refuse(reply, refusal(problemTypes.validation, 'Expected { projectId: <uuid> }.'), {});
      return;
    }
    const { projectId } = parsed.data;
    if (!holds(projectId) && holding() >= max) {
      const detail = `A connection watches at most ${max} projects at once.`;
      refuse(reply, refusal(problemTypes.watchLimit, detail), { projectId });
      return;
    }
    const ticket = Symbol(projectId);
    pending.set(projectId, ticket);
    void (async () => {
      try {
        await options.requireVisible(auth, projectId);
      } catch (error) {
        if (pending.get(projectId) === ticket) pending.delete(projectId);
        if (error instanceof HttpProblem && error.status === 404) {
          refuse(reply, refusal(problemTypes.notFound, error.message), { projectId });
        } else {
          failed(reply, error, projectId);
        }
        return;
      }
      // An unwatch (or a newer watch) came while this one was being checked: it decides.
      if (pending.get(projectId) !== ticket) {
        reply(refusal(problemTypes.conflict, 'Superseded by a later ask about this project.'));
        return;
      }
      pending.delete(projectId);
      if (!socket.connected) return;
      const room = projectRoom(projectId);
      void socket.join(room);
      try {
        reply({ ok: true, projectId, proposalCount: await options.proposalCount(projectId) });
      } catch (error) {
        void socket.leave(room);
        failed(reply, error, projectId);
      }
    })();
  });

  socket.on(liveEvents.projectUnwatch, (payload: unknown, ack: unknown) => {
    const reply = replyOf<UnwatchAck>(ack);
    const parsed = projectWatchSchema.safeParse(payload);
    if (!parsed.success) {
      refuse(reply, refusal(problemTypes.validation, 'Expected { projectId: <uuid> }.'), {});
      return;
    }
    const { projectId } = parsed.data;
    pending.delete(projectId);
    void socket.leave(projectRoom(projectId));
    reply({ ok: true, projectId });
  });
}

/**
 * Sends a project's new count to its watchers, on every instance (a room emit travels through
 * the Redis adapter in scale mode). For a project not public, only watchers who may still see
 * it hear it, and the others leave the room: it may have become invite-only since they joined.
 */
export async function tellProjectWatchers(
  io: Server,
  event: ProjectProposalsEvent,
  mayHear: ((auth: AuthContext) => boolean) | 'everyone',
): Promise<void> {
  const room = projectRoom(event.projectId);
  if (mayHear === 'everyone') {
    io.to(room).emit(liveEvents.projectProposals, event);
    return;
  }
  for (const socket of await io.in(room).fetchSockets()) {
    const { auth } = socket.data as { auth: AuthContext };
    if (mayHear(auth)) socket.emit(liveEvents.projectProposals, event);
    else socket.leave(room);
  }
}

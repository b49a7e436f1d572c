import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server, type Socket } from 'socket.io';
import type { ProjectProposalsEvent } from '../../shared/marketplace/project-watch.ts';
import { liveEvents, typingEventSchema } from '../../shared/sync/protocol.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem } from '../http/problem.ts';
import type { AuthContext } from '../http/route.ts';
import { isParticipant, participantIds } from '../sync/collections/conversations.ts';
import type { CommittedChange } from '../sync/sync-service.ts';
import {
  handleProjectWatches,
  tellProjectWatchers,
  type ProjectWatchOptions,
} from './project-watch.ts';

export interface LiveServer {
  io: Server;
  /** Tells every device of every user in the audience that a collection moved on. */
  announce(changes: CommittedChange[]): void;
  /**
   * A project's new proposal count, to the sockets watching it: all of them, or those whose
   * user `mayHear` (a project that is not public).
   */
  tellProjectWatchers(
    event: ProjectProposalsEvent,
    mayHear: ((auth: AuthContext) => boolean) | 'everyone',
  ): Promise<void>;
  /** Closes the sockets of `userId` whose session has ended (revoked, signed out). */
  dropEndedSessions(userId: string): Promise<void>;
  /** Drops this instance's sockets; devices reconnect elsewhere and pull what they missed. */
  close(): Promise<void>;
}

/**
 * Scale mode: rooms span every instance through Redis pub/sub, so a commit on one instance
 * reaches sockets held by another.
 */
async function redisAdapter(io: Server, { url, keyPrefix }: { url: string; keyPrefix: string }) {
  const publisher = createClient({ url });
  const subscriber = publisher.duplicate();
  await Promise.all([publisher.connect(), subscriber.connect()]);
  io.adapter(createAdapter(publisher, subscriber, { key: `${keyPrefix}:socket.io` }));
  return { close: () => Promise.all([publisher.quit(), subscriber.quit()]) };
}

interface LiveOptions {
  db: Db;
  redis: { url: string; keyPrefix: string } | undefined;
  logger: Logger;
  appOrigins: string[];
  authenticate(token: string): Promise<AuthContext>;
  /** Answers `project:watch`: see project-watch.ts. */
  projectWatch: Omit<ProjectWatchOptions, 'logger'>;
}

/** Set by the handshake middleware before any event handler runs. */
const authOf = (socket: Socket) => (socket.data as { auth: AuthContext }).auth;

const userRoom = (userId: string) => `user:${userId}`;

/**
 * socket.io beside the HTTP API. The handshake carries the access token (never a user id the
 * client chooses); a socket lives no longer than its token, and the device reconnects with a
 * fresh one, ending in a pull, so nothing said while it was away is lost.
 */
export async function attachLiveServer(
  http: HttpServer,
  options: LiveOptions,
): Promise<LiveServer> {
  const { db, logger } = options;
  const io = new Server(http, {
    serveClient: false,
    cors: { origin: options.appOrigins },
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
  });
  const redis = options.redis ? await redisAdapter(io, options.redis) : undefined;
  const socketsPerUser = new Map<string, number>();
  let closing = false;
  /** Presence and typing are best effort: they never outlive shutdown or crash the server. */
  const inBackground = (task: () => Promise<void>) => {
    if (closing) return;
    task().catch((error: unknown) => {
      if (!closing) logger.warn({ err: error }, 'live event failed');
    });
  };

  io.use((socket, next) => {
    const token: unknown = (socket.handshake.auth as { token?: unknown }).token;
    if (typeof token !== 'string') {
      next(
        Object.assign(new Error('Authentication required'), {
          data: { type: 'urn:megilance:problem:unauthenticated' },
        }),
      );
      return;
    }
    options.authenticate(token).then(
      (auth) => {
        (socket.data as { auth: AuthContext }).auth = auth;
        next();
      },
      (error: unknown) => {
        const type = error instanceof HttpProblem ? error.type : 'urn:megilance:problem:internal';
        next(
          Object.assign(new Error(error instanceof Error ? error.message : 'Refused'), {
            data: { type },
          }),
        );
      },
    );
  });

  io.on('connection', (socket) => {
    const { userId, expiresAt } = authOf(socket);
    void socket.join(userRoom(userId));

    if (expiresAt) {
      const timer = setTimeout(
        () => socket.disconnect(true),
        Math.max(0, expiresAt * 1000 - Date.now()),
      );
      socket.on('disconnect', () => clearTimeout(timer));
    }

    const count = (socketsPerUser.get(userId) ?? 0) + 1;
    socketsPerUser.set(userId, count);
    inBackground(async () => {
      const ids = await contacts(db, userId);
      // Tell the newcomer who is online, and the others that the newcomer is.
      for (const id of ids) {
        if (socketsPerUser.has(id)) socket.emit(liveEvents.presence, { userId: id, online: true });
      }
      if (count === 1 && ids.length > 0) {
        io.to(ids.map(userRoom)).emit(liveEvents.presence, { userId, online: true });
      }
    });

    handleProjectWatches(socket, authOf(socket), { ...options.projectWatch, logger });

    socket.on(liveEvents.typing, (payload: unknown) => {
      const parsed = typingEventSchema.safeParse(payload);
      if (!parsed.success) return;
      const { conversationId, typing } = parsed.data;
      inBackground(async () => {
        if (!(await isParticipant(db.kysely, conversationId, userId))) return;
        const others = (await participantIds(db.kysely, conversationId)).filter(
          (id) => id !== userId,
        );
        if (others.length > 0)
          io.to(others.map(userRoom)).emit(liveEvents.typing, { conversationId, userId, typing });
      });
    });

    socket.on('disconnect', () => {
      const left = (socketsPerUser.get(userId) ?? 1) - 1;
      if (left > 0) {
        socketsPerUser.set(userId, left);
        return;
      }
      socketsPerUser.delete(userId);
      inBackground(async () => {
        const ids = await contacts(db, userId);
        if (ids.length > 0)
          io.to(ids.map(userRoom)).emit(liveEvents.presence, { userId, online: false });
      });
    });
  });

  return {
    io,
    announce(changes) {
      for (const { collection, seq, audience } of changes) {
        if (audience.length > 0)
          io.to(audience.map(userRoom)).emit(liveEvents.changed, { collection, seq });
      }
    },
    async tellProjectWatchers(event, mayHear) {
      if (closing) return;
      await tellProjectWatchers(io, event, mayHear);
    },
    async dropEndedSessions(userId) {
      const sockets = await io.in(userRoom(userId)).fetchSockets();
      if (sockets.length === 0) return;
      const rows = await db.kysely
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .execute();
      const live = new Set(rows.map((row) => row.id));
      for (const socket of sockets) {
        const { sessionId } = (socket.data as { auth: AuthContext }).auth;
        if (!live.has(sessionId)) socket.disconnect(true);
      }
    },
    async close() {
      closing = true;
      // Local only: in scale mode a plain disconnectSockets() would reach every instance.
      // Not io.close(): that also closes the HTTP server, whose graceful shutdown is ours.
      io.local.disconnectSockets(true);
      io.engine.close();
      await io.of('/').adapter.close();
      await redis?.close();
    },
  };
}

/** Everyone who shares a conversation with `userId`: whose presence matters to them. */
async function contacts(db: Db, userId: string): Promise<string[]> {
  const rows = await db.kysely
    .selectFrom('conversation_participants as mine')
    .innerJoin(
      'conversation_participants as theirs',
      'theirs.conversation_id',
      'mine.conversation_id',
    )
    .select('theirs.user_id')
    .distinct()
    .where('mine.user_id', '=', userId)
    .where('theirs.user_id', '!=', userId)
    .execute();
  return rows.map((row) => row.user_id);
}

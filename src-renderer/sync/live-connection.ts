import { BehaviorSubject, Observable, Subject, type Subscriber } from 'rxjs';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { problemTypes } from '../../shared/api/problem.ts';
import {
  projectProposalsEventSchema,
  watchAckSchema,
} from '../../shared/marketplace/project-watch.ts';
import {
  changedEventSchema,
  liveEvents,
  presenceEventSchema,
  type SyncCollection,
} from '../../shared/sync/protocol.ts';
import { z } from 'zod';

export type SocketFactory = (
  url: string,
  options: Partial<ManagerOptions & SocketOptions>,
) => Socket;

export interface LiveConnectionOptions {
  serverUrl: string;
  getAccessToken(): string | null;
  refreshAccessToken(): Promise<string | null>;
  socketFactory?: SocketFactory;
  /** How long a "typing" lasts without being repeated (the "stopped" event can be lost). */
  typingTimeoutMs?: number;
}

export interface LiveConnection {
  readonly connected$: Observable<boolean>;
  /** Every (re)connection: the device pulls from its checkpoints, so nothing missed is lost. */
  readonly connects$: Observable<void>;
  readonly changed$: Observable<{ collection: SyncCollection; seq: number }>;
  readonly presence$: Observable<ReadonlyMap<string, boolean>>;
  readonly typing$: Observable<ReadonlyMap<string, ReadonlySet<string>>>;
  /** Why the server will not let this socket in (session over), or null. */
  readonly refused$: Observable<string | null>;
  setTyping(conversationId: string, typing: boolean): void;
  /**
   * A project's proposal count while subscribed: the server's count when the watch is
   * answered (again after every reconnect, so nothing said while away is missed), then each
   * change. Emits nothing if the server refuses the watch (a project this user may not see,
   * too many watched): the screen keeps the count it loaded.
   */
  watchProjectProposals(projectId: string): Observable<number>;
  /** Offline: hang up and stay down. Online: connect (socket.io then keeps reconnecting). */
  setNetwork(online: boolean): void;
  close(): void;
}

/** What the server relays: the sender's event plus who is typing. */
const relayedTypingSchema = z.object({
  conversationId: z.string(),
  userId: z.string(),
  typing: z.boolean(),
});

const renewable = new Set<string>([problemTypes.tokenExpired, problemTypes.unauthenticated]);

/**
 * The socket.io side of sync: "something changed" nudges, presence and typing. Nothing here
 * is data: a lost event costs at most a delay, because every reconnect ends in a pull.
 */
export function connectLive(options: LiveConnectionOptions): LiveConnection {
  const factory = options.socketFactory ?? io;
  const typingTimeoutMs = options.typingTimeoutMs ?? 6_000;
  const connected$ = new BehaviorSubject(false);
  const connects$ = new Subject<void>();
  const changed$ = new Subject<{ collection: SyncCollection; seq: number }>();
  const presence$ = new BehaviorSubject<ReadonlyMap<string, boolean>>(new Map());
  const typing$ = new BehaviorSubject<ReadonlyMap<string, ReadonlySet<string>>>(new Map());
  const refused$ = new BehaviorSubject<string | null>(null);
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let wantOnline = true;
  let closed = false;
  let renewals = 0;
  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  /** Watched projects → who follows their count, and its last known value; one watch each. */
  const projectWatchers = new Map<
    string,
    { subscribers: Set<Subscriber<number>>; count: number | null }
  >();
  /** Let go of while disconnected: a recovered connection may still hold their watches. */
  const unwatchOnConnect = new Set<string>();

  const socket = factory(new URL(options.serverUrl).origin, {
    // Read on every (re)connection attempt, so a refreshed token is used at once.
    auth: (callback: (data: object) => void) => callback({ token: options.getAccessToken() }),
    // WebSocket first: no long-polling round trips (and no CORS preflights from app://).
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    autoConnect: false,
  });

  /**
   * socket.io does not come back by itself after the server hung up (its token expired, or
   * the server is shutting down) or refused the handshake. Come back, with a renewed token
   * when the handshake said it expired; back off if it keeps failing.
   */
  function reconnect(renew: boolean) {
    if (closed || !wantOnline || renewTimer) return;
    const delay = renewals === 0 ? 0 : Math.min(500 * 2 ** renewals, 15_000);
    renewals += 1;
    renewTimer = setTimeout(() => {
      renewTimer = undefined;
      if (!renew) {
        socket.connect();
        return;
      }
      void options.refreshAccessToken().then(
        (token) => {
          if (closed || !wantOnline) return;
          if (!token) {
            refused$.next('Your session ended: sign in again to sync.');
            return;
          }
          socket.connect();
        },
        () => {
          // The refresh itself failed (offline): try again after the next back-off.
          reconnect(true);
        },
      );
    }, delay);
  }

  socket.on('connect', () => {
    renewals = 0;
    refused$.next(null);
    connected$.next(true);
    connects$.next();
    // A fresh connection holds no watches; a recovered one got its rooms back.
    for (const projectId of unwatchOnConnect) socket.emit(liveEvents.projectUnwatch, { projectId });
    unwatchOnConnect.clear();
    for (const projectId of projectWatchers.keys()) askToWatch(projectId);
  });

  socket.on('disconnect', (reason) => {
    connected$.next(false);
    // Whoever was online or typing may have changed while we could not hear it.
    presence$.next(new Map());
    clearTyping();
    // A hang-up at token expiry or at server shutdown: the handshake will say which.
    if (reason === 'io server disconnect') reconnect(false);
  });

  socket.on('connect_error', (error: Error & { data?: { type?: unknown } }) => {
    connected$.next(false);
    if (socket.active) return; // a network failure: socket.io retries with back-off itself
    const type = typeof error.data?.type === 'string' ? error.data.type : null;
    if (type && !renewable.has(type)) {
      refused$.next(`The server refused the live connection: ${error.message}`);
      return;
    }
    reconnect(true);
  });

  socket.on(liveEvents.changed, (payload: unknown) => {
    const parsed = changedEventSchema.safeParse(payload);
    if (parsed.success) changed$.next(parsed.data);
  });

  socket.on(liveEvents.presence, (payload: unknown) => {
    const parsed = presenceEventSchema.safeParse(payload);
    if (!parsed.success) return;
    const next = new Map(presence$.value);
    next.set(parsed.data.userId, parsed.data.online);
    presence$.next(next);
  });

  socket.on(liveEvents.typing, (payload: unknown) => {
    const parsed = relayedTypingSchema.safeParse(payload);
    if (!parsed.success) return;
    const { conversationId, userId, typing } = parsed.data;
    setTypingOf(conversationId, userId, typing);
  });

  socket.on(liveEvents.projectProposals, (payload: unknown) => {
    const parsed = projectProposalsEventSchema.safeParse(payload);
    if (parsed.success) tellProjectWatchers(parsed.data.projectId, parsed.data.proposalCount);
  });

  function askToWatch(projectId: string) {
    socket
      .timeout(10_000)
      .emit(liveEvents.projectWatch, { projectId }, (error: Error | null, answer: unknown) => {
        // No answer in time: the next connection asks again. Refused: nothing to follow.
        if (error) return;
        const parsed = watchAckSchema.safeParse(answer);
        if (parsed.success && parsed.data.ok) {
          tellProjectWatchers(projectId, parsed.data.proposalCount);
        }
      });
  }

  function tellProjectWatchers(projectId: string, proposalCount: number) {
    const watch = projectWatchers.get(projectId);
    if (!watch) return; // let go of meanwhile
    watch.count = proposalCount;
    for (const subscriber of watch.subscribers) subscriber.next(proposalCount);
  }

  function setTypingOf(conversationId: string, userId: string, typing: boolean) {
    const key = `${conversationId}\u0000${userId}`;
    clearTimeout(typingTimers.get(key));
    typingTimers.delete(key);
    const next = new Map(typing$.value);
    const users = new Set(next.get(conversationId) ?? []);
    if (typing) {
      users.add(userId);
      typingTimers.set(
        key,
        setTimeout(() => setTypingOf(conversationId, userId, false), typingTimeoutMs),
      );
    } else {
      users.delete(userId);
    }
    if (users.size > 0) next.set(conversationId, users);
    else next.delete(conversationId);
    typing$.next(next);
  }

  function clearTyping() {
    for (const timer of typingTimers.values()) clearTimeout(timer);
    typingTimers.clear();
    if (typing$.value.size > 0) typing$.next(new Map());
  }

  socket.connect();

  return {
    connected$: connected$.asObservable(),
    connects$: connects$.asObservable(),
    changed$: changed$.asObservable(),
    presence$: presence$.asObservable(),
    typing$: typing$.asObservable(),
    refused$: refused$.asObservable(),
    setTyping(conversationId, typing) {
      // Ephemeral by design: when offline there is nobody to tell.
      if (socket.connected) socket.volatile.emit(liveEvents.typing, { conversationId, typing });
    },
    watchProjectProposals(projectId) {
      return new Observable<number>((subscriber) => {
        if (closed) {
          subscriber.complete();
          return;
        }
        unwatchOnConnect.delete(projectId);
        let watch = projectWatchers.get(projectId);
        if (!watch) {
          watch = { subscribers: new Set(), count: null };
          projectWatchers.set(projectId, watch);
          // Not connected: the next 'connect' asks for every watched project.
          if (socket.connected) askToWatch(projectId);
        } else if (watch.count !== null) {
          subscriber.next(watch.count);
        }
        watch.subscribers.add(subscriber);
        return () => {
          const current = projectWatchers.get(projectId);
          if (!current) return;
          current.subscribers.delete(subscriber);
          if (current.subscribers.size > 0) return;
          projectWatchers.delete(projectId);
          // Not emitted while disconnected: socket.io would send it after the next connect's
          // watches, and so undo one asked again meanwhile.
          if (socket.connected) socket.emit(liveEvents.projectUnwatch, { projectId });
          else unwatchOnConnect.add(projectId);
        };
      });
    },
    setNetwork(online) {
      if (closed || online === wantOnline) return;
      wantOnline = online;
      if (online) {
        renewals = 0;
        socket.connect();
      } else {
        clearTimeout(renewTimer);
        renewTimer = undefined;
        socket.disconnect();
      }
    },
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(renewTimer);
      clearTyping();
      socket.removeAllListeners();
      socket.disconnect();
      connected$.next(false);
      for (const subject of [connected$, connects$, changed$, presence$, typing$, refused$]) {
        subject.complete();
      }
      const watchers = [...projectWatchers.values()].flatMap((watch) => [...watch.subscribers]);
      projectWatchers.clear();
      for (const subscriber of watchers) subscriber.complete();
    },
  };
}

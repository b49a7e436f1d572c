import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { BehaviorSubject } from 'rxjs';
import type { AuthResult, TokenPair } from '../../shared/accounts/auth.ts';
import type { DocumentOf, WireDocument } from '../../shared/sync/documents.ts';
import { canonical } from '../../shared/sync/merge.ts';
import type { Checkpoint, SyncCollection } from '../../shared/sync/protocol.ts';
import { startSyncEngine, type SyncEngine } from '../../src-renderer/sync/engine.ts';
import { client } from './http.ts';
import type { Person } from './sync-fixtures.ts';

/**
 * Simulated devices for the sync tests: the real engine (RxDB on the memory storage, real
 * HTTP, real socket.io-client) with a network switch that makes fetch fail and hangs up the
 * socket, and a restart that reopens the same storage as an app restart would.
 */
export const password = 'a long enough password';

/** A memory storage of its own: RxDB's default keeps one store per process. */
export function deviceStorage(): RxStorage<unknown, unknown> {
  const base = getRxStorageMemory();
  return { ...base, collectionStates: new Map() } as unknown as RxStorage<unknown, unknown>;
}

export interface Device {
  readonly label: string;
  readonly person: Person;
  readonly engine: SyncEngine;
  readonly online: boolean;
  /** How many times the engine asked for a new access token. */
  readonly refreshes: number;
  setOnline(online: boolean): void;
  /** Closes the app and opens it again on the same local data. */
  restart(): Promise<void>;
  close(): Promise<void>;
  /** Live documents of a collection, as plain JSON sorted by id. */
  docs<C extends SyncCollection>(collection: C): Promise<Array<DocumentOf[C]>>;
}

/**
 * What a simulated device opens: the collections people write. RxDB's open core allows 13
 * open collections per process and these suites run three devices in one; contracts and
 * milestones (which devices only pull) are covered by tests/integration/contract-sync.test.ts
 * and the e2e suites, where each window is a process of its own.
 */
export const deviceCollections = [
  'settings',
  'conversations',
  'messages',
  'notifications',
] as const satisfies readonly SyncCollection[];

export interface DeviceOptions {
  serverUrl: () => string;
  /** A session of its own (signs in again); off: reuse the person's sign-up session. */
  ownSession?: boolean;
  /** Replaces the first access token (an expired one, to test renewal). */
  firstAccessToken?: (token: string) => Promise<string>;
}

export async function openDevice(
  label: string,
  person: Person,
  options: DeviceOptions,
): Promise<Device> {
  const session = options.ownSession
    ? await signIn(options.serverUrl(), person, label)
    : { accessToken: person.accessToken, refreshToken: person.refreshToken };
  if (options.firstAccessToken) {
    session.accessToken = await options.firstAccessToken(session.accessToken);
  }
  const net = new BehaviorSubject(true);
  const storage = deviceStorage();
  const offlineFetch: typeof fetch = (input, init) =>
    net.value
      ? fetch(input, init)
      : Promise.reject(new TypeError('fetch failed: the device is offline'));

  let refreshes = 0;
  const refresh = async () => {
    refreshes += 1;
    if (!net.value) throw new TypeError('fetch failed: the device is offline');
    const answer = await client(options.serverUrl()).post<TokenPair>('/auth/refresh', {
      json: { refreshToken: session.refreshToken },
    });
    if (answer.status !== 200) return null;
    session.accessToken = answer.body.accessToken;
    session.refreshToken = answer.body.refreshToken;
    return session.accessToken;
  };

  const start = () =>
    startSyncEngine({
      userId: person.id,
      serverUrl: options.serverUrl(),
      storage,
      namespace: label,
      multiInstance: false,
      collections: deviceCollections,
      getAccessToken: () => session.accessToken,
      refreshAccessToken: refresh,
      fetch: offlineFetch,
      online$: net,
    });

  let engine = await start();
  const device: Device = {
    label,
    person,
    get engine() {
      return engine;
    },
    get online() {
      return net.value;
    },
    get refreshes() {
      return refreshes;
    },
    setOnline: (online) => net.next(online),
    async restart() {
      await engine.close();
      engine = await start();
    },
    close: () => engine.close(),
    async docs(collection) {
      const found = await (
        engine.db.collections[collection] as unknown as {
          find(): { exec(): Promise<Array<{ toJSON(): unknown }>> };
        }
      )
        .find()
        .exec();
      return found
        .map((doc) => doc.toJSON() as DocumentOf[typeof collection])
        .sort((a, b) => (a.id < b.id ? -1 : 1));
    },
  };
  return device;
}

async function signIn(serverUrl: string, person: Person, deviceName: string) {
  const answer = await client(serverUrl).post<AuthResult>('/auth/login', {
    json: { email: person.email, password, deviceName },
  });
  if (answer.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(answer.body)}`);
  return { accessToken: answer.body.accessToken, refreshToken: answer.body.refreshToken };
}

/** Everything the server holds for a person in a collection (live and deleted), by id. */
export async function serverDocs<C extends SyncCollection>(
  serverUrl: string,
  token: string,
  collection: C,
): Promise<Array<WireDocument<C>>> {
  const all: Array<WireDocument<C>> = [];
  let checkpoint: Checkpoint | null = null;
  for (;;) {
    const query = new URLSearchParams({ limit: '1000' });
    if (checkpoint) query.set('checkpoint', JSON.stringify(checkpoint));
    const answer = await client(serverUrl).get<{
      documents: Array<WireDocument<C>>;
      checkpoint: Checkpoint | null;
    }>(`/sync/${collection}/pull?${query.toString()}`, { token });
    if (answer.status !== 200) throw new Error(`pull failed: ${JSON.stringify(answer.body)}`);
    all.push(...answer.body.documents);
    if (answer.body.documents.length < 1000) break;
    checkpoint = answer.body.checkpoint;
  }
  const byId = new Map(all.map((doc) => [doc.id, doc]));
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Polls until `check` passes (returns without throwing) or the time is up. */
export async function eventually<T>(
  check: () => Promise<T> | T,
  { timeoutMs = 10_000, intervalMs = 40 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

export const canon = (value: unknown) => canonical(value);

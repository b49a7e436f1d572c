import { randomUUID } from 'node:crypto';
import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { firstValueFrom } from 'rxjs';
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { problemTypes } from '../../shared/api/problem.ts';
import type { DocumentOf } from '../../shared/sync/documents.ts';
import { sameDocument } from '../../shared/sync/merge.ts';
import { startSyncEngine, type SyncEngine } from '../../src-renderer/sync/engine.ts';

/**
 * How the engine treats pushes the server refuses, against a small in-memory stand-in for
 * the server (the real one is in tests/integration/sync-engine.test.ts): a refusal writes
 * nothing of its batch, so the engine must find the rows to blame, set them aside with the
 * reason, push the rest, and keep the refused ones across a restart.
 */
const userId = '7b0c7f4e-2a51-4f39-9d43-6a1f0b2c3d01';
const conversationId = '7b0c7f4e-2a51-4f39-9d43-6a1f0b2c3d02';
const missingConversation = '7b0c7f4e-2a51-4f39-9d43-6a1f0b2c3d03';

type Row = {
  newDocumentState: { id: string } & Record<string, unknown>;
  assumedMasterState?: unknown;
};

function fakeServer() {
  let seq = 0;
  const stored = new Map<string, Map<string, { seq: number; doc: Record<string, unknown> }>>();
  const pushes: number[] = [];
  const table = (name: string) => {
    const found =
      stored.get(name) ?? new Map<string, { seq: number; doc: Record<string, unknown> }>();
    stored.set(name, found);
    return found;
  };
  const answer = (status: number, body: unknown, type = 'application/json') =>
    Promise.resolve(
      new Response(JSON.stringify(body), { status, headers: { 'content-type': type } }),
    );
  const problem = (status: number, body: Record<string, unknown>) =>
    answer(status, { title: 'Refused', status, ...body }, 'application/problem+json');

  const fetchImpl: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const [, , , , collection, operation] = url.pathname.split('/');
    const docs = table(collection ?? '');
    if (operation === 'pull') {
      const after = JSON.parse(url.searchParams.get('checkpoint') ?? '{"seq":0}') as {
        seq: number;
      };
      const limit = Number(url.searchParams.get('limit'));
      const rows = [...docs.values()]
        .filter((r) => r.seq > after.seq)
        .sort((a, b) => a.seq - b.seq)
        .slice(0, limit);
      const last = rows.at(-1);
      return answer(200, {
        documents: rows.map((r) => r.doc),
        checkpoint: last ? { seq: last.seq } : after.seq ? after : null,
      });
    }
    const rows = JSON.parse(typeof init?.body === 'string' ? init.body : '[]') as Row[];
    pushes.push(rows.length);
    const blamed = rows.flatMap((row, index) =>
      String(row.newDocumentState.body).startsWith('blamed')
        ? [{ pointer: `/${index}/newDocumentState/body`, detail: 'is not allowed here' }]
        : [],
    );
    if (blamed.length > 0)
      return problem(403, {
        type: problemTypes.forbidden,
        detail: 'Change refused',
        errors: blamed,
      });
    if (rows.some((row) => row.newDocumentState.body === 'poison')) {
      return problem(413, {
        type: problemTypes.payloadTooLarge,
        detail: 'This push is too large to take.',
      });
    }
    if (rows.some((row) => row.newDocumentState.conversationId === missingConversation)) {
      return problem(409, {
        type: problemTypes.syncPending,
        detail: 'its conversation has not reached the server yet',
      });
    }
    const conflicts: unknown[] = [];
    for (const row of rows) {
      const existing = docs.get(row.newDocumentState.id);
      if (existing && !sameDocument(existing.doc, row.assumedMasterState ?? null)) {
        conflicts.push(existing.doc);
        continue;
      }
      seq += 1;
      docs.set(row.newDocumentState.id, { seq, doc: row.newDocumentState });
    }
    return answer(200, conflicts);
  };
  return { fetch: fetchImpl, docs: (name: string) => table(name), pushes };
}

/** Enough of a socket.io client for the engine: always connected, never says anything. */
function quietSocket(): Socket {
  const handlers = new Map<string, Array<(...args: unknown[]) => void>>();
  const socket = {
    connected: false,
    active: false,
    volatile: { emit: () => true },
    on(event: string, handler: (...args: unknown[]) => void) {
      handlers.set(event, [...(handlers.get(event) ?? []), handler]);
      return socket;
    },
    connect() {
      socket.connected = true;
      socket.active = true;
      queueMicrotask(() => handlers.get('connect')?.forEach((handler) => handler()));
      return socket;
    },
    disconnect() {
      socket.connected = false;
      socket.active = false;
      return socket;
    },
    removeAllListeners() {
      handlers.clear();
      return socket;
    },
  };
  return socket as unknown as Socket;
}

function storage(): RxStorage<unknown, unknown> {
  return { ...getRxStorageMemory(), collectionStates: new Map() } as unknown as RxStorage<
    unknown,
    unknown
  >;
}

const message = (body: string, conversation = conversationId): DocumentOf['messages'] => {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    updatedAt: at,
    conversationId: conversation,
    senderId: userId,
    body,
    attachments: [],
    sentAt: at,
    editedAt: null,
    receipts: {},
  };
};

async function until<T>(check: () => Promise<T> | T, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('refused pushes', () => {
  const engines: SyncEngine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((engine) => engine.close()));
  });

  const start = async (
    server: ReturnType<typeof fakeServer>,
    store: RxStorage<unknown, unknown>,
  ) => {
    const engine = await startSyncEngine({
      userId,
      serverUrl: 'http://server.test',
      storage: store,
      getAccessToken: () => 'token',
      refreshAccessToken: () => Promise.resolve('token'),
      fetch: server.fetch,
      socketFactory: () => quietSocket(),
      multiInstance: false,
      retryDelayMs: { min: 5, max: 20 },
    });
    engines.push(engine);
    return engine;
  };

  it('sets aside only the rows the server blames, and pushes the rest', async () => {
    const server = fakeServer();
    const store = storage();
    const engine = await start(server, store);
    const good = [message('one'), message('two'), message('three'), message('four')];
    const poison = message('poison');
    const blamed = [message('blamed: first'), message('blamed: second')];
    const waiting = message('before its conversation', missingConversation);
    // One bulk write: RxDB hands all eight to one push.
    await engine.db.messages.bulkInsert([
      good[0]!,
      poison,
      blamed[0]!,
      good[1]!,
      waiting,
      good[2]!,
      blamed[1]!,
      good[3]!,
    ]);

    const failed = await until(async () => {
      const map = await firstValueFrom(engine.failed$);
      expect(map.size).toBe(4);
      return map;
    });
    expect(Object.fromEntries(failed)).toEqual({
      [poison.id]: 'This push is too large to take.',
      [blamed[0]!.id]: 'body is not allowed here',
      [blamed[1]!.id]: 'body is not allowed here',
      [waiting.id]: 'its conversation has not reached the server yet',
    });
    expect([...server.docs('messages').keys()].sort()).toEqual(good.map((m) => m.id).sort());
    // The pushed ones settle as their acknowledgements are processed.
    await until(async () =>
      expect(await firstValueFrom(engine.pendingIds$)).toEqual(new Set(failed.keys())),
    );
    expect(await engine.db.messages.count().exec()).toBe(8);
    expect(await firstValueFrom(engine.state$)).toMatchObject({ kind: 'error' });

    // Fixing the refused one locally pushes it, and only it leaves the failed list.
    await (await engine.db.messages.findOne(poison.id).exec())!.incrementalPatch({
      body: 'fine now',
    });
    await until(async () =>
      expect((await firstValueFrom(engine.failed$)).has(poison.id)).toBe(false),
    );
    expect(server.docs('messages').get(poison.id)?.doc.body).toBe('fine now');
  });

  it('keeps refused changes and their reasons across a restart, until discarded', async () => {
    const server = fakeServer();
    const store = storage();
    const first = await start(server, store);
    const kept = message('kept');
    const refused = message('blamed: no');
    await first.db.messages.bulkInsert([kept, refused]);
    await until(async () => expect((await firstValueFrom(first.failed$)).size).toBe(1));
    await until(async () => expect(await firstValueFrom(first.pendingChanges$)).toBe(1));
    const lastSyncedAt = await firstValueFrom(first.lastSyncedAt$);
    expect(lastSyncedAt).not.toBe(null);
    await first.close();

    const second = await start(server, store);
    expect(Object.fromEntries(await firstValueFrom(second.failed$))).toEqual({
      [refused.id]: 'body is not allowed here',
    });
    expect(await firstValueFrom(second.pendingIds$)).toEqual(new Set([refused.id]));
    expect(await firstValueFrom(second.lastSyncedAt$)).toBe(lastSyncedAt);
    // The restart does not push it again by itself, nor does RxDB count it as pushed.
    await second.awaitInSync();
    expect(await firstValueFrom(second.pendingIds$)).toEqual(new Set([refused.id]));

    const pushesBefore = server.pushes.length;
    second.retry();
    await until(() => expect(server.pushes.length).toBeGreaterThan(pushesBefore));
    expect((await firstValueFrom(second.failed$)).get(refused.id)).toBe('body is not allowed here');

    expect(await second.discard(refused.id)).toBe(true);
    expect(await second.db.messages.findOne(refused.id).exec()).toBe(null);
    await second.awaitInSync();
    expect((await firstValueFrom(second.failed$)).size).toBe(0);
    expect(await firstValueFrom(second.pendingChanges$)).toBe(0);
    // The server never heard of it, not even as a deletion.
    expect(server.docs('messages').has(refused.id)).toBe(false);
    expect(await firstValueFrom(second.state$)).toEqual({ kind: 'online' });
  });
});

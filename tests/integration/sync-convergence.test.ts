import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { DocumentOf } from '../../shared/sync/documents.ts';
import type { SyncCollection } from '../../shared/sync/protocol.ts';
import { loadConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { freePort } from '../support/ports.ts';
import { signUp, type Person } from '../support/sync-fixtures.ts';
import {
  canon,
  deviceCollections,
  eventually,
  openDevice,
  serverDocs,
  type Device,
} from '../support/sync-devices.ts';

/**
 * Randomised convergence: three devices of two people (RxDB on the memory storage, real HTTP,
 * real socket.io) write, edit, delete and mark read while their network drops, the app
 * restarts, and the server restarts in the middle. At the end every device and the server
 * hold the same documents, and no write is lost: every message created exists everywhere
 * unless its sender deleted it, and each edit and receipt is where the merge rules put it.
 *
 * Seeded: the seed is printed; `SYNC_SEED=<seed> npx vitest run <this file>` replays the
 * same operations (timing between devices still varies, which is the point).
 */
const seed = Number(process.env.SYNC_SEED ?? Math.floor(Math.random() * 2 ** 31));
const steps = Number(process.env.SYNC_STEPS ?? 200);

/** mulberry32: small, fast, good enough to pick operations reproducibly. */
function prng(state: number) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One clock for every device, strictly increasing, so "the later edit" is never a tie. */
let lastTick = 0;
const clock = () => {
  lastTick = Math.max(Date.now(), lastTick + 1);
  return new Date(lastTick).toISOString();
};

type Message = DocumentOf['messages'];
type Settings = DocumentOf['settings'];

describe('sync convergence', () => {
  let server: RunningServer | undefined;
  let dataDir = '';
  const devices: Device[] = [];

  afterAll(async () => {
    await Promise.all(devices.map((device) => device.close().catch(() => undefined)));
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(`converges with nothing lost (seed ${seed})`, { timeout: 60_000 }, async () => {
    console.info(`sync convergence: SYNC_SEED=${seed} (${steps} steps)`);
    const random = prng(seed);
    const pick = <T>(items: readonly T[]): T | undefined =>
      items[Math.floor(random() * items.length)];

    dataDir = await mkdtemp(join(tmpdir(), 'megilance-convergence-'));
    const config = loadConfig({
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      SHUTDOWN_GRACE_MS: '200',
    });
    server = await startServer(config);
    const serverUrl = server.url;

    const alice = await signUp(serverUrl, 'Alice');
    const bob = await signUp(serverUrl, 'Bob');
    const people: Record<string, Person> = { [alice.id]: alice, [bob.id]: bob };
    devices.push(
      await openDevice('a1', alice, { serverUrl: () => serverUrl }),
      await openDevice('a2', alice, { serverUrl: () => serverUrl, ownSession: true }),
      await openDevice('b1', bob, { serverUrl: () => serverUrl }),
    );

    // What was written, to check against at the end.
    const created = new Map<string, string>(); // message id → sender
    const deleted = new Set<string>();
    const edits = new Map<string, Array<{ editedAt: string; body: string }>>();
    const reads = new Map<string, Map<string, string[]>>(); // message → reader → readAt
    const settingsWritten = new Map<string, Map<string, Set<string>>>(); // user → field → values
    const counts: Record<string, number> = {};
    const count = (op: string) => (counts[op] = (counts[op] ?? 0) + 1);

    const newConversation = async (device: Device) => {
      const at = clock();
      await device.engine.db.conversations.insert({
        id: randomUUID(),
        updatedAt: at,
        kind: 'direct',
        title: null,
        participants: [alice, bob].map((p) => ({ id: p.id, name: p.name })),
        contractId: null,
        projectId: null,
        createdBy: device.person.id,
        createdAt: at,
      });
    };
    await newConversation(devices[0]!);
    await newConversation(devices[2]!);

    const liveMessages = async (device: Device) =>
      (await device.engine.db.messages.find().exec()).map((doc) => doc.toJSON() as Message);

    const operations: Array<
      [weight: number, name: string, run: (d: Device, step: number) => Promise<unknown>]
    > = [
      [
        30,
        'send',
        async (device, step) => {
          const conversation = pick(await device.engine.db.conversations.find().exec());
          if (!conversation) return;
          const at = clock();
          const id = randomUUID();
          created.set(id, device.person.id);
          await device.engine.db.messages.insert({
            id,
            updatedAt: at,
            conversationId: conversation.id,
            senderId: device.person.id,
            body: `message ${step} from ${device.label}`,
            attachments: [],
            sentAt: at,
            editedAt: null,
            receipts: {},
          });
        },
      ],
      [
        14,
        'edit',
        async (device, step) => {
          const own = (await liveMessages(device)).filter((m) => m.senderId === device.person.id);
          const message = pick(own);
          if (!message) return;
          const at = clock();
          const body = `edit ${step} on ${device.label}`;
          edits.set(message.id, [...(edits.get(message.id) ?? []), { editedAt: at, body }]);
          const doc = await device.engine.db.messages.findOne(message.id).exec();
          await doc?.incrementalPatch({ body, editedAt: at, updatedAt: at });
        },
      ],
      [
        6,
        'delete',
        async (device) => {
          const own = (await liveMessages(device)).filter((m) => m.senderId === device.person.id);
          const message = pick(own);
          if (!message) return;
          deleted.add(message.id);
          await (await device.engine.db.messages.findOne(message.id).exec())?.remove();
        },
      ],
      [
        12,
        'read',
        async (device) => {
          const me = device.person.id;
          const unread = (await liveMessages(device)).filter(
            (m) => m.senderId !== me && !m.receipts[me]?.readAt,
          );
          const message = pick(unread);
          if (!message) return;
          const at = clock();
          const byReader = reads.get(message.id) ?? new Map<string, string[]>();
          byReader.set(me, [...(byReader.get(me) ?? []), at]);
          reads.set(message.id, byReader);
          const doc = await device.engine.db.messages.findOne(message.id).exec();
          await doc?.incrementalModify((data) => ({
            ...data,
            receipts: {
              ...data.receipts,
              [me]: { deliveredAt: data.receipts[me]?.deliveredAt ?? at, readAt: at },
            },
            updatedAt: at,
          }));
        },
      ],
      [
        8,
        'settings',
        async (device) => {
          const me = device.person.id;
          const at = clock();
          const change: Partial<Settings> = pick([
            { theme: pick(['light', 'dark', 'auto'] as const) },
            { locale: pick(['en-GB', 'de-DE', 'fr-FR', 'ur-PK']) },
            { weekStartsOn: Math.floor(random() * 7) },
            { notificationSound: random() < 0.5 },
          ])!;
          const written = settingsWritten.get(me) ?? new Map<string, Set<string>>();
          for (const [field, value] of Object.entries(change)) {
            written.set(field, (written.get(field) ?? new Set()).add(canon(value)));
          }
          settingsWritten.set(me, written);
          const existing = await device.engine.db.settings.findOne(me).exec();
          if (existing) {
            await existing.incrementalPatch({ ...change, updatedAt: at });
            return;
          }
          const initial: Settings = {
            id: me,
            updatedAt: at,
            theme: 'auto',
            locale: 'en-GB',
            weekStartsOn: 1,
            desktopNotifications: true,
            notificationSound: false,
            ...change,
          };
          for (const [field, value] of Object.entries(initial)) {
            if (field === 'id' || field === 'updatedAt') continue;
            written.set(field, (written.get(field) ?? new Set()).add(canon(value)));
          }
          // Another device may have created it meanwhile: then the merge settles it.
          await device.engine.db.settings.insert(initial).catch(async () => {
            const now = await device.engine.db.settings.findOne(me).exec();
            await now?.incrementalPatch({ ...change, updatedAt: at });
          });
        },
      ],
      [
        4,
        'title',
        async (device, step) => {
          const conversation = pick(await device.engine.db.conversations.find().exec());
          await conversation?.incrementalPatch({
            title: `topic ${step} by ${device.label}`,
            updatedAt: clock(),
          });
        },
      ],
      [2, 'conversation', (device) => newConversation(device)],
      [
        9,
        'network',
        (device) => {
          device.setOnline(!device.online);
          return Promise.resolve();
        },
      ],
      [2, 'restart', (device) => device.restart()],
    ];
    const totalWeight = operations.reduce((sum, [weight]) => sum + weight, 0);
    const chooseOperation = () => {
      let roll = random() * totalWeight;
      for (const operation of operations) {
        roll -= operation[0];
        if (roll < 0) return operation;
      }
      return operations[0]!;
    };

    const started = performance.now();
    for (let step = 0; step < steps; step += 1) {
      if (step === Math.floor(steps / 2)) {
        // The server goes away mid-flight and comes back on the same port and data.
        count('server restart');
        await server.close();
        await new Promise((resolve) => setTimeout(resolve, 50 + random() * 200));
        server = await startServer(config);
      }
      const device = devices[Math.floor(random() * devices.length)]!;
      const [, name, run] = chooseOperation();
      count(name);
      if (!device.online && name !== 'network' && name !== 'restart') count('(of which offline)');
      await run(device, step);
      await new Promise((resolve) => setTimeout(resolve, random() * 25));
    }
    const writing = performance.now() - started;

    for (const device of devices) device.setOnline(true);
    const settling = performance.now();

    /** Each device equal to what the server holds for its user, collection by collection. */
    const snapshot = async () => {
      const result: Record<string, Record<SyncCollection, string>> = {};
      for (const device of devices) {
        const pending = await firstValueFrom(device.engine.pendingChanges$);
        const failed = await firstValueFrom(device.engine.failed$);
        expect(failed.size, `${device.label} has refused changes`).toBe(0);
        expect(pending, `${device.label} still has pending changes`).toBe(0);
        const local = {} as Record<SyncCollection, string>;
        for (const collection of deviceCollections)
          local[collection] = canon(await device.docs(collection));
        result[device.label] = local;
      }
      for (const person of [alice, bob]) {
        const token = devices.find((d) => d.person === person)!.person.accessToken;
        const remote = {} as Record<SyncCollection, string>;
        for (const collection of deviceCollections) {
          const docs = (await serverDocs(serverUrl, token, collection))
            .filter((doc) => !doc._deleted)
            .map(({ _deleted: _d, ...doc }) => doc);
          remote[collection] = canon(docs);
        }
        result[`server:${person.name}`] = remote;
      }
      return result;
    };

    const final = await eventually(
      async () => {
        const state = await snapshot();
        expect(state.a1).toEqual(state['server:Alice']);
        expect(state.a2).toEqual(state['server:Alice']);
        expect(state.b1).toEqual(state['server:Bob']);
        return state;
      },
      { timeoutMs: 25_000, intervalMs: 150 },
    );
    const settleMs = performance.now() - settling;

    // Both people are in every conversation: they see the same conversations and messages.
    expect(final.a1?.messages).toEqual(final.b1?.messages);
    expect(final.a1?.conversations).toEqual(final.b1?.conversations);

    const messages = JSON.parse(final.a1?.messages ?? '[]') as Message[];
    const live = new Set(messages.map((m) => m.id));
    const expectedLive = [...created.keys()].filter((id) => !deleted.has(id));
    expect([...live].sort()).toEqual(expectedLive.sort());
    for (const id of deleted) expect(live.has(id), `deleted ${id} is back`).toBe(false);

    for (const message of messages) {
      expect(message.senderId).toBe(created.get(message.id));
      const history = edits.get(message.id);
      if (history) {
        const latest = history.reduce((a, b) => (a.editedAt > b.editedAt ? a : b));
        expect(message.editedAt, `edit time of ${message.id}`).toBe(latest.editedAt);
        expect(message.body, `text of ${message.id}`).toBe(latest.body);
      } else {
        expect(message.editedAt).toBe(null);
      }
      for (const [reader, times] of reads.get(message.id) ?? []) {
        const earliest = [...times].sort()[0];
        expect(message.receipts[reader]?.readAt, `read receipt of ${reader}`).toBe(earliest);
      }
    }

    for (const person of [alice, bob]) {
      const label = person === alice ? 'a1' : 'b1';
      const [settings] = JSON.parse(final[label]?.settings ?? '[]') as Settings[];
      const written = settingsWritten.get(person.id);
      if (!written) continue;
      expect(settings, `${person.name}'s settings`).toBeDefined();
      for (const [field, values] of written) {
        const value = canon(settings?.[field as keyof Settings]);
        expect(values.has(value), `${person.name}'s ${field} = ${value}`).toBe(true);
      }
    }
    void people;

    const docCount = messages.length;
    console.info(
      `sync convergence (seed ${seed}): ${JSON.stringify(counts)}; ${docCount} live messages ` +
        `of ${created.size} sent, ${deleted.size} deleted; writing ${writing.toFixed(0)} ms, ` +
        `settled in ${settleMs.toFixed(0)} ms after the last write`,
    );
  });
});

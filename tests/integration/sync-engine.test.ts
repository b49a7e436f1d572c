import { decodeJwt, SignJWT } from 'jose';
import { firstValueFrom, filter } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireDocument } from '../../shared/sync/documents.ts';
import { mergers } from '../../shared/sync/merge.ts';
import type { SyncState } from '../../src-renderer/sync/engine.ts';
import {
  conversationBetween,
  messageIn,
  now,
  signUp,
  type Person,
} from '../support/sync-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { eventually, openDevice, serverDocs, type Device } from '../support/sync-devices.ts';

/**
 * The sync engine end to end in Node: two devices of Alice and one of Bob, each with its
 * own RxDB (memory storage), against the real server on SQLite over real HTTP and socket.io.
 */
const jwtSecret = 'sync-engine-test-secret-that-is-long-enough';

/** The same session's access token, expired a minute ago. */
async function expired(token: string): Promise<string> {
  const { sub, sid, role } = decodeJwt(token) as { sub: string; sid: string; role: string };
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sid, role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer('megilance')
    .setAudience('megilance-api')
    .setIssuedAt(now - 960)
    .setExpirationTime(now - 60)
    .sign(new TextEncoder().encode(jwtSecret));
}

describe('sync engine', () => {
  let server: TestServer;
  let alice: Person;
  let bob: Person;
  let alice1: Device;
  let alice2: Device;
  let bob1: Device;
  let conversation: WireDocument<'conversations'>;

  const devices = () => [alice1, alice2, bob1];
  const state = (device: Device) => firstValueFrom(device.engine.state$);
  const until = (device: Device, kind: SyncState['kind']) =>
    firstValueFrom(device.engine.state$.pipe(filter((s) => s.kind === kind)));
  const insertMessage = (device: Device, message: WireDocument<'messages'>) => {
    const { _deleted: _d, ...doc } = message;
    return device.engine.db.messages.insert(doc);
  };
  const messageOn = async (device: Device, id: string) =>
    (await device.engine.db.messages.findOne(id).exec())?.toMutableJSON() ?? null;

  beforeAll(async () => {
    server = await startTestServer({ env: { JWT_SECRET: jwtSecret } });
    alice = await signUp(server.baseUrl, 'Alice');
    bob = await signUp(server.baseUrl, 'Bob');
    const serverUrl = () => server.baseUrl;
    alice1 = await openDevice('alice-laptop', alice, { serverUrl });
    alice2 = await openDevice('alice-desktop', alice, { serverUrl, ownSession: true });
    bob1 = await openDevice('bob-laptop', bob, { serverUrl });

    conversation = conversationBetween(alice, bob);
    const { _deleted: _d, ...doc } = conversation;
    await alice1.engine.db.conversations.insert(doc);
    await eventually(async () => {
      for (const device of devices()) {
        expect(await device.engine.db.conversations.findOne(conversation.id).exec()).not.toBe(null);
      }
    });
  });

  afterAll(async () => {
    await Promise.all(devices().map((device) => device?.close()));
    await server?.close();
  });

  it('delivers a message sent while the recipient is offline once it reconnects', async () => {
    bob1.setOnline(false);
    await until(bob1, 'offline');

    const message = messageIn(conversation, alice, 'Sent while Bob was away');
    const started = performance.now();
    await insertMessage(alice1, message);
    await eventually(async () =>
      expect(await firstValueFrom(alice1.engine.pendingIds$)).toContain(message.id),
    );

    // Alice's other device hears it live.
    await eventually(async () => expect(await messageOn(alice2, message.id)).not.toBe(null));
    const liveMs = performance.now() - started;
    await eventually(async () =>
      expect(await firstValueFrom(alice1.engine.pendingIds$)).not.toContain(message.id),
    );
    expect(await messageOn(bob1, message.id)).toBe(null);
    expect(await state(bob1)).toEqual({ kind: 'offline' });

    bob1.setOnline(true);
    await eventually(async () =>
      expect(await messageOn(bob1, message.id)).toMatchObject({ body: 'Sent while Bob was away' }),
    );
    await until(bob1, 'online');
    console.info(`live delivery to the sender's other device: ${liveMs.toFixed(0)} ms`);
  });

  it("merges offline edits of one message to the handler's result on every device", async () => {
    const original = messageIn(conversation, alice, 'Draft is ready');
    await insertMessage(alice1, original);
    await eventually(async () => {
      for (const device of devices()) expect(await messageOn(device, original.id)).not.toBe(null);
    });
    const base = { ...(await messageOn(alice1, original.id))!, _deleted: false };

    for (const device of devices()) device.setOnline(false);
    const t1 = '2030-01-01T10:00:00.000Z';
    const t2 = '2030-01-01T10:05:00.000Z';
    const t3 = '2030-01-01T10:07:00.000Z';
    const laptopEdit = { body: 'Draft is ready (laptop)', editedAt: t1, updatedAt: t1 };
    const desktopEdit = { body: 'Draft is ready (desktop)', editedAt: t2, updatedAt: t2 };
    const bobRead = { receipts: { [bob.id]: { deliveredAt: t1, readAt: t3 } }, updatedAt: t3 };
    await (await alice1.engine.db.messages.findOne(original.id).exec())!.incrementalPatch(
      laptopEdit,
    );
    await (await alice2.engine.db.messages.findOne(original.id).exec())!.incrementalPatch(
      desktopEdit,
    );
    await (await bob1.engine.db.messages.findOne(original.id).exec())!.incrementalPatch(bobRead);
    await eventually(async () => {
      for (const device of devices()) {
        expect(await firstValueFrom(device.engine.pendingIds$)).toContain(original.id);
      }
    });

    // The later edit reconnects first, so the earlier one arrives as a conflict.
    alice2.setOnline(true);
    await eventually(async () =>
      expect(await firstValueFrom(alice2.engine.pendingChanges$)).toBe(0),
    );
    alice1.setOnline(true);
    bob1.setOnline(true);

    const afterDesktop = mergers.messages({
      assumedMasterState: base,
      realMasterState: { ...base, ...desktopEdit },
      newDocumentState: { ...base, ...laptopEdit },
    });
    const expected = mergers.messages({
      assumedMasterState: base,
      realMasterState: afterDesktop,
      newDocumentState: { ...base, ...bobRead },
    });
    const { _deleted: _d, ...expectedDoc } = expected;
    expect(expectedDoc).toMatchObject({
      body: 'Draft is ready (desktop)',
      editedAt: t2,
      updatedAt: t3,
      receipts: { [bob.id]: { deliveredAt: t1, readAt: t3 } },
    });
    await eventually(async () => {
      for (const device of devices()) {
        expect(await messageOn(device, original.id), device.label).toEqual(expectedDoc);
        expect(await firstValueFrom(device.engine.pendingChanges$), device.label).toBe(0);
      }
    });
    const onServer = (await serverDocs(server.baseUrl, bob.accessToken, 'messages')).find(
      (doc) => doc.id === original.id,
    );
    expect(onServer).toEqual(expected);
  });

  it('removes a deleted message from every device and keeps the tombstone on the server', async () => {
    const message = messageIn(conversation, alice, 'Sent by mistake');
    await insertMessage(alice2, message);
    await eventually(async () => {
      for (const device of devices()) expect(await messageOn(device, message.id)).not.toBe(null);
    });
    await (await alice2.engine.db.messages.findOne(message.id).exec())!.remove();
    await eventually(async () => {
      for (const device of devices()) expect(await messageOn(device, message.id)).toBe(null);
    });
    const onServer = (await serverDocs(server.baseUrl, alice.accessToken, 'messages')).find(
      (doc) => doc.id === message.id,
    );
    expect(onServer?._deleted).toBe(true);
  });

  it('keeps a refused message, says why, and lets the rest through', async () => {
    // Alice's device claims Bob wrote it: the server refuses, nothing of that push is written.
    const forged = messageIn(conversation, bob, 'Not really from Bob');
    await insertMessage(alice1, forged);
    const failed = await eventually(async () => {
      const map = await firstValueFrom(alice1.engine.failed$);
      expect(map.get(forged.id)).toBeDefined();
      return map;
    });
    expect(failed.get(forged.id)).toBe('senderId must be you');
    expect(await until(alice1, 'error')).toEqual({
      kind: 'error',
      reason: 'The server refused a change: senderId must be you',
    });
    expect(await messageOn(alice1, forged.id)).toMatchObject({ body: 'Not really from Bob' });
    expect(await firstValueFrom(alice1.engine.pendingIds$)).toContain(forged.id);

    // Other changes still go through while the refused one waits.
    const fine = messageIn(conversation, alice, 'This one is fine');
    await insertMessage(alice1, fine);
    await eventually(async () => expect(await messageOn(bob1, fine.id)).not.toBe(null));
    expect(await messageOn(bob1, forged.id)).toBe(null);

    // Neither a restart of the app nor a retry loses it or forgets why.
    await alice1.restart();
    expect(await messageOn(alice1, forged.id)).toMatchObject({ body: 'Not really from Bob' });
    expect((await firstValueFrom(alice1.engine.failed$)).get(forged.id)).toBe(
      'senderId must be you',
    );
    alice1.engine.retry();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await firstValueFrom(alice1.engine.failed$)).get(forged.id)).toBe(
      'senderId must be you',
    );
    expect(await messageOn(alice2, forged.id)).toBe(null);

    // Discarding it: gone here, never anywhere else, and the status is clean again.
    expect(await alice1.engine.discard(forged.id)).toBe(true);
    expect(await messageOn(alice1, forged.id)).toBe(null);
    expect((await firstValueFrom(alice1.engine.failed$)).size).toBe(0);
    await until(alice1, 'online');
    expect(await firstValueFrom(alice1.engine.pendingChanges$)).toBe(0);
  });

  it("keeps a refused edit of someone else's message until discarded, then shows the server's", async () => {
    const message = messageIn(conversation, alice, 'Alice wrote this');
    await insertMessage(alice1, message);
    await eventually(async () => expect(await messageOn(bob1, message.id)).not.toBe(null));

    // Bob's device edits Alice's text: refused (only the sender can change it).
    const at = now();
    await (await bob1.engine.db.messages.findOne(message.id).exec())!.incrementalPatch({
      body: 'Bob rewrote it',
      editedAt: at,
      updatedAt: at,
    });
    await eventually(async () =>
      expect((await firstValueFrom(bob1.engine.failed$)).get(message.id)).toBe(
        'body only the sender can change it; editedAt only the sender can change it',
      ),
    );
    // Meanwhile Alice edits it: Bob's device keeps its own (refused) copy, not overwriting it.
    const later = now();
    await (await alice1.engine.db.messages.findOne(message.id).exec())!.incrementalPatch({
      body: 'Alice wrote this (edited)',
      editedAt: later,
      updatedAt: later,
    });
    await eventually(async () =>
      expect(await messageOn(alice2, message.id)).toMatchObject({
        body: 'Alice wrote this (edited)',
      }),
    );
    expect(await messageOn(bob1, message.id)).toMatchObject({ body: 'Bob rewrote it' });

    await bob1.engine.discard(message.id);
    expect(await messageOn(bob1, message.id)).toMatchObject({ body: 'Alice wrote this (edited)' });
    expect((await firstValueFrom(bob1.engine.failed$)).size).toBe(0);
    await eventually(async () => expect(await firstValueFrom(bob1.engine.pendingChanges$)).toBe(0));
  });

  it('renews an expired token for HTTP and the socket, losing nothing', async () => {
    // RxDB's open core opens 13 collections per process: Bob's laptop makes room.
    await bob1.close();
    const tablet = await openDevice('bob-tablet', bob, {
      serverUrl: () => server.baseUrl,
      ownSession: true,
      firstAccessToken: expired,
    });
    try {
      // Written before the first exchange: the push meets the expired token first.
      const fromTablet = messageIn(conversation, bob, 'From the tablet');
      await insertMessage(tablet, fromTablet);
      await eventually(async () => expect(await messageOn(alice2, fromTablet.id)).not.toBe(null));
      await until(tablet, 'online');
      // Four collections and the socket met the expired token at once: one refresh for all
      // (the server rotates refresh tokens and would end a session whose token is reused).
      expect(tablet.refreshes).toBe(1);

      // The socket came back with the fresh token too: a new message arrives live, long
      // before the tablet would pull on its own.
      const live = messageIn(conversation, alice, 'Live to the tablet');
      await insertMessage(alice1, live);
      await eventually(async () => expect(await messageOn(tablet, live.id)).not.toBe(null), {
        timeoutMs: 3_000,
      });
    } finally {
      await tablet.close();
    }
  });
});

import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import type { WireDocument } from '../../shared/sync/documents.ts';
import type { Checkpoint, SyncCollection } from '../../shared/sync/protocol.ts';
import { client } from '../support/http.ts';
import {
  conversationBetween,
  messageIn,
  settingsOf,
  signUp,
  type Person,
} from '../support/sync-fixtures.ts';
import { startTestServer, type Dialect, type TestServer } from '../support/test-server.ts';

type Pulled<C extends SyncCollection> = {
  documents: WireDocument<C>[];
  checkpoint: Checkpoint | null;
};

describe.each(['sqlite', 'postgres'] as Dialect[])('sync server on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  let ann: Person;
  let ben: Person;
  let cat: Person;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    api = client(server.baseUrl);
    [ann, ben, cat] = [
      await signUp(server.baseUrl, 'Ann'),
      await signUp(server.baseUrl, 'Ben'),
      await signUp(server.baseUrl, 'Cat'),
    ];
  });
  afterAll(async () => {
    await server?.close();
  });

  const pull = <C extends SyncCollection>(
    collection: C,
    who: Person,
    checkpoint?: Checkpoint,
    limit = 100,
  ) =>
    api.get<Pulled<C>>(
      `/sync/${collection}/pull?limit=${limit}${checkpoint ? `&checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}` : ''}`,
      { token: who.accessToken },
    );
  const push = <C extends SyncCollection>(
    collection: C,
    who: Person,
    rows: Array<{ newDocumentState: WireDocument<C>; assumedMasterState?: WireDocument<C> | null }>,
  ) =>
    api.post<WireDocument<C>[] | Problem>(`/sync/${collection}/push`, {
      token: who.accessToken,
      json: rows,
    });

  async function snapshot() {
    const db = server.db.kysely;
    return {
      counters: await db.selectFrom('sync_counters').selectAll().orderBy('collection').execute(),
      conversations: await db.selectFrom('conversations').selectAll().orderBy('id').execute(),
      messages: await db.selectFrom('messages').selectAll().orderBy('id').execute(),
      settings: await db.selectFrom('user_settings').selectAll().orderBy('id').execute(),
    };
  }

  it('starts with an empty pull and a null checkpoint', async () => {
    const answer = await pull('messages', cat);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ documents: [], checkpoint: null });
  });

  it('writes, pulls from checkpoints and answers conflicts with the master', async () => {
    const mine = settingsOf(ann, { theme: 'dark' });
    expect((await push('settings', ann, [{ newDocumentState: mine }])).body).toEqual([]);
    const first = await pull('settings', ann);
    expect(first.body.documents).toEqual([mine]);
    const checkpoint = first.body.checkpoint;
    expect(checkpoint?.seq).toBeGreaterThan(0);
    expect((await pull('settings', ann, checkpoint ?? undefined)).body).toEqual({
      documents: [],
      checkpoint,
    });

    // A second device that never saw the master pushes its own version: it gets the master back.
    const otherDevice = settingsOf(ann, { theme: 'light' });
    const conflict = await push('settings', ann, [{ newDocumentState: otherDevice }]);
    expect(conflict.body).toEqual([mine]);
    // Resolved against the master it now knows, the write goes through with a higher sequence.
    const resolved = { ...otherDevice, theme: 'light' as const };
    expect(
      (await push('settings', ann, [{ newDocumentState: resolved, assumedMasterState: mine }]))
        .body,
    ).toEqual([]);
    const next = await pull('settings', ann, checkpoint ?? undefined);
    expect(next.body.documents).toEqual([resolved]);
    expect(next.body.checkpoint?.seq).toBeGreaterThan(checkpoint?.seq ?? 0);
    // Nobody else sees it.
    expect((await pull('settings', ben)).body.documents).toEqual([]);
  });

  it('lets participants, and only them, see a conversation and its messages; deletes are tombstones', async () => {
    const conversation = conversationBetween(ann, ben);
    expect((await push('conversations', ann, [{ newDocumentState: conversation }])).status).toBe(
      200,
    );
    const hello = messageIn(conversation, ann, 'Hello Ben');
    const second = messageIn(conversation, ann, 'The brief is attached');
    expect(
      (await push('messages', ann, [{ newDocumentState: hello }, { newDocumentState: second }]))
        .body,
    ).toEqual([]);

    const bens = await pull('messages', ben);
    expect(bens.body.documents.map((m) => m.body)).toEqual(['Hello Ben', 'The brief is attached']);
    expect((await pull('conversations', ben)).body.documents.map((c) => c.id)).toEqual([
      conversation.id,
    ]);
    expect((await pull('messages', cat)).body.documents).toEqual([]);
    expect((await pull('conversations', cat)).body.documents).toEqual([]);

    // Paging by limit walks the same order.
    const page = await pull('messages', ben, undefined, 1);
    expect(page.body.documents.map((m) => m.id)).toEqual([hello.id]);
    const rest = await pull('messages', ben, page.body.checkpoint ?? undefined, 1);
    expect(rest.body.documents.map((m) => m.id)).toEqual([second.id]);

    const deleted = { ...second, _deleted: true, updatedAt: new Date().toISOString() };
    expect(
      (await push('messages', ann, [{ newDocumentState: deleted, assumedMasterState: second }]))
        .body,
    ).toEqual([]);
    const after = await pull('messages', ben, rest.body.checkpoint ?? undefined);
    expect(after.body.documents).toEqual([deleted]);

    // Ben was told about the new messages by one notification of his own, which no longer
    // quotes the message Ann took back.
    const notifications = await pull('notifications', ben);
    expect(notifications.body.documents).toHaveLength(1);
    expect(notifications.body.documents[0]).toMatchObject({
      kind: 'message',
      title: 'New message from Ann',
      body: 'A message was deleted',
      link: `/messages/${conversation.id}`,
      readAt: null,
    });
  });

  it('authorises per document and per field, writing nothing of a refused push', async () => {
    const conversation = conversationBetween(ann, ben);
    await push('conversations', ann, [{ newDocumentState: conversation }]);
    const message = messageIn(conversation, ann, 'Only Ann may edit this');
    await push('messages', ann, [{ newDocumentState: message }]);
    const before = await snapshot();

    const cases: Array<
      [string, Person, WireDocument<'messages'>, WireDocument<'messages'> | null, string[]]
    > = [
      [
        'Ben edits Ann’s text',
        ben,
        { ...message, body: 'Ben was here' },
        message,
        ['/0/newDocumentState/body'],
      ],
      [
        'Ben sets Ann’s receipt',
        ben,
        { ...message, receipts: { [ann.id]: { deliveredAt: message.sentAt, readAt: null } } },
        message,
        [`/0/newDocumentState/receipts/${ann.id}`],
      ],
      [
        'Ben deletes Ann’s message',
        ben,
        { ...message, _deleted: true },
        message,
        ['/0/newDocumentState/_deleted'],
      ],
      [
        'Ann moves it to another conversation',
        ann,
        { ...message, conversationId: conversationBetween(ann, cat).id },
        message,
        ['/0/newDocumentState/conversationId'],
      ],
      [
        'Cat writes into a conversation she is not in',
        cat,
        messageIn(conversation, cat, 'Let me in'),
        null,
        ['/0/newDocumentState/conversationId'],
      ],
      [
        'Ben sends as Ann',
        ben,
        messageIn(conversation, ann, 'Signed, Ann'),
        null,
        ['/0/newDocumentState/senderId'],
      ],
      [
        'Cat touches a message she cannot see',
        cat,
        { ...message, body: 'x' },
        message,
        ['/0/newDocumentState/id'],
      ],
    ];
    for (const [label, who, newDocumentState, assumedMasterState, pointers] of cases) {
      const answer = await push('messages', who, [{ newDocumentState, assumedMasterState }]);
      expect(answer.status, label).toBe(403);
      const problem = answer.body as Problem;
      expect(problem.type, label).toBe(problemTypes.forbidden);
      expect(
        problem.errors?.map((e) => e.pointer),
        label,
      ).toEqual(pointers);
    }
    const participants = await push('conversations', ben, [
      {
        newDocumentState: {
          ...conversation,
          participants: [...conversation.participants, { id: cat.id, name: 'Cat' }],
        },
        assumedMasterState: conversation,
      },
    ]);
    expect((participants.body as Problem).errors?.[0]?.pointer).toBe(
      '/0/newDocumentState/participants',
    );
    expect(await snapshot()).toEqual(before);

    // What Ben may do: his own receipt.
    const read = {
      ...message,
      receipts: { [ben.id]: { deliveredAt: message.sentAt, readAt: message.sentAt } },
    };
    expect(
      (await push('messages', ben, [{ newDocumentState: read, assumedMasterState: message }])).body,
    ).toEqual([]);
  });

  it('rewrites an unread notification when the message it quotes is edited', async () => {
    const conversation = conversationBetween(cat, ben);
    await push('conversations', cat, [{ newDocumentState: conversation }]);
    const typo = messageIn(conversation, cat, 'Meet at 10 on Mondya');
    await push('messages', cat, [{ newDocumentState: typo }]);
    const fixed = { ...typo, body: 'Meet at 10 on Monday', editedAt: new Date().toISOString() };
    expect(
      (await push('messages', cat, [{ newDocumentState: fixed, assumedMasterState: typo }])).body,
    ).toEqual([]);
    const notifications = (await pull('notifications', ben)).body.documents.filter(
      (n) => n.link === `/messages/${conversation.id}`,
    );
    expect(notifications.map((n) => n.body)).toEqual(['Meet at 10 on Monday']);
  });

  it('asks a message to wait for its conversation instead of refusing it', async () => {
    const conversation = conversationBetween(ann, ben);
    const early = messageIn(conversation, ann, 'I arrived before my conversation');
    const answer = await push('messages', ann, [{ newDocumentState: early }]);
    expect(answer.status).toBe(409);
    expect((answer.body as Problem).type).toBe(problemTypes.syncPending);
    await push('conversations', ann, [{ newDocumentState: conversation }]);
    expect((await push('messages', ann, [{ newDocumentState: early }])).body).toEqual([]);
  });

  it('answers bad input precisely and changes nothing', async () => {
    const before = await snapshot();
    const conversation = conversationBetween(ann, ben);
    const bad = async (path: string, init: { json?: unknown; method?: 'get' | 'post' }) =>
      init.method === 'get'
        ? api.get<Problem>(path, { token: ann.accessToken })
        : api.post<Problem>(path, { token: ann.accessToken, json: init.json });

    const malformed = await bad('/sync/messages/pull?checkpoint=%7Bnope', { method: 'get' });
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors?.[0]?.pointer).toBe('/checkpoint');
    const wrongShape = await bad(
      `/sync/messages/pull?checkpoint=${encodeURIComponent('{"seq":-1}')}`,
      { method: 'get' },
    );
    expect(wrongShape.body.errors?.[0]?.pointer).toBe('/checkpoint/seq');
    expect(
      (await bad('/sync/messages/pull?limit=5000', { method: 'get' })).body.errors?.[0]?.pointer,
    ).toBe('/limit');

    const invalid = await bad('/sync/messages/push', {
      json: [
        {
          newDocumentState: { ...messageIn(conversation, ann, ''), sentAt: 'yesterday', extra: 1 },
        },
      ],
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors?.map((e) => e.pointer).sort()).toEqual([
      '/0/newDocumentState/body',
      '/0/newDocumentState/extra',
      '/0/newDocumentState/sentAt',
    ]);
    const empty = await bad('/sync/messages/push', {
      json: [{ newDocumentState: messageIn(conversation, ann, '  ') }],
    });
    expect(empty.body.errors?.[0]).toEqual({
      pointer: '/0/newDocumentState/body',
      detail: 'a message needs text or an attachment',
    });

    const rows = Array.from({ length: 501 }, () => ({ newDocumentState: settingsOf(ann) }));
    const oversized = await bad('/sync/settings/push', { json: rows });
    expect(oversized.status).toBe(422);
    expect(oversized.body.errors?.[0]?.detail).toBe('push at most 500 rows at once');

    const twice = messageIn(conversation, ann, 'twice');
    const repeated = await bad('/sync/messages/push', {
      json: [{ newDocumentState: twice }, { newDocumentState: twice }],
    });
    expect(repeated.body.errors?.[0]?.pointer).toBe('/1/newDocumentState/id');

    const unknown = await bad('/sync/recipes/pull', { method: 'get' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/"recipes" is not a synced collection/);
    expect((await bad('/sync/recipes/push', { json: [] })).status).toBe(404);

    const anonymous = await api.get<Problem>('/sync/messages/pull');
    expect(anonymous.status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it('tells every device of every participant about a commit over socket.io, and only them', async () => {
    const conversation = conversationBetween(ann, ben);
    await push('conversations', ann, [{ newDocumentState: conversation }]);
    const connect = (who: Person) =>
      new Promise<Socket>((resolve, reject) => {
        const socket = io(server.baseUrl, {
          auth: { token: who.accessToken },
          transports: ['websocket'],
          reconnection: false,
        });
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    const bensLaptop = await connect(ben);
    const bensPhone = await connect(ben);
    const cats = await connect(cat);
    const heard = (socket: Socket, event: string) =>
      new Promise<unknown>((resolve) => socket.once(event, (payload: unknown) => resolve(payload)));
    const catHeard: unknown[] = [];
    cats.on('sync:changed', (payload: unknown) => catHeard.push(payload));

    try {
      const laptop = heard(bensLaptop, 'sync:changed');
      const phone = heard(bensPhone, 'sync:changed');
      await push('messages', ann, [{ newDocumentState: messageIn(conversation, ann, 'ping') }]);
      const [a, b] = await Promise.all([laptop, phone]);
      expect(a).toMatchObject({
        collection: expect.stringMatching(/^(messages|notifications)$/) as string,
      });
      expect(b).toBeTruthy();

      // Typing reaches the other participants, never outsiders.
      const anns = await connect(ann);
      const typing = heard(bensLaptop, 'typing');
      anns.emit('typing', { conversationId: conversation.id, typing: true });
      expect(await typing).toEqual({
        conversationId: conversation.id,
        userId: ann.id,
        typing: true,
      });
      anns.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(catHeard).toEqual([]);
    } finally {
      for (const socket of [bensLaptop, bensPhone, cats]) socket.close();
    }
  });

  it('refuses a socket without a valid access token', async () => {
    const error = await new Promise<Error & { data?: { type?: string } }>((resolve) => {
      const socket = io(server.baseUrl, {
        auth: { token: 'forged.token.value' },
        transports: ['websocket'],
        reconnection: false,
      });
      socket.once('connect_error', (e) => {
        socket.close();
        resolve(e);
      });
    });
    expect(error.data?.type).toBe(problemTypes.tokenInvalid);
  });

  it('stores blobs by content and serves them only to those who may see them', async () => {
    const bytes = Buffer.from('%PDF-1.7 brief');
    const upload = await fetch(`${server.baseUrl}/api/v1/blobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ann.accessToken}`, 'content-type': 'application/pdf' },
      body: bytes,
    });
    expect(upload.status).toBe(201);
    const { hash, size, mimeType } = (await upload.json()) as {
      hash: string;
      size: number;
      mimeType: string;
    };
    expect({ size, mimeType }).toEqual({ size: bytes.length, mimeType: 'application/pdf' });
    const get = (who: Person) =>
      fetch(`${server.baseUrl}/api/v1/blobs/${hash}`, {
        headers: { authorization: `Bearer ${who.accessToken}` },
      });

    expect((await get(ann)).status).toBe(200);
    expect((await get(ben)).status).toBe(404);
    const conversation = conversationBetween(ann, ben);
    await push('conversations', ann, [{ newDocumentState: conversation }]);
    await push('messages', ann, [
      {
        newDocumentState: messageIn(conversation, ann, '', {
          attachments: [{ hash, name: 'brief.pdf', size, mimeType }],
        }),
      },
    ]);
    const forBen = await get(ben);
    expect(forBen.status).toBe(200);
    expect(Buffer.from(await forBen.arrayBuffer())).toEqual(bytes);
    expect(forBen.headers.get('content-disposition')).toBe('attachment');
    expect((await get(cat)).status).toBe(404);

    const tooLarge = await fetch(`${server.baseUrl}/api/v1/blobs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ann.accessToken}`,
        'content-type': 'application/octet-stream',
      },
      body: Buffer.alloc(25 * 1024 * 1024 + 1),
    });
    expect(tooLarge.status).toBe(413);
  });

  it('lets only one of two racing writers with the same assumed master win', async () => {
    const base = settingsOf(cat);
    await push('settings', cat, [{ newDocumentState: base }]);
    const answers = await Promise.all(
      (['dark', 'light'] as const).map((theme) =>
        push('settings', cat, [{ newDocumentState: { ...base, theme }, assumedMasterState: base }]),
      ),
    );
    const conflicts = answers.map((a) => (a.body as WireDocument<'settings'>[]).length).sort();
    expect(conflicts).toEqual([0, 1]);
  });
});

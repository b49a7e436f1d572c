import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireDocument } from '../../shared/sync/documents.ts';
import { client } from '../support/http.ts';
import { conversationBetween, messageIn, signUp, type Person } from '../support/sync-fixtures.ts';
import { dropSchema, startTestServer, type TestServer } from '../support/test-server.ts';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Scale mode: two stateless instances on different ports, one PostgreSQL, Redis between
 * their socket.io servers. A write through one instance reaches a device held by the other.
 */
describe('scale mode: two instances, PostgreSQL and Redis', () => {
  const schema = `scale_${process.pid}_${Date.now()}`;
  const env = { DATABASE_SCHEMA: schema, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `test:${schema}` };
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    first = await startTestServer({ dialect: 'postgres', env });
    second = await startTestServer({ dialect: 'postgres', env });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await dropSchema(schema);
  });

  it('delivers a commit on one instance to a socket on the other', async () => {
    expect(first.port).not.toBe(second.port);
    const ann: Person = await signUp(first.baseUrl, 'Ann');
    const ben: Person = await signUp(second.baseUrl, 'Ben');
    const conversation = conversationBetween(ben, ann);
    const push = (collection: string, rows: unknown) =>
      client(second.baseUrl).post(`/sync/${collection}/push`, {
        token: ben.accessToken,
        json: rows,
      });

    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = io(first.baseUrl, {
        auth: { token: ann.accessToken },
        transports: ['websocket'],
        reconnection: false,
      });
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
    try {
      const heard = new Promise<{ collection: string }>((resolve) =>
        socket.on('sync:changed', (event: { collection: string }) => {
          if (event.collection === 'messages') resolve(event);
        }),
      );
      expect((await push('conversations', [{ newDocumentState: conversation }])).status).toBe(200);
      const message = messageIn(conversation, ben, 'Sent through the second instance');
      expect((await push('messages', [{ newDocumentState: message }])).status).toBe(200);
      expect(await heard).toMatchObject({ collection: 'messages' });

      const pulled = await client(first.baseUrl).get<{ documents: WireDocument<'messages'>[] }>(
        '/sync/messages/pull',
        {
          token: ann.accessToken,
        },
      );
      expect(pulled.body.documents.map((m) => m.body)).toEqual([
        'Sent through the second instance',
      ]);
    } finally {
      socket.close();
    }
  });
});

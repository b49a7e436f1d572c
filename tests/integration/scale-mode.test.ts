import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectProposalsEvent, WatchAck } from '../../shared/marketplace/project-watch.ts';
import type { Project } from '../../shared/marketplace/projects.ts';
import type { WireDocument } from '../../shared/sync/documents.ts';
import { liveEvents } from '../../shared/sync/protocol.ts';
import { client } from '../support/http.ts';
import { createCategory, projectInput, signUpAs } from '../support/marketplace-fixtures.ts';
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

  it('tells watchers on one instance the proposal count changed through the other', async () => {
    const admin = await signUpAs(first, 'admin');
    const owner = await signUpAs(first, 'client');
    const freelancer = await signUpAs(second, 'freelancer');
    const category = await createCategory(first, admin);
    const project = await client(first.baseUrl).post<Project>('/projects', {
      token: owner.token,
      json: projectInput(category.id, { publish: true }),
    });
    expect(project.status).toBe(201);

    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = io(first.baseUrl, {
        auth: { token: owner.token },
        transports: ['websocket'],
        reconnection: false,
      });
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
    try {
      const watched = (await socket
        .timeout(5_000)
        .emitWithAck(liveEvents.projectWatch, { projectId: project.body.id })) as WatchAck;
      expect(watched).toEqual({ ok: true, projectId: project.body.id, proposalCount: 0 });
      const heard = new Promise<ProjectProposalsEvent>((resolve) =>
        socket.once(liveEvents.projectProposals, resolve),
      );
      const proposed = await client(second.baseUrl).post<{ id: string }>(
        `/projects/${project.body.id}/proposals`,
        {
          token: freelancer.token,
          json: {
            coverLetter: 'Proposed through the second instance.',
            bid: { type: 'fixed', amount: { amountMinor: 150_000, currency: 'EUR' } },
            durationDays: 10,
          },
        },
      );
      expect(proposed.status).toBe(201);
      expect(await heard).toEqual({ projectId: project.body.id, proposalCount: 1 });

      // Invite-only now: only those who may see it hear, picked among every instance's sockets.
      const hidden = await client(first.baseUrl).patch(`/projects/${project.body.id}`, {
        token: owner.token,
        json: { visibility: 'invite' },
      });
      expect(hidden.status).toBe(200);
      const again = new Promise<ProjectProposalsEvent>((resolve) =>
        socket.once(liveEvents.projectProposals, resolve),
      );
      const withdrawn = await client(second.baseUrl).post(
        `/proposals/${proposed.body.id}/withdraw`,
        { token: freelancer.token },
      );
      expect(withdrawn.status).toBe(200);
      expect(await again).toEqual({ projectId: project.body.id, proposalCount: 0 });
    } finally {
      socket.close();
    }
  });
});

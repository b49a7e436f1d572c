import { describe, expect, it } from 'vitest';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import {
  createHttpTransport,
  SyncTransportError,
  type TransportOptions,
} from '../../src-renderer/sync/http-transport.ts';

type Call = { url: string; method: string; authorization: string | null; body: string | null };

const problem = (status: number, type: string, extra: Partial<Problem> = {}): Response =>
  new Response(JSON.stringify({ type, title: 'Problem', status, ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function setup(answers: Array<Response | Error>, overrides: Partial<TransportOptions> = {}) {
  const calls: Call[] = [];
  const reachability: boolean[] = [];
  let token = 'token-1';
  let refreshes = 0;
  const transport = createHttpTransport({
    serverUrl: 'http://server.test/',
    fetch: (input, init) => {
      const headers = new Headers(init?.headers);
      calls.push({
        url: input instanceof Request ? input.url : input.toString(),
        method: init?.method ?? 'GET',
        authorization: headers.get('authorization'),
        body: typeof init?.body === 'string' ? init.body : null,
      });
      const answer = answers.shift();
      if (!answer) throw new Error('no more answers');
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
    getAccessToken: () => token,
    refreshAccessToken: () => {
      refreshes += 1;
      token = `token-${refreshes + 1}`;
      return Promise.resolve(token);
    },
    signal: new AbortController().signal,
    onReachable: (reachable) => reachability.push(reachable),
    ...overrides,
  });
  return { transport, calls, reachability, refreshes: () => refreshes };
}

const message = { id: 'm1', body: 'hi', _deleted: false };

describe('sync transport', () => {
  it('pulls with the bearer token and the checkpoint as URL-encoded JSON', async () => {
    const { transport, calls } = setup([json({ documents: [message], checkpoint: { seq: 7 } })]);
    const result = await transport.pull('messages', { seq: 3 }, 500);
    expect(result).toEqual({ documents: [message], checkpoint: { seq: 7 } });
    expect(calls[0]).toMatchObject({
      method: 'GET',
      url: `http://server.test/api/v1/sync/messages/pull?limit=500&checkpoint=${encodeURIComponent('{"seq":3}')}`,
      authorization: 'Bearer token-1',
    });
  });

  it('pulls from the start without a checkpoint', async () => {
    const { transport, calls } = setup([json({ documents: [], checkpoint: null })]);
    expect(await transport.pull('settings', undefined, 100)).toEqual({
      documents: [],
      checkpoint: null,
    });
    expect(calls[0]?.url).toBe('http://server.test/api/v1/sync/settings/pull?limit=100');
  });

  it('refreshes an expired token once and sends again', async () => {
    const { transport, calls, refreshes } = setup([
      problem(401, problemTypes.tokenExpired),
      json([]),
    ]);
    const outcome = await transport.push('messages', [{ newDocumentState: message as never }]);
    expect(outcome).toEqual({ written: true, conflicts: [] });
    expect(refreshes()).toBe(1);
    expect(calls.map((c) => c.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(JSON.parse(calls[1]?.body ?? '')).toEqual([{ newDocumentState: message }]);
  });

  it('does not refresh a revoked session, and says the session is over', async () => {
    const ended: string[] = [];
    const { transport, refreshes } = setup([problem(401, problemTypes.sessionRevoked)], {
      onSessionEnded: (p) => ended.push(p.type),
    });
    await expect(transport.pull('messages', undefined, 10)).rejects.toMatchObject({
      kind: 'auth',
    });
    expect(refreshes()).toBe(0);
    expect(ended).toEqual([problemTypes.sessionRevoked]);
  });

  it('gives up when the session cannot be renewed', async () => {
    const { transport } = setup([problem(401, problemTypes.tokenExpired)], {
      refreshAccessToken: () => Promise.resolve(null),
    });
    await expect(transport.pull('messages', undefined, 10)).rejects.toMatchObject({
      kind: 'auth',
    });
  });

  it('answers a refused push with the problem, for the replication to sort out', async () => {
    const refusal = problem(403, problemTypes.forbidden, {
      detail: 'The server refused 1 change in this push; nothing was written.',
      errors: [{ pointer: '/0/newDocumentState/senderId', detail: 'must be you' }],
    });
    const { transport } = setup([refusal]);
    const outcome = await transport.push('messages', [{ newDocumentState: message as never }]);
    expect(outcome).toMatchObject({
      written: false,
      problem: { status: 403, errors: [{ pointer: '/0/newDocumentState/senderId' }] },
    });
  });

  it.each([
    ['a network failure', new TypeError('fetch failed'), 'network'],
    ['a busy server', problem(503, problemTypes.unavailable), 'unavailable'],
    ['too many requests', problem(429, 'urn:x'), 'unavailable'],
    ['a push waiting for a related document', problem(409, problemTypes.syncPending), 'pending'],
    ['an answer that is not JSON', new Response('<html>', { status: 200 }), 'protocol'],
    ['documents without ids', json({ documents: [{ body: 'x' }], checkpoint: null }), 'protocol'],
  ] as const)('sorts %s as %s', async (_label, answer, kind) => {
    const { transport } = setup([answer]);
    const error = await transport.pull('messages', undefined, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncTransportError);
    expect((error as SyncTransportError).kind).toBe(kind);
  });

  it('tells whether the server answered at all', async () => {
    const { transport, reachability } = setup([
      new TypeError('fetch failed'),
      problem(503, problemTypes.unavailable),
    ]);
    await transport.pull('messages', undefined, 10).catch(() => undefined);
    await transport.pull('messages', undefined, 10).catch(() => undefined);
    expect(reachability).toEqual([false, true]);
  });

  it('stops at once when the engine closes', async () => {
    const controller = new AbortController();
    controller.abort();
    const { transport, calls } = setup([json([])], { signal: controller.signal });
    await expect(transport.pull('messages', undefined, 10)).rejects.toMatchObject({
      kind: 'closed',
    });
    expect(calls).toHaveLength(0);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProblemError, problemTypes, type Problem } from '../../shared/api/problem.ts';
import { createApiClient, type ApiClientOptions } from '../../src-renderer/api/client.ts';
import { readableProblem, refusedMoveText } from '../../src-renderer/api/problems.ts';
import { createHttpBridge } from '../../src-renderer/platform/http-bridge.ts';

const problemJson = (problem: Problem) =>
  new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
const expired: Problem = { type: problemTypes.tokenExpired, title: 'Token expired', status: 401 };
const revoked: Problem = { type: problemTypes.sessionRevoked, title: 'Revoked', status: 401 };
const wrongPassword: Problem = {
  type: problemTypes.invalidCredentials,
  title: 'Wrong password',
  status: 403,
};

/** A client over a scripted server: each call takes the next answer and records its token. */
function harness(answers: (Response | Error)[], overrides: Partial<ApiClientOptions> = {}) {
  let token = 'old';
  const seen: (string | null)[] = [];
  const ended: Problem[] = [];
  let refreshes = 0;
  const api = createApiClient({
    baseUrl: () => 'http://server.test/api/v1',
    accessToken: () => token,
    refreshAccessToken: () => {
      refreshes += 1;
      token = 'new';
      return Promise.resolve(token);
    },
    onSessionEnded: (problem) => ended.push(problem),
    fetch: (_input, init) => {
      const headers = new Headers(init?.headers);
      seen.push(headers.get('Authorization'));
      const next = answers.shift();
      if (!next) throw new Error('no more scripted answers');
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    ...overrides,
  });
  return { api, seen, ended, refreshes: () => refreshes };
}

describe('the renderer API client', () => {
  it('sends the bearer token and checks the answer against the schema', async () => {
    const { api, seen } = harness([Response.json({ revoked: 2 })]);
    const answer = await api.json(
      'POST',
      '/auth/sessions/revoke-others',
      z.object({ revoked: z.int() }),
    );
    expect(answer).toEqual({ revoked: 2 });
    expect(seen).toEqual(['Bearer old']);
  });

  it('sends and answers bytes for blobs, refreshing an expired token like JSON calls', async () => {
    const { api, seen, refreshes } = harness([
      problemJson(expired),
      new Response('PNG bytes', { status: 201 }),
    ]);
    const response = await api.bytes('POST', '/blobs', {
      data: 'PNG bytes',
      contentType: 'image/png',
    });
    expect(await response.text()).toBe('PNG bytes');
    expect(seen).toEqual(['Bearer old', 'Bearer new']);
    expect(refreshes()).toBe(1);
  });

  it('refreshes once on token-expired and retries with the new token', async () => {
    const { api, seen, ended, refreshes } = harness([
      problemJson(expired),
      new Response(null, { status: 204 }),
    ]);
    await api.send('DELETE', '/auth/sessions/1');
    expect(seen).toEqual(['Bearer old', 'Bearer new']);
    expect(refreshes()).toBe(1);
    expect(ended).toEqual([]);
  });

  it('does not loop: a second expiry after the refresh ends the session', async () => {
    const { api, ended, refreshes } = harness([problemJson(expired), problemJson(expired)]);
    await expect(api.send('GET', '/auth/me')).rejects.toBeInstanceOf(ProblemError);
    expect(refreshes()).toBe(1);
    expect(ended.map((problem) => problem.type)).toEqual([problemTypes.tokenExpired]);
  });

  it('ends the session on a revoked session without trying to refresh', async () => {
    const { api, ended, refreshes } = harness([problemJson(revoked)]);
    await expect(api.send('GET', '/auth/me')).rejects.toMatchObject({ problem: revoked });
    expect(refreshes()).toBe(0);
    expect(ended).toEqual([revoked]);
  });

  it('keeps the session on an ordinary refusal such as a wrong current password', async () => {
    const { api, ended } = harness([problemJson(wrongPassword)]);
    await expect(api.send('POST', '/auth/password', {})).rejects.toMatchObject({
      problem: wrongPassword,
    });
    expect(ended).toEqual([]);
  });

  it('turns a failed refresh into the refresh problem', async () => {
    const { api } = harness([problemJson(expired)], {
      refreshAccessToken: () => Promise.reject(new ProblemError(revoked)),
    });
    await expect(api.send('GET', '/auth/me')).rejects.toMatchObject({ problem: revoked });
  });

  it('reports an unreachable server as a readable network problem', async () => {
    const { api } = harness([new TypeError('fetch failed')]);
    const error = await api.send('GET', '/auth/me').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProblemError);
    const { problem } = error as ProblemError;
    expect(problem.type).toBe(problemTypes.network);
    expect(readableProblem(problem)).toMatch(/Cannot reach the MegiLance server at server\.test/);
  });

  it('reports a proxy error page and an unexpected body as problems too', async () => {
    const { api } = harness([
      new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
      Response.json({ not: 'a user' }),
    ]);
    await expect(api.send('GET', '/auth/me')).rejects.toMatchObject({
      problem: { type: problemTypes.unavailable, status: 502 },
    });
    await expect(api.json('GET', '/auth/me', z.object({ id: z.string() }))).rejects.toMatchObject({
      problem: { type: problemTypes.internal },
    });
  });
});

describe('the HTTP bridge to the browser host', () => {
  it('posts to the channel and passes the IpcResult through', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const bridge = createHttpBridge('http://127.0.0.1:5180', (input, init) => {
      calls.push({ url: input instanceof Request ? input.url : input.toString(), init });
      return Promise.resolve(Response.json({ ok: true, value: null }));
    });
    expect(await bridge.session.restore()).toEqual({ ok: true, value: null });
    expect(calls[0]?.url).toBe('http://127.0.0.1:5180/__megilance/ipc/session.restore');
    expect(new Headers(calls[0]?.init?.headers).get('X-MegiLance-Bridge')).toBe('1');
    expect(calls[0]?.init?.body).toBe('null');
  });

  it('turns a refusal before any handler (a bare problem document) into a failed result', async () => {
    const refusal: Problem = { type: problemTypes.forbidden, title: 'Forbidden', status: 403 };
    const bridge = createHttpBridge('http://127.0.0.1:5180', () =>
      Promise.resolve(problemJson(refusal)),
    );
    expect(await bridge.app.info()).toEqual({ ok: false, problem: refusal });
  });

  it('answers an unreachable host with a network problem, never a throw', async () => {
    const bridge = createHttpBridge('http://127.0.0.1:5180', () =>
      Promise.reject(new TypeError('fetch failed')),
    );
    const result = await bridge.session.signOut();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.type).toBe(problemTypes.network);
  });
});

describe('a refused status move in words', () => {
  const refusal = (allowed?: string[]) =>
    new ProblemError({
      type: problemTypes.conflict,
      title: 'Conflict',
      status: 409,
      detail: 'The contract is already paused.',
      ...(allowed ? { allowed } : {}),
    });
  const labels = { active: 'Active', ended: 'Ended' };

  it('names the moves allowed now by their labels, an unknown one as it came', () => {
    expect(refusedMoveText(refusal(['active', 'ended', 'archived']), labels, 'none')).toBe(
      'The contract is already paused. Allowed now: Active, Ended, archived.',
    );
  });

  it('says when no move is left, and gives only the reason when the server named none', () => {
    expect(refusedMoveText(refusal([]), labels, 'nothing, it is final')).toBe(
      'The contract is already paused. Allowed now: nothing, it is final.',
    );
    expect(refusedMoveText(refusal(), labels, 'none')).toBe('The contract is already paused.');
  });
});

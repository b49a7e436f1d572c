import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemError, problemTypes, type Problem } from '../../shared/api/problem.ts';
import { createMemoryKeychain, type Keychain } from '../../src-main/keychain/keychain.ts';
import {
  createSessionService,
  keychainAccount,
  type SessionService,
} from '../../src-main/session/session-service.ts';
import { client } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/** The desktop session service against the real server (SQLite) over real HTTP. */

const password = 'correct horse battery staple';
const profile = 'test';
let counter = 0;
const uniqueEmail = (label: string) => `${label}-${Date.now()}-${(counter += 1)}@example.com`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/** Real fetch, counted: how many requests each path received. */
function countingFetch() {
  const calls = new Map<string, number>();
  const fetchImpl: typeof fetch = (input, init) => {
    const path = new URL(input instanceof Request ? input.url : input).pathname;
    calls.set(path, (calls.get(path) ?? 0) + 1);
    return fetch(input, init);
  };
  return { fetchImpl, count: (path: string) => calls.get(`/api/v1${path}`) ?? 0 };
}

function service(keychain: Keychain, fetchImpl?: typeof fetch): SessionService {
  return createSessionService({
    serverUrl: server.baseUrl,
    keychain,
    deviceName: 'Integration test device',
    profile,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}

const storedToken = (keychain: Keychain) => keychain.get(keychainAccount(profile, server.baseUrl));

async function problemOf(promise: Promise<unknown>): Promise<Problem> {
  const error: unknown = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ProblemError);
  return (error as ProblemError).problem;
}

async function signUp(label: string, keychain = createMemoryKeychain()) {
  const email = uniqueEmail(label);
  const sessions = service(keychain);
  const signedIn = await sessions.signUp({
    email,
    password,
    name: `${label} Person`,
    role: 'freelancer',
  });
  return { email, keychain, sessions, signedIn };
}

describe('session service against the real server', () => {
  it('signs up, keeps the refresh token in the keychain only, and hands out an access token', async () => {
    const { email, keychain, signedIn } = await signUp('signup');
    expect(signedIn.user.email).toBe(email);
    expect(signedIn.accessToken).toEqual(expect.any(String));
    expect(signedIn.expiresIn).toBeGreaterThan(0);
    expect(signedIn).not.toHaveProperty('refreshToken');

    const stored = await storedToken(keychain);
    expect(stored).toEqual(expect.any(String));
    expect(JSON.stringify(signedIn)).not.toContain(stored);

    const me = await client(server.baseUrl).get('/auth/me', { token: signedIn.accessToken });
    expect(me.status).toBe(200);
  });

  it('restores the session after a restart (new service, same keychain)', async () => {
    const { email, keychain, signedIn } = await signUp('restore');
    const before = await storedToken(keychain);

    const afterRestart = service(keychain);
    const restored = await afterRestart.restore();
    expect(restored?.user.email).toBe(email);
    expect(restored?.user.id).toBe(signedIn.user.id);
    // The refresh token rotated and the new one replaced the old in the keychain.
    const after = await storedToken(keychain);
    expect(after).toEqual(expect.any(String));
    expect(after).not.toBe(before);

    const me = await client(server.baseUrl).get('/auth/me', { token: restored?.accessToken });
    expect(me.status).toBe(200);
  });

  it('restores nobody when the keychain is empty', async () => {
    expect(await service(createMemoryKeychain()).restore()).toBeNull();
  });

  it('signs in with the right password on a fresh device', async () => {
    const { email } = await signUp('signin');
    const keychain = createMemoryKeychain();
    const signedIn = await service(keychain).signIn({ email, password });
    expect('user' in signedIn && signedIn.user.email).toBe(email);
    expect(await storedToken(keychain)).toEqual(expect.any(String));
  });

  it('answers a wrong password with the invalid-credentials problem and stores nothing', async () => {
    const { email } = await signUp('wrong-password');
    const keychain = createMemoryKeychain();
    const problem = await problemOf(
      service(keychain).signIn({ email, password: 'not the password at all' }),
    );
    expect(problem).toMatchObject({ type: problemTypes.invalidCredentials, status: 401 });
    expect(await storedToken(keychain)).toBeNull();
  });

  it('passes server validation problems through unchanged', async () => {
    const { email } = await signUp('taken');
    const problem = await problemOf(
      service(createMemoryKeychain()).signUp({
        email,
        password,
        name: 'Someone Else',
        role: 'client',
      }),
    );
    expect(problem).toMatchObject({ type: problemTypes.emailTaken, status: 409 });
  });

  it('makes ONE refresh request for concurrent callers and keeps the session alive', async () => {
    const { keychain } = await signUp('concurrent');
    const { fetchImpl, count } = countingFetch();
    const sessions = service(keychain, fetchImpl);

    const results = await Promise.all(Array.from({ length: 5 }, () => sessions.refresh()));
    expect(count('/auth/refresh')).toBe(1);
    const tokens = new Set(results.map((result) => result.accessToken));
    expect(tokens.size).toBe(1);

    // Had two requests gone out with the same token, the server would have revoked the
    // session as a replay: it is still alive, for the next refresh and for API calls.
    const next = await sessions.refresh();
    expect(count('/auth/refresh')).toBe(2);
    const me = await client(server.baseUrl).get('/auth/me', { token: next.accessToken });
    expect(me.status).toBe(200);
  });

  it('does not put refresh and restore in flight twice either', async () => {
    const { keychain, signedIn } = await signUp('restore-and-refresh');
    const { fetchImpl, count } = countingFetch();
    const sessions = service(keychain, fetchImpl);
    const [restored, refreshed] = await Promise.all([sessions.restore(), sessions.refresh()]);
    expect(count('/auth/refresh')).toBe(1);
    expect(restored?.user.id).toBe(signedIn.user.id);
    expect(refreshed.accessToken).toBe(restored?.accessToken);
  });

  it('forgets a refresh token the server refuses (401) and restores nobody', async () => {
    const { keychain } = await signUp('replayed');
    const stale = await storedToken(keychain);
    await service(keychain).refresh(); // spends `stale`

    // Put the spent token back, as if an old copy had been restored: the server sees a replay.
    await keychain.set(keychainAccount(profile, server.baseUrl), stale ?? '');
    const problem = await problemOf(service(keychain).refresh());
    expect(problem).toMatchObject({ type: problemTypes.refreshTokenReused, status: 401 });
    expect(await storedToken(keychain)).toBeNull();
    expect(await service(keychain).restore()).toBeNull();
  });

  it('refresh without a stored token is an unauthenticated problem', async () => {
    const problem = await problemOf(service(createMemoryKeychain()).refresh());
    expect(problem).toMatchObject({ type: problemTypes.unauthenticated, status: 401 });
  });

  it('signs out: deletes the stored token and ends the server session', async () => {
    const { keychain, sessions, signedIn } = await signUp('signout');
    const refreshToken = await storedToken(keychain);

    expect(await sessions.signOut()).toBeNull();
    expect(await storedToken(keychain)).toBeNull();

    const api = client(server.baseUrl);
    const me = await api.get<Problem>('/auth/me', { token: signedIn.accessToken });
    expect(me.status).toBe(401);
    expect(me.body.type).toBe(problemTypes.sessionRevoked);
    const refresh = await api.post('/auth/refresh', { json: { refreshToken } });
    expect(refresh.status).toBe(401);

    // Signing out again, with nobody signed in, is fine.
    expect(await sessions.signOut()).toBeNull();
  });

  it('signing in over an existing session ends the old one', async () => {
    const { email, keychain, sessions, signedIn } = await signUp('resign');
    const second = await sessions.signIn({ email, password });
    const api = client(server.baseUrl);
    expect((await api.get('/auth/me', { token: signedIn.accessToken })).status).toBe(401);
    if (!('accessToken' in second)) throw new Error('a second step was asked for');
    expect((await api.get('/auth/me', { token: second.accessToken })).status).toBe(200);
    expect(await service(keychain).restore()).not.toBeNull();
  });

  describe('when the server is down', () => {
    let downUrl: string;
    beforeAll(async () => {
      downUrl = await unusedUrl();
    });
    const offline = (keychain: Keychain) =>
      createSessionService({ serverUrl: downUrl, keychain, deviceName: 'x', profile });

    it('sign-in answers a readable network problem', async () => {
      const problem = await problemOf(
        offline(createMemoryKeychain()).signIn({ email: 'a@b.co', password }),
      );
      expect(problem).toMatchObject({ type: problemTypes.network, status: 503 });
      expect(problem.detail).toContain(downUrl);
      expect(problem.detail).toContain('refused');
    });

    it('restore keeps the stored token (it may still be good) and reports the network problem', async () => {
      const keychain = createMemoryKeychain();
      await keychain.set(keychainAccount(profile, downUrl), 'a-token-we-cannot-check-now');
      const problem = await problemOf(offline(keychain).restore());
      expect(problem.type).toBe(problemTypes.network);
      expect(await keychain.get(keychainAccount(profile, downUrl))).toBe(
        'a-token-we-cannot-check-now',
      );
    });

    it('sign-out still forgets the token on this device', async () => {
      const keychain = createMemoryKeychain();
      await keychain.set(keychainAccount(profile, downUrl), 'token');
      expect(await offline(keychain).signOut()).toBeNull();
      expect(await keychain.get(keychainAccount(profile, downUrl))).toBeNull();
    });
  });
});

/** A loopback URL nothing listens on: bind a free port, then release it. */
async function unusedUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

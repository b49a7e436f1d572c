import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResult, TokenPair } from '../../shared/accounts/auth.ts';
import { client } from '../support/http.ts';
import { signUp, type Person } from '../support/sync-fixtures.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describe('a live connection, its access token and its session', () => {
  let server: TestServer;
  let ann: Person;
  beforeAll(async () => {
    server = await startTestServer({ env: { ACCESS_TOKEN_TTL_SECONDS: '5' } });
    ann = await signUp(server.baseUrl, 'Ann');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('ends when the token expires, and resumes with a refreshed one', async () => {
    const started = Date.now();
    const socket = io(server.baseUrl, {
      auth: { token: ann.accessToken },
      transports: ['websocket'],
      reconnection: false,
    });
    const reason = await new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const lived = Date.now() - started;
    expect(reason).toBe('io server disconnect');
    expect(lived).toBeGreaterThan(3_000);
    expect(lived).toBeLessThan(8_000);

    // The same expired token is refused at the handshake…
    const refused = await new Promise<{ data?: { type?: string } }>((resolve) => {
      socket.once('connect_error', resolve);
      socket.connect();
    });
    expect(refused.data?.type).toBe('urn:megilance:problem:token-expired');

    // …and a refreshed one gets back in.
    const refreshed = await client(server.baseUrl).post<TokenPair>('/auth/refresh', {
      json: { refreshToken: ann.refreshToken },
    });
    socket.auth = { token: refreshed.body.accessToken };
    await new Promise<void>((resolve) => {
      socket.once('connect', resolve);
      socket.connect();
    });
    expect(socket.connected).toBe(true);
    socket.close();
  }, 20_000);

  it('ends at once when its session is revoked from another device', async () => {
    const api = client(server.baseUrl);
    const laptop = await api.post<AuthResult>('/auth/login', {
      json: { email: ann.email, password: 'a long enough password', deviceName: 'Laptop' },
    });
    const socket = io(server.baseUrl, {
      auth: { token: laptop.body.accessToken },
      transports: ['websocket'],
      reconnection: false,
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const dropped = new Promise<[string, number]>((resolve) =>
      socket.once('disconnect', (reason) => resolve([reason, Date.now()])),
    );

    const fresh = await api.post<AuthResult>('/auth/login', {
      json: { email: ann.email, password: 'a long enough password', deviceName: 'Desk' },
    });
    const revokedAt = Date.now();
    expect(
      (await api.post('/auth/sessions/revoke-others', { token: fresh.body.accessToken })).status,
    ).toBe(200);
    const [reason, at] = await dropped;
    expect(reason).toBe('io server disconnect');
    expect(at - revokedAt).toBeLessThan(1_000);
  });
});

import { firstValueFrom } from 'rxjs';
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { problemTypes } from '../../shared/api/problem.ts';
import { connectLive } from '../../src-renderer/sync/live-connection.ts';

/** A socket.io client stand-in the test drives: it records calls and raises events. */
function scriptedSocket() {
  const handlers = new Map<string, Array<(...args: unknown[]) => void>>();
  const calls: string[] = [];
  const emitted: unknown[][] = [];
  let auth: ((callback: (data: object) => void) => void) | undefined;
  const socket = {
    connected: false,
    active: false,
    volatile: { emit: (...args: unknown[]) => emitted.push(args) },
    on(event: string, handler: (...args: unknown[]) => void) {
      handlers.set(event, [...(handlers.get(event) ?? []), handler]);
      return socket;
    },
    connect() {
      calls.push('connect');
      return socket;
    },
    disconnect() {
      calls.push('disconnect');
      return socket;
    },
    removeAllListeners() {
      handlers.clear();
      return socket;
    },
  };
  const raise = (event: string, ...args: unknown[]) =>
    handlers.get(event)?.forEach((handler) => handler(...args));
  return {
    socket: socket as unknown as Socket,
    factory: (_url: string, options: { auth?: unknown }) => {
      auth = options.auth as typeof auth;
      return socket as unknown as Socket;
    },
    calls,
    emitted,
    handshakeToken: () =>
      new Promise<unknown>((resolve) =>
        auth?.((data) => resolve((data as { token: unknown }).token)),
      ),
    connected() {
      socket.connected = true;
      socket.active = true;
      raise('connect');
    },
    dropped(reason: string, stillActive: boolean) {
      socket.connected = false;
      socket.active = stillActive;
      raise('disconnect', reason);
    },
    refused(type: string) {
      socket.connected = false;
      socket.active = false;
      raise('connect_error', Object.assign(new Error('refused'), { data: { type } }));
    },
    raise,
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function live(token = 'token-1', refreshed: string | null = 'token-2') {
  const scripted = scriptedSocket();
  let current = token;
  let refreshes = 0;
  const connection = connectLive({
    serverUrl: 'http://server.test/some/path',
    getAccessToken: () => current,
    refreshAccessToken: () => {
      refreshes += 1;
      if (refreshed) current = refreshed;
      return Promise.resolve(refreshed);
    },
    socketFactory: scripted.factory,
    typingTimeoutMs: 50,
  });
  return { scripted, connection, refreshes: () => refreshes };
}

describe('live connection', () => {
  it('authenticates the handshake with the current access token', async () => {
    const { scripted } = live('token-abc');
    expect(scripted.calls).toEqual(['connect']);
    expect(await scripted.handshakeToken()).toBe('token-abc');
  });

  it('comes back after the server hangs up, renewing the token if the handshake says so', async () => {
    const { scripted, refreshes, connection } = live();
    scripted.connected();
    expect(await firstValueFrom(connection.connected$)).toBe(true);
    // At token expiry or server shutdown socket.io stays down: reconnect, token as it is.
    scripted.dropped('io server disconnect', false);
    await tick();
    expect(refreshes()).toBe(0);
    expect(scripted.calls).toEqual(['connect', 'connect']);
    // The handshake says the token expired: renew it and connect with the new one.
    scripted.refused(problemTypes.tokenExpired);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(refreshes()).toBe(1);
    expect(scripted.calls).toEqual(['connect', 'connect', 'connect']);
    expect(await scripted.handshakeToken()).toBe('token-2');
  });

  it('treats a refresh that fails for now as passing, not as the end of the session', async () => {
    const scripted = scriptedSocket();
    const connection = connectLive({
      serverUrl: 'http://server.test',
      getAccessToken: () => 'token-1',
      refreshAccessToken: () => Promise.reject(new TypeError('fetch failed')),
      socketFactory: scripted.factory,
    });
    scripted.refused(problemTypes.tokenExpired);
    await tick();
    expect(await firstValueFrom(connection.refused$)).toBe(null);
    connection.close();
  });

  it('renews the token when the handshake is refused as expired', async () => {
    const { scripted, refreshes } = live();
    scripted.refused(problemTypes.tokenExpired);
    await tick();
    expect(refreshes()).toBe(1);
    expect(scripted.calls).toEqual(['connect', 'connect']);
  });

  it('gives up, with a reason, when the session is over', async () => {
    const revoked = live();
    revoked.scripted.refused(problemTypes.sessionRevoked);
    await tick();
    expect(revoked.refreshes()).toBe(0);
    expect(await firstValueFrom(revoked.connection.refused$)).toMatch(
      /refused the live connection/,
    );

    const noToken = live('token-1', null);
    noToken.scripted.refused(problemTypes.tokenExpired);
    await tick();
    expect(await firstValueFrom(noToken.connection.refused$)).toMatch(/sign in again/);
  });

  it('leaves network drops to socket.io and forgets presence and typing it cannot hear', async () => {
    const { scripted, connection, refreshes } = live();
    scripted.connected();
    scripted.raise('presence', { userId: '00000000-0000-4000-8000-000000000001', online: true });
    scripted.raise('typing', {
      conversationId: '00000000-0000-4000-8000-0000000000c1',
      userId: '00000000-0000-4000-8000-000000000001',
      typing: true,
    });
    expect((await firstValueFrom(connection.presence$)).size).toBe(1);
    expect((await firstValueFrom(connection.typing$)).size).toBe(1);
    scripted.dropped('transport close', true);
    await tick();
    expect(refreshes()).toBe(0);
    expect(scripted.calls).toEqual(['connect']);
    expect((await firstValueFrom(connection.presence$)).size).toBe(0);
    expect((await firstValueFrom(connection.typing$)).size).toBe(0);
  });

  it('ends "typing" by itself when the stop is lost, and ignores malformed events', async () => {
    const { scripted, connection } = live();
    scripted.connected();
    const conversationId = '00000000-0000-4000-8000-0000000000c1';
    const userId = '00000000-0000-4000-8000-000000000002';
    scripted.raise('typing', { conversationId, userId, typing: true });
    scripted.raise('typing', { nonsense: true });
    scripted.raise('sync:changed', { collection: 'unknown', seq: 1 });
    expect((await firstValueFrom(connection.typing$)).get(conversationId)).toEqual(
      new Set([userId]),
    );
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await firstValueFrom(connection.typing$)).size).toBe(0);
  });

  it('says typing only while connected, and hangs up when offline', () => {
    const { scripted, connection } = live();
    connection.setTyping('c1', true);
    expect(scripted.emitted).toEqual([]);
    scripted.connected();
    connection.setTyping('c1', true);
    expect(scripted.emitted).toEqual([['typing', { conversationId: 'c1', typing: true }]]);
    connection.setNetwork(false);
    expect(scripted.calls).toEqual(['connect', 'disconnect']);
    connection.setNetwork(true);
    expect(scripted.calls).toEqual(['connect', 'disconnect', 'connect']);
  });
});

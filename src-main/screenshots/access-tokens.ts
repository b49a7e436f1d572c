import type { SessionService } from '../session/session-service.ts';

/**
 * Access tokens for main-side requests (uploads). Sign-in hands one over (`seed`); once it is
 * near its end, or the server refused it, the next `get` refreshes through the session
 * service, whose single flight keeps this and the renderer from rotating the refresh token
 * twice at once.
 */
export interface AccessTokens {
  get(): Promise<string>;
  seed(accessToken: string, expiresInSeconds: number): void;
  /** The server refused the token, or its user signed out: the next `get` fetches a fresh one. */
  invalidate(): void;
}

export function sessionAccessTokens(
  session: Pick<SessionService, 'refresh'>,
  now: () => number = Date.now,
): AccessTokens {
  // Refresh a little before the end, so a token never expires on its way to the server.
  const marginMs = 30_000;
  let current: { token: string; expiresAt: number } | null = null;
  const keep = (token: string, expiresIn: number) => {
    current = { token, expiresAt: now() + expiresIn * 1000 };
  };
  return {
    async get() {
      if (current && current.expiresAt - marginMs > now()) return current.token;
      const fresh = await session.refresh();
      keep(fresh.accessToken, fresh.expiresIn);
      return fresh.accessToken;
    },
    seed: keep,
    invalidate: () => {
      current = null;
    },
  };
}

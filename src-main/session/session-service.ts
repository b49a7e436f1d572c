import { z } from 'zod';
import {
  authResultSchema,
  tokenPairSchema,
  type LoginInput,
  type RegisterInput,
  type TokenPair,
} from '../../shared/accounts/auth.ts';
import {
  twoFactorChallengeSchema,
  type SecondStepCode,
  type TwoFactorChallenge,
} from '../../shared/accounts/two-factor.ts';
import { userSchema } from '../../shared/accounts/user.ts';
import {
  ProblemError,
  problemSchema,
  problemTypes,
  type Problem,
} from '../../shared/api/problem.ts';
import type { SignedIn } from '../../shared/ipc/contract.ts';
import type { Keychain } from '../keychain/keychain.ts';
import { silentLog, type Log } from '../log.ts';
import { networkProblem, unauthenticatedProblem } from '../problems.ts';

/**
 * The desktop side of signing in. Plain Node (no Electron) so tests run it against the real
 * server. The refresh token lives only in the keychain and never leaves this module; callers
 * (and through them the renderer) get the user and short-lived access tokens.
 *
 * Every method either resolves or throws a `ProblemError`: the server's own problems pass
 * through unchanged, an unreachable server becomes `urn:megilance:problem:network` (503).
 */
export interface SessionService {
  /** Signs in with the stored refresh token; null when there is none or the server refused it. */
  restore(): Promise<SignedIn | null>;
  signUp(input: Omit<RegisterInput, 'deviceName'>): Promise<SignedIn>;
  /** Signed in, or a challenge when the account has two-factor authentication on. */
  signIn(input: Omit<LoginInput, 'deviceName'>): Promise<SignedIn | TwoFactorChallenge>;
  /** The second step of a sign-in that answered a challenge. */
  completeSignIn(input: SecondStepCode): Promise<SignedIn>;
  refresh(): Promise<{ accessToken: string; expiresIn: number }>;
  /** Forgets the session on this device, and on the server when it can be reached. */
  signOut(): Promise<null>;
}

export interface SessionServiceOptions {
  /** Base URL of the sync server, without a trailing slash. */
  serverUrl: string;
  keychain: Keychain;
  /** Shown in the user's list of signed-in devices. */
  deviceName: string;
  profile: string;
  log?: Log;
  requestTimeoutMs?: number;
  /** Defaults to the global fetch; tests wrap it to count requests. */
  fetch?: typeof fetch;
}

export function createSessionService(options: SessionServiceOptions): SessionService {
  const { serverUrl, keychain } = options;
  const log = options.log ?? silentLog;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  const deviceName = options.deviceName.trim().slice(0, 100) || 'MegiLance desktop';
  const account = keychainAccount(options.profile, serverUrl);

  // Every step that reads and then replaces the stored token runs one at a time; otherwise a
  // refresh finishing after a sign-in would overwrite the new session's token with the old one.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  // Single flight: refresh tokens rotate on every use, and the server takes a second request
  // with the same token as theft and revokes the session. Concurrent callers share one request.
  let refreshing: Promise<TokenPair> | null = null;
  const rotate = (): Promise<TokenPair> => {
    refreshing ??= exclusive(async () => {
      const refreshToken = await keychain.get(account);
      if (refreshToken === null) {
        throw new ProblemError(unauthenticatedProblem('No one is signed in on this device.'));
      }
      let pair: TokenPair;
      try {
        pair = await call('POST', '/auth/refresh', { body: { refreshToken } }, tokenPairSchema);
      } catch (error) {
        // Expired, revoked or reused: the token can never work again, so do not keep it.
        if (error instanceof ProblemError && error.problem.status === 401) {
          await keychain.delete(account);
        }
        throw error;
      }
      await keychain.set(account, pair.refreshToken);
      return pair;
    }).finally(() => {
      refreshing = null;
    });
    return refreshing;
  };

  const startSession = (
    path: '/auth/register' | '/auth/login' | '/auth/login/2fa',
    body: object,
  ): Promise<SignedIn | TwoFactorChallenge> =>
    exclusive(async () => {
      const previous = await keychain.get(account);
      const result = await call(
        'POST',
        path,
        { body: { ...body, deviceName } },
        signInAnswerSchema,
      );
      // No session exists until the second step: nothing to store, the old one stays.
      if ('twoFactorRequired' in result) return result;
      await keychain.set(account, result.refreshToken);
      // Signing in over an existing session: end the old one rather than leave it live.
      if (previous !== null) await revoke(previous);
      return { user: result.user, accessToken: result.accessToken, expiresIn: result.expiresIn };
    });

  /** Best effort: the server session ends; if the server cannot be told, it expires on its own. */
  async function revoke(refreshToken: string): Promise<void> {
    try {
      await send('POST', '/auth/logout', { body: { refreshToken } });
    } catch (error) {
      if (error instanceof ProblemError && error.problem.status === 401) return; // already over
      const reason = error instanceof ProblemError ? error.problem.detail : String(error);
      log.warn(`session: could not end the server session (${reason}); it will expire unused`);
    }
  }

  /** The body of a 2xx answer; anything else becomes a thrown `ProblemError`. */
  async function send(
    method: 'GET' | 'POST',
    path: string,
    request: { body?: unknown; accessToken?: string },
  ): Promise<string> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    if (request.accessToken !== undefined) {
      headers.Authorization = `Bearer ${request.accessToken}`;
    }
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(`${serverUrl}/api/v1${path}`, {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new ProblemError(networkProblem(describeNetworkError(error, serverUrl, timeoutMs)));
    }
    if (!response.ok) throw new ProblemError(problemFrom(response, text, serverUrl));
    return text;
  }

  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    request: { body?: unknown; accessToken?: string },
    schema: z.ZodType<T>,
  ): Promise<T> {
    const parsed = schema.safeParse(parseJson(await send(method, path, request)));
    if (!parsed.success) {
      throw new ProblemError({
        type: problemTypes.unavailable,
        title: 'Unexpected server answer',
        status: 502,
        detail: `The server at ${serverUrl} answered ${method} ${path} with something other than the MegiLance API expects. Is it a MegiLance server of the same version?`,
      });
    }
    return parsed.data;
  }

  return {
    async restore() {
      let pair: TokenPair;
      try {
        pair = await rotate();
      } catch (error) {
        // No token, or one the server refused (and `rotate` deleted): nobody to restore.
        if (error instanceof ProblemError && error.problem.status === 401) return null;
        throw error; // offline: the token may still be good, keep it and say so
      }
      const user = await call('GET', '/auth/me', { accessToken: pair.accessToken }, userSchema);
      return { user, accessToken: pair.accessToken, expiresIn: pair.expiresIn };
    },

    signUp: async (input) => sessionOnly(await startSession('/auth/register', input)),
    signIn: (input) => startSession('/auth/login', input),
    completeSignIn: async (input) => sessionOnly(await startSession('/auth/login/2fa', input)),

    async refresh() {
      const pair = await rotate();
      return { accessToken: pair.accessToken, expiresIn: pair.expiresIn };
    },

    signOut: () =>
      exclusive(async () => {
        const refreshToken = await keychain.get(account);
        if (refreshToken === null) return null;
        try {
          await revoke(refreshToken);
        } finally {
          // Signing out on this device always succeeds, reachable server or not.
          await keychain.delete(account);
        }
        return null;
      }),
  };
}

// Order matters: a challenge has none of a session's fields, so it only matches the second.
const signInAnswerSchema = z.union([authResultSchema, twoFactorChallengeSchema]);

function sessionOnly(answer: SignedIn | TwoFactorChallenge): SignedIn {
  if ('twoFactorRequired' in answer) {
    throw new ProblemError({
      type: problemTypes.unavailable,
      title: 'Unexpected server answer',
      status: 502,
      detail: 'The server asked for a second sign-in step where it cannot apply.',
    });
  }
  return answer;
}

/** One keychain entry per profile and server, so test runs and staging never share a token. */
export function keychainAccount(profile: string, serverUrl: string): string {
  return `${profile}@${serverUrl}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The server's problem document when it sent one, else a readable stand-in. */
function problemFrom(response: Response, text: string, serverUrl: string): Problem {
  const parsed = problemSchema.safeParse(parseJson(text));
  if (parsed.success) return parsed.data;
  return {
    type: problemTypes.unavailable,
    title: 'Unexpected server answer',
    status: response.status,
    detail: `The server at ${serverUrl} answered HTTP ${response.status} without a problem document. Is MEGILANCE_SERVER_URL pointing at a MegiLance server?`,
  };
}

const networkReasons: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused; is the server running?',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name was not found',
  EAI_AGAIN: 'the host name could not be looked up',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
};

function describeNetworkError(error: unknown, serverUrl: string, timeoutMs: number): string {
  const prefix = `Could not reach the MegiLance server at ${serverUrl}`;
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `${prefix}: it did not answer within ${Math.round(timeoutMs / 1000)} s.`;
  }
  const code = errorCode(error instanceof Error ? error.cause : undefined);
  if (code !== undefined) return `${prefix}: ${networkReasons[code] ?? code}.`;
  return `${prefix}: ${error instanceof Error ? error.message : String(error)}.`;
}

/** undici wraps the socket error in `cause`, sometimes as an AggregateError per address tried. */
function errorCode(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  if ('code' in cause && typeof cause.code === 'string') return cause.code;
  if (cause instanceof AggregateError) return errorCode(cause.errors[0]);
  return undefined;
}

import type { z } from 'zod';
import { ProblemError, problemTypes, type Problem } from '../../shared/api/problem.ts';
import { problemFromResponse, signedOutProblemTypes } from './problems.ts';

export type ApiClientOptions = {
  /** `${serverUrl}/api/v1`, read on every call because the server URL arrives from the host. */
  baseUrl: () => string;
  /** The short-lived access token held in memory, or null when signed out. */
  accessToken: () => string | null;
  /** Asks the host for a new access token; throws a `ProblemError` when it cannot. */
  refreshAccessToken: () => Promise<string>;
  /** The server said the session is over (revoked, invalid) and refreshing cannot help. */
  onSessionEnded: (problem: Problem) => void;
  fetch?: typeof fetch;
};

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export type ApiClient = {
  /** A call whose answer is JSON, checked against `schema`. */
  json<S extends z.ZodType>(
    method: Method,
    path: string,
    schema: S,
    body?: unknown,
    /** Extra request headers, such as a money command's `Idempotency-Key`. */
    headers?: Readonly<Record<string, string>>,
  ): Promise<z.output<S>>;
  /** A call answered with no body worth reading (204). */
  send(method: Method, path: string, body?: unknown): Promise<void>;
  /** A call whose body and answer are bytes (blobs): the successful response, unread. */
  bytes(
    method: Method,
    path: string,
    body?: { data: BodyInit; contentType: string },
  ): Promise<Response>;
};

/** What a request carries: JSON to encode, bytes as they are, or nothing. */
type Payload = { json: unknown } | { data: BodyInit; contentType: string } | undefined;

/**
 * The HTTP client for the sync server's REST API. It adds the bearer token, refreshes it once
 * through the host when the server says it expired, and turns every failure into a
 * `ProblemError` carrying RFC 9457 problem details, so screens handle one kind of error.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));

  async function attempt(
    method: Method,
    path: string,
    payload: Payload,
    token: string | null,
    extra: Readonly<Record<string, string>> = {},
  ) {
    const headers: Record<string, string> = { ...extra, Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (payload && 'json' in payload) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(payload.json);
    } else if (payload) {
      headers['Content-Type'] = payload.contentType;
      body = payload.data;
    }
    const url = options.baseUrl() + path;
    try {
      return await fetchImpl(url, { method, headers, body });
    } catch {
      throw new ProblemError({
        type: problemTypes.network,
        title: 'Cannot reach the server',
        status: 0,
        detail: `Cannot reach the MegiLance server at ${new URL(url).host}. Check your connection and try again.`,
      });
    }
  }

  async function call(
    method: Method,
    path: string,
    payload: Payload,
    extra?: Readonly<Record<string, string>>,
  ): Promise<Response> {
    const token = options.accessToken();
    let response = await attempt(method, path, payload, token, extra);
    if (response.status !== 401) return ensureOk(response);

    const problem = await problemFromResponse(response);
    if (problem.type !== problemTypes.tokenExpired) return endOrThrow(problem);
    // Another call may already have refreshed while this one was in flight.
    const current = options.accessToken();
    const fresh = current && current !== token ? current : await options.refreshAccessToken();
    response = await attempt(method, path, payload, fresh, extra);
    if (response.status !== 401) return ensureOk(response);
    return endOrThrow(await problemFromResponse(response));
  }

  function endOrThrow(problem: Problem): never {
    if (signedOutProblemTypes.has(problem.type)) options.onSessionEnded(problem);
    throw new ProblemError(problem);
  }

  async function ensureOk(response: Response): Promise<Response> {
    if (response.ok) return response;
    throw new ProblemError(await problemFromResponse(response));
  }

  return {
    async json(method, path, schema, body, headers) {
      const response = await call(method, path, asJson(body), headers);
      let data: unknown;
      try {
        data = await response.json();
      } catch {
        data = undefined;
      }
      const parsed = schema.safeParse(data);
      if (parsed.success) return parsed.data;
      throw new ProblemError({
        type: problemTypes.internal,
        title: 'Unexpected answer from the server',
        status: response.status,
        detail: `The server's answer to ${method} ${path} is not what this version of MegiLance expects. Updating the app may help.`,
      });
    },
    async send(method, path, body) {
      await call(method, path, asJson(body));
    },
    bytes: (method, path, body) => call(method, path, body),
  };
}

const asJson = (body: unknown): Payload => (body === undefined ? undefined : { json: body });

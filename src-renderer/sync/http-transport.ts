import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import type { WireDocument } from '../../shared/sync/documents.ts';
import type { Checkpoint, SyncCollection } from '../../shared/sync/protocol.ts';
import { problemFromResponse, signedOutProblemTypes } from '../api/problems.ts';

/**
 * The sync endpoints over fetch: bearer token, one refresh when the server says it expired,
 * and every failure sorted into what the replication should do about it.
 */
export type PushRow<C extends SyncCollection> = {
  newDocumentState: WireDocument<C>;
  assumedMasterState?: WireDocument<C> | undefined;
};

export type PullResult<C extends SyncCollection> = {
  documents: WireDocument<C>[];
  checkpoint: Checkpoint | null;
};

/** A push either wrote (answering the conflicts) or was refused whole, writing nothing. */
export type PushOutcome<C extends SyncCollection> =
  { written: true; conflicts: WireDocument<C>[] } | { written: false; problem: Problem };

/**
 * - `network`: no answer at all (offline, server down, timed out): wait for the network.
 * - `unavailable`: the server answered 5xx/429/408: it is there but busy; back off.
 * - `pending`: a push depends on a document still on its way (a message before its
 *   conversation): retry shortly.
 * - `auth`: the session is over and refreshing did not help.
 * - `protocol`: an answer this version does not understand.
 * - `closed`: the engine is shutting down.
 */
export type TransportErrorKind =
  'network' | 'unavailable' | 'pending' | 'auth' | 'protocol' | 'closed';

export class SyncTransportError extends Error {
  readonly kind: TransportErrorKind;
  readonly problem: Problem | null;
  constructor(kind: TransportErrorKind, message: string, problem: Problem | null = null) {
    super(message);
    this.name = 'SyncTransportError';
    this.kind = kind;
    this.problem = problem;
  }
}

export interface TransportOptions {
  serverUrl: string;
  fetch: typeof fetch;
  getAccessToken(): string | null;
  /** Shared by all callers; null when the session cannot be renewed, rejects when offline. */
  refreshAccessToken(): Promise<string | null>;
  /** Aborted when the engine closes, so no request outlives it. */
  signal: AbortSignal;
  /** Told after every exchange whether the server answered at all. */
  onReachable(reachable: boolean): void;
  /**
   * The server says the session is over (revoked, invalid): refreshing cannot help. Same
   * contract as the REST client's, so the app signs out whichever call hears it first.
   */
  onSessionEnded?(problem: Problem): void;
  requestTimeoutMs?: number;
}

export interface SyncTransport {
  pull<C extends SyncCollection>(
    collection: C,
    checkpoint: Checkpoint | undefined,
    limit: number,
  ): Promise<PullResult<C>>;
  push<C extends SyncCollection>(collection: C, rows: PushRow<C>[]): Promise<PushOutcome<C>>;
}

export function createHttpTransport(options: TransportOptions): SyncTransport {
  const base = `${options.serverUrl.replace(/\/+$/, '')}/api/v1/sync`;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;

  async function attempt(url: string, init: RequestInit, token: string): Promise<Response> {
    if (options.signal.aborted) throw new SyncTransportError('closed', 'The sync engine closed');
    const signal = AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]);
    try {
      const response = await options.fetch(url, {
        ...init,
        signal,
        headers: {
          ...(init.headers as Record<string, string> | undefined),
          Accept: 'application/json',
          Authorization: `Bearer ${token}`,
        },
      });
      options.onReachable(true);
      return response;
    } catch (error) {
      if (options.signal.aborted) throw new SyncTransportError('closed', 'The sync engine closed');
      options.onReachable(false);
      const why = error instanceof Error ? error.message : String(error);
      throw new SyncTransportError('network', `Cannot reach the server (${why})`);
    }
  }

  /** A refresh that fails for now (offline) is a passing failure, not the end of a session. */
  async function renew(): Promise<string | null> {
    try {
      return await options.refreshAccessToken();
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new SyncTransportError('network', `Cannot renew the session right now (${why})`);
    }
  }

  /** Sends with the current token; on "expired" refreshes once and sends again. */
  async function send(url: string, init: RequestInit): Promise<Response> {
    const token = options.getAccessToken();
    if (!token) throw new SyncTransportError('auth', 'Signed out: no access token');
    const response = await attempt(url, init, token);
    if (response.status !== 401) return response;
    const problem = await problemFromResponse(response);
    if (problem.type !== problemTypes.tokenExpired) {
      if (signedOutProblemTypes.has(problem.type)) options.onSessionEnded?.(problem);
      throw authError(problem);
    }
    // Another collection's request may have refreshed already while this one was in flight.
    const current = options.getAccessToken();
    const fresh = current && current !== token ? current : await renew();
    if (!fresh) throw authError(problem);
    const again = await attempt(url, init, fresh);
    if (again.status === 401) {
      const refused = await problemFromResponse(again);
      if (signedOutProblemTypes.has(refused.type)) options.onSessionEnded?.(refused);
      throw authError(refused);
    }
    return again;
  }

  return {
    async pull(collection, checkpoint, limit) {
      const query = new URLSearchParams({ limit: String(limit) });
      if (checkpoint) query.set('checkpoint', JSON.stringify(checkpoint));
      const response = await send(`${base}/${collection}/pull?${query.toString()}`, {
        method: 'GET',
      });
      if (!response.ok) throw await failure(response, `pull ${collection}`);
      const body = await readJson(response, `pull ${collection}`);
      return parsePull(body, collection);
    },

    async push(collection, rows) {
      const response = await send(`${base}/${collection}/push`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(rows),
      });
      if (response.ok) {
        const body = await readJson(response, `push ${collection}`);
        if (!Array.isArray(body) || !body.every(isWireDocument)) {
          throw protocolError(`push ${collection}`, 'the conflicts are not an array of documents');
        }
        return { written: true, conflicts: body as WireDocument<typeof collection>[] };
      }
      const error = await failure(response, `push ${collection}`);
      // A 4xx that is not about waiting or auth is the server refusing this batch.
      if (error.kind === 'protocol' && error.problem && isRefusal(response.status)) {
        return { written: false, problem: error.problem };
      }
      throw error;
    },
  };
}

const isRefusal = (status: number) =>
  status >= 400 && status < 500 && status !== 408 && status !== 429 && status !== 401;

function authError(problem: Problem) {
  return new SyncTransportError('auth', problem.detail ?? problem.title, problem);
}

function protocolError(what: string, why: string) {
  return new SyncTransportError('protocol', `Unexpected answer to ${what}: ${why}`);
}

async function failure(response: Response, what: string): Promise<SyncTransportError> {
  const problem = await problemFromResponse(response);
  const message = problem.detail ?? problem.title;
  if (problem.type === problemTypes.syncPending) {
    return new SyncTransportError('pending', message, problem);
  }
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    return new SyncTransportError('unavailable', message, problem);
  }
  if (response.status === 401) return authError(problem);
  return new SyncTransportError('protocol', `${what}: ${message}`, problem);
}

async function readJson(response: Response, what: string): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    throw protocolError(what, 'not JSON');
  }
}

/**
 * Checks the envelope and the two fields RxDB relies on; the documents themselves were
 * validated by the server when they were pushed, and a full parse of 10,000 messages on the
 * first sync would cost more than the transfer.
 */
function parsePull<C extends SyncCollection>(body: unknown, collection: C): PullResult<C> {
  if (!body || typeof body !== 'object') throw protocolError(`pull ${collection}`, 'no object');
  const { documents, checkpoint } = body as { documents?: unknown; checkpoint?: unknown };
  if (!Array.isArray(documents) || !documents.every(isWireDocument)) {
    throw protocolError(`pull ${collection}`, 'documents must be an array of documents');
  }
  if (checkpoint !== null && !isCheckpoint(checkpoint)) {
    throw protocolError(`pull ${collection}`, 'the checkpoint must be {"seq": n} or null');
  }
  return { documents: documents as WireDocument<C>[], checkpoint };
}

function isWireDocument(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const doc = value as { id?: unknown; _deleted?: unknown };
  return typeof doc.id === 'string' && typeof doc._deleted === 'boolean';
}

function isCheckpoint(value: unknown): value is Checkpoint {
  if (!value || typeof value !== 'object') return false;
  const { seq } = value as { seq?: unknown };
  return typeof seq === 'number' && Number.isInteger(seq) && seq >= 0;
}

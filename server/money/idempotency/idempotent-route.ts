/**
 * Idempotent money commands: wrap a route so every request needs an `Idempotency-Key`
 * header, and the first answer to a (user, key) pair (success or problem) is stored and
 * replayed for 24 hours. A client that retries after a timeout gets the same answer, and
 * the money moves once.
 *
 *   const routes = [
 *     idempotent(db, defineRoute({ method: 'post', path: '/escrows/:id/refunds', auth: true,
 *       …, handle: async ({ auth, params, body }) => ({ status: 201, body: … }) })),
 *   ];
 *
 * - Missing or malformed key → 400 `idempotency-key-required`.
 * - Same key, different method, path or body → 422 `idempotency-key-reused`.
 * - Same key while the first request still runs → 409 `idempotency-in-progress` (retry later).
 * - Replays carry `Idempotent-Replayed: true`.
 * - An unexpected error (a 500) stores nothing: the key may be used again.
 * Expired keys are removed by `purgeExpiredIdempotencyKeys` (the auto-release sweep calls it).
 */
import { createHash } from 'node:crypto';
import { problemTypes, type FieldError } from '../../../shared/api/problem.ts';
import {
  idempotencyKeyHeader,
  idempotentReplayedHeader,
} from '../../../shared/money/escrow-commands.ts';
import { canonical } from '../../../shared/sync/merge.ts';
import { isUniqueViolation } from '../../auth/users.ts';
import type { Db } from '../../db/database.ts';
import { HttpProblem } from '../../http/problem.ts';
import type { RouteContext, RouteDefinition, RouteResult } from '../../http/route.ts';

export const idempotencyWindowMs = 24 * 60 * 60 * 1000;
/** A request still "running" after this long died with its process; its key is taken over. */
const abandonedAfterMs = 5 * 60 * 1000;

/** 1–255 printable ASCII characters (what Stripe and the IETF draft accept). */
const keyPattern = /^[\x20-\x7e]{1,255}$/;

interface StoredProblem {
  problem: true;
  type: string;
  title: string;
  detail: string;
  errors?: FieldError[];
  extensions: Record<string, unknown>;
}

export function idempotent<P, Q, B>(
  db: Db,
  route: RouteDefinition<P, Q, B, true>,
): RouteDefinition<P, Q, B, true> {
  return {
    ...route,
    summary: `${route.summary} (needs an Idempotency-Key header)`,
    handle: (context) => runOnce(db, route, context),
  };
}

async function runOnce<P, Q, B>(
  db: Db,
  route: RouteDefinition<P, Q, B, true>,
  context: RouteContext<P, Q, B, true>,
): Promise<RouteResult> {
  const key = context.header(idempotencyKeyHeader);
  if (key === undefined || !keyPattern.test(key)) {
    throw new HttpProblem(
      400,
      problemTypes.idempotencyKeyRequired,
      'Idempotency-Key required',
      key === undefined
        ? `Send an ${idempotencyKeyHeader} header (1–255 printable characters, e.g. a UUID) with every money command.`
        : `The ${idempotencyKeyHeader} header must be 1–255 printable ASCII characters.`,
    );
  }
  const userId = context.auth.userId;
  const scope = `${route.method.toUpperCase()} ${fillPath(route.path, context.params)}`;
  const requestHash = createHash('sha256')
    .update(canonical(context.body ?? null))
    .digest('hex');

  const replay = await claim(db, { userId, key, scope, requestHash });
  if (replay) return replay;

  let result: RouteResult;
  try {
    result = await route.handle(context);
  } catch (error) {
    if (error instanceof HttpProblem) {
      await store(db, userId, key, error.status, storedProblem(error));
    } else {
      await db.kysely
        .deleteFrom('idempotency_keys')
        .where('user_id', '=', userId)
        .where('key', '=', key)
        .execute();
    }
    throw error;
  }
  await store(db, userId, key, result.status, result.body ?? null);
  return result;
}

/**
 * Takes the key for this request (null: go ahead), or answers what the key already holds:
 * the stored answer, a mismatch or "still running".
 */
async function claim(
  db: Db,
  input: { userId: string; key: string; scope: string; requestHash: string },
): Promise<RouteResult | null> {
  const now = Date.now();
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await db.kysely
        .insertInto('idempotency_keys')
        .values({
          user_id: input.userId,
          key: input.key,
          scope: input.scope,
          request_hash: input.requestHash,
          status_code: null,
          response_body: null,
          created_at: new Date(now).toISOString(),
        })
        .execute();
      return null;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const existing = await db.kysely
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('user_id', '=', input.userId)
      .where('key', '=', input.key)
      .executeTakeFirst();
    // Deleted in between (a failed first request, or expiry): try to take it again.
    if (!existing) continue;
    if (Date.parse(existing.created_at) + idempotencyWindowMs <= now) {
      await db.kysely
        .deleteFrom('idempotency_keys')
        .where('user_id', '=', input.userId)
        .where('key', '=', input.key)
        .where('created_at', '=', existing.created_at)
        .execute();
      continue;
    }
    if (existing.scope !== input.scope || existing.request_hash !== input.requestHash) {
      throw new HttpProblem(
        422,
        problemTypes.idempotencyKeyReused,
        'Idempotency-Key reused',
        `This ${idempotencyKeyHeader} was first used for ${existing.scope} with a different request; use a new key for a new request.`,
      );
    }
    if (existing.status_code === null || existing.response_body === null) {
      // A first request that never finished (the process died): its key is free again.
      if (Date.parse(existing.created_at) + abandonedAfterMs <= now) {
        await db.kysely
          .deleteFrom('idempotency_keys')
          .where('user_id', '=', input.userId)
          .where('key', '=', input.key)
          .where('created_at', '=', existing.created_at)
          .where('status_code', 'is', null)
          .execute();
        continue;
      }
      throw new HttpProblem(
        409,
        problemTypes.idempotencyInProgress,
        'Request in progress',
        `The first request with this ${idempotencyKeyHeader} is still running; retry in a moment.`,
        { headers: { 'Retry-After': '1' } },
      );
    }
    return replayOf(existing.status_code, existing.response_body);
  }
  throw new HttpProblem(
    409,
    problemTypes.idempotencyInProgress,
    'Request in progress',
    `Another request with this ${idempotencyKeyHeader} keeps changing; retry in a moment.`,
    { headers: { 'Retry-After': '1' } },
  );
}

function replayOf(status: number, body: string): RouteResult {
  const replayed = { [idempotentReplayedHeader]: 'true' };
  const parsed = JSON.parse(body) as unknown;
  if (isStoredProblem(parsed)) {
    throw new HttpProblem(status, parsed.type as HttpProblem['type'], parsed.title, parsed.detail, {
      ...(parsed.errors ? { errors: parsed.errors } : {}),
      extensions: parsed.extensions,
      headers: replayed,
    });
  }
  return { status, ...(parsed === null ? {} : { body: parsed }), headers: replayed };
}

function storedProblem(error: HttpProblem): StoredProblem {
  return {
    problem: true,
    type: error.type,
    title: error.title,
    detail: error.message,
    ...(error.errors ? { errors: error.errors } : {}),
    extensions: error.extensions,
  };
}

function isStoredProblem(value: unknown): value is StoredProblem {
  return (
    typeof value === 'object' && value !== null && 'problem' in value && value.problem === true
  );
}

async function store(db: Db, userId: string, key: string, status: number, body: unknown) {
  await db.kysely
    .updateTable('idempotency_keys')
    .set({ status_code: status, response_body: JSON.stringify(body) })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .execute();
}

function fillPath(path: string, params: unknown): string {
  const values = (typeof params === 'object' && params !== null ? params : {}) as Record<
    string,
    unknown
  >;
  return path.replace(/:(\w+)/g, (_match, name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value : `:${name}`;
  });
}

/** Forgets answers older than the replay window; returns how many. */
export async function purgeExpiredIdempotencyKeys(db: Db, now = Date.now()): Promise<number> {
  const result = await db.kysely
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', new Date(now - idempotencyWindowMs).toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

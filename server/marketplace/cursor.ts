import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { problems } from '../http/problem.ts';

/**
 * Opaque list cursors: the (created_at, id) of the last item handed out, so the next page
 * continues strictly after it and a walk sees every row exactly once.
 */
export function encodeCursor(position: [string, string]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      !Number.isNaN(Date.parse(value[0])) &&
      typeof value[1] === 'string' &&
      /^[0-9a-f-]{36}$/.test(value[1])
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // Not base64url JSON: answered below like any other foreign cursor.
  }
  throw problems.validation(
    [{ pointer: '/cursor', detail: 'is not a cursor this list handed out' }],
    'query string',
  );
}

/**
 * Rows strictly after a cursor in (at desc, id desc) order: the next page's filter. The keys
 * default to a table's own `created_at` and `id`; lists keyed otherwise (when a favorite was
 * added, say) name their columns.
 */
export function afterCursor(cursor: string, at = 'created_at', id = 'id'): RawBuilder<SqlBool> {
  const [lastAt, lastId] = decodeCursor(cursor);
  return sql<SqlBool>`(${sql.ref(at)} < ${lastAt} or (${sql.ref(at)} = ${lastAt} and ${sql.ref(id)} < ${lastId}))`;
}

type Page<R> = { rows: R[]; nextCursor: string | null };

/** A page from `limit + 1` fetched rows, and the cursor to the next one when there is more. */
export function cutPage<R extends { created_at: string; id: string }>(
  rows: R[],
  limit: number,
): Page<R>;
export function cutPage<R>(rows: R[], limit: number, keyOf: (row: R) => [string, string]): Page<R>;
export function cutPage<R>(
  rows: R[],
  limit: number,
  keyOf: (row: R) => [string, string] = (row) => {
    const { created_at: at, id } = row as { created_at: string; id: string };
    return [at, id];
  },
): Page<R> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null,
  };
}

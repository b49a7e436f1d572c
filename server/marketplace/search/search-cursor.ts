import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { problems } from '../../http/problem.ts';

/** The sort key of the last hit handed out: a number (score, amount, rating) or an instant. */
export type SearchKey = string | number;
export type SearchKeyKind = 'number' | 'instant';

/**
 * Search cursors: the sort they belong to, the last hit's key and its id. Every search orders
 * by (key desc, id desc), so the next page is what lies strictly after that pair.
 */
export function encodeSearchCursor(sort: string, key: SearchKey, id: string): string {
  return Buffer.from(JSON.stringify([sort, key, id])).toString('base64url');
}

/** A cursor is only good for the sort that handed it out. */
export function decodeSearchCursor(
  cursor: string,
  sort: string,
  kind: SearchKeyKind,
): [SearchKey, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      value[0] === sort &&
      (kind === 'instant'
        ? typeof value[1] === 'string' && !Number.isNaN(Date.parse(value[1]))
        : typeof value[1] === 'number' && Number.isFinite(value[1])) &&
      typeof value[2] === 'string' &&
      /^[0-9a-f-]{36}$/.test(value[2])
    ) {
      return [value[1] as SearchKey, value[2]];
    }
  } catch {
    // Not base64url JSON: answered below like any other foreign cursor.
  }
  throw problems.validation(
    [{ pointer: '/cursor', detail: 'is not a cursor this search handed out' }],
    'query string',
  );
}

/** The rows after a decoded cursor in (key desc, id desc) order. */
export function afterSearchKey(
  key: RawBuilder<unknown>,
  id: RawBuilder<unknown>,
  [value, lastId]: [SearchKey, string],
): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${key} < ${value} or (${key} = ${value} and ${id} < ${lastId}))`;
}

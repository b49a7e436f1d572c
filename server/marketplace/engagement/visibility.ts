import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { AuthContext } from '../../http/route.ts';

/**
 * The rule of `ProjectService.visibleRow` as a filter on a `projects` table aliased `p`:
 * its client and administrators see a project in any state; everyone else sees public ones
 * that are no longer drafts. Lists of favorites and the blob endpoint apply it in SQL.
 */
export function projectVisibleTo(auth: Pick<AuthContext, 'userId' | 'role'>): RawBuilder<SqlBool> {
  if (auth.role === 'admin') return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`(p.client_id = ${auth.userId} or (p.visibility = 'public' and p.status <> 'draft'))`;
}

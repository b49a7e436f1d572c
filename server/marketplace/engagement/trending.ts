import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { EngagementPageQuery } from '../../../shared/marketplace/engagement.ts';
import type { ProjectPage } from '../../../shared/marketplace/projects.ts';
import type { Db } from '../../db/database.ts';
import type { ProjectsTable } from '../../db/schema.ts';
import { problems } from '../../http/problem.ts';
import type { ProjectService } from '../projects.ts';

const DAY_MS = 86_400_000;
/** Activity older than this does not count. */
export const TRENDING_WINDOW_DAYS = 7;
/** A proposal says more than a look: someone spent an evening on it. */
export const PROPOSAL_WEIGHT = 3;
/** How fast age pulls a project down (see the formula below). */
export const AGE_GRAVITY = 1.5;

type ScoredRow = Selectable<ProjectsTable> & { score: number };

/**
 * Open public projects ranked by what happened to them in the last week:
 *
 *   score = (new viewers + 3 × proposals received) / (1 + age in days / 7) ^ 1.5
 *
 * where both counts cover the 7 days before the ranking instant, a viewer counts once (views
 * are stored per viewer, so reloading a page does not push a project up), and age runs from
 * publication. A week-old project needs about 2.8 times the activity of a fresh one to rank
 * level with it; one a month old, about 10 times. Projects with no activity in the window are
 * not trending and are left out.
 *
 * Paging: the first page fixes the ranking instant and the cursor carries it, so later pages
 * rank the same activity the same way and a walk sees each project once, whatever happens
 * meanwhile.
 */
export class TrendingService {
  private readonly db: Db;
  private readonly projects: ProjectService;

  constructor(db: Db, projects: ProjectService) {
    this.db = db;
    this.projects = projects;
  }

  async list(query: EngagementPageQuery, now = new Date()): Promise<ProjectPage> {
    const position = query.cursor !== undefined ? decodeTrendingCursor(query.cursor) : null;
    const asOf = position?.asOf ?? now.toISOString();
    const windowStart = new Date(Date.parse(asOf) - TRENDING_WINDOW_DAYS * DAY_MS).toISOString();
    const score = sql<number>`
      cast(a.activity as double precision)
        / power(1 + ${this.ageDays(asOf)} / ${sql.lit(TRENDING_WINDOW_DAYS)}, ${sql.lit(AGE_GRAVITY)})`;
    const after = position
      ? sql`where score < ${position.score} or (score = ${position.score} and id < ${position.id})`
      : sql``;
    const result = await sql<ScoredRow>`
      with activity as (
        select project_id, sum(weight) as activity from (
          select project_id, 1 as weight from project_views
          where first_viewed_at > ${windowStart} and first_viewed_at <= ${asOf}
          union all
          select project_id, ${sql.lit(PROPOSAL_WEIGHT)} as weight from proposals
          where created_at > ${windowStart} and created_at <= ${asOf}
        ) recent
        group by project_id
      ),
      ranked as (
        select p.*, ${score} as score
        from projects p join activity a on a.project_id = p.id
        where p.status = 'open' and p.visibility = 'public' and p.published_at <= ${asOf}
      )
      select * from ranked ${after}
      order by score desc, id desc
      limit ${query.limit + 1}`.execute(this.db.kysely);
    const rows = result.rows.slice(0, query.limit);
    const last = rows.at(-1);
    return {
      items: await this.projects.presentAll(rows),
      nextCursor:
        result.rows.length > query.limit && last
          ? encodeTrendingCursor({ asOf, score: Number(last.score), id: last.id })
          : null,
    };
  }

  /** Days from publication to the ranking instant, as a double, never negative. */
  private ageDays(asOf: string): RawBuilder<number> {
    return this.db.dialect === 'postgres'
      ? sql<number>`greatest(extract(epoch from (cast(${asOf} as timestamptz) - p.published_at))::float8 / 86400, 0)`
      : sql<number>`max(julianday(${asOf}) - julianday(p.published_at), 0)`;
  }
}

interface TrendingPosition {
  asOf: string;
  score: number;
  id: string;
}

function encodeTrendingCursor(position: TrendingPosition): string {
  return Buffer.from(
    JSON.stringify(['trending', position.asOf, position.score, position.id]),
  ).toString('base64url');
}

function decodeTrendingCursor(cursor: string): TrendingPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 4 &&
      value[0] === 'trending' &&
      typeof value[1] === 'string' &&
      !Number.isNaN(Date.parse(value[1])) &&
      typeof value[2] === 'number' &&
      Number.isFinite(value[2]) &&
      typeof value[3] === 'string' &&
      /^[0-9a-f-]{36}$/.test(value[3])
    ) {
      return { asOf: new Date(value[1]).toISOString(), score: value[2], id: value[3] };
    }
  } catch {
    // Not base64url JSON: answered below like any other foreign cursor.
  }
  throw problems.validation(
    [{ pointer: '/cursor', detail: 'is not a cursor this list handed out' }],
    'query string',
  );
}

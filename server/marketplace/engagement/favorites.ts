import { sql } from 'kysely';
import type {
  EngagementPageQuery,
  FavoriteFreelancer,
  FavoriteFreelancerPage,
  FavoriteProject,
  FavoriteProjectPage,
} from '../../../shared/marketplace/engagement.ts';
import { recordAudit } from '../../audit/audit-log.ts';
import type { Db } from '../../db/database.ts';
import { problems } from '../../http/problem.ts';
import type { AuthContext, RequestMeta } from '../../http/route.ts';
import type { ProjectService } from '../projects.ts';
import { afterCursor, cutPage } from '../cursor.ts';
import { personColumns, presentPerson } from './people.ts';
import { projectVisibleTo } from './visibility.ts';

/** The two kinds of favorite differ only in their table and the column naming the target. */
const favoriteKinds = {
  project: { table: 'project_favorites', column: 'project_id', detail: 'projectId' },
  freelancer: { table: 'freelancer_favorites', column: 'freelancer_id', detail: 'freelancerId' },
} as const;
type FavoriteKind = keyof typeof favoriteKinds;

const noFreelancer = () => problems.notFound('There is no freelancer with that id.');

/** Whether a user keeps a project among their favorites (for a project's own answer). */
export async function isFavoriteProject(db: Db, userId: string, projectId: string) {
  const row = await db.kysely
    .selectFrom('project_favorites')
    .select('project_id')
    .where('user_id', '=', userId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether a user keeps a freelancer among their favorites (for a profile's own answer). */
export async function isFavoriteFreelancer(db: Db, userId: string, freelancerId: string) {
  const row = await db.kysely
    .selectFrom('freelancer_favorites')
    .select('freelancer_id')
    .where('user_id', '=', userId)
    .where('freelancer_id', '=', freelancerId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Favorite projects and freelancers. Adding and removing are idempotent: a repeat finds the
 * state already there and writes nothing (no row, no audit entry). Only projects the caller
 * may see can be added, and a favorite that later turns invisible drops out of the list.
 */
export class FavoriteService {
  private readonly db: Db;
  private readonly projects: ProjectService;

  constructor(db: Db, projects: ProjectService) {
    this.db = db;
    this.projects = projects;
  }

  async addProject(auth: AuthContext, projectId: string, meta: RequestMeta) {
    const row = await this.projects.visibleRow(auth, projectId);
    const favoritedAt = await this.add(auth, 'project', projectId, meta);
    const [project] = await this.projects.presentAll([row]);
    if (!project) throw new Error('a project vanished while being presented');
    return { project, favoritedAt } satisfies FavoriteProject;
  }

  async removeProject(auth: AuthContext, projectId: string, meta: RequestMeta): Promise<void> {
    // No visibility check: a favorite whose project turned private can still be let go.
    await this.remove(auth, 'project', projectId, meta);
  }

  /** The caller's favorite projects they can still see, most recently favorited first. */
  async listProjects(auth: AuthContext, query: EngagementPageQuery): Promise<FavoriteProjectPage> {
    let select = this.db.kysely
      .selectFrom('project_favorites as f')
      .innerJoin('projects as p', 'p.id', 'f.project_id')
      .selectAll('p')
      .select('f.created_at as favorited_at')
      .where('f.user_id', '=', auth.userId)
      .where(projectVisibleTo(auth))
      .orderBy('f.created_at', 'desc')
      .orderBy('f.project_id', 'desc')
      .limit(query.limit + 1);
    if (query.cursor !== undefined) {
      select = select.where(afterCursor(query.cursor, 'f.created_at', 'f.project_id'));
    }
    const { rows, nextCursor } = cutPage(await select.execute(), query.limit, (row) => [
      row.favorited_at,
      row.id,
    ]);
    const projects = await this.projects.presentAll(rows);
    return {
      items: projects.map((project, index) => ({
        project,
        favoritedAt: rows[index]?.favorited_at ?? project.createdAt,
      })),
      nextCursor,
    };
  }

  async addFreelancer(
    auth: AuthContext,
    freelancerId: string,
    meta: RequestMeta,
  ): Promise<FavoriteFreelancer> {
    if (freelancerId === auth.userId) {
      throw problems.validation(
        [{ pointer: '/id', detail: 'is you; favorite other freelancers' }],
        'path',
      );
    }
    const person = await this.db.kysely
      .selectFrom('users as u')
      .select(personColumns)
      .where('u.id', '=', freelancerId)
      .executeTakeFirst();
    // Clients and administrators are not freelancers: they cannot be favorited as one.
    if (person?.role !== 'freelancer') throw noFreelancer();
    const favoritedAt = await this.add(auth, 'freelancer', freelancerId, meta);
    return { freelancer: presentPerson(person), favoritedAt };
  }

  async removeFreelancer(auth: AuthContext, freelancerId: string, meta: RequestMeta) {
    await this.remove(auth, 'freelancer', freelancerId, meta);
  }

  async listFreelancers(
    auth: AuthContext,
    query: EngagementPageQuery,
  ): Promise<FavoriteFreelancerPage> {
    let select = this.db.kysely
      .selectFrom('freelancer_favorites as f')
      .innerJoin('users as u', 'u.id', 'f.freelancer_id')
      .select([...personColumns, 'f.created_at as favorited_at'])
      .where('f.user_id', '=', auth.userId)
      .orderBy('f.created_at', 'desc')
      .orderBy('f.freelancer_id', 'desc')
      .limit(query.limit + 1);
    if (query.cursor !== undefined) {
      select = select.where(afterCursor(query.cursor, 'f.created_at', 'f.freelancer_id'));
    }
    const { rows, nextCursor } = cutPage(await select.execute(), query.limit, (row) => [
      row.favorited_at,
      row.id,
    ]);
    return {
      items: rows.map((row) => ({ freelancer: presentPerson(row), favoritedAt: row.favorited_at })),
      nextCursor,
    };
  }

  /** Adds a favorite unless it is there, and answers when it was first added. */
  private async add(auth: AuthContext, kind: FavoriteKind, targetId: string, meta: RequestMeta) {
    const { table, column, detail } = favoriteKinds[kind];
    return this.db.kysely.transaction().execute(async (trx) => {
      const inserted = await sql`
        insert into ${sql.table(table)} (user_id, ${sql.ref(column)}, created_at)
        values (${auth.userId}, ${targetId}, ${now()})
        on conflict (user_id, ${sql.ref(column)}) do nothing`.execute(trx);
      if (Number(inserted.numAffectedRows ?? 0) > 0) {
        await recordAudit(trx, meta, {
          action: 'favorite.added',
          userId: auth.userId,
          sessionId: auth.sessionId,
          details: { [detail]: targetId },
        });
      }
      const favorite = await sql<{ created_at: string }>`
        select created_at from ${sql.table(table)}
        where user_id = ${auth.userId} and ${sql.ref(column)} = ${targetId}`.execute(trx);
      const [row] = favorite.rows;
      if (!row) throw new Error('a favorite vanished inside its own transaction');
      return row.created_at;
    });
  }

  private async remove(auth: AuthContext, kind: FavoriteKind, targetId: string, meta: RequestMeta) {
    const { table, column, detail } = favoriteKinds[kind];
    await this.db.kysely.transaction().execute(async (trx) => {
      const deleted = await sql`
        delete from ${sql.table(table)}
        where user_id = ${auth.userId} and ${sql.ref(column)} = ${targetId}`.execute(trx);
      if (Number(deleted.numAffectedRows ?? 0) > 0) {
        await recordAudit(trx, meta, {
          action: 'favorite.removed',
          userId: auth.userId,
          sessionId: auth.sessionId,
          details: { [detail]: targetId },
        });
      }
    });
  }
}

const now = () => new Date().toISOString();

import type {
  EngagementPageQuery,
  Follow,
  FollowPage,
  FollowStats,
} from '../../../shared/marketplace/engagement.ts';
import type { ProjectPage } from '../../../shared/marketplace/projects.ts';
import { recordAudit } from '../../audit/audit-log.ts';
import type { Db } from '../../db/database.ts';
import { problems } from '../../http/problem.ts';
import type { AuthContext, RequestMeta } from '../../http/route.ts';
import type { ProjectService } from '../projects.ts';
import { afterCursor, cutPage } from '../cursor.ts';
import { personColumns, presentPerson } from './people.ts';

const nobody = () => problems.notFound('There is no client or freelancer with that id.');

/** Whether one user follows another (for a profile's own answer). */
export async function isFollowing(db: Db, followerId: string, followeeId: string) {
  const row = await db.kysely
    .selectFrom('follows')
    .select('followee_id')
    .where('follower_id', '=', followerId)
    .where('followee_id', '=', followeeId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * People following clients and freelancers. Following a client is what fills the caller's
 * feed of that client's open projects. Follow and unfollow are idempotent, like favorites.
 */
export class FollowService {
  private readonly db: Db;
  private readonly projects: ProjectService;

  constructor(db: Db, projects: ProjectService) {
    this.db = db;
    this.projects = projects;
  }

  async follow(auth: AuthContext, userId: string, meta: RequestMeta): Promise<Follow> {
    if (userId === auth.userId) {
      throw problems.validation(
        [{ pointer: '/id', detail: 'is you; follow someone else' }],
        'path',
      );
    }
    const person = await this.followable(userId);
    const since = await this.db.kysely.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('follows')
        .values({ follower_id: auth.userId, followee_id: userId, created_at: now() })
        .onConflict((conflict) => conflict.columns(['follower_id', 'followee_id']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
        await recordAudit(trx, meta, {
          action: 'follow.added',
          userId: auth.userId,
          sessionId: auth.sessionId,
          details: { followeeId: userId },
        });
      }
      const follow = await trx
        .selectFrom('follows')
        .select('created_at')
        .where('follower_id', '=', auth.userId)
        .where('followee_id', '=', userId)
        .executeTakeFirstOrThrow();
      return follow.created_at;
    });
    return { user: presentPerson(person), since };
  }

  async unfollow(auth: AuthContext, userId: string, meta: RequestMeta): Promise<void> {
    await this.db.kysely.transaction().execute(async (trx) => {
      const deleted = await trx
        .deleteFrom('follows')
        .where('follower_id', '=', auth.userId)
        .where('followee_id', '=', userId)
        .executeTakeFirst();
      if (Number(deleted.numDeletedRows) > 0) {
        await recordAudit(trx, meta, {
          action: 'follow.removed',
          userId: auth.userId,
          sessionId: auth.sessionId,
          details: { followeeId: userId },
        });
      }
    });
  }

  /** Whom the caller follows (`following`) or who follows the caller (`followers`). */
  async list(
    auth: AuthContext,
    side: 'following' | 'followers',
    query: EngagementPageQuery,
  ): Promise<FollowPage> {
    const [mine, theirs] =
      side === 'following'
        ? (['f.follower_id', 'f.followee_id'] as const)
        : (['f.followee_id', 'f.follower_id'] as const);
    let select = this.db.kysely
      .selectFrom('follows as f')
      .innerJoin('users as u', 'u.id', theirs)
      .select([...personColumns, 'f.created_at as since'])
      .where(mine, '=', auth.userId)
      .orderBy('f.created_at', 'desc')
      .orderBy(theirs, 'desc')
      .limit(query.limit + 1);
    if (query.cursor !== undefined)
      select = select.where(afterCursor(query.cursor, 'f.created_at', theirs));
    const { rows, nextCursor } = cutPage(await select.execute(), query.limit, (row) => [
      row.since,
      row.id,
    ]);
    return {
      items: rows.map((row) => ({ user: presentPerson(row), since: row.since })),
      nextCursor,
    };
  }

  async stats(auth: AuthContext, userId: string): Promise<FollowStats> {
    await this.followable(userId);
    const db = this.db.kysely;
    const count = (column: 'follower_id' | 'followee_id') =>
      db
        .selectFrom('follows')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where(column, '=', userId)
        .executeTakeFirstOrThrow();
    const [followers, following, followedByMe] = await Promise.all([
      count('followee_id'),
      count('follower_id'),
      isFollowing(this.db, auth.userId, userId),
    ]);
    return {
      userId,
      followers: Number(followers.count),
      following: Number(following.count),
      followedByMe,
    };
  }

  /**
   * The feed follows are for: open public projects of the clients the caller follows, most
   * recently published first (a draft published today is news today).
   */
  async feed(auth: AuthContext, query: EngagementPageQuery): Promise<ProjectPage> {
    let select = this.db.kysely
      .selectFrom('projects as p')
      .selectAll('p')
      .where('p.status', '=', 'open')
      .where('p.visibility', '=', 'public')
      .where('p.client_id', 'in', (eb) =>
        eb.selectFrom('follows').select('followee_id').where('follower_id', '=', auth.userId),
      )
      .orderBy('p.published_at', 'desc')
      .orderBy('p.id', 'desc')
      .limit(query.limit + 1);
    if (query.cursor !== undefined) {
      select = select.where(afterCursor(query.cursor, 'p.published_at', 'p.id'));
    }
    const { rows, nextCursor } = cutPage(await select.execute(), query.limit, (row) => [
      // Open projects are always published; the creation time is only the type's fallback.
      row.published_at ?? row.created_at,
      row.id,
    ]);
    return { items: await this.projects.presentAll(rows), nextCursor };
  }

  /** Clients and freelancers can be followed; administrators are not public people. */
  private async followable(userId: string) {
    const person = await this.db.kysely
      .selectFrom('users as u')
      .select(personColumns)
      .where('u.id', '=', userId)
      .executeTakeFirst();
    if (!person || person.role === 'admin') throw nobody();
    return person;
  }
}

const now = () => new Date().toISOString();

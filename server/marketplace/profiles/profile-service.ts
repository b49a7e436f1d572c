import type { Selectable } from 'kysely';
import type {
  FreelancerProfile,
  UpdateFreelancerProfileInput,
} from '../../../shared/marketplace/profiles.ts';
import { recordAudit } from '../../audit/audit-log.ts';
import { hourlyRateOf, profileChanges } from '../../auth/users.ts';
import type { Db } from '../../db/database.ts';
import type { UsersTable } from '../../db/schema.ts';
import { problems } from '../../http/problem.ts';
import type { AuthContext, RequestMeta } from '../../http/route.ts';
import { isFavoriteFreelancer } from '../engagement/favorites.ts';
import { isFollowing } from '../engagement/follows.ts';
import { systemClock, type Clock } from '../reviews/visibility.ts';
import { ensureTerms } from '../taxonomy.ts';
import { portfolioOf } from './portfolio.ts';
import { skillsOf, statsOf } from './profile-facts.ts';
import { requireFreelancer } from './require-freelancer.ts';

const notFound = () => problems.notFound('There is no freelancer with that id.');

/**
 * Freelancer profiles: the account's headline, bio and rate, skills with levels, the
 * portfolio, and public stats. The search index follows every change through triggers.
 */
export class ProfileService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock = systemClock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Any signed-in member may read a freelancer's profile; nobody else has one (404). The
   * reader also learns whether they keep this freelancer as a favorite and follow them.
   */
  async get(auth: AuthContext, id: string): Promise<FreelancerProfile> {
    const [profile, favorited, following] = await Promise.all([
      this.profileOf(id),
      isFavoriteFreelancer(this.db, auth.userId, id),
      isFollowing(this.db, auth.userId, id),
    ]);
    return { ...profile, favorited, following };
  }

  private async profileOf(id: string): Promise<FreelancerProfile> {
    const user = await this.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .where('role', '=', 'freelancer')
      .executeTakeFirst();
    if (!user) throw notFound();
    return this.present(user);
  }

  async update(
    auth: AuthContext,
    input: UpdateFreelancerProfileInput,
    meta: RequestMeta,
  ): Promise<FreelancerProfile> {
    requireFreelancer(auth);
    const { skills, ...account } = input;
    // Headline, bio and rate are the account's own fields, set as `PATCH /auth/me` sets them.
    const changes = profileChanges(account);
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ ...changes, updated_at: this.clock().toISOString() })
        .where('id', '=', auth.userId)
        .execute();
      if (skills !== undefined) {
        await trx.deleteFrom('profile_skills').where('user_id', '=', auth.userId).execute();
        // Names were checked (letters, no repeats) by the schema, so ids follow their order.
        const ids = await ensureTerms(
          trx,
          'skills',
          skills.map((skill) => skill.name),
          '/skills',
        );
        if (ids.length > 0) {
          await trx
            .insertInto('profile_skills')
            .values(
              skills.map((skill, position) => ({
                user_id: auth.userId,
                skill_id: ids[position] ?? '',
                level: skill.level,
                position,
              })),
            )
            .execute();
        }
      }
      await recordAudit(trx, meta, {
        action: 'profile.updated',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { fields: Object.keys(input) },
      });
    });
    return this.profileOf(auth.userId);
  }

  private async present(user: Selectable<UsersTable>): Promise<FreelancerProfile> {
    const [skills, portfolio, stats] = await Promise.all([
      skillsOf(this.db, [user.id]),
      portfolioOf(this.db.kysely, user.id),
      statsOf(this.db, [user], this.clock()),
    ]);
    const userStats = stats.get(user.id);
    if (!userStats) throw new Error('a profile lost its stats while being presented');
    return {
      id: user.id,
      name: user.name,
      headline: user.headline,
      bio: user.bio,
      country: user.country,
      timezone: user.timezone,
      hourlyRate: hourlyRateOf(user),
      skills: skills.get(user.id) ?? [],
      portfolio,
      stats: userStats,
      updatedAt: user.updated_at,
    };
  }
}

import { sql } from 'kysely';
import type { FreelancerStats, ProfileSkill } from '../../../shared/marketplace/profiles.ts';
import type { Db } from '../../db/database.ts';
import { publicRatingsOf } from '../reviews/visibility.ts';

/**
 * What a profile and a search hit both show of a freelancer beyond the user row: skills with
 * levels, and stats counted from contracts and public reviews. A constant number of queries
 * for any number of freelancers, so a page of hits costs the same as one profile.
 */

export async function skillsOf(db: Db, userIds: string[]): Promise<Map<string, ProfileSkill[]>> {
  const bySkill = new Map<string, ProfileSkill[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return bySkill;
  const rows = await db.kysely
    .selectFrom('profile_skills as ps')
    .innerJoin('skills as s', 's.id', 'ps.skill_id')
    .select(['ps.user_id', 's.id', 's.slug', 's.name', 'ps.level'])
    .where('ps.user_id', 'in', userIds)
    .orderBy('ps.user_id')
    .orderBy('ps.position')
    .execute();
  for (const { user_id: userId, ...skill } of rows) bySkill.get(userId)?.push(skill);
  return bySkill;
}

export async function statsOf(
  db: Db,
  users: Array<{ id: string; created_at: string }>,
  now: Date,
): Promise<Map<string, FreelancerStats>> {
  const ids = users.map((user) => user.id);
  if (ids.length === 0) return new Map();
  const [contracts, ratings] = await Promise.all([
    db.kysely
      .selectFrom('contracts')
      .select([
        'freelancer_id',
        (eb) => eb.fn.countAll<number>().as('total'),
        sql<number>`sum(case when status = 'ended' then 1 else 0 end)`.as('ended'),
      ])
      .where('freelancer_id', 'in', ids)
      .groupBy('freelancer_id')
      .execute(),
    publicRatingsOf(db, ids, now),
  ]);
  const counted = new Map(contracts.map((row) => [row.freelancer_id, row]));
  return new Map(
    users.map((user) => {
      const contract = counted.get(user.id);
      const rating = ratings.get(user.id);
      return [
        user.id,
        {
          jobsDone: Number(contract?.ended ?? 0),
          totalContracts: Number(contract?.total ?? 0),
          rating: rating?.average ?? null,
          reviewCount: rating?.count ?? 0,
          memberSince: user.created_at,
        },
      ];
    }),
  );
}

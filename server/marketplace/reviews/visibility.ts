import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { REVIEW_PUBLISH_DAYS, type RatingSummary } from '../../../shared/marketplace/reviews.ts';
import type { Db } from '../../db/database.ts';

/**
 * Whether a review is public is worked out when it is read, from timestamps alone: public once
 * the other party of its contract has reviewed too, or {@link REVIEW_PUBLISH_DAYS} days after
 * it was sent. Nothing is stored that a clock would have to flip later.
 */

/** Where "now" comes from; services take one so the rule can be read at any instant. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

const DAY_MS = 86_400_000;
const PUBLISH_MS = REVIEW_PUBLISH_DAYS * DAY_MS;

/** Reviews sent at or before this instant are public on their own. */
export function publishCutoff(now: Date): string {
  return new Date(now.getTime() - PUBLISH_MS).toISOString();
}

/** SQL: the review aliased `alias` is public at `now`. */
export function isPublicReview(alias: string, now: Date): RawBuilder<SqlBool> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<SqlBool>`(${column('created_at')} <= ${publishCutoff(now)} or exists (
    select 1 from reviews counterpart
    where counterpart.contract_id = ${column('contract_id')}
      and counterpart.reviewer_id <> ${column('reviewer_id')}))`;
}

/** SQL: per reviewee, the average (float) and count of their public reviews. */
export function publicRatings(now: Date): RawBuilder<{
  reviewee_id: string;
  average: number;
  count: number;
}> {
  return sql`
    select r.reviewee_id, cast(avg(r.rating) as double precision) as average, count(*) as count
    from reviews r
    where ${isPublicReview('r', now)}
    group by r.reviewee_id`;
}

/** The public rating of each of these people (those without reviews are left out). */
export async function publicRatingsOf(
  db: Db,
  userIds: string[],
  now: Date,
): Promise<Map<string, RatingSummary>> {
  if (userIds.length === 0) return new Map();
  const result = await sql<{ reviewee_id: string; average: number; count: number }>`
    select * from (${publicRatings(now)}) ratings
    where ratings.reviewee_id in (${sql.join(userIds)})`.execute(db.kysely);
  return new Map(
    result.rows.map((row) => [
      row.reviewee_id,
      { average: roundRating(Number(row.average)), count: Number(row.count) },
    ]),
  );
}

/** Ratings are shown to two decimals. */
export function roundRating(average: number): number {
  return Math.round(average * 100) / 100;
}

/** When a review is (or was) public: both in, or 14 days after it was sent. */
export function publicAt(sentAt: string, counterpartSentAt: string | null): string {
  const own = Date.parse(sentAt);
  const alone = own + PUBLISH_MS;
  if (counterpartSentAt === null) return new Date(alone).toISOString();
  // Both in: public when the second arrived, unless this one had gone public on its own first.
  return new Date(Math.min(alone, Math.max(own, Date.parse(counterpartSentAt)))).toISOString();
}

import { z } from 'zod';
import { roleSchema } from '../accounts/user.ts';
import { instantSchema } from '../api/time.ts';
import { moneySchema } from '../money/money.ts';
import { projectSchema } from './projects.ts';

/** Every list here pages by an opaque cursor, at most 100 items a page. */
export const engagementPageQuerySchema = z
  .object({
    cursor: z.string().max(300).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const userIdParamsSchema = z.object({ id: z.uuid() });

/** What a list of people shows of each: enough for a card, nothing private. */
export const personSummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: roleSchema,
    headline: z.string().nullable(),
    /** Freelancers' asking rate; null for clients and for freelancers who set none. */
    hourlyRate: moneySchema.nullable(),
  })
  .meta({ id: 'PersonSummary' });

export const favoriteProjectSchema = z
  .object({ project: projectSchema, favoritedAt: instantSchema })
  .meta({ id: 'FavoriteProject' });

export const favoriteProjectPageSchema = z
  .object({ items: z.array(favoriteProjectSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'FavoriteProjectPage' });

export const favoriteFreelancerSchema = z
  .object({ freelancer: personSummarySchema, favoritedAt: instantSchema })
  .meta({ id: 'FavoriteFreelancer' });

export const favoriteFreelancerPageSchema = z
  .object({ items: z.array(favoriteFreelancerSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'FavoriteFreelancerPage' });

/** One side of a follow: the other person, and since when. */
export const followSchema = z
  .object({ user: personSummarySchema, since: instantSchema })
  .meta({ id: 'Follow' });

export const followPageSchema = z
  .object({ items: z.array(followSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'FollowPage' });

export const followStatsSchema = z
  .object({
    userId: z.uuid(),
    followers: z.int().min(0),
    following: z.int().min(0),
    /** Whether the signed-in caller follows this user. */
    followedByMe: z.boolean(),
  })
  .meta({ id: 'FollowStats' });

export type EngagementPageQuery = z.infer<typeof engagementPageQuerySchema>;
export type PersonSummary = z.infer<typeof personSummarySchema>;
export type FavoriteProject = z.infer<typeof favoriteProjectSchema>;
export type FavoriteProjectPage = z.infer<typeof favoriteProjectPageSchema>;
export type FavoriteFreelancer = z.infer<typeof favoriteFreelancerSchema>;
export type FavoriteFreelancerPage = z.infer<typeof favoriteFreelancerPageSchema>;
export type Follow = z.infer<typeof followSchema>;
export type FollowPage = z.infer<typeof followPageSchema>;
export type FollowStats = z.infer<typeof followStatsSchema>;

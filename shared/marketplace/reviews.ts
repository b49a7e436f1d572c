import { z } from 'zod';
import { roleSchema } from '../accounts/user.ts';
import { instantSchema } from '../api/time.ts';

/**
 * Reviews after a contract ends: each party rates the other once (1–5, with text). A review is
 * public once both parties have sent theirs, or this many days after the first one, so neither
 * side writes with the other's verdict in view. Once the other side's review is public, the
 * window to answer it is closed.
 */
export const REVIEW_PUBLISH_DAYS = 14;

export const submitReviewInputSchema = z
  .object({
    rating: z
      .int('must be a whole number from 1 to 5')
      .min(1, 'must be at least 1')
      .max(5, 'must be at most 5'),
    /** Plain or rich text; sanitised by the server. */
    text: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(5_000, 'must be at most 5000 characters'),
  })
  .strict()
  .meta({ id: 'SubmitReviewInput' });

export const reviewSchema = z
  .object({
    id: z.uuid(),
    contractId: z.uuid(),
    reviewer: z.object({ id: z.uuid(), name: z.string() }),
    /** The reviewer's side of the contract. */
    reviewerRole: z.enum(['client', 'freelancer']),
    revieweeId: z.uuid(),
    rating: z.int().min(1).max(5),
    /** Sanitised HTML: safe to render as markup. */
    textHtml: z.string(),
    createdAt: instantSchema,
    /** When it is (or was) public: when both are in, or 14 days after the first. */
    publicAt: instantSchema,
    public: z.boolean(),
  })
  .meta({ id: 'Review' });

/** A contract's reviews as one of its parties sees them. */
export const contractReviewsSchema = z
  .object({
    contractId: z.uuid(),
    /** Whether the caller may send their review now. */
    canSubmit: z.boolean(),
    /** The caller's own review, public or not. */
    mine: reviewSchema.nullable(),
    /** The other party's review, once public. */
    theirs: reviewSchema.nullable(),
    /** The other party has sent a review (even one not yet public). */
    theirsSubmitted: z.boolean(),
  })
  .meta({ id: 'ContractReviews' });

export const reviewListQuerySchema = z
  .object({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const ratingSummarySchema = z
  .object({
    /** Average of public ratings, two decimals; null before the first. */
    average: z.number().nullable(),
    count: z.int(),
  })
  .meta({ id: 'RatingSummary' });

/** Public reviews someone received, newest first, with their rating over all of them. */
export const reviewPageSchema = z
  .object({
    /** Whose reviews these are (a client has no profile page: this names them). */
    reviewee: z.object({
      id: z.uuid(),
      /** Plain text: escape it where it is shown. */
      name: z.string(),
      role: roleSchema,
    }),
    items: z.array(reviewSchema),
    nextCursor: z.string().nullable(),
    summary: ratingSummarySchema,
  })
  .meta({ id: 'ReviewPage' });

export const userIdParamsSchema = z.object({ id: z.uuid() });

export type SubmitReviewInput = z.infer<typeof submitReviewInputSchema>;
export type Review = z.infer<typeof reviewSchema>;
export type ContractReviews = z.infer<typeof contractReviewsSchema>;
export type ReviewListQuery = z.infer<typeof reviewListQuerySchema>;
export type ReviewPage = z.infer<typeof reviewPageSchema>;
export type RatingSummary = z.infer<typeof ratingSummarySchema>;

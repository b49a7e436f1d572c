import { z } from 'zod';
import { countrySchema, updateProfileInputSchema } from '../accounts/user.ts';
import { instantSchema } from '../api/time.ts';
import { currencySchema, moneySchema } from '../money/money.ts';
import { deadlineSchema, termListSchema } from './projects.ts';
import { skillSchema, slugify, taxonomyNameSchema } from './taxonomy.ts';

export const skillLevels = ['beginner', 'intermediate', 'expert'] as const;
export const skillLevelSchema = z.enum(skillLevels);
export type SkillLevel = z.infer<typeof skillLevelSchema>;

export const MAX_PROFILE_SKILLS = 30;
export const MAX_PORTFOLIO_ITEMS = 50;

const profileSkillInputSchema = z
  .object({ name: taxonomyNameSchema, level: skillLevelSchema })
  .strict()
  .meta({ id: 'ProfileSkillInput', description: 'A skill by name (created when new) and level' });

/** Skills in the freelancer's order; a skill (by slug, so `React` = `react`) appears once. */
const profileSkillListSchema = z
  .array(profileSkillInputSchema)
  .max(MAX_PROFILE_SKILLS, `must name at most ${MAX_PROFILE_SKILLS}`)
  .superRefine((skills, context) => {
    const seen = new Set<string>();
    skills.forEach((skill, index) => {
      const slug = slugify(skill.name);
      if (!slug) {
        context.addIssue({
          code: 'custom',
          path: [index, 'name'],
          message: 'must contain letters or digits',
        });
      } else if (seen.has(slug)) {
        context.addIssue({ code: 'custom', path: [index, 'name'], message: 'is listed twice' });
      }
      seen.add(slug);
    });
  });

/**
 * The freelancer's own profile: headline, bio and rate are the account's (the same fields as
 * `PATCH /auth/me`, plain text); `skills` replaces the whole list when given.
 */
export const updateFreelancerProfileInputSchema = updateProfileInputSchema
  .pick({ headline: true, bio: true, hourlyRate: true })
  .extend({ skills: profileSkillListSchema.optional() })
  .meta({ id: 'UpdateFreelancerProfileInput' });

const portfolioTitleSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(120, 'must be at most 120 characters');

/** Rich text (a safe subset of HTML) or plain text; sanitised by the server either way. */
const portfolioDescriptionSchema = z.string().trim().max(5_000, 'must be at most 5000 characters');

/** Only web links: never `javascript:` or `data:` in a link people click. */
const portfolioUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http or https address' })
  .max(2_000, 'must be at most 2000 characters');

const blobHashSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be the sha256 (64 lowercase hex digits) of an uploaded image');

export const createPortfolioItemInputSchema = z
  .object({
    title: portfolioTitleSchema,
    description: portfolioDescriptionSchema.default(''),
    url: portfolioUrlSchema.nullable().default(null),
    /** An image uploaded through `POST /blobs` by the same freelancer. */
    imageHash: blobHashSchema.nullable().default(null),
    /** When the work was finished; not in the future. */
    completedOn: deadlineSchema.nullable().default(null),
  })
  .strict()
  .meta({ id: 'CreatePortfolioItemInput' });

export const updatePortfolioItemInputSchema = z
  .object({
    title: portfolioTitleSchema,
    description: portfolioDescriptionSchema,
    url: portfolioUrlSchema.nullable(),
    imageHash: blobHashSchema.nullable(),
    completedOn: deadlineSchema.nullable(),
    /** Move the item to this place (0 = first); the others shift to make room. */
    position: z
      .int()
      .min(0)
      .max(MAX_PORTFOLIO_ITEMS - 1),
  })
  .partial()
  .strict()
  .meta({ id: 'UpdatePortfolioItemInput' });

export const portfolioItemSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    /** Sanitised HTML: safe to render as markup. */
    descriptionHtml: z.string(),
    url: z.string().nullable(),
    /** Read the image at `GET /blobs/:hash`. */
    imageHash: z.string().nullable(),
    completedOn: z.string().nullable(),
    position: z.int(),
    createdAt: instantSchema,
    updatedAt: instantSchema,
  })
  .meta({ id: 'PortfolioItem' });

export const profileSkillSchema = skillSchema
  .extend({ level: skillLevelSchema })
  .meta({ id: 'ProfileSkill' });

/** Counted from contracts and public reviews only (see `shared/marketplace/reviews.ts`). */
export const freelancerStatsSchema = z
  .object({
    /** Contracts with this freelancer that have ended. */
    jobsDone: z.int(),
    totalContracts: z.int(),
    /** Average of public ratings (1–5, two decimals); null before the first. */
    rating: z.number().nullable(),
    reviewCount: z.int(),
    memberSince: instantSchema,
  })
  .meta({ id: 'FreelancerStats' });

export const freelancerProfileSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    /** Plain text: escape it where it is shown. */
    headline: z.string().nullable(),
    /** Plain text: escape it where it is shown. */
    bio: z.string().nullable(),
    country: z.string().nullable(),
    timezone: z.string().nullable(),
    hourlyRate: moneySchema.nullable(),
    skills: z.array(profileSkillSchema),
    /** In the freelancer's order; at most {@link MAX_PORTFOLIO_ITEMS}. */
    portfolio: z.array(portfolioItemSchema),
    stats: freelancerStatsSchema,
    /** On GET /freelancers/:id: whether the signed-in reader keeps them among their favorites. */
    favorited: z.boolean().optional(),
    /** On GET /freelancers/:id: whether the signed-in reader follows them. */
    following: z.boolean().optional(),
    updatedAt: instantSchema,
  })
  .meta({ id: 'FreelancerProfile' });

export const portfolioItemIdParamsSchema = z.object({ id: z.uuid() });
export const freelancerIdParamsSchema = z.object({ id: z.uuid() });

export const freelancerSearchSorts = [
  'relevance',
  'rating',
  'rate_low',
  'rate_high',
  'newest',
] as const;
export const freelancerSearchSortSchema = z.enum(freelancerSearchSorts);
export type FreelancerSearchSort = z.infer<typeof freelancerSearchSortSchema>;

const minorAmountSchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional();

/**
 * Free text over name, headline, bio and skills (never query syntax: only its words count, the
 * last one as a prefix) and filters. Sorts: relevance (the default with text), rating (the
 * default without), hourly rate low or high (within one `currency`, which they need), newest
 * member. Rates compare only within a currency, so a rate filter needs `currency` too.
 */
export const freelancerSearchQuerySchema = z
  .object({
    q: z.string().trim().max(200, 'must be at most 200 characters').default(''),
    /** Every one of these skills (names or slugs, comma-separated). */
    skills: termListSchema.optional(),
    rateMin: minorAmountSchema,
    rateMax: minorAmountSchema,
    currency: currencySchema.optional(),
    country: countrySchema.optional(),
    /** At least this average of public ratings. */
    minRating: z.coerce.number().min(1).max(5).optional(),
    sort: freelancerSearchSortSchema.optional(),
    cursor: z.string().max(300).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict()
  .superRefine((query, context) => {
    if (
      query.rateMin !== undefined &&
      query.rateMax !== undefined &&
      query.rateMin > query.rateMax
    ) {
      context.addIssue({ code: 'custom', path: ['rateMin'], message: 'must not exceed rateMax' });
    }
    const byRate =
      query.rateMin !== undefined ||
      query.rateMax !== undefined ||
      query.sort === 'rate_low' ||
      query.sort === 'rate_high';
    if (byRate && query.currency === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['currency'],
        message: 'is needed to compare hourly rates',
      });
    }
  });

export const freelancerSearchHitSchema = freelancerProfileSchema
  .pick({
    id: true,
    name: true,
    headline: true,
    country: true,
    hourlyRate: true,
    skills: true,
    stats: true,
  })
  .extend({
    /** Escaped bio text around the matched words, which are wrapped in `<mark>`. */
    snippetHtml: z.string(),
  })
  .meta({ id: 'FreelancerSearchHit' });

export const freelancerSearchPageSchema = z
  .object({ items: z.array(freelancerSearchHitSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'FreelancerSearchPage' });

export type UpdateFreelancerProfileInput = z.infer<typeof updateFreelancerProfileInputSchema>;
export type CreatePortfolioItemInput = z.infer<typeof createPortfolioItemInputSchema>;
export type UpdatePortfolioItemInput = z.infer<typeof updatePortfolioItemInputSchema>;
export type PortfolioItem = z.infer<typeof portfolioItemSchema>;
export type ProfileSkill = z.infer<typeof profileSkillSchema>;
export type FreelancerStats = z.infer<typeof freelancerStatsSchema>;
export type FreelancerProfile = z.infer<typeof freelancerProfileSchema>;
export type FreelancerSearchQuery = z.infer<typeof freelancerSearchQuerySchema>;
export type FreelancerSearchHit = z.infer<typeof freelancerSearchHitSchema>;
export type FreelancerSearchPage = z.infer<typeof freelancerSearchPageSchema>;

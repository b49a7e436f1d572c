import { z } from 'zod';
import { instantSchema } from '../api/time.ts';
import { currencySchema } from '../money/money.ts';
import { budgetTypeSchema, projectSchema, termListSchema } from './projects.ts';

export const projectSearchSorts = ['relevance', 'newest', 'budget'] as const;
export const projectSearchSortSchema = z.enum(projectSearchSorts);
export type ProjectSearchSort = z.infer<typeof projectSearchSortSchema>;

/** An amount in minor units, as typed into a query string. */
const minorAmountSchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional();

/**
 * Free text (never query syntax: only its words count, the last one as a prefix) and filters.
 * Without `q` the results are the newest projects; `sort` defaults to relevance when there is
 * text to rank by.
 */
export const projectSearchQuerySchema = z
  .object({
    q: z.string().trim().max(200, 'must be at most 200 characters').default(''),
    categoryId: z.uuid().optional(),
    /** Any of these skills (names or slugs, comma-separated). */
    skills: termListSchema.optional(),
    budgetMin: minorAmountSchema,
    budgetMax: minorAmountSchema,
    currency: currencySchema.optional(),
    type: budgetTypeSchema.optional(),
    /** Published at or after this instant (or date, read as its start in UTC). */
    postedSince: z
      .union([z.iso.datetime({ offset: true }), z.iso.date()])
      .transform((value) => new Date(value).toISOString())
      .optional(),
    sort: projectSearchSortSchema.optional(),
    cursor: z.string().max(300).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict()
  .superRefine((query, context) => {
    if (
      query.budgetMin !== undefined &&
      query.budgetMax !== undefined &&
      query.budgetMin > query.budgetMax
    ) {
      context.addIssue({
        code: 'custom',
        path: ['budgetMin'],
        message: 'must not exceed budgetMax',
      });
    }
  });

/** A project as a search result: what a result card shows, and where the words matched. */
export const projectSearchHitSchema = projectSchema
  .pick({
    id: true,
    client: true,
    title: true,
    category: true,
    skills: true,
    tags: true,
    budget: true,
    deadline: true,
    createdAt: true,
    publishedAt: true,
  })
  .extend({
    publishedAt: instantSchema,
    /** Escaped description text around the matched words, which are wrapped in `<mark>`. */
    snippetHtml: z.string(),
  })
  .meta({ id: 'ProjectSearchHit' });

export const projectSearchPageSchema = z
  .object({ items: z.array(projectSearchHitSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ProjectSearchPage' });

export const autocompleteQuerySchema = z
  .object({
    q: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  })
  .strict();

export const suggestionKinds = ['category', 'skill', 'project'] as const;

export const suggestionSchema = z
  .object({ kind: z.enum(suggestionKinds), id: z.uuid(), text: z.string() })
  .meta({ id: 'SearchSuggestion' });

export const autocompleteSchema = z
  .object({ suggestions: z.array(suggestionSchema).max(8) })
  .meta({ id: 'SearchSuggestions' });

export type ProjectSearchQuery = z.infer<typeof projectSearchQuerySchema>;
export type ProjectSearchHit = z.infer<typeof projectSearchHitSchema>;
export type ProjectSearchPage = z.infer<typeof projectSearchPageSchema>;
export type Suggestion = z.infer<typeof suggestionSchema>;

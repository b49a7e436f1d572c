import { z } from 'zod';
import { instantSchema } from '../api/time.ts';
import { budgetTypeSchema } from './projects.ts';
import {
  projectSearchHitSchema,
  projectSearchQuerySchema,
  projectSearchSortSchema,
  type ProjectSearchQuery,
} from './search.ts';

/** A user keeps at most this many saved searches. */
export const MAX_SAVED_SEARCHES = 50;

/** A run counts new results exactly up to this many ("100+" beyond). */
export const MAX_NEW_COUNT = 100;

export const savedSearchNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

/** The filters of a project search, without paging: what a saved search keeps. */
export type SavedSearchFilters = Omit<ProjectSearchQuery, 'cursor' | 'limit'>;

const pagingKeys = ['cursor', 'limit'] as const;

/**
 * The filters exactly as `GET /search/projects` validates them (same schema, same messages),
 * refusing `cursor` and `limit`: paging belongs to each run, not to what is saved.
 */
export const savedSearchFiltersInputSchema = z
  .preprocess((value, context) => {
    if (value !== null && typeof value === 'object') {
      for (const key of pagingKeys) {
        if (key in value) {
          context.addIssue({
            code: 'custom',
            path: [key],
            message: 'is not saved; page through the results instead',
            input: value,
          });
        }
      }
    }
    return value;
  }, projectSearchQuerySchema)
  .transform(({ cursor: _cursor, limit: _limit, ...filters }): SavedSearchFilters => filters);

/** The saved filters as answered: normalised (skills a list, postedSince an instant). */
export const savedSearchFiltersSchema = z
  .object({
    q: z.string(),
    categoryId: z.uuid().optional(),
    skills: z.array(z.string()).optional(),
    budgetMin: z.int().optional(),
    budgetMax: z.int().optional(),
    currency: z.string().optional(),
    type: budgetTypeSchema.optional(),
    postedSince: instantSchema.optional(),
    sort: projectSearchSortSchema.optional(),
  })
  .meta({ id: 'SavedSearchFilters' });

export const createSavedSearchInputSchema = z
  .object({ name: savedSearchNameSchema, query: savedSearchFiltersInputSchema })
  .strict()
  .meta({ id: 'CreateSavedSearchInput' });

export const renameSavedSearchInputSchema = z
  .object({ name: savedSearchNameSchema })
  .strict()
  .meta({ id: 'RenameSavedSearchInput' });

export const savedSearchIdParamsSchema = z.object({ id: z.uuid() });

export const savedSearchSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    query: savedSearchFiltersSchema,
    createdAt: instantSchema,
    updatedAt: instantSchema,
    /** When its results were last asked for; saving counts as the first run. */
    lastRunAt: instantSchema,
  })
  .meta({ id: 'SavedSearch' });

export const savedSearchPageSchema = z
  .object({ items: z.array(savedSearchSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'SavedSearchPage' });

export const savedSearchResultsQuerySchema = z
  .object({
    /** A cursor from this run's previous page; without one, this is a new run. */
    cursor: z.string().max(300).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const savedSearchHitSchema = projectSearchHitSchema
  .extend({
    /** Published after the previous run. */
    isNew: z.boolean(),
  })
  .meta({ id: 'SavedSearchHit' });

export const savedSearchResultsSchema = z
  .object({
    search: savedSearchSchema,
    /** The run "new" is counted from: the one before this (saving counts as a run). */
    since: instantSchema,
    /**
     * How many of all the results, not only this page's, were published after `since`:
     * exact up to {@link MAX_NEW_COUNT}; `moreNew` says there are more than that.
     */
    newCount: z.int().min(0).max(MAX_NEW_COUNT),
    moreNew: z.boolean(),
    items: z.array(savedSearchHitSchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'SavedSearchResults' });

export type CreateSavedSearchInput = z.infer<typeof createSavedSearchInputSchema>;
export type RenameSavedSearchInput = z.infer<typeof renameSavedSearchInputSchema>;
export type SavedSearch = z.infer<typeof savedSearchSchema>;
export type SavedSearchPage = z.infer<typeof savedSearchPageSchema>;
export type SavedSearchResultsQuery = z.infer<typeof savedSearchResultsQuerySchema>;
export type SavedSearchResults = z.infer<typeof savedSearchResultsSchema>;

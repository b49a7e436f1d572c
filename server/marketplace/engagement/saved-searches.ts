import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { problemTypes } from '../../../shared/api/problem.ts';
import {
  MAX_NEW_COUNT,
  MAX_SAVED_SEARCHES,
  type CreateSavedSearchInput,
  type SavedSearch,
  type SavedSearchFilters,
  type SavedSearchPage,
  type SavedSearchResults,
  type SavedSearchResultsQuery,
} from '../../../shared/marketplace/saved-searches.ts';
import type { EngagementPageQuery } from '../../../shared/marketplace/engagement.ts';
import { isUniqueViolation } from '../../auth/users.ts';
import { recordAudit } from '../../audit/audit-log.ts';
import type { Db } from '../../db/database.ts';
import type { SavedSearchesTable } from '../../db/schema.ts';
import { HttpProblem, problems } from '../../http/problem.ts';
import type { AuthContext, RequestMeta } from '../../http/route.ts';
import { afterCursor, cutPage } from '../cursor.ts';
import type { ProjectSearch } from '../search/project-search.ts';
import type { TaxonomyService } from '../taxonomy.ts';
import { lockRow } from './row-lock.ts';

type SavedSearchRow = Selectable<SavedSearchesTable>;

const notFound = () => problems.notFound('You have no saved search with that id.');
const nameTaken = () =>
  new HttpProblem(
    409,
    problemTypes.conflict,
    'Name already used',
    'You already have a saved search with that name.',
  );

/**
 * Project searches a user keeps under a name, and runs again later. Running one (asking for
 * its first page) records the run; the answer counts the results published since the run
 * before, so "3 new" means three projects nobody showed this user under that search yet.
 */
export class SavedSearchService {
  private readonly db: Db;
  private readonly search: ProjectSearch;
  private readonly taxonomy: TaxonomyService;

  constructor(db: Db, search: ProjectSearch, taxonomy: TaxonomyService) {
    this.db = db;
    this.search = search;
    this.taxonomy = taxonomy;
  }

  async create(
    auth: AuthContext,
    input: CreateSavedSearchInput,
    meta: RequestMeta,
  ): Promise<SavedSearch> {
    if (
      input.query.categoryId !== undefined &&
      (await this.taxonomy.subtree(input.query.categoryId)).length === 0
    ) {
      throw problems.validation([
        { pointer: '/query/categoryId', detail: 'is not a known category' },
      ]);
    }
    const now = new Date().toISOString();
    const row: SavedSearchRow = {
      id: randomUUID(),
      user_id: auth.userId,
      name: input.name,
      query: JSON.stringify(input.query),
      created_at: now,
      updated_at: now,
      // Saving is the first run: the user has just seen what the search finds today.
      last_run_at: now,
      previous_run_at: now,
    };
    try {
      await this.db.kysely.transaction().execute(async (trx) => {
        // Held until commit: two saves racing at 49 cannot both pass the cap.
        await lockRow(trx, this.db.dialect, 'users', auth.userId);
        const { count } = await trx
          .selectFrom('saved_searches')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('user_id', '=', auth.userId)
          .executeTakeFirstOrThrow();
        if (Number(count) >= MAX_SAVED_SEARCHES) {
          throw new HttpProblem(
            409,
            problemTypes.conflict,
            'Too many saved searches',
            `You can keep at most ${MAX_SAVED_SEARCHES} saved searches; delete one first.`,
            { extensions: { limit: MAX_SAVED_SEARCHES } },
          );
        }
        await trx.insertInto('saved_searches').values(row).execute();
        await recordAudit(trx, meta, {
          action: 'saved_search.created',
          userId: auth.userId,
          sessionId: auth.sessionId,
          details: { savedSearchId: row.id },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken();
      throw error;
    }
    return present(row);
  }

  async list(auth: AuthContext, query: EngagementPageQuery): Promise<SavedSearchPage> {
    let select = this.db.kysely
      .selectFrom('saved_searches')
      .selectAll()
      .where('user_id', '=', auth.userId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit + 1);
    if (query.cursor !== undefined) select = select.where(afterCursor(query.cursor));
    const { rows, nextCursor } = cutPage(await select.execute(), query.limit);
    return { items: rows.map(present), nextCursor };
  }

  async rename(
    auth: AuthContext,
    id: string,
    name: string,
    meta: RequestMeta,
  ): Promise<SavedSearch> {
    try {
      const row = await this.db.kysely.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('saved_searches')
          .set({ name, updated_at: new Date().toISOString() })
          .where('id', '=', id)
          .where('user_id', '=', auth.userId)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) throw notFound();
        await recordAudit(trx, meta, {
          action: 'saved_search.renamed',
          userId: auth.userId,
          sessionId: auth.sessionId,
          details: { savedSearchId: id },
        });
        return trx
          .selectFrom('saved_searches')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
      });
      return present(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken();
      throw error;
    }
  }

  async remove(auth: AuthContext, id: string, meta: RequestMeta): Promise<void> {
    await this.db.kysely.transaction().execute(async (trx) => {
      const result = await trx
        .deleteFrom('saved_searches')
        .where('id', '=', id)
        .where('user_id', '=', auth.userId)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw notFound();
      await recordAudit(trx, meta, {
        action: 'saved_search.deleted',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { savedSearchId: id },
      });
    });
  }

  /**
   * Runs a saved search through the search service. Without a cursor this is a new run: it is
   * recorded, and "new" means published after the previous one. With a cursor it continues
   * the latest run, counting from the same instant, so every page agrees.
   */
  async results(
    auth: AuthContext,
    id: string,
    query: SavedSearchResultsQuery,
  ): Promise<SavedSearchResults> {
    let row = await this.ownRow(auth, id);
    if (query.cursor === undefined) {
      const now = new Date().toISOString();
      // Guarded by the run it replaces: of two simultaneous runs, one moves the marks.
      await this.db.kysely
        .updateTable('saved_searches')
        .set({ previous_run_at: row.last_run_at, last_run_at: now })
        .where('id', '=', id)
        .where('last_run_at', '=', row.last_run_at)
        .execute();
      row = await this.ownRow(auth, id);
    }
    const since = row.previous_run_at;
    const filters = JSON.parse(row.query) as SavedSearchFilters;
    // Strictly after `since`: instants are kept to the millisecond on both databases.
    const newFrom = new Date(Date.parse(since) + 1).toISOString();
    const postedSince =
      filters.postedSince !== undefined && filters.postedSince > newFrom
        ? filters.postedSince
        : newFrom;
    // New results are counted through the search service itself: one page of MAX_NEW_COUNT.
    const [page, fresh] = await Promise.all([
      this.search.search({ ...filters, cursor: query.cursor, limit: query.limit }),
      this.search.search({ ...filters, postedSince, sort: 'newest', limit: MAX_NEW_COUNT }),
    ]);
    const sinceMs = Date.parse(since);
    return {
      search: present(row),
      since,
      newCount: fresh.items.length,
      moreNew: fresh.nextCursor !== null,
      items: page.items.map((hit) => ({ ...hit, isNew: Date.parse(hit.publishedAt) > sinceMs })),
      nextCursor: page.nextCursor,
    };
  }

  private async ownRow(auth: AuthContext, id: string): Promise<SavedSearchRow> {
    const row = await this.db.kysely
      .selectFrom('saved_searches')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', auth.userId)
      .executeTakeFirst();
    if (!row) throw notFound();
    return row;
  }
}

function present(row: SavedSearchRow): SavedSearch {
  return {
    id: row.id,
    name: row.name,
    query: JSON.parse(row.query) as SavedSearchFilters,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastRunAt: row.last_run_at,
  };
}

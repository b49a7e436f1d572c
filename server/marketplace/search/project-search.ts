import { sql, type RawBuilder, type Selectable } from 'kysely';
import type {
  ProjectSearchHit,
  ProjectSearchPage,
  ProjectSearchQuery,
  ProjectSearchSort,
  Suggestion,
} from '../../../shared/marketplace/search.ts';
import { slugify } from '../../../shared/marketplace/taxonomy.ts';
import type { Db } from '../../db/database.ts';
import type { ProjectsTable } from '../../db/schema.ts';
import { problems } from '../../http/problem.ts';
import type { ProjectService } from '../projects.ts';
import type { TaxonomyService } from '../taxonomy.ts';
import { afterSearchKey, decodeSearchCursor, encodeSearchCursor } from './search-cursor.ts';
import { bodyStart, queryTerms, snippetHtml, snippetsFor, type TextMatch } from './text-match.ts';

export { queryTerms, snippetHtml, type TextMatch } from './text-match.ts';

/** Full-text search over open public projects; the same answers on either database. */
export interface ProjectSearch {
  search(query: ProjectSearchQuery): Promise<ProjectSearchPage>;
  /** Up to {@link MAX_SUGGESTIONS} categories, skills and project titles for a typed prefix. */
  autocomplete(prefix: string): Promise<Suggestion[]>;
}

export const MAX_SUGGESTIONS = 8;

type HitRow = Selectable<ProjectsTable> & { score: number; snippet: string };

const invalidQuery = (pointer: string, detail: string) =>
  problems.validation([{ pointer, detail }], 'query string');

/** Filters, ordering, cursors and presentation; engines supply only the text matching. */
export abstract class SqlProjectSearch implements ProjectSearch {
  protected readonly db: Db;
  private readonly taxonomy: TaxonomyService;
  private readonly projects: ProjectService;

  constructor(db: Db, taxonomy: TaxonomyService, projects: ProjectService) {
    this.db = db;
    this.taxonomy = taxonomy;
    this.projects = projects;
  }

  /** A match of every term, the last one as a prefix; `titleOnly` looks at titles alone. */
  protected abstract textMatch(terms: string[], titleOnly: boolean): TextMatch;

  async search(query: ProjectSearchQuery): Promise<ProjectSearchPage> {
    const terms = queryTerms(query.q);
    const match = terms.length > 0 ? this.textMatch(terms, false) : null;
    // Without words there is nothing to rank by: relevance means newest.
    const sort: ProjectSearchSort =
      query.sort === undefined || (query.sort === 'relevance' && !match)
        ? match
          ? 'relevance'
          : 'newest'
        : query.sort;
    const score = match?.score ?? sql<number>`0`;
    const key = { relevance: score, newest: sql`p.published_at`, budget: sql`p.budget_max_minor` }[
      sort
    ];

    const filters: RawBuilder<unknown>[] = [sql`p.status = 'open'`, sql`p.visibility = 'public'`];
    if (match) filters.push(match.where);
    if (query.categoryId !== undefined) {
      const ids = await this.taxonomy.subtree(query.categoryId);
      if (ids.length === 0) throw invalidQuery('/categoryId', 'is not a known category');
      filters.push(sql`p.category_id in (${sql.join(ids)})`);
    }
    const skillSlugs = (query.skills ?? []).map(slugify).filter(Boolean);
    if (skillSlugs.length > 0) {
      filters.push(sql`exists (
        select 1 from project_skills ps join skills s on s.id = ps.skill_id
        where ps.project_id = p.id and s.slug in (${sql.join(skillSlugs)}))`);
    }
    // Budgets overlap the asked range.
    if (query.budgetMin !== undefined) filters.push(sql`p.budget_max_minor >= ${query.budgetMin}`);
    if (query.budgetMax !== undefined) filters.push(sql`p.budget_min_minor <= ${query.budgetMax}`);
    if (query.currency !== undefined) filters.push(sql`p.currency = ${query.currency}`);
    if (query.type !== undefined) filters.push(sql`p.budget_type = ${query.type}`);
    if (query.postedSince !== undefined) {
      filters.push(sql`p.published_at >= ${query.postedSince}`);
    }
    if (query.cursor !== undefined) {
      const position = decodeSearchCursor(
        query.cursor,
        sort,
        sort === 'newest' ? 'instant' : 'number',
      );
      filters.push(afterSearchKey(key, sql`p.id`, position));
    }

    // Snippets are not computed here: the engine would excerpt every match before the limit.
    const result = await sql<HitRow>`
      select p.*, ${score} as score,
        ${match ? sql<string>`''` : bodyStart} as snippet
      from projects p
      join project_search_docs d on d.project_id = p.id
      ${match?.from ?? sql``}
      where ${sql.join(filters, sql` and `)}
      order by ${key} desc, p.id desc
      limit ${query.limit + 1}`.execute(this.db.kysely);

    const rows = result.rows.slice(0, query.limit);
    if (match && rows.length > 0) {
      const excerpts = await snippetsFor(
        this.db,
        { table: 'project_search_docs', key: 'project_id' },
        match,
        rows.map((row) => row.id),
      );
      for (const row of rows) row.snippet = excerpts.get(row.id) ?? '';
    }
    const presented = await this.projects.presentAll(rows);
    const items: ProjectSearchHit[] = presented.map((project, index) => ({
      ...project,
      publishedAt: project.publishedAt ?? project.createdAt,
      snippetHtml: snippetHtml(rows[index]?.snippet ?? '', match !== null),
    }));
    const last = rows.at(-1);
    const lastKey =
      last &&
      { relevance: last.score, newest: last.published_at, budget: last.budget_max_minor }[sort];
    return {
      items,
      nextCursor:
        result.rows.length > query.limit && last && lastKey !== undefined && lastKey !== null
          ? encodeSearchCursor(sort, lastKey, last.id)
          : null,
    };
  }

  async autocomplete(prefix: string): Promise<Suggestion[]> {
    const terms = queryTerms(prefix);
    if (terms.length === 0) return [];
    const like = likePrefix(prefix.toLowerCase());
    const wordLike = `% ${like}`;
    const named = (table: 'categories' | 'skills') =>
      sql<{ id: string; name: string }>`
        select id, name from ${sql.table(table)}
        where (lower(name) like ${like} escape '!' or lower(name) like ${wordLike} escape '!')
        ${table === 'categories' ? sql`and active = 1` : sql``}
        order by length(name), name, id
        limit ${MAX_SUGGESTIONS}`.execute(this.db.kysely);
    const match = this.textMatch(terms, true);
    const [categories, skills, titles] = await Promise.all([
      named('categories'),
      named('skills'),
      sql<{ id: string; title: string }>`
        select p.id, p.title from projects p
        join project_search_docs d on d.project_id = p.id
        ${match.from}
        where p.status = 'open' and p.visibility = 'public' and ${match.where}
        order by ${match.score} desc, p.id desc
        limit ${MAX_SUGGESTIONS}`.execute(this.db.kysely),
    ]);
    const all: Suggestion[][] = [
      categories.rows.map((c) => ({ kind: 'category', id: c.id, text: c.name })),
      skills.rows.map((s) => ({ kind: 'skill', id: s.id, text: s.name })),
      titles.rows.map((p) => ({ kind: 'project', id: p.id, text: p.title })),
    ];
    // A fair share of each kind first (2 categories, 3 skills, the rest titles), then any slack.
    const shares = [2, 3, MAX_SUGGESTIONS];
    const first = all.flatMap((list, index) => list.slice(0, shares[index]));
    const rest = all.flatMap((list, index) => list.slice(shares[index]));
    return [...first, ...rest].slice(0, MAX_SUGGESTIONS);
  }
}

/** `abc` → `abc%`, with LIKE's own wildcards escaped by `!`. */
function likePrefix(text: string): string {
  return `${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

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
import { escapeHtml } from '../sanitize.ts';
import type { TaxonomyService } from '../taxonomy.ts';
import { MARK_END, MARK_START } from './document.ts';

/** Full-text search over open public projects; the same answers on either database. */
export interface ProjectSearch {
  search(query: ProjectSearchQuery): Promise<ProjectSearchPage>;
  /** Up to {@link MAX_SUGGESTIONS} categories, skills and project titles for a typed prefix. */
  autocomplete(prefix: string): Promise<Suggestion[]>;
}

export const MAX_SUGGESTIONS = 8;
const MAX_TERMS = 16;
const SNIPPET_CHARS = 200;

/**
 * The words of what someone typed, lowercased. Everything else (quotes, operators, brackets,
 * colons, stars) is dropped, so user input is never read as query syntax by either engine.
 */
export function queryTerms(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu) ?? []).slice(0, MAX_TERMS);
}

/** How one engine matches, ranks and excerpts: joined to `projects p` and `project_search_docs d`. */
export interface TextMatch {
  from: RawBuilder<unknown>;
  where: RawBuilder<unknown>;
  /** Higher is more relevant. */
  score: RawBuilder<number>;
  /** Description text around the matches, wrapped in {@link MARK_START}/{@link MARK_END}. */
  snippet: RawBuilder<string>;
}

type HitRow = Selectable<ProjectsTable> & { score: number; snippet: string };
type CursorKey = string | number;

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

  /**
   * Excerpts for one page of hits only. Measured on SQLite, excerpting every match in the
   * ranking query cost 0.4 of its 0.5 ms; PostgreSQL's ts_headline is dearer still.
   */
  private async snippetsOf(match: TextMatch, projectIds: string[]): Promise<Map<string, string>> {
    const result = await sql<{ project_id: string; snippet: string }>`
      select d.project_id, ${match.snippet} as snippet
      from project_search_docs d
      ${match.from}
      where ${match.where} and d.project_id in (${sql.join(projectIds)})`.execute(this.db.kysely);
    return new Map(result.rows.map((row) => [row.project_id, row.snippet]));
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
      const [value, lastId] = decodeCursor(query.cursor, sort);
      filters.push(sql`(${key} < ${value} or (${key} = ${value} and p.id < ${lastId}))`);
    }

    // Snippets are not computed here: the engine would excerpt every match before the limit.
    const result = await sql<HitRow>`
      select p.*, ${score} as score,
        ${match ? sql<string>`''` : sql<string>`substr(d.body, 1, ${SNIPPET_CHARS + 1})`} as snippet
      from projects p
      join project_search_docs d on d.project_id = p.id
      ${match?.from ?? sql``}
      where ${sql.join(filters, sql` and `)}
      order by ${key} desc, p.id desc
      limit ${query.limit + 1}`.execute(this.db.kysely);

    const rows = result.rows.slice(0, query.limit);
    if (match && rows.length > 0) {
      const excerpts = await this.snippetsOf(
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
          ? encodeCursor(sort, lastKey, last.id)
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

/** Escaped text with the engine's match markers turned into `<mark>`; cut at a word when long. */
export function snippetHtml(raw: string, marked: boolean): string {
  let text = raw.replace(/\s+/g, ' ').trim();
  if (!marked && text.length > SNIPPET_CHARS) {
    text = `${text.slice(0, SNIPPET_CHARS).replace(/\s+\S*$/, '')}…`;
  }
  return escapeHtml(text).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
}

function encodeCursor(sort: ProjectSearchSort, key: CursorKey, id: string): string {
  return Buffer.from(JSON.stringify([sort, key, id])).toString('base64url');
}

/** A cursor is only good for the sort that handed it out. */
function decodeCursor(cursor: string, sort: ProjectSearchSort): [CursorKey, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      value[0] === sort &&
      (sort === 'newest'
        ? typeof value[1] === 'string' && !Number.isNaN(Date.parse(value[1]))
        : typeof value[1] === 'number' && Number.isFinite(value[1])) &&
      typeof value[2] === 'string' &&
      /^[0-9a-f-]{36}$/.test(value[2])
    ) {
      return [value[1] as CursorKey, value[2]];
    }
  } catch {
    // Not base64url JSON: answered below like any other foreign cursor.
  }
  throw invalidQuery('/cursor', 'is not a cursor this search handed out');
}

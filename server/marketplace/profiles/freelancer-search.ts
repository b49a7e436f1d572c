import { sql, type RawBuilder } from 'kysely';
import type {
  FreelancerSearchPage,
  FreelancerSearchQuery,
  FreelancerSearchSort,
} from '../../../shared/marketplace/profiles.ts';
import { slugify } from '../../../shared/marketplace/taxonomy.ts';
import { hourlyRateOf } from '../../auth/users.ts';
import type { Db } from '../../db/database.ts';
import { publicRatings, systemClock, type Clock } from '../reviews/visibility.ts';
import {
  afterSearchKey,
  decodeSearchCursor,
  encodeSearchCursor,
  type SearchKey,
} from '../search/search-cursor.ts';
import {
  bodyStart,
  fts5Match,
  queryTerms,
  snippetHtml,
  snippetsFor,
  tsqueryMatch,
  type Fts5Index,
  type TextMatch,
} from '../search/text-match.ts';
import { skillsOf, statsOf } from './profile-facts.ts';

/** Full-text search over freelancer profiles; the same answers on either database. */
export interface FreelancerSearch {
  search(query: FreelancerSearchQuery): Promise<FreelancerSearchPage>;
}

/** Freelancers' FTS5 index; bm25 weights in table order: name, headline, bio, skills. */
const FREELANCER_FTS: Fts5Index = {
  table: 'freelancer_fts',
  weights: '10.0, 6.0, 1.0, 4.0',
  bodyColumn: 2,
  firstColumn: 'name',
};

/** The engine of the database in use: FTS5 on SQLite, the weighted tsvector on PostgreSQL. */
export function createFreelancerSearch(db: Db, clock: Clock = systemClock): FreelancerSearch {
  const match =
    db.dialect === 'sqlite'
      ? (terms: string[]) => fts5Match(FREELANCER_FTS, terms, false)
      : (terms: string[]) => tsqueryMatch(terms, false);
  return new SqlFreelancerSearch(db, match, clock);
}

interface HitRow {
  id: string;
  name: string;
  headline: string | null;
  country: string | null;
  hourly_rate_minor: number | null;
  hourly_rate_currency: string | null;
  created_at: string;
  sort_key: SearchKey | null;
  snippet: string;
}

/** Filters, ordering, cursors and presentation; the engine supplies only the text matching. */
class SqlFreelancerSearch implements FreelancerSearch {
  private readonly db: Db;
  private readonly match: (terms: string[]) => TextMatch;
  private readonly clock: Clock;

  constructor(db: Db, match: (terms: string[]) => TextMatch, clock: Clock) {
    this.db = db;
    this.match = match;
    this.clock = clock;
  }

  async search(query: FreelancerSearchQuery): Promise<FreelancerSearchPage> {
    const now = this.clock();
    const terms = queryTerms(query.q);
    const match = terms.length > 0 ? this.match(terms) : null;
    // Without words there is nothing to rank by: relevance means best rated.
    const sort: FreelancerSearchSort =
      query.sort === undefined || (query.sort === 'relevance' && !match)
        ? match
          ? 'relevance'
          : 'rating'
        : query.sort;
    // Every sort runs descending; a rate low-to-high is its negation, descending.
    const keys: Record<FreelancerSearchSort, RawBuilder<unknown>> = {
      relevance: match?.score ?? sql`0`,
      rating: sql`coalesce(rs.average, 0)`,
      rate_low: sql`(-u.hourly_rate_minor)`,
      rate_high: sql`u.hourly_rate_minor`,
      newest: sql`u.created_at`,
    };
    const key = keys[sort];

    const filters: RawBuilder<unknown>[] = [sql`u.role = 'freelancer'`];
    if (match) filters.push(match.where);
    const skillSlugs = [...new Set((query.skills ?? []).map(slugify).filter(Boolean))];
    if (skillSlugs.length > 0) {
      // Every named skill, not any one of them.
      filters.push(sql`(
        select count(*) from profile_skills ps join skills s on s.id = ps.skill_id
        where ps.user_id = u.id and s.slug in (${sql.join(skillSlugs)})) = ${skillSlugs.length}`);
    }
    if (query.currency !== undefined) {
      filters.push(sql`u.hourly_rate_currency = ${query.currency}`);
      filters.push(sql`u.hourly_rate_minor is not null`);
    }
    if (query.rateMin !== undefined) filters.push(sql`u.hourly_rate_minor >= ${query.rateMin}`);
    if (query.rateMax !== undefined) filters.push(sql`u.hourly_rate_minor <= ${query.rateMax}`);
    if (query.country !== undefined) filters.push(sql`u.country = ${query.country}`);
    if (query.minRating !== undefined) filters.push(sql`rs.average >= ${query.minRating}`);
    if (query.cursor !== undefined) {
      const position = decodeSearchCursor(
        query.cursor,
        sort,
        sort === 'newest' ? 'instant' : 'number',
      );
      filters.push(afterSearchKey(key, sql`u.id`, position));
    }

    const result = await sql<HitRow>`
      select u.id, u.name, u.headline, u.country, u.hourly_rate_minor, u.hourly_rate_currency,
        u.created_at, ${key} as sort_key,
        ${match ? sql<string>`''` : bodyStart} as snippet
      from users u
      join freelancer_search_docs d on d.user_id = u.id
      ${match?.from ?? sql``}
      left join (${publicRatings(now)}) rs on rs.reviewee_id = u.id
      where ${sql.join(filters, sql` and `)}
      order by ${key} desc, u.id desc
      limit ${query.limit + 1}`.execute(this.db.kysely);

    const rows = result.rows.slice(0, query.limit);
    const ids = rows.map((row) => row.id);
    const [excerpts, skills, stats] = await Promise.all([
      match && rows.length > 0
        ? snippetsFor(this.db, { table: 'freelancer_search_docs', key: 'user_id' }, match, ids)
        : null,
      skillsOf(this.db, ids),
      statsOf(this.db, rows, now),
    ]);
    const last = rows.at(-1);
    return {
      items: rows.map((row) => {
        const rowStats = stats.get(row.id);
        if (!rowStats) throw new Error('a search hit lost its stats while being presented');
        return {
          id: row.id,
          name: row.name,
          headline: row.headline,
          country: row.country,
          hourlyRate: hourlyRateOf(row),
          skills: skills.get(row.id) ?? [],
          stats: rowStats,
          snippetHtml: snippetHtml(
            excerpts ? (excerpts.get(row.id) ?? '') : row.snippet,
            match !== null,
          ),
        };
      }),
      nextCursor:
        result.rows.length > query.limit && last && last.sort_key !== null
          ? encodeSearchCursor(sort, last.sort_key, last.id)
          : null,
    };
  }
}

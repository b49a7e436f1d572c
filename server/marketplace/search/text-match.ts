import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import { escapeHtml } from '../sanitize.ts';
import { MARK_END, MARK_START } from './document.ts';

/**
 * The text matching every search shares (projects, freelancers): what counts as a word, how
 * each engine matches, ranks and excerpts, and how excerpts are presented. A search documents
 * table is always aliased `d` and has a plain-text `body`; on SQLite an integer `id` keys its
 * FTS5 index, on PostgreSQL a generated, weighted `search_vector` holds its tsvector.
 */

const MAX_TERMS = 16;
export const SNIPPET_CHARS = 200;

/**
 * The words of what someone typed, lowercased. Everything else (quotes, operators, brackets,
 * colons, stars) is dropped, so user input is never read as query syntax by either engine.
 */
export function queryTerms(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu) ?? []).slice(0, MAX_TERMS);
}

/** How one engine matches, ranks and excerpts the documents table `d`. */
export interface TextMatch {
  from: RawBuilder<unknown>;
  where: RawBuilder<unknown>;
  /** Higher is more relevant. */
  score: RawBuilder<number>;
  /** Body text around the matches, wrapped in {@link MARK_START}/{@link MARK_END}. */
  snippet: RawBuilder<string>;
}

/** An FTS5 table over a documents table (external content, rowid = `d.id`). */
export interface Fts5Index {
  table: string;
  /** bm25 weights, one per indexed column in table order. */
  weights: string;
  /** The column (0-based) excerpts are cut from: the body. */
  bodyColumn: number;
  /** The column `firstColumnOnly` matches restrict to (a title, a name). */
  firstColumn: string;
}

/**
 * SQLite FTS5: every term must match, the last one as a prefix; bm25 ranks. Terms hold only
 * letters, digits and marks, and each is quoted as a phrase, so never an FTS5 operator.
 */
export function fts5Match(index: Fts5Index, terms: string[], firstColumnOnly: boolean): TextMatch {
  const phrases = terms.map((term, i) => (i === terms.length - 1 ? `"${term}"*` : `"${term}"`));
  const expression = firstColumnOnly
    ? `{${index.firstColumn}} : (${phrases.join(' ')})`
    : phrases.join(' ');
  const fts = sql.table(index.table);
  return {
    from: sql`join ${fts} on ${fts}.rowid = d.id`,
    where: sql`${fts} match ${expression}`,
    score: sql<number>`(-bm25(${fts}, ${sql.raw(index.weights)}))`,
    snippet: sql<string>`snippet(${fts}, ${sql.lit(index.bodyColumn)}, ${MARK_START}, ${MARK_END}, '…', 24)`,
  };
}

const HEADLINE_OPTIONS =
  `StartSel=${MARK_START}, StopSel=${MARK_END}, ` +
  'MinWords=12, MaxWords=30, MaxFragments=2, FragmentDelimiter=" … "';

/**
 * PostgreSQL full text: ts_rank_cd over the weighted vector. Terms are single quoted lexemes
 * ANDed together, the last a prefix, so never tsquery operators; `firstColumnOnly` matches
 * weight A (a title, a name) alone.
 */
export function tsqueryMatch(terms: string[], firstColumnOnly: boolean): TextMatch {
  const weight = firstColumnOnly ? 'A' : '';
  const tsquery = terms
    .map((term, index) => {
      const label = `${index === terms.length - 1 ? '*' : ''}${weight}`;
      return label ? `'${term}':${label}` : `'${term}'`;
    })
    .join(' & ');
  return {
    from: sql`cross join to_tsquery('english'::regconfig, ${tsquery}) as search_query`,
    where: sql`d.search_vector @@ search_query`,
    // float8, so the score survives the round trip through a cursor exactly.
    score: sql<number>`ts_rank_cd(d.search_vector, search_query)::float8`,
    snippet: sql<string>`ts_headline('english'::regconfig, d.body, search_query, ${HEADLINE_OPTIONS})`,
  };
}

/**
 * Excerpts for one page of hits only, by the documents' key. Measured on SQLite, excerpting
 * every match in the ranking query cost 0.4 of its 0.5 ms; PostgreSQL's ts_headline is dearer.
 */
export async function snippetsFor(
  db: Db,
  docs: { table: string; key: string },
  match: TextMatch,
  keys: string[],
): Promise<Map<string, string>> {
  const key = sql.ref(`d.${docs.key}`);
  const result = await sql<{ key: string; snippet: string }>`
    select ${key} as key, ${match.snippet} as snippet
    from ${sql.table(docs.table)} d
    ${match.from}
    where ${match.where} and ${key} in (${sql.join(keys)})`.execute(db.kysely);
  return new Map(result.rows.map((row) => [row.key, row.snippet]));
}

/** The start of a body, when there were no words to excerpt around. */
export const bodyStart = sql<string>`substr(d.body, 1, ${SNIPPET_CHARS + 1})`;

/** Escaped text with the engine's match markers turned into `<mark>`; cut at a word when long. */
export function snippetHtml(raw: string, marked: boolean): string {
  let text = raw.replace(/\s+/g, ' ').trim();
  if (!marked && text.length > SNIPPET_CHARS) {
    text = `${text.slice(0, SNIPPET_CHARS).replace(/\s+\S*$/, '')}…`;
  }
  return escapeHtml(text).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
}

import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import type { Config } from '../config.ts';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** PostgreSQL: the schema everything lives in (SQLite has none). */
  schema?: string;
  /** Cheap round trip used by the health check. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openDatabase(database: Config['database']): Promise<Db> {
  return database.kind === 'sqlite' ? openSqlite(database.file) : openPostgres(database);
}

function openSqlite(file: string): Db {
  mkdirSync(dirname(file), { recursive: true });
  const connection = new SqliteDatabase(file);
  connection.pragma('journal_mode = WAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('synchronous = NORMAL');
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(connection) }),
  });
  return assemble(kysely, 'sqlite');
}

function assemble(kysely: Kysely<Database>, dialect: DialectName): Db {
  return {
    kysely,
    dialect,
    ping: async () => {
      await sql`select 1`.execute(kysely);
    },
    close: () => kysely.destroy(),
  };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query afresh; better-sqlite3 statements are reusable, and preparing
 * cost ~9% of CPU on an authenticated read. The connection is used by one query at a time
 * (Kysely's SQLite driver holds a mutex), so a cached statement is never busy when reused.
 */
function withStatementCache(connection: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => connection.close(),
    prepare(source: string) {
      let statement = cache.get(source);
      if (!statement) {
        statement = connection.prepare(source);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(source, statement);
      }
      return statement;
    },
  };
}

const PG_INT8 = 20;
const PG_TIMESTAMP = 1114;
const PG_TIMESTAMPTZ = 1184;

/** Per-pool parsers, so rows look the same on both dialects: ISO strings and plain numbers. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === PG_TIMESTAMPTZ || oid === PG_TIMESTAMP) {
      return (value: string) => new Date(oid === PG_TIMESTAMP ? `${value}Z` : value).toISOString();
    }
    if (oid === PG_INT8) {
      return (value: string) => {
        const n = Number(value);
        if (!Number.isSafeInteger(n)) throw new RangeError(`int8 ${value} exceeds the safe range`);
        return n;
      };
    }
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  }) as typeof pg.types.getTypeParser,
};

async function openPostgres(database: { url: string; schema: string }): Promise<Db> {
  // The schema must exist before connections that put it first on their search_path use it.
  const bootstrap = new pg.Client({ connectionString: database.url });
  await bootstrap.connect();
  try {
    await bootstrap.query(`create schema if not exists "${database.schema}"`);
  } finally {
    await bootstrap.end();
  }
  const pool = new pg.Pool({
    connectionString: database.url,
    options: `-c search_path="${database.schema}" -c timezone=UTC`,
    types: pgTypes,
    max: 10,
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { ...assemble(kysely, 'postgres'), schema: database.schema };
}

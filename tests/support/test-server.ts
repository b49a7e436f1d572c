import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/server.ts';

export type Dialect = 'sqlite' | 'postgres';

/** The PostgreSQL every machine runs (CI included); override with TEST_DATABASE_URL. */
export const testPostgresUrl =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestServer extends RunningServer {
  baseUrl: string;
  config: Config;
  dialect: Dialect;
}

export interface TestServerOptions {
  dialect?: Dialect;
  appOrigins?: string[];
  env?: Record<string, string>;
}

/**
 * Suites sign in and call the API from 127.0.0.1 far faster than any person: the production
 * budgets would fail them. tests/integration/rate-limits.test.ts sets real ones through `env`.
 */
export const generousRateLimits = {
  RATE_LIMIT_SIGN_IN: '100000',
  RATE_LIMIT_PASSWORD_RESET: '100000',
  RATE_LIMIT_API: '1000000',
  RATE_LIMIT_SYNC: '1000000',
} as const;

/**
 * A real server on a random port: SQLite in a fresh temp folder, or PostgreSQL in a fresh
 * schema that `close()` drops again.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dialect = options.dialect ?? 'sqlite';
  const dataDir = await mkdtemp(join(tmpdir(), 'megilance-test-'));
  const schema = `test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SHUTDOWN_GRACE_MS: '2000',
    ...generousRateLimits,
    ...(options.appOrigins ? { APP_ORIGINS: options.appOrigins.join(',') } : {}),
    ...(dialect === 'postgres' ? { DATABASE_URL: testPostgresUrl, DATABASE_SCHEMA: schema } : {}),
    ...options.env,
  });
  const server = await startServer(config);
  return {
    ...server,
    baseUrl: server.url,
    config,
    dialect,
    close: async () => {
      await server.close();
      if (dialect === 'postgres') await dropSchema(schema);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

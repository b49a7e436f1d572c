/**
 * What our middleware stack costs: the same loopback load against a bare Express handler,
 * our health check (helmet, CORS, request ids, pino, problem handling, a DB round trip) and
 * an authenticated read (JWT verification, live-session lookup, user query), on SQLite and
 * PostgreSQL. Each server runs in its own process; the load comes from this one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthResult } from '../../shared/accounts/auth.ts';
import { freePort } from '../support/ports.ts';
import {
  connections,
  durationSeconds as seconds,
  load,
  startProcess,
  type LoadRow,
} from './bench-processes.ts';
import { dropSchema, testPostgresUrl } from '../support/test-server.ts';

type Row = LoadRow;

async function ourServer(label: string, env: Record<string, string>): Promise<Row[]> {
  // Per-request info logs would measure the pipe to this process, not the server: warn only.
  const port = await freePort();
  const server = await startProcess(
    'server/main.ts',
    { PORT: String(port), LOG_LEVEL: 'warn', ...env },
    null,
    `http://127.0.0.1:${port}`,
  );
  try {
    const registered = await fetch(`${server.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `bench-${Date.now()}@example.com`,
        password: 'benchmark password',
        name: 'Bench',
        role: 'freelancer',
      }),
    });
    const { accessToken } = (await registered.json()) as AuthResult;
    return [
      await load(`GET /api/v1/health (${label})`, `${server.url}/api/v1/health`),
      await load(`GET /api/v1/auth/me (${label})`, `${server.url}/api/v1/auth/me`, {
        authorization: `Bearer ${accessToken}`,
      }),
    ];
  } finally {
    await server.stop();
  }
}

export async function run(): Promise<void> {
  const rows: Row[] = [];
  const bare = await startProcess('tests/bench/bare-express.ts', {}, /"url":"(http:\/\/[^"]+)"/);
  try {
    rows.push(await load('bare Express handler (peer)', `${bare.url}/ping`));
  } finally {
    await bare.stop();
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'megilance-bench-'));
  const schema = `bench_${process.pid}`;
  try {
    rows.push(...(await ourServer('SQLite', { DATA_DIR: dataDir })));
    rows.push(
      ...(await ourServer('PostgreSQL', {
        DATA_DIR: dataDir,
        DATABASE_URL: testPostgresUrl,
        DATABASE_SCHEMA: schema,
      })),
    );
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await dropSchema(schema);
  }

  console.log(`\nAPI overhead: ${connections} connections, ${seconds} s each, loopback\n`);
  console.log('| target | req/s | p50 ms | p99 ms | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    console.log(
      `| ${row.target} | ${row.requestsPerSecond} | ${row.p50} | ${row.p99} | ${row.errors} |`,
    );
  }
  const peer = rows[0]?.requestsPerSecond ?? 1;
  for (const row of rows.slice(1)) {
    console.log(
      `${row.target}: ${((row.requestsPerSecond / peer) * 100).toFixed(0)}% of the bare handler's throughput`,
    );
  }
}

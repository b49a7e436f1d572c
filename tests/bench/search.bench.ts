/**
 * Search over the seeded marketplace (`npm run seed`: 1,000 projects): full-text search
 * (`q=react&limit=20`) and autocomplete (`q=rea`), signed in, on SQLite and PostgreSQL, each
 * server in its own process. The ceiling is a bare Express handler (own process) answering a
 * JSON body of the same byte size as our answer, measured first. autocannon reports p50,
 * p97.5 and p99 latencies (not p95); those are what the table shows.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthResult } from '../../shared/accounts/auth.ts';
import { demoAccounts, demoPassword } from '../../server/seed/demo-accounts.ts';
import { freePort } from '../support/ports.ts';
import {
  connections,
  durationSeconds as seconds,
  load,
  startProcess,
  type LoadRow,
} from './bench-processes.ts';
import { dropSchema, testPostgresUrl } from '../support/test-server.ts';

const root = join(import.meta.dirname, '..', '..');
const searchPath = '/api/v1/search/projects?q=react&limit=20';
const autocompletePath = '/api/v1/search/autocomplete?q=rea';

/** The full seed, as a user runs it, into the given environment; prints its own summary. */
function seed(label: string, env: Record<string, string>): void {
  const run = spawnSync(process.execPath, ['scripts/seed.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`seed (${label}) failed: ${run.stderr}`);
  const summary = /Marketplace data: .*/.exec(run.stdout)?.[0] ?? run.stdout;
  console.log(`seed ${label}: ${summary}`);
}

type Row = LoadRow;

interface Measured {
  rows: Row[];
  /** Byte sizes of one search answer and one autocomplete answer. */
  sizes: { search: number; autocomplete: number };
}

async function ourServer(label: string, env: Record<string, string>): Promise<Measured> {
  const port = await freePort();
  // Per-request info logs would measure the pipe to this process, not the server: warn only.
  const server = await startProcess(
    'server/main.ts',
    { PORT: String(port), LOG_LEVEL: 'warn', ...env },
    null,
    `http://127.0.0.1:${port}`,
  );
  try {
    const freelancer = demoAccounts.find((account) => account.role === 'freelancer');
    const signedIn = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: freelancer?.email, password: demoPassword }),
    });
    if (!signedIn.ok) throw new Error(`sign-in failed on ${label}: ${signedIn.status}`);
    const { accessToken } = (await signedIn.json()) as AuthResult;
    const headers = { authorization: `Bearer ${accessToken}` };
    const size = async (path: string) => {
      const answer = await fetch(`${server.url}${path}`, { headers });
      if (!answer.ok) throw new Error(`${path} answered ${answer.status} on ${label}`);
      return (await answer.arrayBuffer()).byteLength;
    };
    const sizes = { search: await size(searchPath), autocomplete: await size(autocompletePath) };
    const rows = [
      await load(`search q=react limit=20 (${label})`, `${server.url}${searchPath}`, headers),
      await load(`autocomplete q=rea (${label})`, `${server.url}${autocompletePath}`, headers),
    ];
    return { rows, sizes };
  } finally {
    await server.stop();
  }
}

async function ceiling(target: string, bytes: number): Promise<Row> {
  const bare = await startProcess(
    'tests/bench/bare-json.ts',
    { BODY_BYTES: String(bytes) },
    /"url":"(http:\/\/[^"]+)"/,
  );
  try {
    return await load(target, `${bare.url}/json`);
  } finally {
    await bare.stop();
  }
}

export async function run(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'megilance-bench-search-'));
  const pgDataDir = await mkdtemp(join(tmpdir(), 'megilance-bench-search-pg-'));
  const schema = `bench_search_${process.pid}`;
  const pgEnv = { DATA_DIR: pgDataDir, DATABASE_URL: testPostgresUrl, DATABASE_SCHEMA: schema };
  const rows: Row[] = [];
  let sizes: Measured['sizes'];
  try {
    seed('SQLite', { DATA_DIR: dataDir });
    seed('PostgreSQL', pgEnv);
    const sqlite = await ourServer('SQLite', { DATA_DIR: dataDir });
    const postgres = await ourServer('PostgreSQL', pgEnv);
    sizes = sqlite.sizes;
    console.log(
      `answer sizes: search ${sizes.search} B (PostgreSQL ${postgres.sizes.search} B), ` +
        `autocomplete ${sizes.autocomplete} B (PostgreSQL ${postgres.sizes.autocomplete} B)`,
    );
    rows.push(
      await ceiling(`bare Express, ${sizes.search} B JSON (search ceiling)`, sizes.search),
      ...sqlite.rows.slice(0, 1),
      ...postgres.rows.slice(0, 1),
      await ceiling(
        `bare Express, ${sizes.autocomplete} B JSON (autocomplete ceiling)`,
        sizes.autocomplete,
      ),
      ...sqlite.rows.slice(1),
      ...postgres.rows.slice(1),
    );
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await rm(pgDataDir, { recursive: true, force: true });
    await dropSchema(schema);
  }

  console.log(
    `\nSearch over the seeded marketplace: ${connections} connections, ${seconds} s each, loopback\n`,
  );
  console.log('| target | req/s | p50 ms | p97.5 ms | p99 ms | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    console.log(
      `| ${row.target} | ${row.requestsPerSecond} | ${row.p50} | ${row.p975} | ${row.p99} | ${row.errors} |`,
    );
  }
  const [searchCeiling, , , autocompleteCeiling] = rows;
  for (const [peer, targets] of [
    [searchCeiling, rows.slice(1, 3)],
    [autocompleteCeiling, rows.slice(4, 6)],
  ] as const) {
    for (const row of targets) {
      const share = (row.requestsPerSecond / Math.max(1, peer?.requestsPerSecond ?? 1)) * 100;
      console.log(`${row.target}: ${share.toFixed(0)}% of the bare handler's throughput`);
    }
  }
}

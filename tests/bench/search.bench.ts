/**
 * Search over the seeded marketplace (`npm run seed`: 1,000 projects, 200 freelancers):
 * project search (`q=react&limit=20`), freelancer search (`q=react&limit=20`) and
 * autocomplete (`q=rea`), signed in, on SQLite and PostgreSQL, each server in its own process. The ceiling is a bare Express handler (own process) answering a
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
/** What is measured: each beside a bare handler answering as many bytes. */
const targets = [
  'search/projects?q=react&limit=20',
  'search/freelancers?q=react&limit=20',
  'search/autocomplete?q=rea',
] as const;
type Target = (typeof targets)[number];

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

/** Per target: the load measured and the byte size of one answer. */
type Measured = Record<Target, { row: Row; bytes: number }>;

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
    const measured: Partial<Measured> = {};
    for (const target of targets) {
      const url = `${server.url}/api/v1/${target}`;
      const answer = await fetch(url, { headers });
      if (!answer.ok) throw new Error(`${target} answered ${answer.status} on ${label}`);
      const bytes = (await answer.arrayBuffer()).byteLength;
      measured[target] = { row: await load(`\`${target}\` on ${label}`, url, headers), bytes };
    }
    return measured as Measured;
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
  const shares: string[] = [];
  try {
    seed('SQLite', { DATA_DIR: dataDir });
    seed('PostgreSQL', pgEnv);
    const sqlite = await ourServer('SQLite', { DATA_DIR: dataDir });
    const postgres = await ourServer('PostgreSQL', pgEnv);
    for (const target of targets) {
      const bytes = sqlite[target].bytes;
      const bare = await ceiling(`ceiling, ${bytes.toLocaleString('en')} B JSON`, bytes);
      rows.push(bare, sqlite[target].row, postgres[target].row);
      for (const ours of [sqlite[target].row, postgres[target].row]) {
        const share = (ours.requestsPerSecond / Math.max(1, bare.requestsPerSecond)) * 100;
        shares.push(`${ours.target}: ${share.toFixed(0)}% of the bare handler's throughput`);
      }
      console.log(
        `answer size ${target}: SQLite ${bytes} B, PostgreSQL ${postgres[target].bytes} B`,
      );
    }
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
  for (const line of shares) console.log(line);
}

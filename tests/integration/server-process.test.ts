import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../server/db/migrate.ts';
import type { AuthResult } from '../../shared/accounts/auth.ts';
import { client } from '../support/http.ts';

const root = join(import.meta.dirname, '..', '..');
/** Every server started here; a failed assertion must not leave one running after the run. */
const started = new Set<ChildProcess>();

/** `npm run server` as a user runs it: a child process configured only by its environment. */
function runServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const listening = new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /"url":"(http:\/\/[^"]+)".*MegiLance server listening/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { child, listening, output: () => output };
}

async function exitOf(child: ChildProcess) {
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('the server process', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const child of started) child.kill('SIGKILL');
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('creates and migrates its SQLite file on first start, shuts down gracefully, and keeps the data', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'megilance-process-'));
    dirs.push(dataDir);
    const env = { PORT: '0', DATA_DIR: dataDir };

    const first = runServer(env);
    const url = await first.listening;
    await expect(stat(join(dataDir, 'megilance.sqlite'))).resolves.toBeTruthy();
    const api = client(url);
    const registered = await api.post<AuthResult>('/auth/register', {
      json: {
        email: 'keep@example.com',
        password: 'a long enough password',
        name: 'Keep',
        role: 'client',
      },
    });
    expect(registered.status).toBe(201);
    // Every migration, in order, on the first start.
    expect(first.output()).toContain(
      `"migrations":${JSON.stringify(Object.keys(migrations('sqlite')))}`,
    );

    first.child.kill('SIGTERM');
    expect(await exitOf(first.child)).toBe(0);
    expect(first.output()).toContain('shutdown complete');
    // The bearer token was sent on no logged request, but the register body must never be logged.
    expect(first.output()).not.toContain('a long enough password');

    const second = runServer(env);
    const api2 = client(await second.listening);
    expect(second.output()).not.toContain('database migrated');
    const login = await api2.post('/auth/login', {
      json: { email: 'keep@example.com', password: 'a long enough password' },
    });
    expect(login.status).toBe(200);
    // The signing key persisted too: the first run's access token is still accepted.
    expect((await api2.get('/auth/me', { token: registered.body.accessToken })).status).toBe(200);
    second.child.kill('SIGINT');
    expect(await exitOf(second.child)).toBe(0);
  });

  it('refuses a bad configuration with one readable line', async () => {
    const run = runServer({ PORT: 'eighty', DATABASE_URL: 'mysql://nope' });
    await expect(run.listening).rejects.toThrow(/exited with 2/);
    expect(run.output().trim()).toBe(
      'Invalid configuration: PORT: Invalid input: expected number, received NaN; DATABASE_URL: must be a postgres:// URL',
    );
  });

  it('reports an unreachable PostgreSQL clearly instead of crashing obscurely', async () => {
    const run = runServer({ PORT: '0', DATABASE_URL: 'postgres://127.0.0.1:1/none' });
    await expect(run.listening).rejects.toThrow(/exited with 1/);
    expect(run.output()).toMatch(/MegiLance server failed to start: .*ECONNREFUSED/);
  });
});

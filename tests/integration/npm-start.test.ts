import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Health } from '../../shared/api/health.ts';
import type { AppInfo, IpcResult, SignedIn } from '../../shared/ipc/contract.ts';
import { demoAccounts, demoPassword } from '../../server/seed/demo-accounts.ts';
import { freePort } from '../support/ports.ts';

const root = join(import.meta.dirname, '..', '..');

describe('npm start without an Electron binary', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  /** `npm start` on `dataDir` until it prints the app's address; everything it said so far. */
  async function startApp(dataDir: string, env: Record<string, string> = {}) {
    const [serverPort, hostPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, ['scripts/start.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(serverPort),
        MEGILANCE_HOST_PORT: String(hostPort),
        MEGILANCE_PROFILE: `start-test-${process.pid}`,
        MEGILANCE_NO_ELECTRON_DOWNLOAD: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const appUrl = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /No Electron binary here.*open (http:\/\/\S+?)\/?(?:\s|$)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
    });
    /** The exit code after Ctrl+C; anything else throws with the signal and what it said. */
    const stop = async () => {
      child.kill('SIGINT');
      const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
      if (code !== 0) {
        throw new Error(`npm start ended with ${code ?? signal ?? 'nothing'}:\n${output}`);
      }
      return code;
    };
    return { child, appUrl, output, serverPort, hostPort, stop };
  }

  it('serves the app for a browser against a new SQLite file, and says so in one line', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'megilance-start-'));
    dirs.push(dataDir);
    const { appUrl, output, serverPort, hostPort, stop } = await startApp(dataDir);

    try {
      expect(appUrl).toBe(`http://127.0.0.1:${hostPort}`);
      expect(output.split('\n').filter((line) => line.includes('No Electron binary'))).toHaveLength(
        1,
      );
      expect(existsSync(join(dataDir, 'megilance.sqlite'))).toBe(true);

      const page = await fetch(`${appUrl}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');

      const call = async <T>(channel: string, input?: unknown) => {
        const response = await fetch(`${appUrl}/__megilance/ipc/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-megilance-bridge': '1' },
          body: JSON.stringify(input ?? null),
        });
        return (await response.json()) as IpcResult<T>;
      };
      const info = await call<AppInfo>('app.info');
      expect(info).toMatchObject({
        ok: true,
        value: { host: 'browser', serverUrl: `http://127.0.0.1:${serverPort}` },
      });

      const signUp = await call<SignedIn>('session.signUp', {
        email: 'start@example.com',
        password: 'a long enough password',
        name: 'Start',
        role: 'freelancer',
      });
      expect(signUp.ok).toBe(true);

      const health = (await (
        await fetch(`http://127.0.0.1:${serverPort}/api/v1/health`)
      ).json()) as Health;
      expect(health.db).toBe('sqlite');
      // The browser host's origin is allowed by the server's CORS without any configuration.
      const cors = await fetch(`http://127.0.0.1:${serverPort}/api/v1/health`, {
        headers: { origin: appUrl },
      });
      expect(cors.headers.get('access-control-allow-origin')).toBe(appUrl);
      // Without a terminal nobody can answer the seed offer: it is only mentioned.
      expect(output).toContain('The database is empty: `npm run seed`');
    } finally {
      expect(await stop()).toBe(0);
    }
  });

  it('seeds an empty database when told to, and offers it only while the database is empty', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'megilance-start-seed-'));
    dirs.push(dataDir);
    const first = await startApp(dataDir, { MEGILANCE_SEED: '1' });
    try {
      expect(first.output).toContain('2 new demo account(s)');
      expect(first.output).toMatch(/Marketplace data: 50 clients, 200 freelancers, 1000 projects/);
      const login = await fetch(`http://127.0.0.1:${first.serverPort}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: demoAccounts[0]?.email, password: demoPassword }),
      });
      expect(login.status).toBe(200);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startApp(dataDir, { MEGILANCE_SEED: '1' });
    try {
      expect(second.output).not.toContain('demo account');
      expect(second.output).not.toContain('The database is empty');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('refuses an unreadable MEGILANCE_SEED in one line instead of guessing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'megilance-start-bad-'));
    dirs.push(dataDir);
    await expect(startApp(dataDir, { MEGILANCE_SEED: 'maybe' })).rejects.toThrow(
      /exited with 1: MegiLance could not start: MEGILANCE_SEED must be 1 .* not "maybe"/,
    );
  });

  // `script` (util-linux, on every Debian) gives the start a terminal, as a user at a shell has.
  it('asks on a terminal, and Enter means yes', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'megilance-start-tty-'));
    dirs.push(dataDir);
    const [serverPort, hostPort] = [await freePort(), await freePort()];
    const child = spawn(
      'script',
      ['-qfec', `"${process.execPath}" scripts/start.ts`, '/dev/null'],
      {
        cwd: root,
        detached: true,
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          PORT: String(serverPort),
          MEGILANCE_HOST_PORT: String(hostPort),
          MEGILANCE_PROFILE: `start-test-${process.pid}`,
          MEGILANCE_NO_ELECTRON_DOWNLOAD: '1',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const waitFor = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) resolve();
        };
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          check();
        });
        child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
        check();
      });
    try {
      await waitFor(/The database is empty\. Fill it with demo data .*\[Y\/n\]/);
      child.stdin.write('\r');
      await waitFor(/No Electron binary here/);
      expect(output).toContain('2 new demo account(s)');
      expect(output).toMatch(/Marketplace data: 50 clients, 200 freelancers, 1000 projects/);
    } finally {
      // The terminal's whole process group: `script` and the start beneath it.
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });
});

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Health } from '../../shared/api/health.ts';
import type { AppInfo, IpcResult, SignedIn } from '../../shared/ipc/contract.ts';
import { freePort } from '../support/ports.ts';

const root = join(import.meta.dirname, '..', '..');

describe('npm start without an Electron binary', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('serves the app for a browser against a new SQLite file, and says so in one line', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'megilance-start-'));
    dirs.push(dataDir);
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
    } finally {
      child.kill('SIGINT');
      await once(child, 'exit');
    }
    expect(child.exitCode).toBe(0);
  });
});

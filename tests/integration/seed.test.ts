import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuthResult } from '../../shared/accounts/auth.ts';
import { demoAccounts, demoPassword } from '../../server/seed/demo-accounts.ts';
import { client } from '../support/http.ts';
import { startTestServer } from '../support/test-server.ts';

describe('npm run seed', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('creates demo accounts once that can sign in', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'megilance-seed-'));
    dirs.push(dataDir);
    const run = () =>
      spawnSync(process.execPath, ['scripts/seed.ts'], {
        cwd: join(import.meta.dirname, '..', '..'),
        env: { ...process.env, DATA_DIR: dataDir },
        encoding: 'utf8',
      });
    const first = run();
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('2 new demo account(s)');
    expect(first.stdout).toContain('Marketplace: 21 new categories, 21 new skill(s).');
    const second = run();
    expect(second.stdout).toContain('0 new demo account(s)');
    expect(second.stdout).toContain('already there');
    expect(second.stdout).toContain('Marketplace: 0 new categories, 0 new skill(s).');

    const server = await startTestServer({ env: { DATA_DIR: dataDir } });
    try {
      const api = client(server.baseUrl);
      for (const account of demoAccounts) {
        const login = await api.post<AuthResult>('/auth/login', {
          json: { email: account.email, password: demoPassword },
        });
        expect(login.status).toBe(200);
        expect(login.body.user).toMatchObject({
          role: account.role,
          hourlyRate: account.hourlyRate,
        });
      }
      const tree = await api.get<{ categories: Array<{ slug: string; children: unknown[] }> }>(
        '/categories',
      );
      expect(tree.body.categories.map((c) => c.slug)).toEqual([
        'development',
        'design',
        'writing',
        'marketing',
        'data',
      ]);
      expect(tree.body.categories[0]?.children).toHaveLength(5);
    } finally {
      await server.close();
    }
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuthResult } from '../../shared/accounts/auth.ts';
import type { FreelancerProfile, FreelancerSearchPage } from '../../shared/marketplace/profiles.ts';
import type { ReviewPage } from '../../shared/marketplace/reviews.ts';
import type { ProjectSearchPage } from '../../shared/marketplace/search.ts';
import { demoAccounts, demoPassword } from '../../server/seed/demo-accounts.ts';
import { seedEmailDomain, seedPassword } from '../../server/seed/marketplace.ts';
import { client } from '../support/http.ts';
import { startTestServer } from '../support/test-server.ts';

describe('npm run seed', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  // The full seed (not a scaled-down one) runs here: it takes about a second on SQLite.
  it('creates demo accounts and a marketplace once, and they can be used', async () => {
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
    const summary =
      /Marketplace data: (\d+) clients, (\d+) freelancers, (\d+) projects, (\d+) proposals, (\d+) contracts, (\d+) milestones/.exec(
        first.stdout,
      );
    const [clients, freelancers, projects, proposals, contracts] = (summary ?? [])
      .slice(1)
      .map(Number);
    expect([clients, freelancers, projects]).toEqual([50, 200, 1000]);
    expect(proposals).toBeGreaterThan(2500);
    expect(proposals).toBeLessThan(3500);
    expect(contracts).toBeGreaterThan(80);
    expect(contracts).toBeLessThan(130);
    const second = run();
    expect(second.stdout).toContain('0 new demo account(s)');
    expect(second.stdout).toContain('already there');
    expect(second.stdout).toContain('Marketplace: 0 new categories, 0 new skill(s).');
    expect(second.stdout).toContain('Marketplace data: already seeded, nothing added.');

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

      // A seeded freelancer finds seeded projects through the search index.
      const sql = await import('better-sqlite3');
      const file = new sql.default(join(dataDir, 'megilance.sqlite'), { readonly: true });
      const freelancer = file
        .prepare(`select email from users where role = 'freelancer' and email like ? limit 1`)
        .get(`%@${seedEmailDomain}`) as { email: string };
      file.close();
      const signedIn = await api.post<AuthResult>('/auth/login', {
        json: { email: freelancer.email, password: seedPassword },
      });
      expect(signedIn.status).toBe(200);
      const found = await api.get<ProjectSearchPage>('/search/projects?q=react&limit=20', {
        token: signedIn.body.accessToken,
      });
      expect(found.status).toBe(200);
      expect(found.body.items.length).toBeGreaterThan(0);

      // Freelancer profiles look lived in: skills with levels, portfolios, reviews both ways.
      const seeded = new sql.default(join(dataDir, 'megilance.sqlite'), { readonly: true });
      const count = (query: string) => (seeded.prepare(query).get() as { n: number }).n;
      const bare = count(`select count(*) n from users u where u.role = 'freelancer'
        and not exists (select 1 from profile_skills ps where ps.user_id = u.id)`);
      const levels = count('select count(distinct level) n from profile_skills');
      const items = count('select count(*) n from portfolio_items');
      const both = count(`select count(*) n from reviews r where exists (select 1 from reviews o
        where o.contract_id = r.contract_id and o.reviewer_id <> r.reviewer_id)`);
      const lone = count(`select count(*) n from reviews r where not exists (select 1 from reviews o
        where o.contract_id = r.contract_id and o.reviewer_id <> r.reviewer_id)`);
      const fromFreelancers = count(`select count(*) n from reviews r
        join users u on u.id = r.reviewer_id where u.role = 'freelancer'`);
      const indexed = count('select count(*) n from freelancer_search_docs');
      const freelancerCount = count(`select count(*) n from users where role = 'freelancer'`);
      const reviewed = seeded
        .prepare(
          `select r.reviewee_id id from reviews r join users u on u.id = r.reviewee_id
          where u.role = 'freelancer' and exists (select 1 from reviews o
            where o.contract_id = r.contract_id and o.reviewer_id <> r.reviewer_id) limit 1`,
        )
        .get() as { id: string };
      seeded.close();
      expect(bare).toBe(0);
      expect(levels).toBe(3);
      expect(items).toBeGreaterThan(250);
      expect(items).toBeLessThan(550);
      expect(both).toBeGreaterThan(0);
      expect(lone).toBeGreaterThan(0);
      expect(fromFreelancers).toBeGreaterThan(0);
      expect(indexed).toBe(freelancerCount);

      const token = signedIn.body.accessToken;
      const experts = await api.get<FreelancerSearchPage>('/search/freelancers?q=react&limit=20', {
        token,
      });
      expect(experts.status).toBe(200);
      expect(experts.body.items.length).toBeGreaterThan(0);
      expect(experts.body.items[0]?.skills.some((skill) => skill.name === 'React')).toBe(true);
      const profile = await api.get<FreelancerProfile>(`/freelancers/${reviewed.id}`, { token });
      expect(profile.status).toBe(200);
      expect(profile.body.skills.length).toBeGreaterThan(0);
      expect(profile.body.stats.reviewCount).toBeGreaterThan(0);
      expect(profile.body.stats.rating).toBeGreaterThanOrEqual(1);
      const reviews = await api.get<ReviewPage>(`/users/${reviewed.id}/reviews`, { token });
      expect(reviews.body.summary.count).toBe(profile.body.stats.reviewCount);
      expect(reviews.body.items.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});

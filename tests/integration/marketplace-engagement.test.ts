import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResult } from '../../shared/accounts/auth.ts';
import { problemTypes } from '../../shared/api/problem.ts';
import type {
  FavoriteFreelancer,
  FavoriteFreelancerPage,
  FavoriteProject,
  FavoriteProjectPage,
  Follow,
  FollowPage,
  FollowStats,
} from '../../shared/marketplace/engagement.ts';
import type { Project, ProjectPage } from '../../shared/marketplace/projects.ts';
import type { ProjectSearchPage } from '../../shared/marketplace/search.ts';
import type {
  SavedSearchPage,
  SavedSearchResults,
} from '../../shared/marketplace/saved-searches.ts';
import type { Category } from '../../shared/marketplace/taxonomy.ts';
import { seedTaxonomy } from '../../server/marketplace/seed-taxonomy.ts';
import { seedMarketplace, seedPassword } from '../../server/seed/marketplace.ts';
import { client, request } from '../support/http.ts';
import {
  marketplaceSnapshot,
  marketplaceWorld,
  projectInput,
  signUpAs,
  type Answer,
  type Member,
} from '../support/marketplace-fixtures.ts';
import { startTestServer, type Dialect, type TestServer } from '../support/test-server.ts';

const unknownId = '00000000-0000-4000-8000-000000000000';

describe.each(['sqlite', 'postgres'] as Dialect[])('favorites and follows on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  let admin: Member;
  let owner: Member;
  let otherClient: Member;
  let f1: Member;
  let f2: Member;
  let category: Category;

  beforeAll(async () => {
    ({ server, api, admin, owner, otherClient, f1, f2, category } = await marketplaceWorld(
      dialect,
      { owner: 'client', otherClient: 'client', f1: 'freelancer', f2: 'freelancer' },
    ));
  });
  afterAll(() => server?.close());

  const put = <T>(path: string, who: Member) =>
    request<Answer<T>>(server.baseUrl, 'PUT', path, { token: who.token });
  const del = (path: string, who: Member) =>
    request<Answer<unknown>>(server.baseUrl, 'DELETE', path, { token: who.token });

  /** Every row a refused request could have touched. */
  const snapshot = () =>
    marketplaceSnapshot(server, {
      project_favorites: ['user_id', 'project_id'],
      freelancer_favorites: ['user_id', 'freelancer_id'],
      follows: ['follower_id', 'followee_id'],
      audit_log: ['id'],
    });
  const auditCount = async (action: string, userId: string) =>
    Number(
      (
        await server.db.kysely
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('action', '=', action)
          .where('user_id', '=', userId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function project(who: Member, fields: Record<string, unknown> = {}) {
    const answer = await api.post<Project>('/projects', {
      token: who.token,
      json: projectInput(category.id, { publish: true, ...fields }),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  }

  /** Every item of a paged list, walking `limit` at a time; asserts each page's size. */
  async function walk<T>(path: string, who: Member, limit: number): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const query: string = `${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api.get<{ items: T[]; nextCursor: string | null }>(`${path}${query}`, {
        token: who.token,
      });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  }

  it('keeps favorite projects idempotently, newest first, and only ones the caller can see', async () => {
    const p1 = await project(owner);
    const p2 = await project(owner);
    const p3 = await project(owner);
    const draft = await project(owner, { publish: false });
    const invite = await project(owner, { visibility: 'invite' });

    const first = await put<FavoriteProject>(`/me/favorites/projects/${p1.id}`, f1);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.project).toMatchObject({ id: p1.id, title: p1.title, status: 'open' });
    // Again: same answer, same instant, no second row and no second audit entry.
    const before = await snapshot();
    const again = await put<FavoriteProject>(`/me/favorites/projects/${p1.id}`, f1);
    expect(again.status).toBe(200);
    expect(again.body.favoritedAt).toBe(first.body.favoritedAt);
    expect(await snapshot()).toEqual(before);
    expect(await auditCount('favorite.added', f1.id)).toBe(1);

    const seen = async (id: string, who: Member) =>
      (await api.get<Project>(`/projects/${id}`, { token: who.token })).body.favorited;
    expect(await seen(p1.id, f1)).toBe(true);
    expect(await seen(p1.id, f2)).toBe(false);

    // Refused: what the caller cannot see, what does not exist, bad ids, no token.
    const refusedBefore = await snapshot();
    for (const hidden of [draft.id, invite.id, unknownId]) {
      const answer = await put(`/me/favorites/projects/${hidden}`, f1);
      expect(answer.status).toBe(404);
      expect(answer.body.type).toBe(problemTypes.notFound);
    }
    const badId = await put('/me/favorites/projects/not-a-uuid', f1);
    expect(badId.status).toBe(422);
    expect(badId.body.errors?.map((e) => e.pointer)).toEqual(['/id']);
    expect((await request(server.baseUrl, 'PUT', `/me/favorites/projects/${p1.id}`)).status).toBe(
      401,
    );
    expect(await snapshot()).toEqual(refusedBefore);

    // Its client sees a draft, so may keep it too.
    expect((await put(`/me/favorites/projects/${draft.id}`, owner)).status).toBe(200);

    await put(`/me/favorites/projects/${p2.id}`, f1);
    await put(`/me/favorites/projects/${p3.id}`, f1);
    const listed = await walk<FavoriteProject>('/me/favorites/projects', f1, 2);
    expect(listed.map((f) => f.project.id)).toEqual([p3.id, p2.id, p1.id]);
    const times = listed.map((f) => f.favoritedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(listed[0]?.project.skills.map((s) => s.name)).toEqual(['TypeScript']);
    expect(await walk('/me/favorites/projects', f2, 5)).toEqual([]);

    // A favorite whose project turned private drops out of the list but can still be let go.
    const hidden = await api.patch(`/projects/${p2.id}`, {
      token: owner.token,
      json: { visibility: 'invite' },
    });
    expect(hidden.status).toBe(200);
    expect(
      (await walk<FavoriteProject>('/me/favorites/projects', f1, 100)).map((f) => f.project.id),
    ).toEqual([p3.id, p1.id]);
    expect((await del(`/me/favorites/projects/${p2.id}`, f1)).status).toBe(204);
    const favoriteRows = await server.db.kysely
      .selectFrom('project_favorites')
      .select('project_id')
      .where('user_id', '=', f1.id)
      .execute();
    expect(favoriteRows.map((r) => r.project_id).sort()).toEqual([p1.id, p3.id].sort());

    // Removing is idempotent too.
    expect((await del(`/me/favorites/projects/${p1.id}`, f1)).status).toBe(204);
    const afterRemoval = await snapshot();
    expect((await del(`/me/favorites/projects/${p1.id}`, f1)).status).toBe(204);
    expect((await del(`/me/favorites/projects/${unknownId}`, f1)).status).toBe(204);
    expect(await snapshot()).toEqual(afterRemoval);
    expect(await auditCount('favorite.removed', f1.id)).toBe(2);
    expect(await seen(p1.id, f1)).toBe(false);
  });

  it('caps favorite pages and refuses foreign cursors', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=bogus', 'extra=1']) {
      for (const list of ['projects', 'freelancers']) {
        const answer = await api.get<Answer<unknown>>(`/me/favorites/${list}?${query}`, {
          token: f1.token,
        });
        expect(answer.status, `${list}?${query}`).toBe(422);
        expect(answer.body.type).toBe(problemTypes.validation);
      }
    }
    const full = await api.get<FavoriteProjectPage>('/me/favorites/projects?limit=100', {
      token: f1.token,
    });
    expect(full.status).toBe(200);
  });

  it('keeps favorite freelancers, and only freelancers', async () => {
    const profile = await api.patch('/auth/me', {
      token: f1.token,
      json: {
        headline: 'TypeScript & <b>Electron</b>',
        hourlyRate: { amountMinor: 6_500, currency: 'EUR' },
      },
    });
    expect(profile.status).toBe(200);
    const first = await put<FavoriteFreelancer>(`/me/favorites/freelancers/${f1.id}`, owner);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.freelancer).toEqual({
      id: f1.id,
      name: expect.any(String) as string,
      role: 'freelancer',
      headline: 'TypeScript & <b>Electron</b>',
      hourlyRate: { amountMinor: 6_500, currency: 'EUR' },
    });
    expect(first.body.freelancer).not.toHaveProperty('email');
    const before = await snapshot();
    const again = await put<FavoriteFreelancer>(`/me/favorites/freelancers/${f1.id}`, owner);
    expect(again.body.favoritedAt).toBe(first.body.favoritedAt);
    expect(await snapshot()).toEqual(before);

    // Clients and administrators are not freelancers; nobody favorites themselves.
    const refusedBefore = await snapshot();
    for (const notFreelancer of [otherClient.id, admin.id, unknownId]) {
      const answer = await put(`/me/favorites/freelancers/${notFreelancer}`, owner);
      expect(answer.status).toBe(404);
      expect(answer.body.detail).toContain('no freelancer');
    }
    const self = await put(`/me/favorites/freelancers/${f2.id}`, f2);
    expect(self.status).toBe(422);
    expect(self.body.errors).toEqual([
      { pointer: '/id', detail: 'is you; favorite other freelancers' },
    ]);
    expect(await snapshot()).toEqual(refusedBefore);

    await put(`/me/favorites/freelancers/${f2.id}`, owner);
    // Freelancers may keep other freelancers too (a partner for a bigger job).
    expect((await put(`/me/favorites/freelancers/${f2.id}`, f1)).status).toBe(200);
    const listed = await walk<FavoriteFreelancer>('/me/favorites/freelancers', owner, 1);
    expect(listed.map((f) => f.freelancer.id)).toEqual([f2.id, f1.id]);
    expect(listed[0]?.freelancer.hourlyRate).toBeNull();

    expect((await del(`/me/favorites/freelancers/${f1.id}`, owner)).status).toBe(204);
    const afterRemoval = await snapshot();
    expect((await del(`/me/favorites/freelancers/${f1.id}`, owner)).status).toBe(204);
    expect(await snapshot()).toEqual(afterRemoval);
    const page = await api.get<FavoriteFreelancerPage>('/me/favorites/freelancers', {
      token: owner.token,
    });
    expect(page.body.items.map((f) => f.freelancer.id)).toEqual([f2.id]);
  });

  it('follows clients and freelancers, never yourself, and counts followers', async () => {
    const first = await put<Follow>(`/me/following/${owner.id}`, f1);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.user).toMatchObject({ id: owner.id, role: 'client' });
    const before = await snapshot();
    const again = await put<Follow>(`/me/following/${owner.id}`, f1);
    expect(again.body.since).toBe(first.body.since);
    expect(await snapshot()).toEqual(before);
    expect(await auditCount('follow.added', f1.id)).toBe(1);

    const refusedBefore = await snapshot();
    const self = await put(`/me/following/${f1.id}`, f1);
    expect(self.status).toBe(422);
    expect(self.body.errors?.map((e) => e.pointer)).toEqual(['/id']);
    for (const nobody of [admin.id, unknownId]) {
      const answer = await put(`/me/following/${nobody}`, f1);
      expect(answer.status).toBe(404);
      expect(answer.body.detail).toContain('no client or freelancer');
    }
    expect((await put('/me/following/someone', f1)).status).toBe(422);
    expect(await snapshot()).toEqual(refusedBefore);

    expect((await put(`/me/following/${f2.id}`, f1)).status).toBe(200);
    expect((await put(`/me/following/${owner.id}`, otherClient)).status).toBe(200);
    const following = await walk<Follow>('/me/following', f1, 1);
    expect(following.map((f) => f.user.id)).toEqual([f2.id, owner.id]);
    const followers = await walk<Follow>('/me/followers', owner, 1);
    expect(followers.map((f) => f.user.id)).toEqual([otherClient.id, f1.id]);
    expect(followers[1]?.since).toBe(first.body.since);

    const stats = async (of: Member | string, who: Member) =>
      api.get<Answer<FollowStats>>(`/users/${typeof of === 'string' ? of : of.id}/follow-stats`, {
        token: who.token,
      });
    expect((await stats(owner, f1)).body).toEqual({
      userId: owner.id,
      followers: 2,
      following: 0,
      followedByMe: true,
    });
    expect((await stats(owner, f2)).body.followedByMe).toBe(false);
    expect((await stats(f1, f2)).body).toMatchObject({ followers: 0, following: 2 });
    expect((await stats(admin, f1)).status).toBe(404);
    expect((await stats(unknownId, f1)).status).toBe(404);

    expect((await del(`/me/following/${owner.id}`, f1)).status).toBe(204);
    const afterRemoval = await snapshot();
    expect((await del(`/me/following/${owner.id}`, f1)).status).toBe(204);
    expect(await snapshot()).toEqual(afterRemoval);
    expect(await auditCount('follow.removed', f1.id)).toBe(1);
    expect((await stats(owner, f1)).body).toMatchObject({ followers: 1, followedByMe: false });
    for (const query of ['limit=101', 'cursor=bogus']) {
      expect((await api.get(`/me/following?${query}`, { token: f1.token })).status).toBe(422);
      expect((await api.get(`/me/followers?${query}`, { token: f1.token })).status).toBe(422);
    }
  });

  it('feeds the open projects of followed clients, newest published first', async () => {
    const poster = await signUpAs(server, 'client');
    const stranger = await signUpAs(server, 'client');
    const reader = await signUpAs(server, 'freelancer');
    const feed = () => walk<Project>('/me/following/projects', reader, 2);
    const older = await project(poster);
    const draft = await project(poster, { publish: false });
    await project(poster, { visibility: 'invite' });
    const cancelled = await project(poster);
    await api.post(`/projects/${cancelled.id}/status`, {
      token: poster.token,
      json: { to: 'cancelled' },
    });
    const newer = await project(poster);
    await project(stranger);
    expect(await feed()).toEqual([]);

    expect((await put(`/me/following/${poster.id}`, reader)).status).toBe(200);
    expect((await feed()).map((p) => p.id)).toEqual([newer.id, older.id]);

    // Published later than the others, though created first: it leads the feed.
    const published = await api.post<Project>(`/projects/${draft.id}/status`, {
      token: poster.token,
      json: { to: 'open' },
    });
    expect(published.status).toBe(200);
    const items = await feed();
    expect(items.map((p) => p.id)).toEqual([draft.id, newer.id, older.id]);
    expect(items[0]).toMatchObject({
      client: { id: poster.id, name: poster.name },
      status: 'open',
      visibility: 'public',
    });

    const page = await api.get<ProjectPage>('/me/following/projects?limit=101', {
      token: reader.token,
    });
    expect(page.status).toBe(422);
    await del(`/me/following/${poster.id}`, reader);
    expect(await feed()).toEqual([]);
  });

  it('names each project’s client, as the plain text they typed, in every answer with projects', async () => {
    const typed = 'Zoë <b>"Bold"</b> & Sons <script>x</script>';
    const poster = await signUpAs(server, 'client', typed);
    const reader = await signUpAs(server, 'freelancer');
    const posted = await project(poster, { title: 'Quetzal plumage catalogue' });
    // Kept as typed, neither stripped nor escaped in JSON: whoever shows it escapes it.
    const named = { id: poster.id, name: typed };
    expect(posted.client).toEqual(named);

    // Viewing it counts a viewer, which makes it trend.
    const single = await api.get<Project>(`/projects/${posted.id}`, { token: reader.token });
    expect(single.body.client).toEqual(named);
    const search = await api.get<ProjectSearchPage>('/search/projects?q=quetzal', {
      token: reader.token,
    });
    expect(search.body.items.map((hit) => hit.client)).toEqual([named]);
    const favorite = await put<FavoriteProject>(`/me/favorites/projects/${posted.id}`, reader);
    expect(favorite.body.project?.client).toEqual(named);
    const favorites = await walk<FavoriteProject>('/me/favorites/projects', reader, 10);
    expect(favorites.map((f) => f.project.client)).toEqual([named]);
    const trending = await walk<Project>('/projects/trending', reader, 100);
    expect(trending.find((p) => p.id === posted.id)?.client).toEqual(named);
    expect((await put(`/me/following/${poster.id}`, reader)).status).toBe(200);
    const feed = await walk<Project>('/me/following/projects', reader, 10);
    expect(feed.map((p) => p.client)).toEqual([named]);

    // A page of several clients' projects names each one's own client.
    const listed = await walk<Project>('/projects', reader, 7);
    const owners = await server.db.kysely
      .selectFrom('projects as p')
      .innerJoin('users as u', 'u.id', 'p.client_id')
      .select(['p.id', 'p.client_id', 'u.name'])
      .execute();
    const clientOf = new Map(owners.map((row) => [row.id, { id: row.client_id, name: row.name }]));
    expect(new Set(listed.map((p) => p.client.id)).size).toBeGreaterThan(2);
    for (const item of listed) expect(item.client).toEqual(clientOf.get(item.id));
    expect(listed.find((p) => p.id === posted.id)?.client).toEqual(named);
  });
});

describe.each(['sqlite', 'postgres'] as Dialect[])('seeded engagement on %s', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('gives seeded people favorites, follows and saved searches that work through the API', async () => {
    await seedTaxonomy(server.db);
    const seeded = await seedMarketplace(server.db, 0.1);
    expect(seeded.engagement.favorites).toBeGreaterThan(0);
    expect(seeded.engagement.follows).toBeGreaterThan(0);
    expect(seeded.engagement.savedSearches).toBeGreaterThan(0);

    const db = server.db.kysely;
    const searcher = await db
      .selectFrom('saved_searches as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['u.email', 's.id'])
      .orderBy('u.email')
      .executeTakeFirstOrThrow();
    const api = client(server.baseUrl);
    const login = await api.post<AuthResult>('/auth/login', {
      json: { email: searcher.email, password: seedPassword },
    });
    expect(login.status).toBe(200);
    const token = login.body.accessToken;
    const saved = await api.get<SavedSearchPage>('/me/saved-searches', { token });
    expect(saved.body.items.map((s) => s.id)).toContain(searcher.id);
    const results = await api.get<SavedSearchResults>(`/me/saved-searches/${searcher.id}/results`, {
      token,
    });
    expect(results.status, JSON.stringify(results.body)).toBe(200);

    const fan = await db
      .selectFrom('project_favorites as f')
      .innerJoin('users as u', 'u.id', 'f.user_id')
      .select(['u.email', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('u.email')
      .orderBy('u.email')
      .executeTakeFirstOrThrow();
    const fanLogin = await api.post<AuthResult>('/auth/login', {
      json: { email: fan.email, password: seedPassword },
    });
    const favorites = await api.get<FavoriteProjectPage>('/me/favorites/projects?limit=100', {
      token: fanLogin.body.accessToken,
    });
    expect(favorites.status).toBe(200);
    // Seeded favorites are open public projects: every one is listed.
    expect(favorites.body.items).toHaveLength(Number(fan.n));
    const following = await api.get<FollowPage>('/me/following', {
      token: fanLogin.body.accessToken,
    });
    expect(following.status).toBe(200);
  });
});

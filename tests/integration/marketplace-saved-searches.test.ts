import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes } from '../../shared/api/problem.ts';
import type { Project, ProjectPage } from '../../shared/marketplace/projects.ts';
import {
  MAX_NEW_COUNT,
  MAX_SAVED_SEARCHES,
  type SavedSearch,
  type SavedSearchPage,
  type SavedSearchResults,
} from '../../shared/marketplace/saved-searches.ts';
import type { Category } from '../../shared/marketplace/taxonomy.ts';
import { client, type HttpAnswer } from '../support/http.ts';
import {
  createCategory,
  marketplaceSnapshot,
  marketplaceWorld,
  projectInput,
  signUpAs,
  type Answer,
  type Member,
} from '../support/marketplace-fixtures.ts';
import { startTestServer, type Dialect, type TestServer } from '../support/test-server.ts';

const unknownId = '00000000-0000-4000-8000-000000000000';
const DAY = 86_400_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['sqlite', 'postgres'] as Dialect[])('saved searches on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  let poster: Member;
  let f1: Member;
  let f2: Member;
  let category: Category;

  beforeAll(async () => {
    ({ server, api, poster, f1, f2, category } = await marketplaceWorld(dialect, {
      poster: 'client',
      f1: 'freelancer',
      f2: 'freelancer',
    }));
  });
  afterAll(() => server?.close());

  const snapshot = () => marketplaceSnapshot(server, { saved_searches: ['id'], audit_log: ['id'] });
  const save = (who: Member, json: unknown) =>
    api.post<Answer<SavedSearch>>('/me/saved-searches', { token: who.token, json });
  const run = (who: Member, id: string, query = '') =>
    api.get<Answer<SavedSearchResults>>(`/me/saved-searches/${id}/results${query}`, {
      token: who.token,
    });
  async function project(title: string, fields: Record<string, unknown> = {}) {
    const answer = await api.post<Project>('/projects', {
      token: poster.token,
      json: projectInput(category.id, { title, publish: true, ...fields }),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  }

  it('saves the filters as the search validates them, without paging', async () => {
    const created = await save(f1, {
      name: '  React jobs  ',
      query: {
        q: ' react ',
        skills: 'React, TypeScript,react',
        budgetMin: '1000',
        budgetMax: 500_000,
        currency: 'EUR',
        type: 'fixed',
        postedSince: '2026-01-01',
        sort: 'newest',
        categoryId: category.id,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      name: 'React jobs',
      query: {
        q: 'react',
        skills: ['React', 'TypeScript'],
        budgetMin: 1000,
        budgetMax: 500_000,
        currency: 'EUR',
        type: 'fixed',
        postedSince: '2026-01-01T00:00:00.000Z',
        sort: 'newest',
        categoryId: category.id,
      },
    });
    // Saving counts as the first run.
    expect(created.body.lastRunAt).toBe(created.body.createdAt);
    const audited = await server.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('details', 'like', `%${created.body.id}%`)
      .execute();
    expect(audited.map((a) => a.action)).toEqual(['saved_search.created']);

    const minimal = await save(f1, { name: 'Anything', query: {} });
    expect(minimal.status).toBe(201);
    expect(minimal.body.query).toEqual({ q: '' });

    const before = await snapshot();
    const cases: Array<[unknown, string[]]> = [
      [{ name: 'x', query: { cursor: 'abc' } }, ['/query/cursor']],
      [{ name: 'x', query: { limit: 10 } }, ['/query/limit']],
      [{ name: 'x', query: { budgetMin: 10, budgetMax: 5 } }, ['/query/budgetMin']],
      [{ name: 'x', query: { type: 'weekly' } }, ['/query/type']],
      [{ name: 'x', query: { currency: 'EURO' } }, ['/query/currency']],
      [{ name: 'x', query: { postedSince: 'yesterday' } }, ['/query/postedSince']],
      [{ name: 'x', query: { q: 'a'.repeat(201) } }, ['/query/q']],
      [{ name: 'x', query: { categoryId: unknownId } }, ['/query/categoryId']],
      [{ name: '   ', query: {} }, ['/name']],
      [{ name: 'a'.repeat(101), query: {} }, ['/name']],
      [{ name: 'tab\there', query: {} }, ['/name']],
      [{ name: 'x' }, ['/query']],
      [{ query: {} }, ['/name']],
    ];
    for (const [json, pointers] of cases) {
      const answer = await save(f1, json);
      expect(answer.status, JSON.stringify(json)).toBe(422);
      expect(answer.body.type).toBe(problemTypes.validation);
      expect(
        answer.body.errors?.map((e) => e.pointer),
        JSON.stringify(json),
      ).toEqual(pointers);
    }
    const unknownKey = await save(f1, { name: 'x', query: { bogus: 1 } });
    expect(unknownKey.status).toBe(422);
    const taken = await save(f1, { name: 'react JOBS', query: {} });
    expect(taken.status).toBe(409);
    expect(taken.body.type).toBe(problemTypes.conflict);
    expect((await api.post('/me/saved-searches', { json: { name: 'x', query: {} } })).status).toBe(
      401,
    );
    expect(await snapshot()).toEqual(before);
    // Names are per user: another freelancer may use the same one.
    expect((await save(f2, { name: 'React jobs', query: {} })).status).toBe(201);
  });

  it('lists, renames and deletes only your own saved searches', async () => {
    const who = await signUpAs(server, 'freelancer');
    const ids: string[] = [];
    for (let n = 0; n < 5; n += 1) {
      const answer = await save(who, { name: `Search ${n}`, query: { q: `word${n}` } });
      ids.push(answer.body.id ?? '');
    }
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: HttpAnswer<SavedSearchPage> = await api.get<SavedSearchPage>(
        `/me/saved-searches?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: who.token },
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.body.items.map((s) => s.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(walked).toEqual([...ids].reverse());
    for (const query of ['limit=101', 'limit=0', 'cursor=bogus']) {
      expect((await api.get(`/me/saved-searches?${query}`, { token: who.token })).status).toBe(422);
    }

    const [first, second] = ids as [string, string];
    const renamed = await api.patch<Answer<SavedSearch>>(`/me/saved-searches/${first}`, {
      token: who.token,
      json: { name: 'Renamed' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: first, name: 'Renamed', query: { q: 'word0' } });
    expect(renamed.body.updatedAt! >= renamed.body.createdAt!).toBe(true);

    const before = await snapshot();
    const clash = await api.patch<Answer<SavedSearch>>(`/me/saved-searches/${second}`, {
      token: who.token,
      json: { name: 'RENAMED' },
    });
    expect(clash.status).toBe(409);
    for (const [id, member] of [
      [first, f1],
      [unknownId, who],
    ] as const) {
      const answer = await api.patch(`/me/saved-searches/${id}`, {
        token: member.token,
        json: { name: 'Mine now' },
      });
      expect(answer.status).toBe(404);
      expect((await api.delete(`/me/saved-searches/${id}`, { token: member.token })).status).toBe(
        404,
      );
      expect((await run(member, id)).status).toBe(404);
    }
    const badRename = await api.patch<Answer<SavedSearch>>(`/me/saved-searches/${first}`, {
      token: who.token,
      json: { name: 'x', query: {} },
    });
    expect(badRename.status).toBe(422);
    expect(await snapshot()).toEqual(before);

    expect((await api.delete(`/me/saved-searches/${first}`, { token: who.token })).status).toBe(
      204,
    );
    expect((await api.delete(`/me/saved-searches/${first}`, { token: who.token })).status).toBe(
      404,
    );
    const actions = await server.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('details', 'like', `%${first}%`)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'saved_search.created',
      'saved_search.renamed',
      'saved_search.deleted',
    ]);
  });

  it(`keeps at most ${MAX_SAVED_SEARCHES} per user, even when saves race`, async () => {
    const who = await signUpAs(server, 'freelancer');
    for (let n = 0; n < MAX_SAVED_SEARCHES - 1; n += 1) {
      expect((await save(who, { name: `S${n}`, query: {} })).status).toBe(201);
    }
    const raced = await Promise.all([
      save(who, { name: 'Race A', query: {} }),
      save(who, { name: 'Race B', query: {} }),
    ]);
    expect(raced.map((a) => a.status).sort()).toEqual([201, 409]);
    const before = await snapshot();
    const over = await save(who, { name: 'One too many', query: {} });
    expect(over.status).toBe(409);
    expect(over.body.detail).toContain(`at most ${MAX_SAVED_SEARCHES}`);
    expect(await snapshot()).toEqual(before);
    const count = await server.db.kysely
      .selectFrom('saved_searches')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', who.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(MAX_SAVED_SEARCHES);
  });

  it('runs through the search service and counts what is new since the last run', async () => {
    const a = await project('Build a quokka time tracker');
    const b = await project('Quokka analytics dashboard');
    await project('Quokka mobile app', { publish: false });
    await project('Unrelated landing page');
    const saved = await save(f1, { name: 'Quokkas', query: { q: 'quokka', sort: 'newest' } });
    expect(saved.status).toBe(201);
    const id = saved.body.id ?? '';
    await pause(5);
    const c = await project('Quokka sync server');

    const first = await run(f1, id);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.items?.map((h) => [h.id, h.isNew])).toEqual([
      [c.id, true],
      [b.id, false],
      [a.id, false],
    ]);
    expect(first.body).toMatchObject({ since: saved.body.lastRunAt, newCount: 1, moreNew: false });
    // Exactly what the search itself answers, hit for hit.
    const direct = await api.get<{ items: unknown[] }>('/search/projects?q=quokka&sort=newest', {
      token: f1.token,
    });
    expect(first.body.items?.map(({ isNew: _isNew, ...hit }) => hit)).toEqual(direct.body.items);
    const ranAt = first.body.search?.lastRunAt ?? '';
    expect(ranAt > (saved.body.lastRunAt ?? '')).toBe(true);

    // Run again at once: nothing new.
    const second = await run(f1, id);
    expect(second.body).toMatchObject({ since: ranAt, newCount: 0 });
    expect(second.body.items?.every((h) => !h.isNew)).toBe(true);

    // Two new ones, walked a page at a time: later pages count from the same run.
    await pause(5);
    const d = await project('Quokka invoices');
    const e = await project('Quokka screenshots');
    const pageOne = await run(f1, id, '?limit=2');
    expect(pageOne.body).toMatchObject({ newCount: 2 });
    const since = pageOne.body.since;
    const walked = [...(pageOne.body.items ?? [])];
    let cursor = pageOne.body.nextCursor;
    while (cursor) {
      const page = await run(f1, id, `?limit=2&cursor=${cursor}`);
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ since, newCount: 2 });
      expect(page.body.search?.lastRunAt).toBe(pageOne.body.search?.lastRunAt);
      walked.push(...(page.body.items ?? []));
      cursor = page.body.nextCursor ?? null;
    }
    expect(walked.map((h) => [h.id, h.isNew])).toEqual([
      [e.id, true],
      [d.id, true],
      [c.id, false],
      [b.id, false],
      [a.id, false],
    ]);

    for (const query of ['?limit=101', '?limit=0', '?cursor=bogus', '?sort=newest']) {
      const answer = await run(f1, id, query);
      expect(answer.status, query).toBe(422);
    }
    expect((await run(f1, 'not-a-uuid')).status).toBe(422);
  });

  it(`counts new results exactly up to ${MAX_NEW_COUNT}, then says there are more`, async () => {
    const saved = await save(f2, { name: 'Wombats', query: { q: 'wombat' } });
    const id = saved.body.id ?? '';
    await pause(5);
    for (let start = 0; start < MAX_NEW_COUNT + 1; start += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, MAX_NEW_COUNT + 1 - start) }, (_, n) =>
          project(`Wombat project number ${start + n}`),
        ),
      );
    }
    const answer = await run(f2, id, '?limit=5');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ newCount: MAX_NEW_COUNT, moreNew: true });
    expect(answer.body.items).toHaveLength(5);
    expect((await run(f2, id)).body).toMatchObject({ newCount: 0, moreNew: false });
  });
});

describe.each(['sqlite', 'postgres'] as Dialect[])('trending projects on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  let poster: Member;
  let freelancers: Member[];
  let category: Category;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    api = client(server.baseUrl);
    const admin = await signUpAs(server, 'admin');
    poster = await signUpAs(server, 'client');
    freelancers = [];
    for (let n = 0; n < 4; n += 1) freelancers.push(await signUpAs(server, 'freelancer'));
    category = await createCategory(server, admin, { name: 'Software' });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function project(title: string, publishedDaysAgo: number) {
    const answer = await api.post<Project>('/projects', {
      token: poster.token,
      json: projectInput(category.id, { title, publish: true }),
    });
    expect(answer.status).toBe(201);
    const at = new Date(Date.now() - publishedDaysAgo * DAY).toISOString();
    // Age is what decay reads; a test cannot wait two weeks.
    await server.db.kysely
      .updateTable('projects')
      .set({ published_at: at, created_at: at })
      .where('id', '=', answer.body.id)
      .execute();
    return answer.body;
  }
  const view = async (projectId: string, count: number) => {
    for (const who of freelancers.slice(0, count)) {
      expect((await api.get(`/projects/${projectId}`, { token: who.token })).status).toBe(200);
    }
  };
  const propose = async (projectId: string, who: Member) => {
    const answer = await api.post(`/projects/${projectId}/proposals`, {
      token: who.token,
      json: {
        coverLetter: 'I can do it.',
        bid: { type: 'fixed', amount: { amountMinor: 150_000, currency: 'EUR' } },
        durationDays: 10,
      },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  };
  const trending = (query = '') =>
    api.get<Answer<ProjectPage>>(`/projects/trending${query}`, { token: freelancers[0]!.token });

  it('ranks by the last week’s viewers and proposals, weighted, with decay by age', async () => {
    const [, fb, fc, fd] = freelancers as [Member, Member, Member, Member];
    expect((await trending()).body.items).toEqual([]);

    // score = (viewers + 3 × proposals) / (1 + age in days / 7) ^ 1.5
    const a = await project('Project Alpha', 1); // 2 viewers + 1 proposal = 5 → 4.09
    await view(a.id, 2);
    await propose(a.id, fc);
    const b = await project('Project Bravo', 1); // 4 viewers = 4 → 3.27
    await view(b.id, 4);
    const c = await project('Project Charlie', 14); // 5 as well, but two weeks old → 0.96
    await view(c.id, 2);
    await propose(c.id, fd);
    const d = await project('Project Delta', 1); // 1 viewer (its proposal is too old) → 0.82
    await view(d.id, 1);
    await propose(d.id, fb);
    await server.db.kysely
      .updateTable('proposals')
      .set({ created_at: new Date(Date.now() - 8 * DAY).toISOString() })
      .where('project_id', '=', d.id)
      .execute();
    const e = await project('Project Echo', 1); // its one viewer came eight days ago → not trending
    await view(e.id, 1);
    await server.db.kysely
      .updateTable('project_views')
      .set({ first_viewed_at: new Date(Date.now() - 8 * DAY).toISOString() })
      .where('project_id', '=', e.id)
      .execute();
    const hidden = await project('Project Foxtrot', 1); // busy, then made invite-only
    await view(hidden.id, 4);
    await api.patch(`/projects/${hidden.id}`, {
      token: poster.token,
      json: { visibility: 'invite' },
    });
    const closed = await project('Project Golf', 1); // busy, then cancelled
    await view(closed.id, 4);
    await api.post(`/projects/${closed.id}/status`, {
      token: poster.token,
      json: { to: 'cancelled' },
    });
    await project('Project Hotel', 0); // quiet

    // Views are counted once per viewer: looking again changes nothing.
    await view(d.id, 1);

    const ranked = await trending();
    expect(ranked.status, JSON.stringify(ranked.body)).toBe(200);
    expect(ranked.body.items?.map((p) => p.title)).toEqual([
      'Project Alpha',
      'Project Bravo',
      'Project Charlie',
      'Project Delta',
    ]);
    expect(ranked.body.nextCursor).toBeNull();
    expect(ranked.body.items?.[1]).toMatchObject({ id: b.id, viewCount: 4, status: 'open' });
    expect(new Set(ranked.body.items?.map((p) => p.id))).not.toContain(e.id);
  });

  it('pages by a cursor that keeps its ranking instant, with a cap', async () => {
    const all = (await trending('?limit=100')).body.items?.map((p) => p.id) ?? [];
    expect(all.length).toBe(4);
    const first = await trending('?limit=2');
    expect(first.body.items?.map((p) => p.id)).toEqual(all.slice(0, 2));
    // Activity after the first page does not reshuffle the rest of this walk.
    const last = all[3] ?? '';
    await propose(last, freelancers[0]!);
    await propose(last, freelancers[2]!);
    const second = await trending(`?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items?.map((p) => p.id)).toEqual(all.slice(2, 4));
    expect(second.body.nextCursor).toBeNull();
    // A new walk ranks the new activity: 1 viewer + 2 proposals now puts it first.
    expect((await trending()).body.items?.[0]?.id).toBe(last);

    for (const query of ['?limit=101', '?limit=0', '?cursor=bogus', '?q=x']) {
      const answer = await trending(query);
      expect(answer.status, query).toBe(422);
      expect(answer.body.type).toBe(problemTypes.validation);
    }
    expect((await api.get('/projects/trending')).status).toBe(401);
  });
});

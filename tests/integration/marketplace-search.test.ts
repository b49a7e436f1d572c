import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillSearchDocuments } from '../../server/db/migrations/0004-search.ts';
import type { Problem } from '../../shared/api/problem.ts';
import type { Project } from '../../shared/marketplace/projects.ts';
import type {
  ProjectSearchHit,
  ProjectSearchPage,
  Suggestion,
} from '../../shared/marketplace/search.ts';
import type { Category } from '../../shared/marketplace/taxonomy.ts';
import type { client } from '../support/http.ts';
import {
  createCategory,
  marketplaceWorld,
  projectInput,
  type Member,
} from '../support/marketplace-fixtures.ts';
import type { Dialect, TestServer } from '../support/test-server.ts';

describe.each(['sqlite', 'postgres'] as Dialect[])('marketplace search on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  let admin: Member;
  let owner: Member;
  let freelancer: Member;
  let category: Category;

  beforeAll(async () => {
    ({ server, api, admin, owner, freelancer, category } = await marketplaceWorld(dialect, {
      owner: 'client',
      freelancer: 'freelancer',
    }));
  });
  afterAll(() => server?.close());

  async function post(fields: Record<string, unknown> = {}, categoryId = category.id) {
    const answer = await api.post<Project>('/projects', {
      token: owner.token,
      json: projectInput(categoryId, { publish: true, ...fields }),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  }

  async function search(query: Record<string, string | number>) {
    const params = new URLSearchParams(
      Object.entries(query).map(([key, value]) => [key, String(value)]),
    );
    const answer = await api.get<ProjectSearchPage>(`/search/projects?${params.toString()}`, {
      token: freelancer.token,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  }
  const idsOf = async (query: Record<string, string | number>) =>
    (await search(query)).items.map((hit) => hit.id);

  /** Every page of a search, following cursors. */
  async function walk(query: Record<string, string | number>) {
    const seen: ProjectSearchHit[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ProjectSearchPage = await search(cursor ? { ...query, cursor } : query);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    return seen;
  }

  it('finds projects by title, description and skill words; titles rank first', async () => {
    const inTitle = await post({
      title: 'Quokka habitat dashboard',
      description: 'Charts for the park rangers.',
    });
    const inDescription = await post({
      title: 'Wildlife charting tool',
      description: '<p>Track every <strong>quokka</strong> in the park &amp; count them.</p>',
    });
    const bySkill = await post({
      title: 'Airship tracker',
      description: 'A map of flights.',
      skills: ['Zeppelinjs', 'TypeScript'],
    });

    expect(await idsOf({ q: 'quokka' })).toEqual([inTitle.id, inDescription.id]);
    expect(await idsOf({ q: 'Rangers' })).toEqual([inTitle.id]);
    expect(await idsOf({ q: 'zeppelinjs' })).toEqual([bySkill.id]);
    // Type-ahead: the last word is a prefix; every word must match.
    expect(await idsOf({ q: 'quok' })).toEqual([inTitle.id, inDescription.id]);
    expect((await idsOf({ q: 'park quok' })).sort()).toEqual([inTitle.id, inDescription.id].sort());
    expect(await idsOf({ q: 'quokka airship' })).toEqual([]);

    const page = await search({ q: 'quokka' });
    const hit = page.items[1];
    expect(hit).toMatchObject({
      id: inDescription.id,
      title: 'Wildlife charting tool',
      client: { id: owner.id, name: owner.name },
      category: { id: category.id },
      budget: { type: 'fixed' },
    });
    expect(hit?.snippetHtml).toContain('<mark>quokka</mark>');
    expect(hit?.snippetHtml).toContain('&amp;');
    expect(hit?.snippetHtml).not.toContain('<strong>');
    expect(hit).not.toHaveProperty('descriptionHtml');
    expect(page.nextCursor).toBeNull();
  });

  it('combines filters: category subtree, skills, budget range, type, currency, posted since', async () => {
    const root = await createCategory(server, admin, { name: 'Music' });
    const child = await createCategory(server, admin, { parentId: root.id, name: 'Percussion' });
    const elsewhere = await createCategory(server, admin, { name: 'Elsewhere' });
    const money = (min: number, max: number, type = 'fixed', currency = 'EUR') => ({
      type,
      min: { amountMinor: min, currency },
      max: { amountMinor: max, currency },
    });
    const cheap = await post(
      { title: 'Marimba tuner cheap', skills: ['Audio'], budget: money(1_000, 5_000) },
      root.id,
    );
    const pricey = await post(
      { title: 'Marimba tuner pricey', skills: ['Audio', 'DSP'], budget: money(50_000, 90_000) },
      child.id,
    );
    const hourly = await post(
      { title: 'Marimba tuner hourly', skills: ['DSP'], budget: money(2_000, 4_000, 'hourly') },
      child.id,
    );
    const dollars = await post(
      {
        title: 'Marimba tuner dollars',
        skills: ['Audio'],
        budget: money(1_000, 5_000, 'fixed', 'USD'),
      },
      root.id,
    );
    const outside = await post({ title: 'Marimba tuner outside', skills: ['Audio'] }, elsewhere.id);
    await server.db.kysely
      .updateTable('projects')
      .set({ published_at: '2020-01-01T00:00:00.000Z' })
      .where('id', '=', dollars.id)
      .execute();

    const sorted = (ids: string[]) => [...ids].sort();
    const find = async (query: Record<string, string | number>) =>
      sorted(await idsOf({ q: 'marimba', limit: 100, ...query }));

    expect(await find({})).toEqual(
      sorted([cheap.id, pricey.id, hourly.id, dollars.id, outside.id]),
    );
    expect(await find({ categoryId: root.id })).toEqual(
      sorted([cheap.id, pricey.id, hourly.id, dollars.id]),
    );
    expect(await find({ categoryId: child.id })).toEqual(sorted([pricey.id, hourly.id]));
    expect(await find({ skills: 'dsp' })).toEqual(sorted([pricey.id, hourly.id]));
    expect(await find({ skills: 'DSP,Audio', categoryId: child.id })).toEqual(
      sorted([pricey.id, hourly.id]),
    );
    expect(await find({ budgetMin: 10_000 })).toEqual(sorted([pricey.id, outside.id]));
    expect(await find({ budgetMax: 3_000, categoryId: root.id })).toEqual(
      sorted([cheap.id, hourly.id, dollars.id]),
    );
    expect(await find({ type: 'hourly' })).toEqual([hourly.id]);
    expect(await find({ type: 'fixed', currency: 'USD' })).toEqual([dollars.id]);
    expect(await find({ postedSince: '2025-01-01', categoryId: root.id, skills: 'audio' })).toEqual(
      sorted([cheap.id, pricey.id]),
    );
    expect(await find({ postedSince: '2019-12-31T00:00:00Z', currency: 'USD' })).toEqual([
      dollars.id,
    ]);
    // Filters without words list newest first.
    const newest = await search({ categoryId: child.id });
    expect(newest.items.map((h) => h.id)).toEqual([hourly.id, pricey.id]);
    const byBudget = await search({ q: 'marimba', categoryId: root.id, sort: 'budget' });
    expect(byBudget.items[0]?.id).toBe(pricey.id);
  });

  it('never shows drafts, invite-only, cancelled or in-progress projects', async () => {
    const open = await post({ title: 'Gondola booking site' });
    const draft = await post({ title: 'Gondola booking draft', publish: false });
    const invite = await post({ title: 'Gondola booking invite', visibility: 'invite' });
    const cancelled = await post({ title: 'Gondola booking cancelled' });
    const started = await post({ title: 'Gondola booking started' });
    for (const [project, to] of [
      [cancelled, 'cancelled'],
      [started, 'in_progress'],
    ] as const) {
      const moved = await api.post(`/projects/${project.id}/status`, {
        token: owner.token,
        json: { to },
      });
      expect(moved.status).toBe(200);
    }
    expect(await idsOf({ q: 'gondola' })).toEqual([open.id]);
    expect(await idsOf({ q: 'gondola', sort: 'newest' })).toEqual([open.id]);
    const listed = (await walk({ limit: 100 })).map((h) => h.id);
    for (const hidden of [draft, invite, cancelled, started])
      expect(listed).not.toContain(hidden.id);
    const suggestions = await api.get<{ suggestions: Suggestion[] }>(
      '/search/autocomplete?q=gondo',
      {
        token: freelancer.token,
      },
    );
    expect(suggestions.body.suggestions.map((s) => s.id)).toEqual([open.id]);
  });

  it('keeps the index in step with edits', async () => {
    const project = await post({
      title: 'Papaya sorting robot',
      description: 'Sorts papayas by ripeness.',
      skills: ['Hydraulics'],
      tags: ['Orchard'],
    });
    expect(await idsOf({ q: 'papaya' })).toEqual([project.id]);
    expect(await idsOf({ q: 'orchard' })).toEqual([project.id]);
    const edited = await api.patch(`/projects/${project.id}`, {
      token: owner.token,
      json: {
        title: 'Mango sorting robot',
        description: 'Sorts mangoes by colour.',
        skills: ['Mechatronics'],
        tags: ['Plantation'],
      },
    });
    expect(edited.status).toBe(200);
    for (const gone of ['papaya', 'ripeness', 'hydraulics', 'orchard']) {
      expect(await idsOf({ q: gone }), gone).toEqual([]);
    }
    for (const found of ['mango', 'colour', 'mechatronics', 'plantation']) {
      expect(await idsOf({ q: found }), found).toEqual([project.id]);
    }
  });

  it('walks every result exactly once, in every sort', async () => {
    const posted: string[] = [];
    for (const n of [1, 2, 3, 4, 5, 6, 7]) {
      const project = await post({
        title: `Tessellate pattern ${n}`,
        // Some share a score, so the tiebreak is exercised too.
        description: `${'Tessellate tiles. '.repeat(n % 3)}A floor plan.`,
        budget: {
          type: 'fixed',
          min: { amountMinor: 0, currency: 'EUR' },
          max: { amountMinor: 1_000 * (n % 4), currency: 'EUR' },
        },
      });
      posted.push(project.id);
    }
    for (const sort of ['relevance', 'newest', 'budget']) {
      const all = (await search({ q: 'tessellate', sort, limit: 100 })).items.map((h) => h.id);
      expect([...all].sort(), sort).toEqual([...posted].sort());
      for (const limit of [1, 2, 3]) {
        const walked = (await walk({ q: 'tessellate', sort, limit })).map((h) => h.id);
        expect(walked, `${sort} by ${limit}`).toEqual(all);
      }
    }
    const byBudget = await search({ q: 'tessellate', sort: 'budget', limit: 100 });
    const maxima = byBudget.items.map((h) => h.budget.max.amountMinor);
    expect([...maxima].sort((a, b) => b - a)).toEqual(maxima);
  });

  it('treats hostile input as plain words, and empty input as newest first', async () => {
    const quoted = await post({ title: 'Near field scanner', description: 'Or so they say.' });
    for (const q of [
      '"',
      '*',
      'OR',
      'NEAR(',
      "'",
      ':',
      '&|!',
      'a OR b',
      'near( scanner',
      '"unbalanced',
      'title:scanner',
      "o'reilly & co | !x",
      '(((',
      '^foo',
      '- -',
      '\\',
      '%_',
    ]) {
      const answer = await api.get<ProjectSearchPage>(
        `/search/projects?q=${encodeURIComponent(q)}`,
        { token: freelancer.token },
      );
      expect(answer.status, q).toBe(200);
      expect(Array.isArray(answer.body.items), q).toBe(true);
    }
    expect(await idsOf({ q: 'NEAR( scanner' })).toEqual([quoted.id]);
    expect(await idsOf({ q: '"scanner' })).toEqual([quoted.id]);

    const listed = await walk({ limit: 7 });
    const expected = await server.db.kysely
      .selectFrom('projects')
      .select('id')
      .where('status', '=', 'open')
      .where('visibility', '=', 'public')
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(listed.map((h) => h.id)).toEqual(expected.map((p) => p.id));
    expect((await search({ q: '   ' })).items[0]?.id).toBe(expected[0]?.id);
  });

  it('suggests categories, skills and titles for a prefix', async () => {
    const studio = await createCategory(server, admin, { name: 'Xylophone Studio' });
    await post(
      { title: 'Xylophone repair app', skills: ['Xylography'], description: 'Fix keys.' },
      studio.id,
    );
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9]) await post({ title: `Xylophone lesson ${n}` });

    const suggest = async (q: string) => {
      const answer = await api.get<{ suggestions: Suggestion[] }>(
        `/search/autocomplete?q=${encodeURIComponent(q)}`,
        { token: freelancer.token },
      );
      expect(answer.status, q).toBe(200);
      return answer.body.suggestions;
    };
    const xylo = await suggest('xylo');
    expect(xylo).toHaveLength(8);
    expect(xylo.slice(0, 2)).toEqual([
      { kind: 'category', id: studio.id, text: 'Xylophone Studio' },
      { kind: 'skill', id: expect.any(String) as string, text: 'Xylography' },
    ]);
    expect(xylo.slice(2).every((s) => s.kind === 'project' && s.text.startsWith('Xylophone'))).toBe(
      true,
    );
    expect((await suggest('Xylophone rep')).filter((s) => s.kind === 'project')).toEqual([
      { kind: 'project', id: expect.any(String) as string, text: 'Xylophone repair app' },
    ]);
    expect((await suggest('stud')).map((s) => s.text)).toContain('Xylophone Studio');
    expect(await suggest('"*:&|!')).toEqual([]);
    expect(await suggest('%')).toEqual([]);

    for (const query of ['', 'q=', `q=${'x'.repeat(101)}`, 'q=abc&extra=1']) {
      const answer = await api.get<Problem>(`/search/autocomplete?${query}`, {
        token: freelancer.token,
      });
      expect(answer.status, query).toBe(422);
    }
  });

  it('caps limits and refuses bad filters with 422', async () => {
    const other = await search({ sort: 'newest', limit: 1 });
    expect(other.nextCursor).not.toBeNull();
    expect((await search({ limit: 100 })).items.length).toBeLessThanOrEqual(100);
    for (const [query, pointer] of [
      ['limit=101', '/limit'],
      ['limit=0', '/limit'],
      ['limit=2.5', '/limit'],
      ['cursor=bogus', '/cursor'],
      [`sort=budget&cursor=${other.nextCursor ?? ''}`, '/cursor'],
      ['categoryId=nope', '/categoryId'],
      ['categoryId=00000000-0000-4000-8000-000000000000', '/categoryId'],
      ['budgetMin=-1', '/budgetMin'],
      ['budgetMin=500&budgetMax=100', '/budgetMin'],
      ['type=weekly', '/type'],
      ['currency=XXY', '/currency'],
      ['postedSince=yesterday', '/postedSince'],
      ['sort=popular', '/sort'],
      [`q=${'x'.repeat(201)}`, '/q'],
      ['page=2', '/page'],
    ]) {
      const answer = await api.get<Problem>(`/search/projects?${query}`, {
        token: freelancer.token,
      });
      expect(answer.status, query).toBe(422);
      expect(
        answer.body.errors?.map((e) => e.pointer),
        query,
      ).toEqual([pointer]);
    }
    expect((await api.get('/search/projects?q=x')).status).toBe(401);
    expect((await api.get('/search/autocomplete?q=x')).status).toBe(401);
  });

  it('backfills search documents for projects that exist before the index', async () => {
    const project = await post({
      title: 'Ocarina fingering chart',
      description: '<p>Holes &amp; <em>notes</em></p>',
      skills: ['Woodwind'],
      tags: ['Printable'],
    });
    const before = await server.db.kysely.selectFrom('project_search_docs').selectAll().execute();
    await server.db.kysely.deleteFrom('project_search_docs').execute();
    expect(await idsOf({ q: 'ocarina' })).toEqual([]);
    await backfillSearchDocuments(server.db.kysely);
    const after = await server.db.kysely.selectFrom('project_search_docs').selectAll().execute();
    const byId = (rows: typeof before) =>
      [...rows].sort((a, b) => a.project_id.localeCompare(b.project_id));
    expect(byId(after)).toEqual(byId(before));
    expect(after.find((doc) => doc.project_id === project.id)).toMatchObject({
      title: 'Ocarina fingering chart',
      body: 'Holes & notes',
      skills: 'Woodwind',
      tags: 'Printable',
    });
    for (const q of ['ocarina', 'holes', 'woodwind', 'printable']) {
      expect(await idsOf({ q }), q).toEqual([project.id]);
    }
  });
});

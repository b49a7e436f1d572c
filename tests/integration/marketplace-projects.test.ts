import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import type { Project, ProjectPage } from '../../shared/marketplace/projects.ts';
import type { Category } from '../../shared/marketplace/taxonomy.ts';
import type { client } from '../support/http.ts';
import {
  createCategory,
  marketplaceSnapshot,
  marketplaceWorld,
  projectInput,
  signUpAs,
  type Member,
} from '../support/marketplace-fixtures.ts';
import type { Dialect, TestServer } from '../support/test-server.ts';

/** A project when the move was allowed, a problem when not. */
type StatusAnswer = Omit<Project, 'status'> & Omit<Problem, 'status'> & { status: string };

describe.each(['sqlite', 'postgres'] as Dialect[])('marketplace projects on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  let admin: Member;
  let owner: Member;
  let otherClient: Member;
  let freelancer: Member;
  let category: Category;

  beforeAll(async () => {
    ({ server, api, admin, owner, otherClient, freelancer, category } = await marketplaceWorld(
      dialect,
      { owner: 'client', otherClient: 'client', freelancer: 'freelancer' },
    ));
  });
  afterAll(() => server?.close());

  async function post(fields: Record<string, unknown> = {}, who: Member = owner) {
    const answer = await api.post<Project>('/projects', {
      token: who.token,
      json: projectInput(category.id, fields),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  }
  const setStatus = (id: string, to: string, who: Member = owner) =>
    api.post<StatusAnswer>(`/projects/${id}/status`, { token: who.token, json: { to } });
  const auditOf = async (projectId: string) =>
    (
      await server.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('action', 'like', 'project.%')
        .orderBy('id')
        .execute()
    )
      .filter((row) => row.details?.includes(projectId))
      .map((row) => row.action);

  it('posts a draft with sanitised rich text, split skills and tags, and audits it', async () => {
    const project = await post({
      title: '  Desktop time tracker  ',
      description:
        '<p>Hello <strong>team</strong> <a href="https://example.com" onclick="steal()">spec</a></p>' +
        '<script>alert("x")</script><img src="x" onerror="alert(1)">' +
        '<a href="javascript:alert(1)">bad link</a><ul><li>one</li></ul>',
      skills: ' TypeScript, react ,React,  , Brand-new Skill ',
      tags: ['Urgent', 'urgent', 'Remote'],
      deadline: '2099-12-31',
    });
    expect(project).toMatchObject({
      title: 'Desktop time tracker',
      client: { id: owner.id, name: owner.name },
      status: 'draft',
      visibility: 'public',
      publishedAt: null,
      viewCount: 0,
      deadline: '2099-12-31',
      category: { id: category.id, slug: category.slug, name: 'Software' },
      budget: {
        type: 'fixed',
        min: { amountMinor: 100_000, currency: 'EUR' },
        max: { amountMinor: 250_000, currency: 'EUR' },
      },
    });
    const html = project.descriptionHtml;
    expect(html).not.toMatch(/script|onerror|onclick|javascript:|<img/i);
    expect(html).toContain('<strong>team</strong>');
    expect(html).toContain('<ul><li>one</li></ul>');
    expect(html).toContain('href="https://example.com"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    expect(project.skills.map((s) => s.slug).sort()).toEqual([
      'brand-new-skill',
      'react',
      'typescript',
    ]);
    expect(project.tags.map((t) => t.name).sort()).toEqual(['Remote', 'Urgent']);
    const created = await server.db.kysely
      .selectFrom('skills')
      .select('name')
      .where('slug', '=', 'brand-new-skill')
      .executeTakeFirst();
    expect(created?.name).toBe('Brand-new Skill');
    expect(await auditOf(project.id)).toEqual(['project.created']);

    // Plain text is escaped, never interpreted.
    const plain = await post({ description: 'Budget < 5k & "fast"\nsecond line\n\nNext' });
    expect(plain.descriptionHtml).toBe(
      '<p>Budget &lt; 5k &amp; &quot;fast&quot;<br>second line</p><p>Next</p>',
    );
    const published = await post({ publish: true, skills: [] });
    expect(published.status).toBe('open');
    expect(published.publishedAt).not.toBeNull();
    expect(published.skills).toEqual([]);
  });

  it('lets only clients post projects', async () => {
    const before = await marketplaceSnapshot(server);
    for (const who of [freelancer, admin]) {
      const answer = await api.post<Problem>('/projects', {
        token: who.token,
        json: projectInput(category.id),
      });
      expect(answer.status).toBe(403);
      expect(answer.body.type).toBe(problemTypes.forbidden);
    }
    expect((await api.post('/projects', { json: projectInput(category.id) })).status).toBe(401);
    expect(await marketplaceSnapshot(server)).toEqual(before);
  });

  it('answers bad input with precise problems and changes nothing', async () => {
    const inactive = await createCategory(server, admin, { active: false });
    const money = (amountMinor: unknown, currency = 'EUR') => ({ amountMinor, currency });
    const budget = (min: unknown, max: unknown, type = 'fixed') => ({ type, min, max });
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ title: 5 }, ['/title']],
      [{ title: 'abc' }, ['/title']],
      [{ description: '<script>alert(1)</script>' }, ['/description']],
      [{ categoryId: 'software' }, ['/categoryId']],
      [{ categoryId: '00000000-0000-4000-8000-000000000000' }, ['/categoryId']],
      [{ categoryId: inactive.id }, ['/categoryId']],
      [{ budget: budget(money(300_000), money(200_000)) }, ['/budget/min/amountMinor']],
      [{ budget: budget(money(100), money(200, 'USD')) }, ['/budget/max/currency']],
      [{ budget: budget(money(10.5), money(200)) }, ['/budget/min/amountMinor']],
      [{ budget: budget(money('100'), money(200)) }, ['/budget/min/amountMinor']],
      [{ budget: budget(money(-1), money(200)) }, ['/budget/min/amountMinor']],
      [
        { budget: budget(money(100, 'EURO'), money(200, 'EURO')) },
        ['/budget/min/currency', '/budget/max/currency'],
      ],
      [{ budget: budget(money(100), money(200), 'weekly') }, ['/budget/type']],
      [{ skills: [1, 'TypeScript'] }, ['/skills/0']],
      [{ skills: 42 }, ['/skills']],
      [{ skills: Array.from({ length: 21 }, (_, n) => `Skill ${n}`).join(',') }, ['/skills']],
      [{ skills: ['***'] }, ['/skills/0']],
      [{ deadline: '31/12/2099' }, ['/deadline']],
      [{ deadline: '2001-01-01' }, ['/deadline']],
      [{ visibility: 'secret' }, ['/visibility']],
      [{ status: 'open' }, ['/status']],
    ];
    const before = await marketplaceSnapshot(server);
    for (const [fields, pointers] of cases) {
      const answer = await api.post<Problem>('/projects', {
        token: owner.token,
        json: projectInput(category.id, fields),
      });
      expect(answer.status, JSON.stringify(fields)).toBe(422);
      expect(answer.body.type).toBe(problemTypes.validation);
      expect(
        answer.body.errors?.map((e) => e.pointer),
        JSON.stringify(fields),
      ).toEqual(pointers);
    }
    expect(await marketplaceSnapshot(server)).toEqual(before);
  });

  it('shows drafts and invite-only projects to their owner only, counting views once per viewer', async () => {
    const draft = await post();
    const invite = await post({ publish: true, visibility: 'invite' });
    const open = await post({ publish: true });
    for (const hidden of [draft, invite]) {
      for (const who of [freelancer, otherClient]) {
        const answer = await api.get<Problem>(`/projects/${hidden.id}`, { token: who.token });
        expect(answer.status).toBe(404);
      }
      expect((await api.get(`/projects/${hidden.id}`, { token: owner.token })).status).toBe(200);
    }
    const unknown = await api.get<Problem>('/projects/00000000-0000-4000-8000-000000000000', {
      token: freelancer.token,
    });
    expect(unknown.status).toBe(404);
    expect((await api.get(`/projects/${open.id}`)).status).toBe(401);

    for (const who of [owner, owner, freelancer, freelancer, otherClient, freelancer]) {
      const answer = await api.get<Project>(`/projects/${open.id}`, { token: who.token });
      expect(answer.status).toBe(200);
    }
    const seen = await api.get<Project>(`/projects/${open.id}`, { token: owner.token });
    expect(seen.body.viewCount).toBe(2);
    expect(seen.body.skills.map((s) => s.name)).toEqual(['TypeScript']);
    // Concurrent first views by one person still count once.
    const late = await signUpAs(server, 'freelancer');
    await Promise.all(
      [1, 2, 3, 4].map(() => api.get(`/projects/${open.id}`, { token: late.token })),
    );
    expect(
      (await api.get<Project>(`/projects/${open.id}`, { token: owner.token })).body.viewCount,
    ).toBe(3);
    expect(
      (await api.get<Project>(`/projects/${draft.id}`, { token: owner.token })).body.viewCount,
    ).toBe(0);
  });

  it('lets only the owner edit, and only while draft or open', async () => {
    const project = await post({ publish: true, tags: 'Old' });
    const before = await marketplaceSnapshot(server);
    for (const who of [otherClient, freelancer, admin]) {
      const answer = await api.patch<Problem>(`/projects/${project.id}`, {
        token: who.token,
        json: { title: 'Taken over' },
      });
      expect(answer.status).toBe(403);
      expect(answer.body.type).toBe(problemTypes.forbidden);
      expect((await setStatus(project.id, 'cancelled', who)).status).toBe(403);
    }
    const bad = await api.patch<Problem>(`/projects/${project.id}`, {
      token: owner.token,
      json: {
        budget: {
          type: 'hourly',
          min: { amountMinor: 5_000, currency: 'EUR' },
          max: { amountMinor: 4_000, currency: 'EUR' },
        },
        status: 'completed',
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.map((e) => e.pointer).sort()).toEqual([
      '/budget/min/amountMinor',
      '/status',
    ]);
    expect(await marketplaceSnapshot(server)).toEqual(before);

    const edited = await api.patch<Project>(`/projects/${project.id}`, {
      token: owner.token,
      json: {
        title: 'Edited title',
        description: '<em>new</em> text<iframe src="https://evil.example"></iframe>',
        skills: 'Rust, Go',
        tags: [],
        budget: {
          type: 'hourly',
          min: { amountMinor: 4_000, currency: 'GBP' },
          max: { amountMinor: 6_000, currency: 'GBP' },
        },
        deadline: null,
      },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      title: 'Edited title',
      descriptionHtml: '<em>new</em> text',
      tags: [],
      deadline: null,
      status: 'open',
      budget: { type: 'hourly', min: { amountMinor: 4_000, currency: 'GBP' } },
      // A changed project answers as fully as a read one: the page shows it as it is.
      proposalCount: 0,
      favorited: false,
    });
    expect(edited.body.skills.map((s) => s.slug)).toEqual(['go', 'rust']);

    const moved = await setStatus(project.id, 'in_progress');
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'in_progress', proposalCount: 0, favorited: false });
    const late = await api.patch<Problem>(`/projects/${project.id}`, {
      token: owner.token,
      json: { title: 'Too late now' },
    });
    expect(late.status).toBe(409);
    expect(late.body.type).toBe(problemTypes.conflict);
    expect(await auditOf(project.id)).toEqual([
      'project.created',
      'project.updated',
      'project.status_changed',
    ]);
  });

  it('enforces the lifecycle, answering 409 with the allowed statuses', async () => {
    const project = await post();
    const before = await marketplaceSnapshot(server);
    const skip = await setStatus(project.id, 'completed');
    expect(skip.status).toBe(409);
    expect(skip.contentType).toContain('application/problem+json');
    expect(skip.body).toMatchObject({
      type: problemTypes.invalidTransition,
      allowed: ['open', 'cancelled'],
      detail: 'A draft project can become open or cancelled, not completed.',
    });
    expect((await setStatus(project.id, 'draft')).body.allowed).toEqual(['open', 'cancelled']);
    const unknown = await setStatus(project.id, 'archived');
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors?.map((e) => e.pointer)).toEqual(['/to']);
    expect(await marketplaceSnapshot(server)).toEqual(before);

    const opened = await setStatus(project.id, 'open');
    expect(opened.status).toBe(200);
    expect(opened.body.publishedAt).not.toBeNull();
    expect((await setStatus(project.id, 'completed')).body.allowed).toEqual([
      'in_progress',
      'cancelled',
    ]);
    expect((await setStatus(project.id, 'in_progress')).body.status).toBe('in_progress');
    expect((await setStatus(project.id, 'open')).body.allowed).toEqual(['completed', 'cancelled']);
    expect((await setStatus(project.id, 'completed')).body.status).toBe('completed');
    for (const to of ['open', 'cancelled', 'in_progress']) {
      const final = await setStatus(project.id, to);
      expect(final.status).toBe(409);
      expect(final.body.allowed).toEqual([]);
      expect(final.body.detail).toContain('final');
    }

    // The same move sent twice at once: exactly one wins, the other hears 409.
    const raced = await post({ publish: true });
    const answers = await Promise.all([
      setStatus(raced.id, 'in_progress'),
      setStatus(raced.id, 'in_progress'),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(await auditOf(project.id)).toEqual([
      'project.created',
      'project.status_changed',
      'project.status_changed',
      'project.status_changed',
    ]);
  });

  it('lists open public projects newest first; cursors walk every one exactly once', async () => {
    const root = await createCategory(server, admin);
    const child = await createCategory(server, admin, { parentId: root.id });
    const elsewhere = await createCategory(server, admin);
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4, 5, 6, 7]) {
      const target = n % 2 === 0 ? child.id : root.id;
      const answer = await api.post<Project>('/projects', {
        token: owner.token,
        json: projectInput(target, { publish: true, title: `Listed project ${n}` }),
      });
      ids.push(answer.body.id);
    }
    await api.post('/projects', {
      token: owner.token,
      json: projectInput(elsewhere.id, { publish: true }),
    });
    await api.post('/projects', { token: owner.token, json: projectInput(child.id) });

    const walk = async (query: string, who: Member = freelancer) => {
      const seen: Project[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const path: string = `/projects?${query}${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await api.get<ProjectPage>(path, { token: who.token });
        expect(page.status).toBe(200);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 500);
      return seen;
    };

    const inRoot = await walk(`categoryId=${root.id}&limit=2`);
    expect(inRoot.map((p) => p.id)).toEqual([...ids].reverse());
    const inChild = await walk(`categoryId=${child.id}&limit=3`);
    expect(inChild.map((p) => p.title)).toEqual([
      'Listed project 6',
      'Listed project 4',
      'Listed project 2',
    ]);

    const everything = await walk('limit=3');
    const expected = await server.db.kysely
      .selectFrom('projects')
      .select('id')
      .where('status', '=', 'open')
      .where('visibility', '=', 'public')
      .execute();
    expect(everything.map((p) => p.id).sort()).toEqual(expected.map((p) => p.id).sort());
    expect(new Set(everything.map((p) => p.id)).size).toBe(everything.length);
    const times = everything.map((p) => p.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    const mine = await walk('mine=true&limit=100', owner);
    const owned = await server.db.kysely
      .selectFrom('projects')
      .select('status')
      .where('client_id', '=', owner.id)
      .execute();
    expect(mine).toHaveLength(owned.length);
    expect(new Set(mine.map((p) => p.status))).toContain('draft');
    expect(await walk('mine=true', otherClient)).toEqual([]);

    for (const [query, pointer] of [
      ['limit=101', '/limit'],
      ['limit=2.5', '/limit'],
      ['cursor=bogus', '/cursor'],
      ['categoryId=nope', '/categoryId'],
      ['categoryId=00000000-0000-4000-8000-000000000000', '/categoryId'],
      ['mine=yes', '/mine'],
    ]) {
      const answer = await api.get<Problem>(`/projects?${query}`, { token: freelancer.token });
      expect(answer.status, query).toBe(422);
      expect(answer.body.errors?.map((e) => e.pointer)).toEqual([pointer]);
    }
  });
});

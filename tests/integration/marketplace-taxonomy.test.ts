import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import type { Project } from '../../shared/marketplace/projects.ts';
import type { Category, CategoryNode, Skill, Tag } from '../../shared/marketplace/taxonomy.ts';
import type { client } from '../support/http.ts';
import {
  createCategory,
  marketplaceSnapshot,
  marketplaceWorld,
  projectInput,
  uniqueSlug,
  type Member,
} from '../support/marketplace-fixtures.ts';
import type { Dialect, TestServer } from '../support/test-server.ts';

type Page<T> = { items: T[]; nextCursor: string | null };

describe.each(['sqlite', 'postgres'] as Dialect[])('marketplace taxonomy on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  let admin: Member;
  let clientUser: Member;
  let freelancer: Member;

  beforeAll(async () => {
    ({ server, api, admin, clientUser, freelancer } = await marketplaceWorld(dialect, {
      clientUser: 'client',
      freelancer: 'freelancer',
    }));
  });
  afterAll(() => server?.close());

  const tree = async (who?: Member) =>
    (await api.get<{ categories: CategoryNode[] }>('/categories', { token: who?.token })).body
      .categories;
  const find = (nodes: CategoryNode[], id: string): CategoryNode | undefined => {
    for (const node of nodes) {
      if (node.id === id) return node;
      const below = find(node.children, id);
      if (below) return below;
    }
    return undefined;
  };

  it('lets only administrators manage the taxonomy, answering 403 and changing nothing', async () => {
    const before = await marketplaceSnapshot(server);
    for (const who of [clientUser, freelancer]) {
      for (const [path, json] of [
        ['/categories', { slug: uniqueSlug('nope'), name: 'Nope' }],
        ['/skills', { name: 'Nope' }],
        ['/tags', { name: 'Nope' }],
      ] as const) {
        const answer = await api.post<Problem>(path, { token: who.token, json });
        expect(answer.status).toBe(403);
        expect(answer.body.type).toBe(problemTypes.forbidden);
      }
    }
    const anonymous = await api.post<Problem>('/categories', { json: { slug: 'x', name: 'X' } });
    expect(anonymous.status).toBe(401);
    expect(await marketplaceSnapshot(server)).toEqual(before);
  });

  it('builds a tree sorted by position then name, hiding inactive subtrees from non-admins', async () => {
    const root = await createCategory(server, admin, { name: 'Root', icon: 'code' });
    const beta = await createCategory(server, admin, { name: 'Beta', parentId: root.id });
    const alpha = await createCategory(server, admin, { name: 'Alpha', parentId: root.id });
    const first = await createCategory(server, admin, {
      name: 'Zulu',
      parentId: root.id,
      position: 0,
    });
    await api.patch(`/categories/${alpha.id}`, { token: admin.token, json: { position: 5 } });
    await api.patch(`/categories/${beta.id}`, { token: admin.token, json: { position: 5 } });
    const hidden = await createCategory(server, admin, {
      name: 'Hidden',
      parentId: root.id,
      active: false,
    });
    await createCategory(server, admin, { name: 'Under hidden', parentId: hidden.id });

    const publicRoot = find(await tree(), root.id);
    expect(publicRoot).toMatchObject({ name: 'Root', icon: 'code', active: true, parentId: null });
    expect(publicRoot?.children.map((c) => c.name)).toEqual(['Zulu', 'Alpha', 'Beta']);
    expect(find(await tree(freelancer), hidden.id)).toBeUndefined();
    const adminRoot = find(await tree(admin), root.id);
    expect(adminRoot?.children.map((c) => c.name)).toEqual(['Hidden', 'Zulu', 'Alpha', 'Beta']);
    expect(adminRoot?.children[0]?.children.map((c) => c.name)).toEqual(['Under hidden']);
    expect(first.position).toBe(0);
  });

  it('refuses bad slugs, unknown parents, taken slugs and cycles precisely, changing nothing', async () => {
    const root = await createCategory(server, admin);
    const child = await createCategory(server, admin, { parentId: root.id });
    const grandchild = await createCategory(server, admin, { parentId: child.id });
    const before = await marketplaceSnapshot(server);

    const cases: Array<[string, 'post' | 'patch', unknown, number, string]> = [
      ['/categories', 'post', { slug: 'Not A Slug', name: 'X' }, 422, '/slug'],
      ['/categories', 'post', { slug: 'double--hyphen', name: 'X' }, 422, '/slug'],
      ['/categories', 'post', { slug: uniqueSlug('x'), name: '' }, 422, '/name'],
      [
        '/categories',
        'post',
        { slug: uniqueSlug('x'), name: 'X', parentId: '00000000-0000-4000-8000-000000000000' },
        422,
        '/parentId',
      ],
      ['/categories', 'post', { slug: root.slug, name: 'Copy' }, 409, '/slug'],
      ['/categories', 'post', { slug: uniqueSlug('x'), name: 'X', colour: 'red' }, 422, '/colour'],
      [`/categories/${root.id}`, 'patch', { parentId: grandchild.id }, 422, '/parentId'],
      [`/categories/${root.id}`, 'patch', { parentId: root.id }, 422, '/parentId'],
      [`/categories/${grandchild.id}`, 'patch', { slug: root.slug }, 409, '/slug'],
      [`/categories/${child.id}`, 'patch', { position: 1.5 }, 422, '/position'],
      ['/skills', 'post', { name: '***' }, 422, '/name'],
    ];
    for (const [path, method, json, status, pointer] of cases) {
      const answer = await api[method]<Problem>(path, { token: admin.token, json });
      expect(answer.status, `${method} ${path} ${JSON.stringify(json)}`).toBe(status);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body.errors?.map((e) => e.pointer)).toEqual([pointer]);
    }
    const missing = await api.patch<Problem>('/categories/00000000-0000-4000-8000-000000000000', {
      token: admin.token,
      json: { name: 'Ghost' },
    });
    expect(missing.status).toBe(404);
    expect(await marketplaceSnapshot(server)).toEqual(before);

    // A legal move is fine: the grandchild becomes a root of its own.
    const moved = await api.patch<Category>(`/categories/${grandchild.id}`, {
      token: admin.token,
      json: { parentId: null, name: 'Moved' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ parentId: null, name: 'Moved' });
    const audit = await server.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('user_id', '=', admin.id)
      .where('action', 'like', 'category.%')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(4);
  });

  it('counts open public projects per category including its whole subtree', async () => {
    const root = await createCategory(server, admin);
    const child = await createCategory(server, admin, { parentId: root.id });
    const grandchild = await createCategory(server, admin, { parentId: child.id });
    const sibling = await createCategory(server, admin, { parentId: root.id });
    const post = async (categoryId: string, fields: Record<string, unknown> = {}) => {
      const answer = await api.post<Project>('/projects', {
        token: clientUser.token,
        json: projectInput(categoryId, { publish: true, ...fields }),
      });
      expect(answer.status).toBe(201);
      return answer.body;
    };
    await post(root.id);
    await post(child.id);
    await post(grandchild.id);
    await post(grandchild.id);
    await post(sibling.id);
    // Not counted: a draft, an invite-only project, a project that is under way.
    await post(grandchild.id, { publish: false });
    await post(child.id, { visibility: 'invite' });
    const started = await post(sibling.id);
    await api.post(`/projects/${started.id}/status`, {
      token: clientUser.token,
      json: { to: 'in_progress' },
    });

    const nodes = await tree(freelancer);
    expect(find(nodes, grandchild.id)?.projectCount).toBe(2);
    expect(find(nodes, child.id)?.projectCount).toBe(3);
    expect(find(nodes, sibling.id)?.projectCount).toBe(1);
    expect(find(nodes, root.id)?.projectCount).toBe(5);
  });

  it('pages skills by cursor, visiting each exactly once, and caps the page size', async () => {
    const prefix = uniqueSlug('zz');
    for (const n of [1, 2, 3, 4, 5, 6, 7]) {
      const answer = await api.post<Skill>('/skills', {
        token: admin.token,
        json: { name: `Skill ${n}`, slug: `${prefix}-${n}` },
      });
      expect(answer.status).toBe(201);
    }
    const all = await server.db.kysely
      .selectFrom('skills')
      .select('slug')
      .orderBy('slug')
      .execute();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/skills?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const answer = await api.get<Page<Skill>>(query);
      expect(answer.status).toBe(200);
      expect(answer.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...answer.body.items.map((s) => s.slug));
      cursor = answer.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    expect(seen).toEqual(all.map((row) => row.slug));

    for (const query of ['limit=101', 'limit=0', 'limit=ten']) {
      const answer = await api.get<Problem>(`/skills?${query}`);
      expect(answer.status).toBe(422);
      expect(answer.body.errors?.map((e) => e.pointer)).toEqual(['/limit']);
    }
    const taken = await api.post<Problem>('/skills', {
      token: admin.token,
      json: { name: 'Again', slug: `${prefix}-1` },
    });
    expect(taken.status).toBe(409);
  });

  it('lists tags with how many projects use each', async () => {
    const category = await createCategory(server, admin);
    const slugBase = uniqueSlug('tag');
    const unused = await api.post<Tag>('/tags', {
      token: admin.token,
      json: { name: 'Unused', slug: `${slugBase}-unused` },
    });
    expect(unused.body).toMatchObject({ name: 'Unused', usageCount: 0 });
    const name = `Urgent ${slugBase}`;
    for (const n of [1, 2]) {
      await api.post('/projects', {
        token: clientUser.token,
        json: projectInput(category.id, { tags: `${name}, Remote ${n}` }),
      });
    }
    const tags: Tag[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page<Tag> } = await api.get<Page<Tag>>(
        `/tags?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      tags.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const counts = Object.fromEntries(tags.map((tag) => [tag.name, tag.usageCount]));
    expect(counts[name]).toBe(2);
    expect(counts['Remote 1']).toBe(1);
    expect(counts.Unused).toBe(0);
  });
});

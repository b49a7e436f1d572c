import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes } from '../../shared/api/problem.ts';
import {
  MAX_PROJECT_ATTACHMENTS,
  type ProjectAttachment,
} from '../../shared/marketplace/attachments.ts';
import type { Project } from '../../shared/marketplace/projects.ts';
import type { Category } from '../../shared/marketplace/taxonomy.ts';
import { request, type client } from '../support/http.ts';
import {
  marketplaceSnapshot,
  marketplaceWorld,
  projectInput,
  type Answer,
  type Member,
} from '../support/marketplace-fixtures.ts';
import type { Dialect, TestServer } from '../support/test-server.ts';

let uploads = 0;

describe.each(['sqlite', 'postgres'] as Dialect[])('project attachments on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  let owner: Member;
  let otherClient: Member;
  let freelancer: Member;
  let category: Category;

  beforeAll(async () => {
    ({ server, api, owner, otherClient, freelancer, category } = await marketplaceWorld(dialect, {
      owner: 'client',
      otherClient: 'client',
      freelancer: 'freelancer',
    }));
  });
  afterAll(() => server?.close());

  const snapshot = () =>
    marketplaceSnapshot(server, {
      project_attachments: ['project_id', 'position'],
      audit_log: ['id'],
    });
  /** Real bytes through the blob endpoint; distinct content, so a distinct hash, each time. */
  async function upload(who: Member, type = 'application/pdf', text?: string) {
    uploads += 1;
    const answer = await request<{ hash: string; size: number; mimeType: string }>(
      server.baseUrl,
      'POST',
      '/blobs',
      {
        token: who.token,
        headers: { 'content-type': type },
        raw: text ?? `%PDF-1.7 brief number ${uploads} for ${dialect}`,
      },
    );
    expect(answer.status).toBe(201);
    return answer.body;
  }
  async function project(fields: Record<string, unknown> = {}) {
    const answer = await api.post<Project>('/projects', {
      token: owner.token,
      json: projectInput(category.id, { publish: true, ...fields }),
    });
    expect(answer.status).toBe(201);
    return answer.body;
  }
  const attach = (projectId: string, who: Member, json: unknown) =>
    api.post<Answer<ProjectAttachment>>(`/projects/${projectId}/attachments`, {
      token: who.token,
      json,
    });
  const detach = (projectId: string, hash: string, who: Member) =>
    api.delete<Answer<unknown>>(`/projects/${projectId}/attachments/${hash}`, {
      token: who.token,
    });
  const listed = async (projectId: string, who: Member) =>
    (
      await api.get<{ items: ProjectAttachment[] }>(`/projects/${projectId}/attachments`, {
        token: who.token,
      })
    ).body.items;
  const download = (hash: string, who: Member) =>
    request<string>(server.baseUrl, 'GET', `/blobs/${hash}`, { token: who.token });

  it('lets a project’s client attach files they uploaded, which its readers see and download', async () => {
    const open = await project();
    const blob = await upload(owner, 'application/pdf', 'the brief, in full');
    const added = await attach(open.id, owner, { hash: blob.hash, name: '  Brief.pdf ' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toEqual({
      hash: blob.hash,
      name: 'Brief.pdf',
      // The blob's own size and type, as recorded on upload.
      size: 'the brief, in full'.length,
      mimeType: 'application/pdf',
      position: 0,
      createdAt: expect.any(String) as string,
    });
    const second = await attach(open.id, owner, {
      hash: (await upload(owner, 'image/png')).hash,
      name: 'Mockup.png',
    });
    expect(second.body.position).toBe(1);

    // Readers see the files in the project and in its list, and can fetch the bytes.
    const seen = await api.get<Project>(`/projects/${open.id}`, { token: freelancer.token });
    expect(seen.body.attachments?.map((a) => a.name)).toEqual(['Brief.pdf', 'Mockup.png']);
    expect((await listed(open.id, freelancer)).map((a) => a.hash)).toEqual([
      blob.hash,
      second.body.hash,
    ]);
    const bytes = await download(blob.hash, freelancer);
    expect(bytes.status).toBe(200);
    expect(bytes.body).toBe('the brief, in full');
    expect(bytes.headers.get('content-type')).toContain('application/pdf');

    // A draft's files stay with its client.
    const draft = await project({ publish: false });
    const secret = await upload(owner);
    expect((await attach(draft.id, owner, { hash: secret.hash, name: 'Plan.pdf' })).status).toBe(
      201,
    );
    expect((await download(secret.hash, owner)).status).toBe(200);
    expect((await download(secret.hash, freelancer)).status).toBe(404);
    expect(
      (await api.get(`/projects/${draft.id}/attachments`, { token: freelancer.token })).status,
    ).toBe(404);

    // Once removed from the project, the bytes are no longer the readers'.
    expect((await detach(open.id, blob.hash, owner)).status).toBe(204);
    expect((await download(blob.hash, freelancer)).status).toBe(404);
    expect((await download(blob.hash, owner)).status).toBe(200);
    const actions = await server.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('details', 'like', `%${blob.hash}%`)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'project.attachment_added',
      'project.attachment_removed',
    ]);
  });

  it('keeps positions in order when files come and go', async () => {
    const open = await project();
    const [a, b, c, d] = [
      await upload(owner),
      await upload(owner),
      await upload(owner),
      await upload(owner),
    ];
    for (const blob of [a, b, c]) {
      expect((await attach(open.id, owner, { hash: blob.hash, name: 'file.txt' })).status).toBe(
        201,
      );
    }
    expect((await detach(open.id, b.hash, owner)).status).toBe(204);
    expect((await attach(open.id, owner, { hash: d.hash, name: 'file.txt' })).status).toBe(201);
    expect((await listed(open.id, owner)).map((x) => [x.hash, x.position])).toEqual([
      [a.hash, 0],
      [c.hash, 2],
      [d.hash, 3],
    ]);
  });

  it('refuses everything else and changes nothing', async () => {
    const open = await project();
    const mine = await upload(owner);
    const theirs = await upload(freelancer);
    expect((await attach(open.id, owner, { hash: mine.hash, name: 'Spec.pdf' })).status).toBe(201);
    const otherDraft = await api.post<Project>('/projects', {
      token: otherClient.token,
      json: projectInput(category.id),
    });
    const cancelled = await project();
    await api.post(`/projects/${cancelled.id}/status`, {
      token: owner.token,
      json: { to: 'cancelled' },
    });
    const fresh = await upload(owner);

    const before = await snapshot();
    const cases: Array<[string, Member, unknown, number, string[] | string]> = [
      // Who may not
      [open.id, freelancer, { hash: theirs.hash, name: 'x.pdf' }, 403, problemTypes.forbidden],
      [open.id, otherClient, { hash: fresh.hash, name: 'x.pdf' }, 403, problemTypes.forbidden],
      [otherDraft.body.id, owner, { hash: fresh.hash, name: 'x.pdf' }, 404, problemTypes.notFound],
      [cancelled.id, owner, { hash: fresh.hash, name: 'x.pdf' }, 409, problemTypes.conflict],
      // What may not
      [open.id, owner, { hash: theirs.hash, name: 'x.pdf' }, 422, ['/hash']],
      [open.id, owner, { hash: 'f'.repeat(64), name: 'x.pdf' }, 422, ['/hash']],
      [open.id, owner, { hash: 'not-a-hash', name: 'x.pdf' }, 422, ['/hash']],
      [open.id, owner, { hash: fresh.hash, name: '   ' }, 422, ['/name']],
      [open.id, owner, { hash: fresh.hash, name: 'a'.repeat(256) }, 422, ['/name']],
      [open.id, owner, { hash: fresh.hash, name: 'new\nline.pdf' }, 422, ['/name']],
      [open.id, owner, { hash: fresh.hash }, 422, ['/name']],
      [open.id, owner, { hash: mine.hash, name: 'Again.pdf' }, 409, problemTypes.conflict],
    ];
    for (const [projectId, who, json, status, expected] of cases) {
      const answer = await attach(projectId, who, json);
      expect(answer.status, JSON.stringify(json)).toBe(status);
      if (Array.isArray(expected)) {
        expect(answer.body.errors?.map((e) => e.pointer)).toEqual(expected);
      } else {
        expect(answer.body.type).toBe(expected);
      }
    }
    // Sizes and types are the server's to know, not the caller's to claim.
    const claimed = await attach(open.id, owner, {
      hash: fresh.hash,
      name: 'x.pdf',
      size: 1,
      mimeType: 'text/plain',
    });
    expect(claimed.status).toBe(422);
    expect(
      (
        await api.post(`/projects/${open.id}/attachments`, {
          json: { hash: fresh.hash, name: 'x' },
        })
      ).status,
    ).toBe(401);
    for (const [who, status] of [
      [freelancer, 403],
      [otherClient, 403],
    ] as const) {
      expect((await detach(open.id, mine.hash, who)).status).toBe(status);
    }
    expect((await detach(open.id, fresh.hash, owner)).status).toBe(404);
    expect((await detach(open.id, 'nope', owner)).status).toBe(422);
    expect(await snapshot()).toEqual(before);
  });

  it(`holds at most ${MAX_PROJECT_ATTACHMENTS} files, even when additions race`, async () => {
    const open = await project();
    for (let n = 0; n < MAX_PROJECT_ATTACHMENTS - 1; n += 1) {
      const blob = await upload(owner);
      expect((await attach(open.id, owner, { hash: blob.hash, name: `f${n}` })).status).toBe(201);
    }
    const [x, y] = [await upload(owner), await upload(owner)];
    const raced = await Promise.all([
      attach(open.id, owner, { hash: x.hash, name: 'x' }),
      attach(open.id, owner, { hash: y.hash, name: 'y' }),
    ]);
    expect(raced.map((a) => a.status).sort()).toEqual([201, 409]);
    const before = await snapshot();
    const over = await attach(open.id, owner, { hash: (await upload(owner)).hash, name: 'z' });
    expect(over.status).toBe(409);
    expect(over.body.detail).toContain(`at most ${MAX_PROJECT_ATTACHMENTS}`);
    // (the upload itself is a blob, not a marketplace row: the snapshot is unchanged)
    expect(await snapshot()).toEqual(before);
    expect(await listed(open.id, owner)).toHaveLength(MAX_PROJECT_ATTACHMENTS);

    // Files of a project past editing stay, but no longer change.
    await api.post(`/projects/${open.id}/status`, {
      token: owner.token,
      json: { to: 'cancelled' },
    });
    const first = (await listed(open.id, owner))[0];
    expect((await detach(open.id, first?.hash ?? '', owner)).status).toBe(409);
    expect(await listed(open.id, freelancer)).toHaveLength(MAX_PROJECT_ATTACHMENTS);
  });
});

import { randomUUID } from 'node:crypto';
import { firstValueFrom, filter } from 'rxjs';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes } from '../../shared/api/problem.ts';
import {
  MAX_WATCHED_PROJECTS,
  type ProjectProposalsEvent,
  type UnwatchAck,
  type WatchAck,
} from '../../shared/marketplace/project-watch.ts';
import type { Project } from '../../shared/marketplace/projects.ts';
import type { Proposal } from '../../shared/marketplace/proposals.ts';
import type { Category } from '../../shared/marketplace/taxonomy.ts';
import { liveEvents } from '../../shared/sync/protocol.ts';
import { connectLive } from '../../src-renderer/sync/live-connection.ts';
import type { client } from '../support/http.ts';
import {
  marketplaceSnapshot,
  marketplaceWorld,
  projectInput,
  type Member,
} from '../support/marketplace-fixtures.ts';
import type { Dialect, TestServer } from '../support/test-server.ts';

/** A connected socket and every `project:proposals` event it has heard, in order. */
type Watcher = { socket: Socket; heard: ProjectProposalsEvent[] };

const bid = {
  coverLetter: 'I have built three time trackers.',
  bid: { type: 'fixed', amount: { amountMinor: 200_000, currency: 'EUR' } },
  durationDays: 30,
};

describe.each(['sqlite', 'postgres'] as Dialect[])('live proposal count on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  let admin: Member;
  let owner: Member;
  let f1: Member;
  let f2: Member;
  let f3: Member;
  let category: Category;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    ({ server, api, admin, owner, f1, f2, f3, category } = await marketplaceWorld(dialect, {
      owner: 'client',
      f1: 'freelancer',
      f2: 'freelancer',
      f3: 'freelancer',
    }));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
  });

  async function connect(who: Member): Promise<Watcher> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = io(server.baseUrl, {
        auth: { token: who.token },
        transports: ['websocket'],
        reconnection: false,
      });
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
    sockets.push(socket);
    const heard: ProjectProposalsEvent[] = [];
    socket.on(liveEvents.projectProposals, (event: ProjectProposalsEvent) => heard.push(event));
    return { socket, heard };
  }
  const watch = (w: Watcher, projectId: unknown) =>
    w.socket
      .timeout(5_000)
      .emitWithAck(liveEvents.projectWatch, { projectId }) as Promise<WatchAck>;
  const unwatch = (w: Watcher, projectId: string) =>
    w.socket
      .timeout(5_000)
      .emitWithAck(liveEvents.projectUnwatch, { projectId }) as Promise<UnwatchAck>;
  /** Resolves once `w` has heard `n` events in all. */
  const hearing = (w: Watcher, n: number) =>
    expect.poll(() => w.heard.length, { timeout: 5_000, interval: 10 }).toBeGreaterThanOrEqual(n);
  const countsOf = (w: Watcher, projectId: string) =>
    w.heard.filter((e) => e.projectId === projectId).map((e) => e.proposalCount);

  async function project(fields: Record<string, unknown> = {}): Promise<Project> {
    const answer = await api.post<Project>('/projects', {
      token: owner.token,
      json: projectInput(category.id, { publish: true, ...fields }),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  }
  async function propose(projectId: string, who: Member): Promise<Proposal> {
    const answer = await api.post<Proposal>(`/projects/${projectId}/proposals`, {
      token: who.token,
      json: bid,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  }
  async function act(proposalId: string, action: string, who: Member) {
    const answer = await api.post(`/proposals/${proposalId}/${action}`, { token: who.token });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }
  const httpCount = async (projectId: string) =>
    (await api.get<Project>(`/projects/${projectId}`, { token: owner.token })).body.proposalCount;
  /**
   * A change `w` does watch: once `w` hears it, anything emitted to `w` before it has arrived
   * too (one socket's events keep their order), so silence up to here is real silence.
   */
  async function sentinel(w: Watcher) {
    const marker = await project({ title: 'A sentinel project' });
    expect(await watch(w, marker.id)).toMatchObject({ ok: true });
    const before = w.heard.length;
    await propose(marker.id, f3);
    await hearing(w, before + 1);
    expect(w.heard.at(-1)).toEqual({ projectId: marker.id, proposalCount: 1 });
    expect(await unwatch(w, marker.id)).toEqual({ ok: true, projectId: marker.id });
  }

  it('tells watchers the count when a proposal is sent or withdrawn, and only then', async () => {
    const open = await project();
    const other = await project({ title: 'Another project entirely' });
    const client = await connect(owner);
    const freelancer = await connect(f2);
    const administrator = await connect(admin);
    for (const w of [client, freelancer, administrator]) {
      expect(await watch(w, open.id)).toEqual({ ok: true, projectId: open.id, proposalCount: 0 });
    }
    // Watching again is harmless and answers the count again.
    expect(await watch(freelancer, open.id)).toEqual({
      ok: true,
      projectId: open.id,
      proposalCount: 0,
    });

    const first = await propose(open.id, f1);
    await hearing(client, 1);
    await propose(other.id, f1); // not watched: nobody here hears of it
    const second = await propose(open.id, f2);
    await hearing(client, 2);
    // The client's decisions do not change the count: rejected proposals still count.
    await act(second.id, 'shortlist', owner);
    await act(second.id, 'reject', owner);
    await act(first.id, 'withdraw', f1);
    for (const w of [client, freelancer, administrator]) {
      await hearing(w, 3);
      expect(w.heard).toEqual([
        { projectId: open.id, proposalCount: 1 },
        { projectId: open.id, proposalCount: 2 },
        { projectId: open.id, proposalCount: 1 },
      ]);
    }
    // The same count every project answer carries.
    expect(await httpCount(open.id)).toBe(1);
    await sentinel(client);
    expect(countsOf(client, open.id)).toEqual([1, 2, 1]);
    expect(countsOf(client, other.id)).toEqual([]);

    // A new watch starts from the count as it is now.
    const late = await connect(f3);
    expect(await watch(late, open.id)).toEqual({ ok: true, projectId: open.id, proposalCount: 1 });
  });

  it('refuses to watch what the user may not see, and they hear nothing of it', async () => {
    // An invite-only project with a proposal, sent while it was still public.
    const invite = await project({ title: 'Soon invite only' });
    const sent = await propose(invite.id, f2);
    const hidden = await api.patch<Project>(`/projects/${invite.id}`, {
      token: owner.token,
      json: { visibility: 'invite' },
    });
    expect(hidden.status).toBe(200);
    const draft = await project({ title: 'A draft for now', publish: false });

    const outsider = await connect(f1);
    const before = {
      ...(await marketplaceSnapshot(server)),
      audit: await server.db.kysely.selectFrom('audit_log').select('id').execute(),
    };
    for (const projectId of [invite.id, draft.id, randomUUID()]) {
      const refused = await watch(outsider, projectId);
      expect(refused).toMatchObject({ ok: false, type: problemTypes.notFound });
    }
    expect(await watch(outsider, 'not-a-project-id')).toMatchObject({
      ok: false,
      type: problemTypes.validation,
    });
    expect(await watch(outsider, undefined)).toMatchObject({
      ok: false,
      type: problemTypes.validation,
    });
    // A watch asked without an acknowledgement is refused all the same (and does not crash).
    outsider.socket.emit(liveEvents.projectWatch, { projectId: invite.id });
    // Refusals change nothing: no view counted, nothing written.
    expect({
      ...(await marketplaceSnapshot(server)),
      audit: await server.db.kysely.selectFrom('audit_log').select('id').execute(),
    }).toEqual(before);

    // Its client and administrators may watch it, the draft too.
    const client = await connect(owner);
    const administrator = await connect(admin);
    for (const w of [client, administrator]) {
      expect(await watch(w, invite.id)).toEqual({
        ok: true,
        projectId: invite.id,
        proposalCount: 1,
      });
    }
    expect(await watch(client, draft.id)).toEqual({
      ok: true,
      projectId: draft.id,
      proposalCount: 0,
    });

    await act(sent.id, 'withdraw', f2);
    for (const w of [client, administrator]) {
      await hearing(w, 1);
      expect(w.heard).toEqual([{ projectId: invite.id, proposalCount: 0 }]);
    }
    await sentinel(outsider);
    expect(countsOf(outsider, invite.id)).toEqual([]);
  });

  it('stops telling a watcher whose project stopped being visible to them', async () => {
    const open = await project({ title: 'Public for a while' });
    const sent = await propose(open.id, f2);
    const watcher = await connect(f1);
    const client = await connect(owner);
    for (const w of [watcher, client]) {
      expect(await watch(w, open.id)).toMatchObject({ ok: true, proposalCount: 1 });
    }
    const hidden = await api.patch(`/projects/${open.id}`, {
      token: owner.token,
      json: { visibility: 'invite' },
    });
    expect(hidden.status).toBe(200);
    await act(sent.id, 'withdraw', f2);
    await hearing(client, 1);
    expect(client.heard).toEqual([{ projectId: open.id, proposalCount: 0 }]);
    await sentinel(watcher);
    expect(countsOf(watcher, open.id)).toEqual([]);
  });

  it(`caps a connection at ${MAX_WATCHED_PROJECTS} watched projects`, async () => {
    const projects: Project[] = [];
    for (let n = 0; n <= MAX_WATCHED_PROJECTS; n += 1) {
      projects.push(await project({ title: `Project number ${n + 1}` }));
    }
    const ids = projects.map((p) => p.id);
    const extra = ids[MAX_WATCHED_PROJECTS] ?? '';
    const watcher = await connect(f1);
    // Refused watches hold no place.
    expect(await watch(watcher, randomUUID())).toMatchObject({ ok: false });

    // Asked all at once: the first MAX are in, the one over is refused.
    const answers = await Promise.all(ids.map((id) => watch(watcher, id)));
    expect(answers.slice(0, MAX_WATCHED_PROJECTS)).toEqual(
      ids
        .slice(0, MAX_WATCHED_PROJECTS)
        .map((id) => ({ ok: true, projectId: id, proposalCount: 0 })),
    );
    expect(answers[MAX_WATCHED_PROJECTS]).toEqual({
      ok: false,
      type: problemTypes.watchLimit,
      detail: `A connection watches at most ${MAX_WATCHED_PROJECTS} projects at once.`,
    });
    // Watching one already watched takes no new place; the refused one hears nothing.
    expect(await watch(watcher, ids[0])).toMatchObject({ ok: true });
    await propose(extra, f2);
    await propose(ids[1] ?? '', f2);
    await hearing(watcher, 1);
    expect(watcher.heard).toEqual([{ projectId: ids[1], proposalCount: 1 }]);

    // Another connection of the same user has places of its own.
    const second = await connect(f1);
    expect(await watch(second, extra)).toMatchObject({ ok: true, proposalCount: 1 });

    // Letting one go makes room.
    expect(await unwatch(watcher, ids[0] ?? '')).toEqual({ ok: true, projectId: ids[0] });
    expect(await watch(watcher, extra)).toEqual({ ok: true, projectId: extra, proposalCount: 1 });
    expect(await watch(watcher, ids[0])).toMatchObject({
      ok: false,
      type: problemTypes.watchLimit,
    });
  });

  it('stops the events once unwatched, on that connection only', async () => {
    const open = await project({ title: 'Watched, then not' });
    const laptop = await connect(owner);
    const phone = await connect(owner);
    for (const w of [laptop, phone]) {
      expect(await watch(w, open.id)).toMatchObject({ ok: true, proposalCount: 0 });
    }
    await propose(open.id, f1);
    for (const w of [laptop, phone]) await hearing(w, 1);

    expect(await unwatch(laptop, open.id)).toEqual({ ok: true, projectId: open.id });
    // Unwatching what is not watched is fine too.
    expect(await unwatch(laptop, open.id)).toEqual({ ok: true, projectId: open.id });
    await propose(open.id, f2);
    await hearing(phone, 2);
    expect(countsOf(phone, open.id)).toEqual([1, 2]);
    await sentinel(laptop);
    expect(countsOf(laptop, open.id)).toEqual([1]);
  });

  it('the app watches while subscribed, again after a reconnect, and lets go after', async () => {
    const open = await project({ title: 'Followed from the app' });
    let raw: Socket | undefined;
    const heardByRaw: ProjectProposalsEvent[] = [];
    const connection = connectLive({
      serverUrl: server.baseUrl,
      getAccessToken: () => owner.token,
      refreshAccessToken: () => Promise.resolve(owner.token),
      // The real socket.io client, kept at hand to hear everything the server sends it.
      socketFactory: (url, options) => {
        raw = io(url, { ...options, transports: ['websocket'] });
        raw.on(liveEvents.projectProposals, (e: ProjectProposalsEvent) => heardByRaw.push(e));
        return raw;
      },
    });
    const online = (up: boolean) =>
      firstValueFrom(connection.connected$.pipe(filter((connected) => connected === up)));
    try {
      await online(true);
      const counts: number[] = [];
      const subscription = connection
        .watchProjectProposals(open.id)
        .subscribe((count) => counts.push(count));
      // The watch's answer first, then each change.
      await expect.poll(() => counts).toEqual([0]);
      // A second follower of the same project shares the watch: the last count at once, and
      // letting go of it keeps the watch of the first.
      const twin: number[] = [];
      connection
        .watchProjectProposals(open.id)
        .subscribe((count) => twin.push(count))
        .unsubscribe();
      expect(twin).toEqual([0]);
      await propose(open.id, f1);
      await expect.poll(() => counts).toEqual([0, 1]);

      // Away while a proposal arrives: back, the watch is asked again and answers the count.
      connection.setNetwork(false);
      await online(false);
      const missed = await propose(open.id, f2);
      connection.setNetwork(true);
      await online(true);
      await expect.poll(() => counts).toEqual([0, 1, 2]);
      await act(missed.id, 'withdraw', f2);
      await expect.poll(() => counts).toEqual([0, 1, 2, 1]);

      // Let go: the server stops sending (the socket itself hears nothing more of it).
      subscription.unsubscribe();
      await propose(open.id, f3);
      const marker = await project({ title: 'Followed next' });
      const next: number[] = [];
      const other = connection.watchProjectProposals(marker.id).subscribe((c) => next.push(c));
      await expect.poll(() => next).toEqual([0]);
      await propose(marker.id, f3);
      await expect.poll(() => next).toEqual([0, 1]);
      expect(counts).toEqual([0, 1, 2, 1]);
      expect(heardByRaw.filter((e) => e.projectId === open.id).map((e) => e.proposalCount)).toEqual(
        [1, 1],
      );
      other.unsubscribe();
    } finally {
      connection.close();
      raw?.close();
    }
  });
});

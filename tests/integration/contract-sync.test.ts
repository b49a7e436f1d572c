/**
 * Contracts and milestones as synced documents: accepting a proposal puts them on both
 * parties' devices through the real pull endpoints, every server-side change moves them to a
 * new sequence number and says so over socket.io, and no device may write them.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import type { Contract } from '../../shared/marketplace/contracts.ts';
import type { Project } from '../../shared/marketplace/projects.ts';
import type { Proposal } from '../../shared/marketplace/proposals.ts';
import type { WireDocument } from '../../shared/sync/documents.ts';
import type { Checkpoint, SyncCollection } from '../../shared/sync/protocol.ts';
import { contractSyncMigration } from '../../server/db/migrations/0008-contract-sync.ts';
import { client } from '../support/http.ts';
import {
  createCategory,
  projectInput,
  signUpAs,
  type Member,
} from '../support/marketplace-fixtures.ts';
import { startTestServer, type Dialect, type TestServer } from '../support/test-server.ts';

type Pulled<C extends SyncCollection> = {
  documents: WireDocument<C>[];
  checkpoint: Checkpoint | null;
};
type PushRows<C extends SyncCollection> = Array<{
  newDocumentState: WireDocument<C>;
  assumedMasterState?: WireDocument<C> | null;
}>;
type Changed = { collection: SyncCollection; seq: number };

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

describe.each(['sqlite', 'postgres'] as Dialect[])(
  'contracts and milestones sync on %s',
  (dialect) => {
    let server: TestServer;
    let api: ReturnType<typeof client>;
    let owner: Member;
    let freelancer: Member;
    let outsider: Member;
    let categoryId: string;
    const names = new Map<string, string>();

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      api = client(server.baseUrl);
      const admin = await signUpAs(server, 'admin');
      owner = await signUpAs(server, 'client');
      freelancer = await signUpAs(server, 'freelancer');
      outsider = await signUpAs(server, 'freelancer');
      categoryId = (await createCategory(server, admin, { name: 'Software' })).id;
      const users = await server.db.kysely.selectFrom('users').select(['id', 'name']).execute();
      for (const user of users) names.set(user.id, user.name);
    });
    afterAll(async () => {
      await server?.close();
    });

    const pull = <C extends SyncCollection>(collection: C, who: Member, checkpoint?: Checkpoint) =>
      api.get<Pulled<C>>(
        `/sync/${collection}/pull?limit=100${checkpoint ? `&checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}` : ''}`,
        { token: who.token },
      );
    const push = <C extends SyncCollection>(collection: C, who: Member, rows: PushRows<C>) =>
      api.post<WireDocument<C>[] | Problem>(`/sync/${collection}/push`, {
        token: who.token,
        json: rows,
      });
    const changeStatus = (contractId: string, to: string, who: Member) =>
      api.patch<Contract & Problem>(`/contracts/${contractId}/status`, {
        token: who.token,
        json: { to },
      });

    /** Everything a refused push or command could have touched. */
    async function snapshot() {
      const db = server.db.kysely;
      return {
        counters: await db.selectFrom('sync_counters').selectAll().orderBy('collection').execute(),
        contracts: await db.selectFrom('contracts').selectAll().orderBy('id').execute(),
        milestones: await db.selectFrom('milestones').selectAll().orderBy('id').execute(),
        audit: await db.selectFrom('audit_log').select('id').orderBy('id').execute(),
      };
    }

    /** A published project, a proposal on it, and its acceptance: the REST path to a contract. */
    async function contractFor(
      project: Record<string, unknown>,
      proposal: Record<string, unknown>,
      acceptance: Record<string, unknown> = {},
    ): Promise<Contract> {
      const posted = await api.post<Project>('/projects', {
        token: owner.token,
        json: projectInput(categoryId, { publish: true, ...project }),
      });
      expect(posted.status, JSON.stringify(posted.body)).toBe(201);
      const proposed = await api.post<Proposal>(`/projects/${posted.body.id}/proposals`, {
        token: freelancer.token,
        json: { coverLetter: 'I have built three of these.', durationDays: 30, ...proposal },
      });
      expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
      const accepted = await api.post<Contract>(`/proposals/${proposed.body.id}/accept`, {
        token: owner.token,
        json: { rejectOthers: true, ...acceptance },
      });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
      return accepted.body;
    }

    const fixedContract = () =>
      contractFor(
        { title: 'Build a time tracker' },
        {
          bid: { type: 'fixed', amount: eur(200_000) },
          milestonePlan: [
            { title: 'Design', amount: eur(50_000), dueDate: '2099-01-31' },
            { title: 'Build', amount: eur(150_000) },
          ],
        },
      );

    /** The document both parties' devices should hold for a contract the REST API answered. */
    const documentOf = (contract: Contract, projectTitle: string): WireDocument<'contracts'> => ({
      id: contract.id,
      updatedAt: contract.updatedAt,
      projectId: contract.projectId,
      projectTitle,
      proposalId: contract.proposalId,
      client: { id: owner.id, name: names.get(owner.id) ?? '' },
      freelancer: { id: freelancer.id, name: names.get(freelancer.id) ?? '' },
      type: contract.type,
      currency: contract.currency,
      rate: contract.rate,
      total: contract.total,
      weeklyHourLimit: contract.weeklyHourLimit,
      manualTimeAllowed: contract.manualTimeAllowed,
      screenshotsPerSlot: contract.screenshotsPerSlot,
      status: contract.status,
      createdAt: contract.createdAt,
      _deleted: false,
    });

    /** Pulls a collection from the start, following checkpoints to the end. */
    async function pullAll<C extends SyncCollection>(collection: C, who: Member) {
      const documents: WireDocument<C>[] = [];
      let checkpoint: Checkpoint | undefined;
      for (;;) {
        const answer = await pull(collection, who, checkpoint);
        expect(answer.status).toBe(200);
        documents.push(...answer.body.documents);
        if (answer.body.documents.length === 0) return { documents, checkpoint };
        checkpoint = answer.body.checkpoint ?? undefined;
      }
    }

    it('puts an accepted contract and its milestones on both parties’ devices, nobody else’s', async () => {
      const contract = await fixedContract();
      const expected = documentOf(contract, 'Build a time tracker');
      for (const who of [owner, freelancer]) {
        const contracts = await pullAll('contracts', who);
        expect(contracts.documents.filter((c) => c.id === contract.id)).toEqual([expected]);
        expect(contracts.checkpoint?.seq).toBeGreaterThan(0);
        const milestones = (await pullAll('milestones', who)).documents.filter(
          (m) => m.contractId === contract.id,
        );
        expect(milestones).toEqual(
          contract.milestones.map((m) => ({
            id: m.id,
            updatedAt: m.updatedAt,
            contractId: contract.id,
            title: m.title,
            amount: m.amount,
            dueDate: m.dueDate,
            position: m.position,
            status: m.status,
            createdAt: m.createdAt,
            _deleted: false,
          })),
        );
        expect(milestones.map((m) => [m.title, m.amount.amountMinor, m.dueDate])).toEqual([
          ['Design', 50_000, '2099-01-31'],
          ['Build', 150_000, null],
        ]);
      }
      expect((await pull('contracts', outsider)).body).toEqual({ documents: [], checkpoint: null });
      expect((await pull('milestones', outsider)).body).toEqual({
        documents: [],
        checkpoint: null,
      });

      // An hourly contract carries its rate, weekly limit and manual-time flag, and no milestones.
      const hourly = await contractFor(
        {
          title: 'Maintain our servers',
          budget: { type: 'hourly', min: eur(3_000), max: eur(6_000) },
        },
        { bid: { type: 'hourly', rate: eur(4_500) } },
        { weeklyHourLimit: 20, manualTimeAllowed: true },
      );
      const pulled = (await pullAll('contracts', freelancer)).documents.find(
        (c) => c.id === hourly.id,
      );
      expect(pulled).toEqual(documentOf(hourly, 'Maintain our servers'));
      expect(pulled).toMatchObject({
        type: 'hourly',
        rate: eur(4_500),
        total: null,
        weeklyHourLimit: 20,
        manualTimeAllowed: true,
      });
      const hourlyMilestones = (await pullAll('milestones', freelancer)).documents.filter(
        (m) => m.contractId === hourly.id,
      );
      expect(hourlyMilestones).toEqual([]);
    });

    it('refuses every device write to contracts and milestones, naming the fields, writing nothing', async () => {
      const contract = await fixedContract();
      const master = (await pullAll('contracts', owner)).documents.find(
        (c) => c.id === contract.id,
      );
      const milestone = (await pullAll('milestones', freelancer)).documents.find(
        (m) => m.contractId === contract.id,
      );
      if (!master || !milestone) throw new Error('the contract did not sync');
      const before = await snapshot();

      const refusals: Array<[string, () => ReturnType<typeof push>, string[]]> = [
        [
          'the freelancer ends it by pushing a status',
          () =>
            push('contracts', freelancer, [
              { newDocumentState: { ...master, status: 'ended' }, assumedMasterState: master },
            ]),
          ['/0/newDocumentState/status'],
        ],
        [
          'the client lowers the total and renames the freelancer',
          () =>
            push('contracts', owner, [
              {
                newDocumentState: {
                  ...master,
                  total: eur(1),
                  freelancer: { id: freelancer.id, name: 'Someone else' },
                  updatedAt: new Date().toISOString(),
                },
                assumedMasterState: master,
              },
            ]),
          [
            '/0/newDocumentState/updatedAt',
            '/0/newDocumentState/freelancer',
            '/0/newDocumentState/total',
          ],
        ],
        [
          'the client deletes it',
          () =>
            push('contracts', owner, [
              { newDocumentState: { ...master, _deleted: true }, assumedMasterState: master },
            ]),
          ['/0/newDocumentState/_deleted'],
        ],
        [
          'the client pushes it unchanged',
          () =>
            push('contracts', owner, [{ newDocumentState: master, assumedMasterState: master }]),
          ['/0/newDocumentState'],
        ],
        [
          'the freelancer makes up a contract',
          () =>
            push('contracts', freelancer, [{ newDocumentState: { ...master, id: randomUUID() } }]),
          ['/0/newDocumentState'],
        ],
        [
          'an outsider pushes it',
          () =>
            push('contracts', outsider, [
              { newDocumentState: { ...master, status: 'ended' }, assumedMasterState: master },
            ]),
          ['/0/newDocumentState/id'],
        ],
        [
          'the freelancer releases a milestone',
          () =>
            push('milestones', freelancer, [
              {
                newDocumentState: { ...milestone, status: 'released' },
                assumedMasterState: milestone,
              },
            ]),
          ['/0/newDocumentState/status'],
        ],
        [
          'the client adds a milestone',
          () =>
            push('milestones', owner, [
              { newDocumentState: { ...milestone, id: randomUUID(), position: 5, title: 'Extra' } },
            ]),
          ['/0/newDocumentState'],
        ],
      ];
      for (const [label, attempt, pointers] of refusals) {
        const answer = await attempt();
        expect(answer.status, label).toBe(403);
        const problem = answer.body as Problem;
        expect(problem.type, label).toBe(problemTypes.forbidden);
        expect(problem.errors?.map((e) => e.pointer).sort(), label).toEqual([...pointers].sort());
        expect(
          problem.errors?.every((e) => e.detail.length > 0),
          label,
        ).toBe(true);
      }
      const garbled = await push('contracts', owner, [
        {
          newDocumentState: { ...master, status: 'archived' as 'ended' },
          assumedMasterState: master,
        },
      ]);
      expect(garbled.status).toBe(422);
      expect((garbled.body as Problem).errors?.map((e) => e.pointer)).toEqual([
        '/0/newDocumentState/status',
      ]);
      // A device on an old copy gets the master back: the protocol's conflict, nothing written.
      const stale = await push('contracts', owner, [
        {
          newDocumentState: { ...master, status: 'paused' },
          assumedMasterState: { ...master, status: 'paused' },
        },
      ]);
      expect(stale.status).toBe(200);
      expect(stale.body).toEqual([master]);

      expect(await snapshot()).toEqual(before);
    });

    it('moves a contract to a new sequence number on each status change, pulled by both parties', async () => {
      const contract = await fixedContract();
      const checkpoints = new Map<string, Checkpoint | undefined>();
      for (const who of [owner, freelancer]) {
        checkpoints.set(who.id, (await pullAll('contracts', who)).checkpoint);
      }
      const milestonesCheckpoint = (await pullAll('milestones', owner)).checkpoint;

      // Refused commands change nothing and are pulled by nobody.
      const before = await snapshot();
      expect((await changeStatus(contract.id, 'paused', freelancer)).status).toBe(403);
      expect((await changeStatus(contract.id, 'paused', outsider)).status).toBe(404);
      expect((await changeStatus(contract.id, 'active', owner)).status).toBe(409);
      expect(await snapshot()).toEqual(before);

      const paused = await changeStatus(contract.id, 'paused', owner);
      expect(paused.status).toBe(200);
      let lastSeq = 0;
      for (const who of [owner, freelancer]) {
        const answer = await pull('contracts', who, checkpoints.get(who.id));
        expect(answer.body.documents).toEqual([documentOf(paused.body, 'Build a time tracker')]);
        expect(answer.body.documents[0]?.status).toBe('paused');
        expect(answer.body.checkpoint?.seq).toBeGreaterThan(checkpoints.get(who.id)?.seq ?? 0);
        lastSeq = answer.body.checkpoint?.seq ?? 0;
      }
      const stored = await server.db.kysely
        .selectFrom('contracts')
        .select('seq')
        .where('id', '=', contract.id)
        .executeTakeFirstOrThrow();
      expect(stored.seq).toBe(lastSeq);
      // The milestones did not change, so nothing new for them.
      expect((await pull('milestones', owner, milestonesCheckpoint)).body.documents).toEqual([]);
      expect((await pull('contracts', outsider)).body.documents).toEqual([]);

      const ended = await changeStatus(contract.id, 'ended', freelancer);
      expect(ended.status).toBe(200);
      const after = await pull('contracts', owner, { seq: lastSeq });
      expect(after.body.documents.map((c) => c.status)).toEqual(['ended']);
      expect(after.body.checkpoint?.seq).toBe(lastSeq + 1);
    });

    it('tells both parties’ sockets, and only theirs, after each commit', async () => {
      const connect = (who: Member) =>
        new Promise<Socket>((resolve, reject) => {
          const socket = io(server.baseUrl, {
            auth: { token: who.token },
            transports: ['websocket'],
            reconnection: false,
          });
          socket.once('connect', () => resolve(socket));
          socket.once('connect_error', reject);
        });
      const sockets = {
        owner: await connect(owner),
        freelancer: await connect(freelancer),
        outsider: await connect(outsider),
      };
      const heard = {
        owner: [] as Changed[],
        freelancer: [] as Changed[],
        outsider: [] as Changed[],
      };
      for (const [who, socket] of Object.entries(sockets)) {
        socket.on('sync:changed', (payload: Changed) =>
          heard[who as keyof typeof heard].push(payload),
        );
      }
      const until = async (check: () => boolean) => {
        const deadline = Date.now() + 5_000;
        while (!check()) {
          if (Date.now() > deadline) throw new Error(`not heard in time: ${JSON.stringify(heard)}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      const last = (events: Changed[], collection: SyncCollection) =>
        events.filter((e) => e.collection === collection).at(-1)?.seq;

      try {
        const contract = await fixedContract();
        for (const party of ['owner', 'freelancer'] as const) {
          await until(
            () =>
              last(heard[party], 'contracts') !== undefined &&
              last(heard[party], 'milestones') !== undefined,
          );
        }
        // What they heard is exactly the checkpoint a pull now ends at.
        const contractsSeq = (await pullAll('contracts', owner)).checkpoint?.seq;
        const milestonesSeq = (await pullAll('milestones', freelancer)).checkpoint?.seq;
        for (const party of ['owner', 'freelancer'] as const) {
          expect(last(heard[party], 'contracts')).toBe(contractsSeq);
          expect(last(heard[party], 'milestones')).toBe(milestonesSeq);
        }

        expect((await changeStatus(contract.id, 'paused', owner)).status).toBe(200);
        for (const party of ['owner', 'freelancer'] as const) {
          await until(() => last(heard[party], 'contracts') === (contractsSeq ?? 0) + 1);
        }
        // A refused command announces nothing.
        const counted = heard.owner.length + heard.freelancer.length;
        expect((await changeStatus(contract.id, 'paused', owner)).status).toBe(409);
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect(heard.owner.length + heard.freelancer.length).toBe(counted);
        expect(heard.outsider).toEqual([]);
      } finally {
        for (const socket of Object.values(sockets)) socket.close();
      }
    });

    it('numbers contracts made before sync in the order they were made, and requires a number', async () => {
      await fixedContract();
      await fixedContract();
      const db = server.db.kysely as unknown as Kysely<unknown>;
      const migration = contractSyncMigration(dialect);
      // Back to a database from before migration 0008, with its rows, then forward again.
      await migration.down?.(db);
      await migration.up(db);

      const kysely = server.db.kysely;
      const contracts = await kysely
        .selectFrom('contracts')
        .select(['id', 'seq'])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      expect(contracts.map((c) => c.seq)).toEqual(contracts.map((_, n) => n + 1));
      const milestones = await kysely
        .selectFrom('milestones as m')
        .innerJoin('contracts as c', 'c.id', 'm.contract_id')
        .select('m.seq')
        .orderBy('c.created_at')
        .orderBy('c.id')
        .orderBy('m.position')
        .execute();
      expect(milestones.map((m) => m.seq)).toEqual(milestones.map((_, n) => n + 1));
      const counters = await kysely
        .selectFrom('sync_counters')
        .selectAll()
        .where('collection', 'in', ['contracts', 'milestones'])
        .orderBy('collection')
        .execute();
      expect(counters).toEqual([
        { collection: 'contracts', seq: contracts.length },
        { collection: 'milestones', seq: milestones.length },
      ]);

      // Every party pulls them all again, and the next change continues after the numbering.
      expect((await pullAll('contracts', freelancer)).documents).toHaveLength(contracts.length);
      const next = await fixedContract();
      const row = await kysely
        .selectFrom('contracts')
        .select('seq')
        .where('id', '=', next.id)
        .executeTakeFirstOrThrow();
      expect(row.seq).toBe(contracts.length + 1);

      // A row without a sequence number would never reach a device: both databases refuse it.
      await expect(
        kysely
          .updateTable('contracts')
          .set({ seq: null as unknown as number })
          .where('id', '=', next.id)
          .execute(),
      ).rejects.toThrow(/seq/);
    });
  },
);

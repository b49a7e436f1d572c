/**
 * Time tracking as synced documents over the real HTTP sync endpoints: the freelancer's time
 * entries, screenshots and work logs reach both parties' devices; every write the rules refuse
 * is answered with the exact pointers and writes nothing; the client's approvals and disputes
 * move the entries' statuses in the same transaction, and an approved week is final.
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import { contractActivityMigration } from '../../server/db/migrations/0010-contract-activity.ts';
import type { Contract } from '../../shared/marketplace/contracts.ts';
import type { WireDocument } from '../../shared/sync/documents.ts';
import type { SyncCollection } from '../../shared/sync/protocol.ts';
import { amountFor } from '../../shared/time/amounts.ts';
import {
  dayMs,
  dayStart,
  minuteMs,
  slotMs,
  slotStart,
  utcDay,
  weekMs,
  weekOf,
} from '../../shared/time/slots.ts';
import { client, type HttpAnswer } from '../support/http.ts';
import {
  marketplaceWorld,
  signUpAs,
  tableRows,
  type Answer,
  type Member,
} from '../support/marketplace-fixtures.ts';
import type { Dialect, TestServer } from '../support/test-server.ts';
import {
  approvalOf,
  changed,
  created,
  disputeOf,
  eur,
  manualEntry,
  recomputed,
  screenshotOf,
  segment,
  syncCalls,
  timeContractBetween,
  trackedEntry,
  workLogOf,
} from '../support/time-fixtures.ts';

const hourMs = 60 * minuteMs;
/** Mondays of two finished weeks, and a moment in one: day 0 is the Monday. */
const twoWeeksAgo = weekOf(Date.now() - 2 * weekMs);
const lastWeek = weekOf(Date.now() - weekMs);
const at = (week: string, day: number, hour: number, minute = 0) =>
  dayStart(week) + day * dayMs + hour * hourMs + minute * minuteMs;

describe.each(['sqlite', 'postgres'] as Dialect[])('time tracking sync on %s', (dialect) => {
  let server: TestServer;
  let owner: Member;
  let freelancer: Member;
  let otherClient: Member;
  let outsider: Member;
  let categoryId: string;
  let sync: ReturnType<typeof syncCalls>;

  beforeAll(async () => {
    const world = await marketplaceWorld(dialect, {
      owner: 'client',
      freelancer: 'freelancer',
      otherClient: 'client',
    });
    ({ server, owner, freelancer, otherClient } = world);
    categoryId = world.category.id;
    outsider = await signUpAs(server, 'freelancer');
    sync = syncCalls(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  const contract = (type: 'hourly' | 'fixed', acceptance: Record<string, unknown> = {}) =>
    timeContractBetween(server, { client: owner, freelancer, categoryId }, type, acceptance);

  /** The client pauses or ends a contract through its REST command. */
  const setStatus = (contractId: string, to: string) =>
    client(server.baseUrl).patch(`/contracts/${contractId}/status`, {
      token: owner.token,
      json: { to },
    });

  /** Every row a refused push could have touched. */
  const snapshot = () =>
    tableRows(server, {
      sync_counters: ['collection'],
      time_entries: ['id'],
      screenshots: ['id'],
      work_logs: ['id'],
      time_reviews: ['id'],
    });

  function expectRefused(answer: HttpAnswer<unknown>, pointers: string[], label: string) {
    expect(answer.status, `${label}: ${JSON.stringify(answer.body)}`).toBe(403);
    const problem = answer.body as Problem;
    expect(problem.type, label).toBe(problemTypes.forbidden);
    expect(problem.errors?.map((e) => e.pointer).sort(), label).toEqual(
      pointers.map((p) => `/0/newDocumentState${p}`).sort(),
    );
    expect(
      problem.errors?.every((e) => e.detail.length > 5),
      label,
    ).toBe(true);
  }

  async function expectWritten<C extends SyncCollection>(
    collection: C,
    who: Member,
    rows: Array<{ newDocumentState: WireDocument<C>; assumedMasterState?: WireDocument<C> }>,
  ) {
    const answer = await sync.push(collection, who, rows);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toEqual([]);
  }

  const pulled = async <C extends SyncCollection>(collection: C, who: Member, contractId: string) =>
    (await sync.pullAll(collection, who)).documents.filter(
      (d) => (d as { contractId: string }).contractId === contractId,
    );

  it('puts the freelancer’s time, screenshots and work logs on both parties’ devices only', async () => {
    const hourly = await contract('hourly');
    const monday = trackedEntry(hourly, [
      { start: at(lastWeek, 0, 9) },
      { start: at(lastWeek, 0, 9, 10), billedMs: 7 * minuteMs },
    ]);
    const call = manualEntry(hourly, at(lastWeek, 1, 14), at(lastWeek, 1, 15, 30));
    expect(monday.billedMs).toBe(17 * minuteMs);
    expect(monday.amount).toEqual(eur(1_275));
    expect(call.amount).toEqual(eur(6_750));
    const shot = screenshotOf(monday, at(lastWeek, 0, 9));
    const log = workLogOf(hourly, monday.day);

    await expectWritten('timeEntries', freelancer, [created(monday), created(call)]);
    await expectWritten('screenshots', freelancer, [created(shot)]);
    await expectWritten('workLogs', freelancer, [created(log)]);

    for (const who of [owner, freelancer]) {
      const entries = await pulled('timeEntries', who, hourly.contractId);
      expect(entries.sort((a, b) => a.day.localeCompare(b.day))).toEqual([monday, call]);
      expect(await pulled('screenshots', who, hourly.contractId)).toEqual([shot]);
      expect(await pulled('workLogs', who, hourly.contractId)).toEqual([log]);
    }
    for (const stranger of [otherClient, outsider]) {
      for (const collection of ['timeEntries', 'screenshots', 'workLogs'] as const) {
        expect((await sync.pull(collection, stranger)).body.documents).toEqual([]);
      }
    }

    // A fixed-price contract tracks time too, unbilled: no rate, no amount.
    const fixed = await contract('fixed');
    const unbilled = trackedEntry(fixed, [{ start: at(lastWeek, 2, 10) }]);
    expect(unbilled).toMatchObject({ rate: null, amount: null, billedMs: slotMs });
    await expectWritten('timeEntries', freelancer, [created(unbilled)]);
    expect(await pulled('timeEntries', owner, fixed.contractId)).toEqual([unbilled]);

    // The freelancer edits the memo and marks a slot removed: both parties pull the change.
    const [master] = await pulled('timeEntries', freelancer, hourly.contractId);
    if (master?.id !== monday.id) throw new Error('the tracked entry did not sync');
    const edited = recomputed({
      ...master,
      memo: 'Slot grid, with tests',
      segments: master.segments.map((s, n) => (n === 1 ? { ...s, removed: true } : s)),
    });
    expect(edited.billedMs).toBe(slotMs);
    await expectWritten('timeEntries', freelancer, [changed(master, edited)]);
    expect(
      (await pulled('timeEntries', owner, hourly.contractId)).find((e) => e.id === monday.id),
    ).toEqual(edited);
  });

  it('refuses time entries that break the rules, naming each field, writing nothing', async () => {
    const hourly = await contract('hourly');
    const strict = await contract('hourly', { manualTimeAllowed: false });
    const fixed = await contract('fixed');
    const good = trackedEntry(hourly, [{ start: at(lastWeek, 3, 9) }]);
    await expectWritten('timeEntries', freelancer, [created(good)]);
    const before = await snapshot();
    const tomorrow = Date.now() + dayMs;

    const cases: Array<[string, Member, WireDocument<'timeEntries'>, string[]]> = [
      [
        'the client records time on the freelancer’s contract',
        owner,
        trackedEntry(hourly, [{ start: at(lastWeek, 4, 9) }]),
        ['/freelancerId', '/contractId'],
      ],
      [
        'another freelancer records time on it',
        outsider,
        trackedEntry({ ...hourly, freelancerId: outsider.id }, [{ start: at(lastWeek, 4, 9) }]),
        ['/contractId'],
      ],
      [
        'manual time where the contract does not allow it',
        freelancer,
        manualEntry(strict, at(lastWeek, 1, 9), at(lastWeek, 1, 10)),
        ['/kind'],
      ],
      [
        'a rate other than the contract’s',
        freelancer,
        trackedEntry({ ...hourly, rate: eur(9_000) }, [{ start: at(lastWeek, 4, 9) }]),
        ['/rate'],
      ],
      [
        'a rate on a fixed-price contract',
        freelancer,
        trackedEntry({ ...fixed, rate: eur(4_500) }, [{ start: at(lastWeek, 4, 9) }]),
        ['/rate'],
      ],
      [
        'billed time that is not the slots’ sum, and an amount that is not that time’s',
        freelancer,
        { ...trackedEntry(hourly, [{ start: at(lastWeek, 4, 9) }]), billedMs: 3 * slotMs },
        ['/billedMs', '/amount'],
      ],
      [
        'an amount on time that is not billable',
        freelancer,
        {
          ...trackedEntry(hourly, [{ start: at(lastWeek, 4, 9) }], { billable: false }),
          amount: eur(750),
        },
        ['/amount'],
      ],
      [
        'slots off the 10-minute grid, outside the day, and twice',
        freelancer,
        recomputed({
          ...trackedEntry(hourly, [{ start: at(lastWeek, 4, 9) }]),
          segments: [
            segment({ start: at(lastWeek, 4, 9, 3) }),
            segment({ start: at(lastWeek, 5, 9) }),
            segment({ start: at(lastWeek, 4, 10) }),
            segment({ start: at(lastWeek, 4, 10) }),
          ],
        }),
        ['/segments/0/start', '/segments/1/start', '/segments/3/start'],
      ],
      [
        'a tracked entry whose id is not its day’s',
        freelancer,
        trackedEntry(hourly, [{ start: at(lastWeek, 4, 9) }], { id: randomUUID() }),
        ['/id'],
      ],
      [
        'a new entry that claims to be approved',
        freelancer,
        trackedEntry(hourly, [{ start: at(lastWeek, 4, 9) }], { status: 'approved' }),
        ['/status'],
      ],
      [
        'time before the contract started',
        freelancer,
        trackedEntry(hourly, [{ start: slotStart(Date.now() - 6 * weekMs) }]),
        ['/segments/0/start'],
      ],
      [
        'manual time ending before it starts',
        freelancer,
        {
          ...manualEntry(hourly, at(lastWeek, 1, 9), at(lastWeek, 1, 10)),
          manual: {
            from: new Date(at(lastWeek, 1, 10)).toISOString(),
            to: new Date(at(lastWeek, 1, 9)).toISOString(),
          },
          billedMs: 0,
          amount: eur(0),
        },
        ['/manual/to'],
      ],
      [
        'manual time of more than a day',
        freelancer,
        {
          ...manualEntry(hourly, at(lastWeek, 1, 9), at(lastWeek, 1, 23)),
          manual: {
            from: new Date(at(lastWeek, 1, 9)).toISOString(),
            to: new Date(at(lastWeek, 2, 10)).toISOString(),
          },
          billedMs: dayMs,
          amount: amountFor(dayMs, eur(4_500)),
        },
        ['/manual/to', '/billedMs'],
      ],
      [
        'manual time in the future',
        freelancer,
        manualEntry(hourly, tomorrow, tomorrow + hourMs),
        ['/manual/to'],
      ],
    ];
    for (const [label, who, document, pointers] of cases) {
      expectRefused(await sync.push('timeEntries', who, [created(document)]), pointers, label);
    }

    const [master] = await pulled('timeEntries', freelancer, hourly.contractId);
    if (!master) throw new Error('the entry did not sync');
    const changes: Array<[string, Member, WireDocument<'timeEntries'>, string[]]> = [
      ['the client edits the memo', owner, { ...master, memo: 'Nothing done' }, ['/memo']],
      [
        'the freelancer approves their own time',
        freelancer,
        { ...master, status: 'approved' },
        ['/status'],
      ],
      [
        'the freelancer moves the entry to another day',
        freelancer,
        { ...master, day: '2000-01-03' },
        ['/day'],
      ],
      ['a stranger deletes it', outsider, { ...master, _deleted: true }, ['/id']],
    ];
    for (const [label, who, document, pointers] of changes) {
      expectRefused(
        await sync.push('timeEntries', who, [changed(master, document)]),
        pointers,
        label,
      );
    }
    // A second row's mistake refuses the first row too: a push is written whole or not at all.
    const mixed = await sync.push('timeEntries', freelancer, [
      created(trackedEntry(hourly, [{ start: at(lastWeek, 6, 9) }])),
      created(trackedEntry(hourly, [{ start: at(lastWeek, 5, 9) }], { status: 'disputed' })),
    ]);
    expect(mixed.status).toBe(403);
    expect((mixed.body as Problem).errors?.map((e) => e.pointer)).toEqual([
      '/1/newDocumentState/status',
    ]);

    expect(await snapshot()).toEqual(before);
  });

  /**
   * The moments of the contract's inactive stretch, which its REST command opened (and closed)
   * just now, moved back into last week: the time around them is then in the past, as time a
   * device tracked offline and syncs late is.
   */
  const dateStretch = (contractId: string, from: number, to?: number) =>
    server.db.kysely
      .updateTable('contract_inactive_periods')
      .set({
        started_at: new Date(from).toISOString(),
        ...(to === undefined ? {} : { ended_at: new Date(to).toISOString() }),
      })
      .where('contract_id', '=', contractId)
      .execute();

  /** The detail a refusal gives for one pointer of the first pushed document. */
  const detailAt = (answer: HttpAnswer<unknown>, pointer: string) =>
    (answer.body as Problem).errors?.find((e) => e.pointer === `/0/newDocumentState${pointer}`)
      ?.detail;

  it('lands time tracked offline before a pause after the pause, and refuses time after it', async () => {
    const hourly = await contract('hourly');
    const tuesday = trackedEntry(hourly, [{ start: at(lastWeek, 1, 9) }]);
    await expectWritten('timeEntries', freelancer, [created(tuesday)]);
    expect((await setStatus(hourly.contractId, 'paused')).status).toBe(200);
    const pausedAt = at(lastWeek, 3, 12);
    await dateStretch(hourly.contractId, pausedAt);

    // Tracked before Thursday noon, synced now: a slot more on a day already synced, a new day
    // up to the slot that ends at noon, and manual time all land.
    const longer = recomputed({
      ...tuesday,
      segments: [...tuesday.segments, segment({ start: at(lastWeek, 1, 9, 10) })],
    });
    const thursday = trackedEntry(hourly, [
      { start: at(lastWeek, 3, 11, 40) },
      { start: at(lastWeek, 3, 11, 50) },
    ]);
    const call = manualEntry(hourly, at(lastWeek, 3, 10), at(lastWeek, 3, 11));
    await expectWritten('timeEntries', freelancer, [
      changed(tuesday, longer),
      created(thursday),
      created(call),
    ]);
    const shot = screenshotOf(thursday, at(lastWeek, 3, 11, 50));
    await expectWritten('screenshots', freelancer, [created(shot)]);
    expect(await pulled('screenshots', owner, hourly.contractId)).toEqual([shot]);

    // Tracked after it: each slot and stretch is named, with the moment of the pause.
    const before = await snapshot();
    const intoPause = recomputed({
      ...thursday,
      segments: [...thursday.segments, segment({ start: at(lastWeek, 3, 12) })],
    });
    const refusedSlot = await sync.push('timeEntries', freelancer, [changed(thursday, intoPause)]);
    expectRefused(refusedSlot, ['/segments/2'], 'a slot after the pause');
    expect(detailAt(refusedSlot, '/segments/2')).toBe(
      `this slot runs past ${new Date(pausedAt).toISOString()}, when the contract was paused: ` +
        'time is recorded only while a contract is active',
    );
    expectRefused(
      await sync.push('timeEntries', freelancer, [
        created(trackedEntry(hourly, [{ start: at(lastWeek, 4, 9) }])),
      ]),
      ['/segments/0'],
      'a new day after the pause',
    );
    expectRefused(
      await sync.push('timeEntries', freelancer, [
        created(manualEntry(hourly, at(lastWeek, 3, 11, 30), at(lastWeek, 3, 12, 30))),
      ]),
      ['/manual'],
      'manual time reaching past the pause',
    );
    const moved = recomputed({
      ...call,
      manual: {
        from: new Date(at(lastWeek, 3, 11, 30)).toISOString(),
        to: new Date(at(lastWeek, 3, 12, 30)).toISOString(),
      },
    });
    expectRefused(
      await sync.push('timeEntries', freelancer, [changed(call, moved)]),
      ['/manual'],
      'manual time moved past the pause',
    );
    expect(await snapshot()).toEqual(before);

    // A slot after the pause kept as removed adds no time; its screen is still not shared.
    const removedSlot = recomputed({
      ...thursday,
      segments: [...thursday.segments, segment({ start: at(lastWeek, 3, 12), removed: true })],
    });
    await expectWritten('timeEntries', freelancer, [changed(thursday, removedSlot)]);
    const lateShot = await sync.push('screenshots', freelancer, [
      created(screenshotOf(removedSlot, at(lastWeek, 3, 12))),
    ]);
    expectRefused(lateShot, ['/slot'], 'a screenshot after the pause');
    expect(detailAt(lateShot, '/slot')).toContain(new Date(pausedAt).toISOString());
    // Bringing the removed slot back adds its time: refused like a new one.
    expectRefused(
      await sync.push('timeEntries', freelancer, [
        changed(removedSlot, recomputed({ ...removedSlot, segments: intoPause.segments })),
      ]),
      ['/segments/2'],
      'a removed slot after the pause brought back',
    );

    // Memos change and time goes away at any time.
    const memo = { ...longer, memo: 'Paused: wrote up where I stopped' };
    await expectWritten('timeEntries', freelancer, [changed(longer, memo)]);
    const shorter = recomputed({ ...memo, segments: memo.segments.slice(0, 1) });
    await expectWritten('timeEntries', freelancer, [changed(memo, shorter)]);
    expect(
      (await pulled('timeEntries', owner, hourly.contractId)).map((e) => [e.day, e.billedMs]),
    ).toEqual(
      expect.arrayContaining([
        [tuesday.day, slotMs],
        [thursday.day, 2 * slotMs],
        [call.day, hourMs],
      ]),
    );
  });

  it('takes new time once resumed, but never time from the paused stretch', async () => {
    const hourly = await contract('hourly');
    expect((await setStatus(hourly.contractId, 'paused')).status).toBe(200);
    expect((await setStatus(hourly.contractId, 'active')).status).toBe(200);
    const pausedAt = at(lastWeek, 1, 12);
    const resumedAt = at(lastWeek, 3, 12);
    await dateStretch(hourly.contractId, pausedAt, resumedAt);

    const before = await snapshot();
    const inside = await sync.push('timeEntries', freelancer, [
      created(trackedEntry(hourly, [{ start: at(lastWeek, 2, 9) }])),
    ]);
    expectRefused(inside, ['/segments/0'], 'a slot while paused');
    expect(detailAt(inside, '/segments/0')).toBe(
      `this slot falls between ${new Date(pausedAt).toISOString()} and ` +
        `${new Date(resumedAt).toISOString()}, while the contract was paused: ` +
        'time is recorded only while a contract is active',
    );
    expectRefused(
      await sync.push('timeEntries', freelancer, [
        created(trackedEntry(hourly, [{ start: at(lastWeek, 3, 11, 50) }])),
      ]),
      ['/segments/0'],
      'a slot ending at the resumption, more than the skew before it',
    );
    expect(await snapshot()).toEqual(before);

    // Before the pause, and from within the clock skew of the resumption on.
    await expectWritten('timeEntries', freelancer, [
      created(trackedEntry(hourly, [{ start: at(lastWeek, 1, 11, 50) }])),
      created(trackedEntry(hourly, [{ start: at(lastWeek, 3, 12) }])),
      created(manualEntry(hourly, at(lastWeek, 4, 9), at(lastWeek, 4, 10))),
    ]);
    expect(await pulled('timeEntries', owner, hourly.contractId)).toHaveLength(3);
  });

  it('lands time from before an end, and keeps the pause’s moment when a paused contract ends', async () => {
    const ended = await contract('hourly');
    expect((await setStatus(ended.contractId, 'ended')).status).toBe(200);
    const endedAt = at(lastWeek, 2, 0);
    await dateStretch(ended.contractId, endedAt);
    await expectWritten('timeEntries', freelancer, [
      created(trackedEntry(ended, [{ start: at(lastWeek, 1, 23, 50) }])),
      created(manualEntry(ended, at(lastWeek, 1, 9), at(lastWeek, 1, 10))),
    ]);
    const after = await sync.push('timeEntries', freelancer, [
      created(manualEntry(ended, at(lastWeek, 2, 9), at(lastWeek, 2, 10))),
    ]);
    expectRefused(after, ['/manual'], 'manual time after the end');
    expect(detailAt(after, '/manual')).toBe(
      `this stretch runs past ${new Date(endedAt).toISOString()}, when the contract was ended: ` +
        'time is recorded only while a contract is active',
    );

    // Paused, then ended: it stopped being active at the pause, and that stays the moment.
    const pausedThenEnded = await contract('hourly');
    expect((await setStatus(pausedThenEnded.contractId, 'paused')).status).toBe(200);
    const pausedAt = at(lastWeek, 2, 0);
    await dateStretch(pausedThenEnded.contractId, pausedAt);
    expect((await setStatus(pausedThenEnded.contractId, 'ended')).status).toBe(200);
    expect(
      await server.db.kysely
        .selectFrom('contract_inactive_periods')
        .select(['kind', 'started_at', 'ended_at'])
        .where('contract_id', '=', pausedThenEnded.contractId)
        .execute(),
    ).toEqual([{ kind: 'paused', started_at: new Date(pausedAt).toISOString(), ended_at: null }]);
    await expectWritten('timeEntries', freelancer, [
      created(trackedEntry(pausedThenEnded, [{ start: at(lastWeek, 1, 15) }])),
    ]);
    expectRefused(
      await sync.push('timeEntries', freelancer, [
        created(trackedEntry(pausedThenEnded, [{ start: at(lastWeek, 2, 15) }])),
      ]),
      ['/segments/0'],
      'time after the pause of an ended contract',
    );
  });

  it('keeps screenshots fixed and their entries’ owners, and waits for an entry still on its way', async () => {
    const hourly = await contract('hourly');
    const entry = trackedEntry(hourly, [{ start: at(lastWeek, 1, 9) }]);
    const early = screenshotOf(entry, at(lastWeek, 1, 9));
    // The screenshot arrives before its entry: the device is asked to retry, nothing is written.
    const before = await snapshot();
    const waiting = await sync.push('screenshots', freelancer, [created(early)]);
    expect(waiting.status).toBe(409);
    expect((waiting.body as Problem).type).toBe(problemTypes.syncPending);
    expect(await snapshot()).toEqual(before);

    await expectWritten('timeEntries', freelancer, [created(entry)]);
    // A slot the server's copy of the entry does not have yet: the same.
    const laterSlot = screenshotOf(entry, at(lastWeek, 1, 9, 10));
    expect((await sync.push('screenshots', freelancer, [created(laterSlot)])).status).toBe(409);
    await expectWritten('screenshots', freelancer, [created(early)]);

    const other = await contract('hourly');
    const refusals: Array<[string, Member, WireDocument<'screenshots'>, string[]]> = [
      [
        'taken outside its slot',
        freelancer,
        {
          ...screenshotOf(entry, at(lastWeek, 1, 9)),
          takenAt: new Date(at(lastWeek, 1, 9, 12)).toISOString(),
        },
        ['/takenAt'],
      ],
      [
        'the client adds one',
        owner,
        screenshotOf(entry, at(lastWeek, 1, 9)),
        ['/freelancerId', '/contractId'],
      ],
      [
        'on another contract than its entry’s',
        freelancer,
        { ...screenshotOf(entry, at(lastWeek, 1, 9)), contractId: other.contractId },
        ['/entryId'],
      ],
      ['a slot of another day', freelancer, screenshotOf(entry, at(lastWeek, 2, 9)), ['/slot']],
    ];
    const fixedBefore = await snapshot();
    for (const [label, who, document, pointers] of refusals) {
      expectRefused(await sync.push('screenshots', who, [created(document)]), pointers, label);
    }
    const [master] = await pulled('screenshots', freelancer, hourly.contractId);
    if (!master) throw new Error('the screenshot did not sync');
    const swapped = { ...master, image: { ...master.image, hash: 'c'.repeat(64) }, blurred: true };
    expectRefused(
      await sync.push('screenshots', freelancer, [changed(master, swapped)]),
      ['/image', '/blurred'],
      'new bytes',
    );
    expectRefused(
      await sync.push('screenshots', owner, [changed(master, { ...master, _deleted: true })]),
      ['/_deleted'],
      'the client deletes it',
    );
    expect(await snapshot()).toEqual(fixedBefore);

    // The freelancer deletes it: a tombstone both parties pull, which stays deleted.
    const deleted = { ...master, _deleted: true, updatedAt: new Date().toISOString() };
    await expectWritten('screenshots', freelancer, [changed(master, deleted)]);
    expect(await pulled('screenshots', owner, hourly.contractId)).toEqual([deleted]);
    expectRefused(
      await sync.push('screenshots', freelancer, [
        changed(deleted, { ...deleted, _deleted: false }),
      ]),
      ['/_deleted'],
      'bringing it back',
    );
  });

  it('keeps work logs one per day and the freelancer’s', async () => {
    const hourly = await contract('hourly');
    const log = workLogOf(hourly, '2026-11-02');
    const before = await snapshot();
    expectRefused(
      await sync.push('workLogs', freelancer, [created({ ...log, id: randomUUID() })]),
      ['/id'],
      'an id not of its day',
    );
    expectRefused(
      await sync.push('workLogs', owner, [created(log)]),
      ['/freelancerId', '/contractId'],
      'the client writes one',
    );
    expect(await snapshot()).toEqual(before);
    await expectWritten('workLogs', freelancer, [created(log)]);
    const edited = {
      ...log,
      blockers: 'Waiting for API keys',
      updatedAt: new Date().toISOString(),
    };
    expectRefused(
      await sync.push('workLogs', owner, [changed(log, edited)]),
      ['/blockers', '/updatedAt'],
      'the client edits it',
    );
    expectRefused(
      await sync.push('workLogs', freelancer, [changed(log, { ...edited, day: '2026-11-03' })]),
      ['/day'],
      'moved to another day',
    );
    await expectWritten('workLogs', freelancer, [changed(log, edited)]);
    expect(await pulled('workLogs', owner, hourly.contractId)).toEqual([edited]);
  });

  it('approves a finished week: its entries turn approved on both sides and stay as they are', async () => {
    const hourly = await contract('hourly');
    const monday = trackedEntry(hourly, [
      { start: at(lastWeek, 0, 9) },
      { start: at(lastWeek, 0, 9, 10) },
    ]);
    const call = manualEntry(hourly, at(lastWeek, 3, 14), at(lastWeek, 3, 15));
    const earlier = trackedEntry(hourly, [{ start: at(twoWeeksAgo, 4, 9) }]);
    await expectWritten('timeEntries', freelancer, [
      created(monday),
      created(call),
      created(earlier),
    ]);
    const shot = screenshotOf(monday, at(lastWeek, 0, 9));
    await expectWritten('screenshots', freelancer, [created(shot)]);
    const checkpoint = (await sync.pullAll('timeEntries', freelancer)).checkpoint;
    const fixed = await contract('fixed');
    const before = await snapshot();

    const approval = approvalOf(hourly.contractId, owner, lastWeek);
    const thisWeek = weekOf(Date.now());
    const refusals: Array<[string, Member, WireDocument<'timeReviews'>, string[]]> = [
      [
        'the freelancer approves their own week',
        freelancer,
        { ...approval, reviewerId: freelancer.id },
        ['/contractId'],
      ],
      [
        'another client approves it',
        otherClient,
        { ...approval, reviewerId: otherClient.id },
        ['/contractId'],
      ],
      ['an approval under another id', owner, { ...approval, id: randomUUID() }, ['/id']],
      [
        'a week named by a Tuesday',
        owner,
        approvalOf(hourly.contractId, owner, utcDay(dayStart(lastWeek) + dayMs)),
        ['/week'],
      ],
      ['a week still running', owner, approvalOf(hourly.contractId, owner, thisWeek), ['/week']],
      [
        'an approval listing slots',
        owner,
        { ...approval, slots: [{ entryId: monday.id, start: monday.segments[0]?.start ?? '' }] },
        ['/slots'],
      ],
      [
        'a fixed-price contract’s week',
        owner,
        approvalOf(fixed.contractId, owner, lastWeek),
        ['/contractId'],
      ],
      ['an approval answered already', owner, { ...approval, response: 'Thanks' }, ['/response']],
    ];
    for (const [label, who, document, pointers] of refusals) {
      expectRefused(await sync.push('timeReviews', who, [created(document)]), pointers, label);
    }
    expect(await snapshot()).toEqual(before);

    await expectWritten('timeReviews', owner, [created(approval)]);
    // The freelancer's device pulls exactly last week's entries again, now approved.
    const after = await sync.pull('timeEntries', freelancer, checkpoint ?? undefined);
    expect(after.body.documents.map((e) => [e.id, e.status]).sort()).toEqual(
      [
        [monday.id, 'approved'],
        [call.id, 'approved'],
      ].sort(),
    );
    const statuses = new Map(
      (await pulled('timeEntries', owner, hourly.contractId)).map((e) => [e.id, e.status]),
    );
    expect(Object.fromEntries(statuses)).toEqual({
      [monday.id]: 'approved',
      [call.id]: 'approved',
      [earlier.id]: 'pending',
    });
    expect(await pulled('timeReviews', freelancer, hourly.contractId)).toEqual([approval]);

    // The approved week is final: no edit, deletion, removed slot, new entry or deleted screenshot.
    const [approved] = after.body.documents.filter((e) => e.id === monday.id);
    if (!approved) throw new Error('the approved entry did not sync');
    const frozen = await snapshot();
    const firstSlot = approved.segments[0];
    if (!firstSlot) throw new Error('no slot');
    const attempts: Array<[string, SyncCollection, unknown, string[]]> = [
      [
        'a memo edit',
        'timeEntries',
        changed(approved, { ...approved, memo: 'Rewritten' }),
        ['/memo'],
      ],
      [
        'a deletion',
        'timeEntries',
        changed(approved, { ...approved, _deleted: true }),
        ['/_deleted'],
      ],
      [
        'a removed slot',
        'timeEntries',
        changed(approved, {
          ...recomputed({
            ...approved,
            segments: [{ ...firstSlot, removed: true }, ...approved.segments.slice(1)],
          }),
          updatedAt: approved.updatedAt,
        }),
        ['/segments', '/billedMs', '/amount'],
      ],
      [
        'a new entry',
        'timeEntries',
        created(trackedEntry(hourly, [{ start: at(lastWeek, 5, 9) }])),
        ['/day'],
      ],
      [
        'a deleted screenshot',
        'screenshots',
        changed(shot, { ...shot, _deleted: true }),
        ['/_deleted'],
      ],
      [
        'a changed approval',
        'timeReviews',
        changed(approval, { ...approval, reason: 'Changed my mind' }),
        ['/reason'],
      ],
      [
        'a deleted approval',
        'timeReviews',
        changed(approval, { ...approval, _deleted: true }),
        ['/_deleted'],
      ],
      [
        'a dispute after the approval',
        'timeReviews',
        created(
          disputeOf(hourly.contractId, owner, lastWeek, [
            { entryId: monday.id, start: firstSlot.start },
          ]),
        ),
        ['/week'],
      ],
    ];
    for (const [label, collection, row, pointers] of attempts) {
      const answer = await sync.push(
        collection,
        collection === 'timeReviews' ? owner : freelancer,
        [row as never],
      );
      expectRefused(answer, pointers, label);
      expect((answer.body as Problem).errors?.[0]?.detail, label).toMatch(
        new RegExp(`${lastWeek}|final|approved`),
      );
    }
    expect(await snapshot()).toEqual(frozen);
  });

  it('disputes slots, lets the freelancer answer and the client withdraw, moving the statuses', async () => {
    const hourly = await contract('hourly');
    const tuesday = trackedEntry(hourly, [
      { start: at(twoWeeksAgo, 1, 9) },
      { start: at(twoWeeksAgo, 1, 9, 10) },
    ]);
    const wednesday = trackedEntry(hourly, [{ start: at(twoWeeksAgo, 2, 11) }]);
    const call = manualEntry(hourly, at(twoWeeksAgo, 3, 14), at(twoWeeksAgo, 3, 15));
    const removed = trackedEntry(hourly, [{ start: at(twoWeeksAgo, 4, 9), removed: true }]);
    await expectWritten('timeEntries', freelancer, [
      created(tuesday),
      created(wednesday),
      created(call),
      created(removed),
    ]);
    const slot = (entry: WireDocument<'timeEntries'>, n = 0) => ({
      entryId: entry.id,
      start: entry.manual?.from ?? entry.segments[n]?.start ?? '',
    });
    const dispute = disputeOf(hourly.contractId, owner, twoWeeksAgo, [
      slot(tuesday, 1),
      slot(call),
    ]);

    const before = await snapshot();
    const refusals: Array<[string, Member, WireDocument<'timeReviews'>, string[]]> = [
      [
        'a slot nobody recorded',
        owner,
        {
          ...dispute,
          slots: [
            slot(tuesday),
            { entryId: tuesday.id, start: new Date(at(twoWeeksAgo, 1, 12)).toISOString() },
          ],
        },
        ['/slots/1'],
      ],
      ['a slot of another week', owner, { ...dispute, week: lastWeek }, ['/slots/0', '/slots/1']],
      [
        'a slot whose time was removed',
        owner,
        { ...dispute, slots: [slot(removed)] },
        ['/slots/0'],
      ],
      ['the same slot twice', owner, { ...dispute, slots: [slot(call), slot(call)] }, ['/slots/1']],
      ['no reason', owner, { ...dispute, reason: '   ' }, ['/reason']],
      ['no slots', owner, { ...dispute, slots: [] }, ['/slots']],
      ['created withdrawn', owner, { ...dispute, status: 'withdrawn' }, ['/status']],
      [
        'the freelancer disputes',
        freelancer,
        { ...dispute, reviewerId: freelancer.id },
        ['/contractId'],
      ],
    ];
    for (const [label, who, document, pointers] of refusals) {
      expectRefused(await sync.push('timeReviews', who, [created(document)]), pointers, label);
    }
    expect(await snapshot()).toEqual(before);

    await expectWritten('timeReviews', owner, [created(dispute)]);
    const statuses = async (who: Member) =>
      Object.fromEntries(
        (await pulled('timeEntries', who, hourly.contractId)).map((e) => [e.id, e.status]),
      );
    expect(await statuses(freelancer)).toEqual({
      [tuesday.id]: 'disputed',
      [wednesday.id]: 'pending',
      [call.id]: 'disputed',
      [removed.id]: 'pending',
    });

    // Per field: the client cannot answer, the freelancer cannot withdraw or rewrite.
    const [master] = await pulled('timeReviews', freelancer, hourly.contractId);
    if (!master) throw new Error('the dispute did not sync');
    const fieldRefusals: Array<[string, Member, WireDocument<'timeReviews'>, string[]]> = [
      ['the client answers', owner, { ...master, response: 'I answer myself' }, ['/response']],
      ['the freelancer withdraws', freelancer, { ...master, status: 'withdrawn' }, ['/status']],
      [
        'the freelancer trims the slots',
        freelancer,
        { ...master, slots: [slot(call)] },
        ['/slots'],
      ],
      ['the client deletes it', owner, { ...master, _deleted: true }, ['/_deleted']],
      ['a stranger answers', outsider, { ...master, response: 'Hello' }, ['/id']],
    ];
    for (const [label, who, document, pointers] of fieldRefusals) {
      expectRefused(
        await sync.push('timeReviews', who, [changed(master, document)]),
        pointers,
        label,
      );
    }

    const answered = { ...master, response: 'That was the design review for this project' };
    await expectWritten('timeReviews', freelancer, [changed(master, answered)]);
    expect(await pulled('timeReviews', owner, hourly.contractId)).toEqual([answered]);

    // The client withdraws: the slots go back to pending, and the dispute cannot reopen.
    const withdrawn: WireDocument<'timeReviews'> = { ...answered, status: 'withdrawn' };
    await expectWritten('timeReviews', owner, [changed(answered, withdrawn)]);
    expect(Object.values(await statuses(freelancer))).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    expectRefused(
      await sync.push('timeReviews', owner, [changed(withdrawn, { ...withdrawn, status: 'open' })]),
      ['/status'],
      'reopening',
    );

    // A new dispute and the week's approval in one push: the disputed entry stays disputed.
    const again = disputeOf(hourly.contractId, owner, twoWeeksAgo, [slot(wednesday)]);
    await expectWritten('timeReviews', owner, [
      created(again),
      created(approvalOf(hourly.contractId, owner, twoWeeksAgo)),
    ]);
    expect(await statuses(owner)).toEqual({
      [tuesday.id]: 'approved',
      [wednesday.id]: 'disputed',
      [call.id]: 'approved',
      [removed.id]: 'approved',
    });
  });

  it('tells both parties’ sockets when a review moves the entries, and nobody else', async () => {
    const hourly = await contract('hourly');
    const entry = trackedEntry(hourly, [{ start: at(twoWeeksAgo, 2, 9) }]);
    await expectWritten('timeEntries', freelancer, [created(entry)]);
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
    const members = { owner, freelancer, outsider };
    const heard = new Map<Member, Array<{ collection: SyncCollection; seq: number }>>();
    const sockets: Socket[] = [];
    try {
      for (const who of Object.values(members)) {
        const socket = await connect(who);
        sockets.push(socket);
        heard.set(who, []);
        socket.on('sync:changed', (event: { collection: SyncCollection; seq: number }) =>
          heard.get(who)?.push(event),
        );
      }
      await expectWritten('timeReviews', owner, [
        created(
          disputeOf(hourly.contractId, owner, twoWeeksAgo, [
            { entryId: entry.id, start: entry.segments[0]?.start ?? '' },
          ]),
        ),
      ]);
      const seq = (await sync.pullAll('timeEntries', freelancer)).checkpoint?.seq;
      const reviewSeq = (await sync.pullAll('timeReviews', freelancer)).checkpoint?.seq;
      const heardEntries = (who: Member) =>
        heard.get(who)?.some((e) => e.collection === 'timeEntries' && e.seq === seq) === true &&
        heard.get(who)?.some((e) => e.collection === 'timeReviews' && e.seq === reviewSeq) === true;
      const deadline = Date.now() + 5_000;
      while (!(heardEntries(freelancer) && heardEntries(owner))) {
        if (Date.now() > deadline) throw new Error(`not heard: ${JSON.stringify([...heard])}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(
        heard
          .get(freelancer)
          ?.map((e) => e.collection)
          .sort(),
      ).toEqual(['timeEntries', 'timeReviews']);
      expect(heard.get(outsider)).toEqual([]);
    } finally {
      for (const socket of sockets) socket.close();
    }
  });

  it('lets the client set screenshots per slot when accepting and later, heard by both devices', async () => {
    const hourly = await contract('hourly', { screenshotsPerSlot: 0 });
    const api = client(server.baseUrl);
    const change = (who: Member, body: unknown, id = hourly.contractId) =>
      api.patch<Answer<Contract>>(`/contracts/${id}/settings`, { token: who.token, json: body });
    const contractDocument = async (who: Member, id: string) =>
      (await sync.pullAll('contracts', who)).documents.find((c) => c.id === id);
    expect((await contractDocument(freelancer, hourly.contractId))?.screenshotsPerSlot).toBe(0);
    const checkpoint = (await sync.pullAll('contracts', freelancer)).checkpoint;

    expect((await change(freelancer, { screenshotsPerSlot: 3 })).status).toBe(403);
    expect((await change(otherClient, { screenshotsPerSlot: 3 })).status).toBe(404);
    const tooMany = await change(owner, { screenshotsPerSlot: 4 });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors?.map((e) => e.pointer)).toEqual(['/screenshotsPerSlot']);
    expect(
      (await sync.pull('contracts', freelancer, checkpoint ?? undefined)).body.documents,
    ).toEqual([]);

    const three = await change(owner, { screenshotsPerSlot: 3 });
    expect(three.status).toBe(200);
    expect(three.body.screenshotsPerSlot).toBe(3);
    for (const who of [owner, freelancer]) {
      const answer = await sync.pull('contracts', who, checkpoint ?? undefined);
      expect(answer.body.documents.map((c) => [c.id, c.screenshotsPerSlot])).toEqual([
        [hourly.contractId, 3],
      ]);
    }
    expect((await setStatus(hourly.contractId, 'ended')).status).toBe(200);
    expect((await change(owner, { screenshotsPerSlot: 1 })).status).toBe(409);
    // Contracts accepted without saying take one screenshot a slot.
    const plain = await contract('fixed');
    expect((await contractDocument(owner, plain.contractId))?.screenshotsPerSlot).toBe(1);
  });

  it('dates the stretch of contracts already paused or ended from their last change on migrating', async () => {
    const paused = await contract('hourly');
    const ended = await contract('fixed');
    const active = await contract('hourly');
    expect((await setStatus(paused.contractId, 'paused')).status).toBe(200);
    expect((await setStatus(ended.contractId, 'ended')).status).toBe(200);
    const lastChange = at(lastWeek, 2, 12);
    const { kysely } = server.db;
    await kysely
      .updateTable('contracts')
      .set({ updated_at: new Date(lastChange).toISOString() })
      .where('id', 'in', [paused.contractId, ended.contractId])
      .execute();
    // Back to the database as migration 0009 left it, then forward again.
    const migration = contractActivityMigration(dialect);
    await migration.down?.(kysely);
    await migration.up(kysely);

    const stretches = await kysely
      .selectFrom('contract_inactive_periods')
      .select(['contract_id', 'kind', 'started_at', 'ended_at'])
      .where('contract_id', 'in', [paused.contractId, ended.contractId, active.contractId])
      .orderBy('kind', 'desc')
      .execute();
    const since = new Date(lastChange).toISOString();
    expect(stretches).toEqual([
      { contract_id: paused.contractId, kind: 'paused', started_at: since, ended_at: null },
      { contract_id: ended.contractId, kind: 'ended', started_at: since, ended_at: null },
    ]);
    await expectWritten('timeEntries', freelancer, [
      created(trackedEntry(paused, [{ start: at(lastWeek, 2, 11, 50) }])),
    ]);
    expectRefused(
      await sync.push('timeEntries', freelancer, [
        created(trackedEntry(paused, [{ start: at(lastWeek, 3, 9) }])),
      ]),
      ['/segments/0'],
      'time after a migrated pause',
    );
    // A contract is inactive from one moment at a time: a second open stretch is refused.
    await expect(
      kysely
        .insertInto('contract_inactive_periods')
        .values({
          contract_id: paused.contractId,
          kind: 'ended',
          started_at: since,
          ended_at: null,
        })
        .execute(),
    ).rejects.toThrow(/unique/i);
  });
});

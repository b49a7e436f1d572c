import { describe, expect, it } from 'vitest';
import type { WireDocument } from '../../shared/sync/documents.ts';
import { mergers } from '../../shared/sync/merge.ts';

const alice = '00000000-0000-4000-8000-00000000000a';
const bob = '00000000-0000-4000-8000-00000000000b';

function message(overrides: Partial<WireDocument<'messages'>> = {}): WireDocument<'messages'> {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    conversationId: '00000000-0000-4000-8000-000000000002',
    senderId: alice,
    body: 'Draft is ready',
    attachments: [],
    sentAt: '2026-11-21T10:00:00.000Z',
    editedAt: null,
    receipts: {},
    updatedAt: '2026-11-21T10:00:00.000Z',
    _deleted: false,
    ...overrides,
  };
}

describe('message merge', () => {
  const base = message();

  it('keeps both sides when they changed different fields', () => {
    const fork = message({
      body: 'Draft is ready (v2)',
      editedAt: '2026-11-21T10:05:00.000Z',
      updatedAt: '2026-11-21T10:05:00.000Z',
    });
    const master = message({
      receipts: { [bob]: { deliveredAt: '2026-11-21T10:01:00.000Z', readAt: null } },
      updatedAt: '2026-11-21T10:01:00.000Z',
    });
    const merged = mergers.messages({
      assumedMasterState: base,
      realMasterState: master,
      newDocumentState: fork,
    });
    expect(merged.body).toBe('Draft is ready (v2)');
    expect(merged.receipts[bob]?.deliveredAt).toBe('2026-11-21T10:01:00.000Z');
    expect(merged.updatedAt).toBe('2026-11-21T10:05:00.000Z');
  });

  it('merges receipts per recipient and never moves them back', () => {
    const master = message({
      receipts: { [bob]: { deliveredAt: '2026-11-21T10:01:00.000Z', readAt: null } },
    });
    const fork = message({
      receipts: {
        [bob]: { deliveredAt: '2026-11-21T10:02:00.000Z', readAt: '2026-11-21T10:03:00.000Z' },
        [alice]: { deliveredAt: '2026-11-21T10:04:00.000Z', readAt: null },
      },
    });
    const merged = mergers.messages({
      assumedMasterState: base,
      realMasterState: master,
      newDocumentState: fork,
    });
    expect(merged.receipts).toEqual({
      [alice]: { deliveredAt: '2026-11-21T10:04:00.000Z', readAt: null },
      [bob]: { deliveredAt: '2026-11-21T10:01:00.000Z', readAt: '2026-11-21T10:03:00.000Z' },
    });
  });

  it('lets the later edit win the text, whichever side it is on', () => {
    const early = message({
      body: 'early edit',
      editedAt: '2026-11-21T11:00:00.000Z',
      updatedAt: '2026-11-21T11:00:00.000Z',
    });
    const late = message({
      body: 'late edit',
      editedAt: '2026-11-21T12:00:00.000Z',
      updatedAt: '2026-11-21T12:00:00.000Z',
    });
    for (const [master, fork] of [
      [early, late],
      [late, early],
    ] as const) {
      const merged = mergers.messages({
        assumedMasterState: base,
        realMasterState: master,
        newDocumentState: fork,
      });
      expect(merged).toMatchObject({ body: 'late edit', editedAt: '2026-11-21T12:00:00.000Z' });
    }
  });

  it('lets a deletion win on either side', () => {
    const edited = message({ body: 'edited', editedAt: '2026-11-21T12:00:00.000Z' });
    const deleted = message({ _deleted: true });
    expect(
      mergers.messages({
        assumedMasterState: base,
        realMasterState: deleted,
        newDocumentState: edited,
      })._deleted,
    ).toBe(true);
    expect(
      mergers.messages({
        assumedMasterState: base,
        realMasterState: edited,
        newDocumentState: deleted,
      })._deleted,
    ).toBe(true);
  });
});

describe('settings and notifications merge', () => {
  it('settles two offline-created settings documents field by field, the later edit winning', () => {
    const common = {
      id: alice,
      locale: 'en-GB',
      weekStartsOn: 1,
      desktopNotifications: true,
      notificationSound: true,
      _deleted: false,
    };
    const laptop = { ...common, theme: 'dark' as const, updatedAt: '2026-11-21T09:00:00.000Z' };
    const desktop = {
      ...common,
      theme: 'light' as const,
      weekStartsOn: 0,
      updatedAt: '2026-11-21T09:30:00.000Z',
    };
    const one = mergers.settings({ realMasterState: laptop, newDocumentState: desktop });
    const other = mergers.settings({ realMasterState: desktop, newDocumentState: laptop });
    expect(one).toEqual(other);
    expect(one).toMatchObject({
      theme: 'light',
      weekStartsOn: 0,
      updatedAt: '2026-11-21T09:30:00.000Z',
    });
  });

  it('keeps a notification read once it was read anywhere', () => {
    const unread: WireDocument<'notifications'> = {
      id: '00000000-0000-4000-8000-000000000003',
      userId: alice,
      kind: 'message',
      title: 'New message',
      body: 'Bob: hi',
      link: null,
      createdAt: '2026-11-21T10:00:00.000Z',
      readAt: null,
      updatedAt: '2026-11-21T10:00:00.000Z',
      _deleted: false,
    };
    const readHere = {
      ...unread,
      readAt: '2026-11-21T10:10:00.000Z',
      updatedAt: '2026-11-21T10:10:00.000Z',
    };
    const readThere = {
      ...unread,
      readAt: '2026-11-21T10:05:00.000Z',
      updatedAt: '2026-11-21T10:05:00.000Z',
    };
    expect(
      mergers.notifications({
        assumedMasterState: unread,
        realMasterState: readThere,
        newDocumentState: readHere,
      }).readAt,
    ).toBe('2026-11-21T10:05:00.000Z');
  });
});

describe('server-owned documents (contracts, milestones)', () => {
  const contract: WireDocument<'contracts'> = {
    id: '00000000-0000-4000-8000-000000000004',
    updatedAt: '2026-11-21T10:00:00.000Z',
    projectId: '00000000-0000-4000-8000-000000000005',
    projectTitle: 'Build a time tracker',
    proposalId: '00000000-0000-4000-8000-000000000006',
    client: { id: alice, name: 'Alice' },
    freelancer: { id: bob, name: 'Bob' },
    type: 'hourly',
    currency: 'EUR',
    rate: { amountMinor: 4_500, currency: 'EUR' },
    total: null,
    weeklyHourLimit: 20,
    manualTimeAllowed: true,
    screenshotsPerSlot: 1,
    status: 'active',
    createdAt: '2026-11-21T10:00:00.000Z',
    _deleted: false,
  };

  it('never lets a device win a field, even a later edit of a field the master left alone', () => {
    const paused = {
      ...contract,
      status: 'paused' as const,
      updatedAt: '2026-11-21T11:00:00.000Z',
    };
    const forked = {
      ...contract,
      weeklyHourLimit: 40,
      manualTimeAllowed: false,
      updatedAt: '2026-11-21T12:00:00.000Z',
    };
    expect(
      mergers.contracts({
        assumedMasterState: contract,
        realMasterState: paused,
        newDocumentState: forked,
      }),
    ).toEqual(paused);
    expect(mergers.contracts({ realMasterState: paused, newDocumentState: forked })).toEqual(
      paused,
    );
    // A device's tombstone does not delete it either.
    expect(
      mergers.contracts({
        realMasterState: paused,
        newDocumentState: { ...paused, _deleted: true },
      }),
    ).toEqual(paused);
  });

  it('answers a milestone with the master', () => {
    const milestone: WireDocument<'milestones'> = {
      id: '00000000-0000-4000-8000-000000000007',
      updatedAt: '2026-11-21T10:00:00.000Z',
      contractId: contract.id,
      title: 'Design',
      amount: { amountMinor: 50_000, currency: 'EUR' },
      dueDate: null,
      position: 0,
      status: 'funded',
      createdAt: '2026-11-21T10:00:00.000Z',
      _deleted: false,
    };
    const fork = { ...milestone, status: 'released' as const, title: 'Design (done)' };
    expect(
      mergers.milestones({
        assumedMasterState: milestone,
        realMasterState: milestone,
        newDocumentState: fork,
      }),
    ).toEqual(milestone);
  });
});

describe('time entry merge', () => {
  const slot = (start: string, billedMs: number, removed = false) => ({
    start,
    billedMs,
    trackedMinutes: Math.ceil(billedMs / 60_000),
    activeMinutes: null,
    memo: '',
    removed,
  });
  const rate = { amountMinor: 6_000, currency: 'USD' };
  function entry(
    segments: WireDocument<'timeEntries'>['segments'],
    billedMs: number,
    updatedAt: string,
  ): WireDocument<'timeEntries'> {
    return {
      id: '00000000-0000-5000-8000-000000000010',
      contractId: '00000000-0000-4000-8000-000000000011',
      freelancerId: alice,
      kind: 'tracked',
      day: '2026-11-23',
      segments,
      manual: null,
      memo: '',
      billable: true,
      billedMs,
      rate,
      amount: { amountMinor: Math.round((6_000 * billedMs) / 3_600_000), currency: 'USD' },
      status: 'pending',
      createdAt: '2026-11-23T09:00:00.000Z',
      updatedAt,
      _deleted: false,
    };
  }

  it('unions the slots of two devices and computes billed time and amount from the union', () => {
    const base = entry(
      [slot('2026-11-23T09:00:00.000Z', 600_000)],
      600_000,
      '2026-11-23T09:10:00.000Z',
    );
    // One device tracked on, the other deleted the first slot's screenshot.
    const fork = entry(
      [slot('2026-11-23T09:00:00.000Z', 600_000), slot('2026-11-23T09:10:00.000Z', 300_000)],
      900_000,
      '2026-11-23T09:15:00.000Z',
    );
    const master = entry(
      [slot('2026-11-23T09:00:00.000Z', 600_000, true)],
      0,
      '2026-11-23T09:12:00.000Z',
    );
    const merged = mergers.timeEntries({
      assumedMasterState: base,
      realMasterState: { ...master, status: 'disputed' },
      newDocumentState: fork,
    });
    expect(merged.segments.map((s) => [s.start, s.billedMs, s.removed])).toEqual([
      ['2026-11-23T09:00:00.000Z', 600_000, true],
      ['2026-11-23T09:10:00.000Z', 300_000, false],
    ]);
    expect(merged.billedMs).toBe(300_000);
    expect(merged.amount).toEqual({ amountMinor: 500, currency: 'USD' });
    expect(merged.status).toBe('disputed');
  });
});

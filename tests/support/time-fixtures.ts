import { randomUUID } from 'node:crypto';
import type { Problem } from '../../shared/api/problem.ts';
import type { Money } from '../../shared/money/money.ts';
import type { TimeSegment, WireDocument } from '../../shared/sync/documents.ts';
import type { Checkpoint, SyncCollection } from '../../shared/sync/protocol.ts';
import { amountFor, billedOfSegments } from '../../shared/time/amounts.ts';
import { slotMs, utcDay, weekMs } from '../../shared/time/slots.ts';
import { trackedEntryId, weekApprovalId, workLogId } from '../../shared/time/stable-ids.ts';
import { client } from './http.ts';
import { contractBetween, type Member } from './marketplace-fixtures.ts';
import type { TestServer } from './test-server.ts';

/**
 * Time-tracking documents as the freelancer's and the client's devices make them, with their
 * numbers right (billed time, amounts, derived ids), and the sync calls to push and pull them.
 */
export const eur = (amountMinor: number): Money => ({ amountMinor, currency: 'EUR' });
const iso = (at: number) => new Date(at).toISOString();

/** The contract a document belongs to, as the freelancer's device knows it. */
export interface TimeContractRef {
  contractId: string;
  freelancerId: string;
  rate: Money | null;
}

/**
 * An active contract through the real REST flow (hourly at 45 EUR with manual time unless the
 * acceptance says otherwise, or fixed-price), then dated four weeks back: the finished weeks
 * tests record and review time in must lie inside the contract's life.
 */
export async function timeContractBetween(
  server: TestServer,
  parties: { client: Member; freelancer: Member; categoryId: string },
  type: 'hourly' | 'fixed',
  acceptance: Record<string, unknown> = {},
): Promise<TimeContractRef> {
  const contractId =
    type === 'hourly'
      ? await contractBetween(server, parties, 'active', {
          project: { budget: { type: 'hourly', min: eur(3_000), max: eur(6_000) } },
          proposal: { bid: { type: 'hourly', rate: eur(4_500) } },
          acceptance: { manualTimeAllowed: true, ...acceptance },
        })
      : await contractBetween(server, parties, 'active', { acceptance });
  await server.db.kysely
    .updateTable('contracts')
    .set({ created_at: new Date(Date.now() - 4 * weekMs).toISOString() })
    .where('id', '=', contractId)
    .execute();
  return {
    contractId,
    freelancerId: parties.freelancer.id,
    rate: type === 'hourly' ? eur(4_500) : null,
  };
}

export interface SlotSpec {
  start: number;
  billedMs?: number;
  removed?: boolean;
}

export function segment(slot: SlotSpec): TimeSegment {
  return {
    start: iso(slot.start),
    billedMs: slot.billedMs ?? slotMs,
    trackedMinutes: 10,
    activeMinutes: 8,
    memo: '',
    removed: slot.removed ?? false,
  };
}

/** The entry with its billed time and amount made true again for its segments or range. */
export function recomputed(entry: WireDocument<'timeEntries'>): WireDocument<'timeEntries'> {
  const billedMs = entry.manual
    ? Date.parse(entry.manual.to) - Date.parse(entry.manual.from)
    : billedOfSegments(entry.segments);
  const amount = entry.billable && entry.rate ? amountFor(billedMs, entry.rate) : null;
  return { ...entry, billedMs, amount, updatedAt: new Date().toISOString() };
}

/** The tracked entry of the UTC day of the first slot. */
export function trackedEntry(
  on: TimeContractRef,
  slots: SlotSpec[],
  extra: Partial<WireDocument<'timeEntries'>> = {},
): WireDocument<'timeEntries'> {
  const first = slots[0];
  if (!first) throw new Error('a tracked entry needs a slot');
  const day = utcDay(first.start);
  const at = new Date().toISOString();
  return recomputed({
    id: trackedEntryId(on.contractId, on.freelancerId, day),
    updatedAt: at,
    contractId: on.contractId,
    freelancerId: on.freelancerId,
    kind: 'tracked',
    day,
    segments: slots.map(segment),
    manual: null,
    memo: 'Worked on the tracker',
    billable: true,
    billedMs: 0,
    rate: on.rate,
    amount: null,
    status: 'pending',
    createdAt: at,
    _deleted: false,
    ...extra,
  });
}

export function manualEntry(
  on: TimeContractRef,
  from: number,
  to: number,
  extra: Partial<WireDocument<'timeEntries'>> = {},
): WireDocument<'timeEntries'> {
  const at = new Date().toISOString();
  return recomputed({
    id: randomUUID(),
    updatedAt: at,
    contractId: on.contractId,
    freelancerId: on.freelancerId,
    kind: 'manual',
    day: utcDay(from),
    segments: [],
    manual: { from: iso(from), to: iso(to) },
    memo: 'Call with the client',
    billable: true,
    billedMs: 0,
    rate: on.rate,
    amount: null,
    status: 'pending',
    createdAt: at,
    _deleted: false,
    ...extra,
  });
}

const image = (seed: string, width: number) => ({
  hash: seed.repeat(64).slice(0, 64),
  size: width * 10,
  width,
  height: Math.round((width * 9) / 16),
  mimeType: 'image/webp' as const,
});

/** A screenshot of a slot of a tracked entry, taken a minute into it. */
export function screenshotOf(
  entry: WireDocument<'timeEntries'>,
  slot: number,
  extra: Partial<WireDocument<'screenshots'>> = {},
): WireDocument<'screenshots'> {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    updatedAt: at,
    contractId: entry.contractId,
    freelancerId: entry.freelancerId,
    entryId: entry.id,
    slot: iso(slot),
    takenAt: iso(slot + 60_000),
    screen: 0,
    activity: 80,
    image: image('a', 1920),
    thumbnail: image('b', 320),
    blurred: false,
    createdAt: at,
    _deleted: false,
    ...extra,
  };
}

export function workLogOf(
  on: TimeContractRef,
  day: string,
  extra: Partial<WireDocument<'workLogs'>> = {},
): WireDocument<'workLogs'> {
  const at = new Date().toISOString();
  return {
    id: workLogId(on.contractId, on.freelancerId, day),
    updatedAt: at,
    contractId: on.contractId,
    freelancerId: on.freelancerId,
    day,
    tasksDone: 'Built the slot grid',
    blockers: '',
    notes: 'Screens next',
    createdAt: at,
    _deleted: false,
    ...extra,
  };
}

export function approvalOf(
  contractId: string,
  reviewer: { id: string },
  week: string,
  extra: Partial<WireDocument<'timeReviews'>> = {},
): WireDocument<'timeReviews'> {
  const at = new Date().toISOString();
  return {
    id: weekApprovalId(contractId, week),
    updatedAt: at,
    contractId,
    week,
    kind: 'approval',
    slots: [],
    reason: '',
    reviewerId: reviewer.id,
    status: 'open',
    response: '',
    createdAt: at,
    _deleted: false,
    ...extra,
  };
}

export function disputeOf(
  contractId: string,
  reviewer: { id: string },
  week: string,
  slots: Array<{ entryId: string; start: string }>,
  extra: Partial<WireDocument<'timeReviews'>> = {},
): WireDocument<'timeReviews'> {
  return approvalOf(contractId, reviewer, week, {
    id: randomUUID(),
    kind: 'dispute',
    slots,
    reason: 'The screenshots show another project',
    ...extra,
  });
}

export type PushRows<C extends SyncCollection> = Array<{
  newDocumentState: WireDocument<C>;
  assumedMasterState?: WireDocument<C> | null;
}>;

/** The sync endpoints as a device calls them, for one member at a time. */
export function syncCalls(server: TestServer) {
  const api = client(server.baseUrl);
  const pull = <C extends SyncCollection>(collection: C, who: Member, checkpoint?: Checkpoint) =>
    api.get<{ documents: WireDocument<C>[]; checkpoint: Checkpoint | null }>(
      `/sync/${collection}/pull?limit=100${checkpoint ? `&checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}` : ''}`,
      { token: who.token },
    );
  return {
    pull,
    push: <C extends SyncCollection>(collection: C, who: Member, rows: PushRows<C>) =>
      api.post<WireDocument<C>[] | Problem>(`/sync/${collection}/push`, {
        token: who.token,
        json: rows,
      }),
    /** Everything of a collection the member may see, following checkpoints to the end. */
    async pullAll<C extends SyncCollection>(collection: C, who: Member) {
      const documents: WireDocument<C>[] = [];
      let checkpoint: Checkpoint | undefined;
      for (;;) {
        const answer = await pull(collection, who, checkpoint);
        if (answer.status !== 200) throw new Error(`pull failed: ${JSON.stringify(answer.body)}`);
        documents.push(...answer.body.documents);
        if (answer.body.documents.length === 0) return { documents, checkpoint };
        checkpoint = answer.body.checkpoint ?? undefined;
      }
    },
  };
}

/** A new document as a device pushes it: no master assumed. */
export const created = <D>(document: D) => ({ newDocumentState: document });

/** A change to a document the device pulled. */
export const changed = <D>(master: D, next: D) => ({
  newDocumentState: next,
  assumedMasterState: master,
});

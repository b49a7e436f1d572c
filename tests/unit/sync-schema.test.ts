import { createHash } from 'node:crypto';
import { addRxPlugin, createRxDatabase, type RxStorage } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getAjv, wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { contractDocumentSchema, type DocumentOf } from '../../shared/sync/documents.ts';
import { canonical } from '../../shared/sync/merge.ts';
import { syncCollections, type SyncCollection } from '../../shared/sync/protocol.ts';
import { collectionDefinitions, rxSchemaOf } from '../../src-renderer/sync/collections.ts';
import { createUserDatabase, databaseNameFor } from '../../src-renderer/sync/database.ts';
import { schemaFingerprints } from '../../src-renderer/sync/migrations.ts';
import { rxJsonSchemaFromZod } from '../../src-renderer/sync/rx-schema.ts';
import { z } from 'zod';

disableWarnings();
addRxPlugin(RxDBDevModePlugin);

const alice = '6f1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e01';
const bob = '6f1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e02';
const at = '2026-11-21T10:00:00.000Z';

/** One valid document per collection: the shape a new collection must also provide here. */
const samples: { [C in SyncCollection]: DocumentOf[C] } = {
  settings: {
    id: alice,
    updatedAt: at,
    theme: 'dark',
    locale: 'en-GB',
    weekStartsOn: 1,
    desktopNotifications: true,
    notificationSound: false,
  },
  conversations: {
    id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d01',
    updatedAt: at,
    kind: 'direct',
    title: null,
    participants: [
      { id: alice, name: 'Alice' },
      { id: bob, name: 'Bob' },
    ],
    contractId: null,
    projectId: null,
    createdBy: alice,
    createdAt: at,
  },
  messages: {
    id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d02',
    updatedAt: at,
    conversationId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d01',
    senderId: alice,
    body: 'Hello',
    attachments: [
      { hash: 'a'.repeat(64), name: 'brief.pdf', size: 1200, mimeType: 'application/pdf' },
    ],
    sentAt: at,
    editedAt: null,
    receipts: { [bob]: { deliveredAt: at, readAt: null } },
  },
  notifications: {
    id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d03',
    updatedAt: at,
    userId: alice,
    kind: 'message',
    title: 'New message',
    body: 'Alice wrote',
    link: '/messages',
    createdAt: at,
    readAt: null,
  },
  contracts: {
    id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d04',
    updatedAt: at,
    projectId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d05',
    projectTitle: 'Build a time tracker',
    proposalId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d06',
    client: { id: alice, name: 'Alice' },
    freelancer: { id: bob, name: 'Bob' },
    type: 'fixed',
    currency: 'EUR',
    rate: null,
    total: { amountMinor: 200_000, currency: 'EUR' },
    weeklyHourLimit: null,
    manualTimeAllowed: false,
    screenshotsPerSlot: 2,
    status: 'active',
    createdAt: at,
  },
  milestones: {
    id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d07',
    updatedAt: at,
    contractId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d04',
    title: 'Design',
    amount: { amountMinor: 50_000, currency: 'EUR' },
    dueDate: '2027-01-31',
    position: 0,
    status: 'pending',
    createdAt: at,
  },
  timeEntries: {
    id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d08',
    updatedAt: at,
    contractId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d04',
    freelancerId: bob,
    kind: 'tracked',
    day: '2026-11-21',
    segments: [
      {
        start: '2026-11-21T09:50:00.000Z',
        billedMs: 600_000,
        trackedMinutes: 10,
        activeMinutes: null,
        memo: 'Sketches',
        removed: false,
      },
    ],
    manual: null,
    memo: '',
    billable: true,
    billedMs: 600_000,
    rate: { amountMinor: 6_000, currency: 'EUR' },
    amount: { amountMinor: 1_000, currency: 'EUR' },
    status: 'pending',
    createdAt: at,
  },
  screenshots: {
    id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d09',
    updatedAt: at,
    contractId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d04',
    freelancerId: bob,
    entryId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d08',
    slot: '2026-11-21T09:50:00.000Z',
    takenAt: '2026-11-21T09:54:12.000Z',
    screen: 0,
    activity: 80,
    image: {
      hash: 'b'.repeat(64),
      size: 120_000,
      width: 1920,
      height: 1080,
      mimeType: 'image/webp',
    },
    thumbnail: {
      hash: 'c'.repeat(64),
      size: 9_000,
      width: 320,
      height: 180,
      mimeType: 'image/webp',
    },
    blurred: false,
    createdAt: at,
  },
  workLogs: {
    id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d0a',
    updatedAt: at,
    contractId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d04',
    freelancerId: bob,
    day: '2026-11-21',
    tasksDone: 'Drew the owls',
    blockers: '',
    notes: 'Colours tomorrow',
    createdAt: at,
  },
  timeReviews: {
    id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d0b',
    updatedAt: at,
    contractId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d04',
    week: '2026-11-16',
    kind: 'dispute',
    slots: [{ entryId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d08', start: '2026-11-21T09:50:00.000Z' }],
    reason: 'I did not ask for sketches',
    reviewerId: alice,
    status: 'open',
    response: '',
    createdAt: at,
  },
  escrows: {
    id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d0e',
    updatedAt: at,
    contractId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d04',
    clientId: alice,
    freelancerId: bob,
    milestoneId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d05',
    week: null,
    currency: 'USD',
    amountMinor: 50_000,
    fundedMinor: 50_000,
    releasedMinor: 20_000,
    refundedMinor: 0,
    heldMinor: 30_000,
    platformFeeMinor: 2_000,
    freelancerNetMinor: 18_000,
    status: 'funded',
    payment: {
      status: 'succeeded',
      rail: 'sandbox',
      amountMinor: 50_000,
      providerFeeMinor: 1_480,
      failureMessage: null,
      updatedAt: at,
    },
    submittedAt: null,
    reviewDeadline: null,
    refunds: [],
    dispute: null,
    createdAt: at,
  },
  invoices: {
    id: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d0f',
    updatedAt: at,
    issuerId: bob,
    issuerName: 'Bob',
    recipientId: alice,
    recipientName: 'Alice',
    contractId: '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d04',
    contractTitle: 'Logo design',
    number: 'INV-0001',
    sequence: 1,
    source: { kind: 'week', week: '2026-11-16', milestoneId: null },
    lines: [
      {
        description: 'Mon 2026-11-16',
        quantityThousandths: 2_500,
        unitPriceMinor: 8_500,
        amountMinor: 21_250,
      },
    ],
    taxRateBps: 2_000,
    currency: 'USD',
    subtotalMinor: 21_250,
    taxMinor: 4_250,
    totalMinor: 25_500,
    issueDate: '2026-11-21',
    dueDate: '2026-12-05',
    status: 'sent',
    notes: '',
    sentAt: at,
    paidAt: null,
    voidedAt: null,
    createdAt: at,
  },
};

/** Mutations each schema must refuse, checked against zod and the generated JSON schema alike. */
const invalid: Array<[string, (doc: Record<string, unknown>) => void]> = [
  ['an unknown field', (doc) => (doc.surprise = 1)],
  ['a missing field', (doc) => delete doc.updatedAt],
  ['a non-uuid id', (doc) => (doc.id = 'not-a-uuid')],
  ['a wrong type', (doc) => (doc.updatedAt = 42)],
];

const validateJson = (collection: SyncCollection) =>
  getAjv().compile({ ...rxSchemaOf(collection), $id: `megilance-${collection}-${Math.random()}` });

describe('RxDB schemas generated from the zod schemas', () => {
  it.each(syncCollections)('%s: a valid document passes zod and the JSON schema', (collection) => {
    const doc = samples[collection];
    expect(collectionDefinitions[collection].zod.safeParse(doc).success).toBe(true);
    const validate = validateJson(collection);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(syncCollections)('%s: invalid documents fail both', (collection) => {
    const validate = validateJson(collection);
    for (const [label, mutate] of invalid) {
      const doc = structuredClone(samples[collection]) as Record<string, unknown>;
      mutate(doc);
      expect(collectionDefinitions[collection].zod.safeParse(doc).success, label).toBe(false);
      expect(validate(doc), label).toBe(false);
    }
  });

  it.each(syncCollections)(
    '%s: has id as bounded primary key and bounded indexes',
    (collection) => {
      const schema = rxSchemaOf(collection);
      expect(schema.primaryKey).toBe('id');
      expect(schema.version).toBe(collectionDefinitions[collection].version);
      const properties = schema.properties as Record<
        string,
        { type?: string; maxLength?: number; minimum?: number; maximum?: number }
      >;
      expect(properties.id?.maxLength).toBe(36);
      for (const field of (schema.indexes ?? []).flat()) {
        const property = properties[field];
        // Index keys are fixed-width: strings need a length, numbers a range.
        if (property?.type === 'integer') {
          expect(property.minimum, field).toBeTypeOf('number');
          expect(property.maximum, field).toBeTypeOf('number');
        } else {
          expect(property?.maxLength, field).toBeGreaterThan(0);
        }
        expect(schema.required).toContain(field);
      }
    },
  );

  it('indexes messages by conversation and time, conversations and notifications by time', () => {
    expect(rxSchemaOf('messages').indexes).toEqual([['conversationId', 'sentAt']]);
    expect(rxSchemaOf('conversations').indexes).toEqual(['updatedAt']);
    expect(rxSchemaOf('notifications').indexes).toEqual(['createdAt']);
  });

  it('indexes contracts by creation and milestones by contract and position', () => {
    expect(rxSchemaOf('contracts').indexes).toEqual(['createdAt']);
    expect(rxSchemaOf('milestones').indexes).toEqual([['contractId', 'position']]);
  });

  it('indexes time entries, work logs, screenshots and reviews by contract and time', () => {
    expect(rxSchemaOf('timeEntries').indexes).toEqual([['contractId', 'day']]);
    expect(rxSchemaOf('workLogs').indexes).toEqual([['contractId', 'day']]);
    expect(rxSchemaOf('screenshots').indexes).toEqual([['contractId', 'slot']]);
    expect(rxSchemaOf('timeReviews').indexes).toEqual([['contractId', 'week']]);
    const properties = rxSchemaOf('timeEntries').properties as Record<
      string,
      { maxLength?: number }
    >;
    // A calendar day indexes at its own width.
    expect(properties.day?.maxLength).toBe(10);
  });

  it('refuses a contract or milestone the server would never send', () => {
    const contracts = collectionDefinitions.contracts.zod;
    const milestones = collectionDefinitions.milestones.zod;
    const money = (amountMinor: number, currency: string) => ({ amountMinor, currency });
    expect(contracts.safeParse({ ...samples.contracts, status: 'archived' }).success).toBe(false);
    expect(contracts.safeParse({ ...samples.contracts, currency: 'EURO' }).success).toBe(false);
    expect(contracts.safeParse({ ...samples.contracts, total: money(-1, 'EUR') }).success).toBe(
      false,
    );
    expect(contracts.safeParse({ ...samples.contracts, weeklyHourLimit: 169 }).success).toBe(false);
    expect(milestones.safeParse({ ...samples.milestones, dueDate: '31/01/2027' }).success).toBe(
      false,
    );
    expect(
      milestones.safeParse({ ...samples.milestones, amount: { ...money(1, 'EUR'), extra: 1 } })
        .success,
    ).toBe(false);
  });

  it('is generic: a future collection with its own indexes generates too', () => {
    const timeEntry = z
      .object({
        id: z.uuid(),
        updatedAt: z.iso.datetime(),
        contractId: z.uuid(),
        startedAt: z.iso.datetime(),
        minutes: z
          .int()
          .min(0)
          .max(24 * 60),
        note: z.string().max(500).nullable(),
      })
      .strict();
    const schema = rxJsonSchemaFromZod(timeEntry, {
      version: 0,
      indexes: [['contractId', 'startedAt'], 'minutes'],
    });
    const properties = schema.properties as unknown as Record<string, Record<string, unknown>>;
    expect(properties.startedAt?.maxLength).toBe(32);
    expect(properties.minutes).toMatchObject({ minimum: 0, maximum: 1440, multipleOf: 1 });
    expect(() => rxJsonSchemaFromZod(timeEntry, { version: 0, indexes: ['note'] })).toThrow(/note/);
  });

  it('keeps each schema at the version its fingerprint was recorded for', () => {
    const actual = Object.fromEntries(
      syncCollections.map((collection) => [
        collection,
        {
          version: collectionDefinitions[collection].version,
          sha256: createHash('sha256')
            .update(canonical(rxSchemaOf(collection)))
            .digest('hex'),
        },
      ]),
    );
    // If this fails, a zod schema changed: bump the collection's version, add a migration
    // strategy in src-renderer/sync/migrations.ts, then record the new fingerprint there.
    expect(actual).toEqual(schemaFingerprints);
  });
});

/** Dev-mode wants a validating storage; it also proves the schemas against RxDB's checks. */
const validated = () =>
  wrappedValidateAjvStorage({ storage: getRxStorageMemory() }) as RxStorage<unknown, unknown>;

describe('the user database', () => {
  const opened: Array<{ close(): Promise<unknown> }> = [];
  // RxDB's open core opens 13 collections per process: each test closes what it opened.
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });

  it('names the database after the user, never shared between users', () => {
    expect(databaseNameFor(alice)).toBe(`megilance_${alice.replace(/-/g, '')}`);
    expect(databaseNameFor(alice)).not.toBe(databaseNameFor(bob));
    expect(databaseNameFor(alice, 'Device 2')).toBe(`${databaseNameFor(alice)}_device2`);
  });

  it('opens every collection under dev-mode checks and stores valid documents', async () => {
    const db = await createUserDatabase({
      userId: alice,
      storage: validated(),
      multiInstance: false,
    });
    opened.push(db);
    for (const collection of syncCollections) {
      // The typed map of collections: each takes its own documents.
      const rx = db.collections[collection] as unknown as {
        insert(doc: unknown): Promise<{ toJSON(): unknown }>;
      };
      const stored = await rx.insert(samples[collection]);
      expect(stored.toJSON()).toEqual(samples[collection]);
    }
  });

  it('migrates contracts stored before screenshots per slot to the server default of one', async () => {
    const carol = '6f1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e03';
    const storage = validated();
    // The contracts schema as version 0 stored it: the recorded fingerprint proves it.
    const before = rxJsonSchemaFromZod(contractDocumentSchema.omit({ screenshotsPerSlot: true }), {
      version: 0,
      indexes: ['createdAt'],
    });
    expect(createHash('sha256').update(canonical(before)).digest('hex')).toBe(
      '59630d8dced896b16e35a8f98e983667269ac46372517756bd4d2047f45102c2',
    );
    const old = await createRxDatabase({
      name: databaseNameFor(carol),
      storage,
      multiInstance: false,
    });
    await old.addCollections({ contracts: { schema: before } });
    const { screenshotsPerSlot: _dropped, ...stored } = samples.contracts;
    await old.collections.contracts?.insert(stored);
    await old.close();

    const db = await createUserDatabase({ userId: carol, storage, multiInstance: false });
    opened.push(db);
    const migrated = await db.contracts.findOne(samples.contracts.id).exec();
    expect(migrated?.toJSON()).toEqual({ ...stored, screenshotsPerSlot: 1 });
  });

  it('refuses an invalid write with the zod reason and normalises like the server', async () => {
    const db = await createUserDatabase({
      userId: bob,
      storage: validated(),
      multiInstance: false,
    });
    opened.push(db);
    await expect(
      db.messages.insert({ ...samples.messages, body: '   ', attachments: [] }),
    ).rejects.toThrow(/text or an attachment/);
    const conversation = await db.conversations.insert({
      ...samples.conversations,
      title: '  Launch plan  ',
    });
    expect(conversation.title).toBe('Launch plan');
  });
});

import type { RxJsonSchema } from 'rxdb';
import type { z } from 'zod';
import { documentSchemas, type DocumentOf } from '../../shared/sync/documents.ts';
import { syncCollections, type SyncCollection } from '../../shared/sync/protocol.ts';
import { rxJsonSchemaFromZod, type IndexSpec } from './rx-schema.ts';

/**
 * Everything the device needs to know about one synced collection. Adding contracts,
 * milestones, time entries, screenshots, work logs or invoices is one more entry here (and in
 * `shared/sync`): the schema, database, replication and pending tracking are generic.
 *
 * RxDB's open core opens at most 13 collections per process: keep this list at 12 or fewer
 * (see ARCHITECTURE.md, "Who owns what").
 */
export interface CollectionDefinition<C extends SyncCollection> {
  zod: z.ZodType<DocumentOf[C]>;
  /** The schema version stored on devices; bump it with a strategy in `migrations.ts`. */
  version: number;
  /** Indexes for the screens' queries; the primary key is appended by RxDB. */
  indexes: readonly IndexSpec[];
}

export const collectionDefinitions: { [C in SyncCollection]: CollectionDefinition<C> } = {
  settings: { zod: documentSchemas.settings, version: 0, indexes: [] },
  // The conversation list sorts by last activity.
  conversations: { zod: documentSchemas.conversations, version: 0, indexes: ['updatedAt'] },
  // A thread is one conversation's messages in the order they were written.
  messages: {
    zod: documentSchemas.messages,
    version: 0,
    indexes: [['conversationId', 'sentAt']],
  },
  notifications: { zod: documentSchemas.notifications, version: 0, indexes: ['createdAt'] },
  // Read-only here (the server writes them). The list shows the newest contracts first.
  // Version 1 added `screenshotsPerSlot` (migrations.ts).
  contracts: { zod: documentSchemas.contracts, version: 1, indexes: ['createdAt'] },
  // A contract page shows its milestones in order.
  milestones: {
    zod: documentSchemas.milestones,
    version: 0,
    indexes: [['contractId', 'position']],
  },
  // The work diary and the timesheet read a contract's entries by UTC day.
  timeEntries: {
    zod: documentSchemas.timeEntries,
    version: 0,
    indexes: [['contractId', 'day']],
  },
  // A diary day shows a contract's screenshots by slot.
  screenshots: {
    zod: documentSchemas.screenshots,
    version: 0,
    indexes: [['contractId', 'slot']],
  },
  workLogs: { zod: documentSchemas.workLogs, version: 0, indexes: [['contractId', 'day']] },
  // Reviews are per contract and week (Monday UTC).
  timeReviews: {
    zod: documentSchemas.timeReviews,
    version: 0,
    indexes: [['contractId', 'week']],
  },
  // Read-only here (the server writes them): a contract page lists its escrows.
  escrows: {
    zod: documentSchemas.escrows,
    version: 0,
    indexes: [['contractId', 'createdAt']],
  },
  // Read-only here (the server writes them): the invoices list shows the newest first.
  invoices: { zod: documentSchemas.invoices, version: 0, indexes: ['createdAt'] },
};

export function rxSchemaOf<C extends SyncCollection>(collection: C): RxJsonSchema<DocumentOf[C]> {
  const definition = collectionDefinitions[collection];
  return rxJsonSchemaFromZod(definition.zod, {
    version: definition.version,
    indexes: definition.indexes,
  });
}

export { syncCollections };

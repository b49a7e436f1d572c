import {
  addRxPlugin,
  createRxDatabase,
  type RxCollection,
  type RxCollectionCreator,
  type RxDatabase,
  type RxStorage,
} from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import type { DocumentOf } from '../../shared/sync/documents.ts';
import type { SyncCollection } from '../../shared/sync/protocol.ts';
import { collectionDefinitions, rxSchemaOf, syncCollections } from './collections.ts';
import { conflictHandlerFor } from './conflict-handler.ts';
import { migrationStrategies } from './migrations.ts';

addRxPlugin(RxDBLocalDocumentsPlugin);
addRxPlugin(RxDBMigrationSchemaPlugin);

export type MegilanceCollections = { [C in SyncCollection]: RxCollection<DocumentOf[C]> };
export type MegilanceDatabase = RxDatabase<MegilanceCollections>;

export interface UserDatabaseOptions {
  userId: string;
  storage: RxStorage<unknown, unknown>;
  /**
   * Keeps several simulated devices of one user apart inside one process (tests). A real
   * device has one database per user and leaves this out.
   */
  namespace?: string;
  /** Several windows of the app sharing the database (browser default); off in Node tests. */
  multiInstance?: boolean;
  /**
   * The collections to open: all of them unless told. RxDB's open core allows 13 open
   * collections per process, so tests simulating several devices in one process open only
   * those they exercise. A real device has one database per window and opens them all.
   */
  collections?: readonly SyncCollection[];
}

/**
 * One database per user, named after the user's id: signing in as someone else on the same
 * machine opens a different IndexedDB database and never sees this one.
 */
export function databaseNameFor(userId: string, namespace?: string): string {
  const user = userId.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (!user) throw new Error('A user id is needed to open the local database');
  const suffix = namespace ? `_${namespace.toLowerCase().replace(/[^a-z0-9]/g, '')}` : '';
  return `megilance_${user}${suffix}`;
}

export async function createUserDatabase(options: UserDatabaseOptions): Promise<MegilanceDatabase> {
  const db = await createRxDatabase<MegilanceCollections>({
    name: databaseNameFor(options.userId, options.namespace),
    storage: options.storage,
    multiInstance: options.multiInstance ?? typeof window !== 'undefined',
    // The sync engine keeps its outbox (pending and refused changes) in local documents.
    localDocuments: true,
    // React's strict mode and hot reload open the database again before the old one closed.
    closeDuplicates: true,
    eventReduce: true,
  });
  const collections = options.collections ?? syncCollections;
  try {
    const creators = Object.fromEntries(
      collections.map((collection) => [collection, collectionCreator(collection)]),
    ) as { [C in SyncCollection]: RxCollectionCreator<DocumentOf[C]> };
    await db.addCollections(creators);
    for (const collection of collections) validateWrites(db, collection);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}

function collectionCreator<C extends SyncCollection>(
  collection: C,
): RxCollectionCreator<DocumentOf[C]> {
  return {
    schema: rxSchemaOf(collection),
    migrationStrategies: migrationStrategies[collection],
    conflictHandler: conflictHandlerFor(collection),
  };
}

/**
 * Every local write is checked against the same zod schema the server checks a push with,
 * so a bad document fails where it was typed instead of being refused later by the server.
 * zod's output is written back, so its normalisation (trimmed titles) is what gets stored
 * and pushed: the server would otherwise store a different document than the device holds.
 * Replicated writes do not pass through these hooks (the server validated them).
 */
function validateWrites<C extends SyncCollection>(db: MegilanceDatabase, collection: C): void {
  const schema = collectionDefinitions[collection].zod;
  const check = (data: Record<string, unknown>) => {
    if (data._deleted === true) return;
    const plain = Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith('_')));
    const parsed = schema.safeParse(plain);
    if (!parsed.success) throw new InvalidDocumentError(collection, parsed.error.issues);
    Object.assign(data, parsed.data);
  };
  const rxCollection = db.collections[collection] as unknown as RxCollection<
    Record<string, unknown>
  >;
  rxCollection.preInsert((data) => check(data), false);
  rxCollection.preSave((data) => check(data), false);
}

export class InvalidDocumentError extends Error {
  readonly collection: SyncCollection;
  readonly issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>;
  constructor(
    collection: SyncCollection,
    issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>,
  ) {
    const first = issues[0];
    super(
      first
        ? `Invalid ${collection} document: ${first.path.map(String).join('.') || 'document'} ${first.message}`
        : `Invalid ${collection} document`,
    );
    this.name = 'InvalidDocumentError';
    this.collection = collection;
    this.issues = issues;
  }
}

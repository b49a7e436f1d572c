import type { MigrationStrategies } from 'rxdb';
import type { SyncCollection } from '../../shared/sync/protocol.ts';

/**
 * Where a collection's stored documents move from one schema version to the next.
 *
 * Every collection is at version 0, so there is nothing to migrate yet. When a zod schema in
 * `shared/sync/documents.ts` changes, the generated RxDB schema changes with it and RxDB
 * refuses to open the old data under the new schema. Then: bump the collection's `version` in
 * `collections.ts`, add `{ [newVersion]: (oldDoc) => newDoc }` here, and record the new
 * schema's fingerprint in `schemaFingerprints` (the unit test `sync-schema` fails until the
 * three agree, which is how a schema change without a migration is caught before release).
 *
 * Migrated documents are written locally and pushed like any local edit, so a strategy must
 * produce what the server would store for the same document.
 */
export const migrationStrategies: { [C in SyncCollection]: MigrationStrategies } = {
  settings: {},
  conversations: {},
  messages: {},
  notifications: {},
  contracts: {},
  milestones: {},
};

/**
 * sha256 of each collection's generated RxDB schema (canonical JSON) at its current version.
 * Updated only together with a version bump and a strategy above.
 */
export const schemaFingerprints: { [C in SyncCollection]: { version: number; sha256: string } } = {
  settings: {
    version: 0,
    sha256: '51eaf608019fa5f1fa538b89219f615f3b4c4d70b6a1cb500cae160071a89a43',
  },
  conversations: {
    version: 0,
    sha256: '6f01cd5299c9fcdb14cf4582fd83c45d0eb3709521860cc6ea11e8527da5dc1f',
  },
  messages: {
    version: 0,
    sha256: 'e3dbd6c30ad8590bd560390bab610f202d749006310236edae92bb338699cade',
  },
  notifications: {
    version: 0,
    sha256: '882eaf1a4b17672821c341ae2311ca584926c80889bd688c45cc18172a04aa5a',
  },
  contracts: {
    version: 0,
    sha256: '59630d8dced896b16e35a8f98e983667269ac46372517756bd4d2047f45102c2',
  },
  milestones: {
    version: 0,
    sha256: '16de4cabb5dbab82cc37dfa847113368d8bd7b4d87536df3bc24bfc55adf3fe8',
  },
};

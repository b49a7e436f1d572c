import type { MigrationStrategies } from 'rxdb';
import type { SyncCollection } from '../../shared/sync/protocol.ts';

/**
 * Where a collection's stored documents move from one schema version to the next.
 *
 * When a zod schema in `shared/sync/documents.ts` changes, the generated RxDB schema changes
 * with it and RxDB refuses to open the old data under the new schema. Then: bump the
 * collection's `version` in `collections.ts`, add `{ [newVersion]: (oldDoc) => newDoc }` here,
 * and record the new schema's fingerprint in `schemaFingerprints` (the unit test `sync-schema`
 * fails until the three agree, which is how a schema change without a migration is caught
 * before release).
 *
 * RxDB runs the same strategy over the replication's stored master states, so a migrated
 * document still equals the master it assumes and is not pushed again. A strategy must
 * therefore produce exactly what the server holds for the same document after its own
 * migration, or the next pull brings the server's version anyway.
 */
export const migrationStrategies: { [C in SyncCollection]: MigrationStrategies } = {
  settings: {},
  conversations: {},
  messages: {},
  notifications: {},
  contracts: {
    // Version 1 added `screenshotsPerSlot`; the server gave existing contracts 1 per slot.
    1: (old: Record<string, unknown>) => ({ ...old, screenshotsPerSlot: 1 }),
  },
  milestones: {},
  timeEntries: {},
  screenshots: {},
  workLogs: {},
  timeReviews: {},
  escrows: {},
  invoices: {},
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
    version: 1,
    sha256: '6da77af729901ddeb628c21a06d28c56434c9f04e3a6c4f44f7cf8d9a396b47c',
  },
  milestones: {
    version: 0,
    sha256: '16de4cabb5dbab82cc37dfa847113368d8bd7b4d87536df3bc24bfc55adf3fe8',
  },
  timeEntries: {
    version: 0,
    sha256: 'aaa623b1243b20c04d028aa82ac529c10d15c1e4e386ee6da72e7b7f64789717',
  },
  screenshots: {
    version: 0,
    sha256: '77e08be23f285f1a41b8b3f3de226a31f36207b6267811cfd18ca36a4bfaae5c',
  },
  workLogs: {
    version: 0,
    sha256: 'bba490898a811d873c90f953f65d6e0d187b2918a2ec076d1cbdf6d1141bb775',
  },
  timeReviews: {
    version: 0,
    sha256: '01aa90a8eafc66dfafecf5eee4a452ff0b6b5b337b83faba456b2f7e5f15a7d1',
  },
  escrows: {
    version: 0,
    sha256: '6969e23e7aa6316c35b6c045d20fcd36e3e29b0bbb9bbf808d7e6171cfa473fc',
  },
  invoices: {
    version: 0,
    sha256: '7f801cddc1c242ecea33cab7cef7318de9d09a801c9141ce0eeda18c103ef15a',
  },
};

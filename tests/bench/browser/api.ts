import type { WireDocument } from '../../../shared/sync/documents.ts';

/** What the benchmark page offers the driver (`window.megilanceBench`); times in ms. */
export interface OurDevice {
  serverUrl: string;
  userId: string;
  accessToken: string;
  timeoutMs: number;
}

export interface OurInitialSyncArgs extends OurDevice {
  /** Messages the server holds for this user: done when all are in the local database. */
  expected: number;
}

export interface OurPushArgs extends OurDevice {
  /** Already on the server: the device pulls it before it goes offline. */
  conversationId: string;
  messages: Array<WireDocument<'messages'>>;
}

export interface PouchInitialSyncArgs {
  remoteUrl: string;
  expected: number;
  timeoutMs: number;
  /** PouchDB's `batch_size`; absent: its default (100). */
  batchSize?: number;
}

export interface PouchPushArgs {
  remoteUrl: string;
  docs: PouchMessage[];
  timeoutMs: number;
  batchSize?: number;
}

/** A message as PouchDB stores it: the same JSON body, keyed by `_id`. */
export type PouchMessage = Omit<WireDocument<'messages'>, '_deleted'> & { _id: string };

export interface Timing {
  /** From the start of the measured step to its end. */
  ms: number;
  /** Documents the destination holds afterwards (checked after the clock stopped). */
  docs: number;
  /** Storage on the device, as the library reports it. */
  storage: string;
  /** Anything worth knowing about the run (e.g. time to open the database). */
  note?: string;
}

export interface BenchApi {
  ourInitialSync(args: OurInitialSyncArgs): Promise<Timing>;
  ourPush(args: OurPushArgs): Promise<Timing>;
  pouchInitialSync(args: PouchInitialSyncArgs): Promise<Timing>;
  pouchPush(args: PouchPushArgs): Promise<Timing>;
}

declare global {
  interface Window {
    megilanceBench?: BenchApi;
  }
}

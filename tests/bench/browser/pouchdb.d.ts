/**
 * The slice of PouchDB 9 and express-pouchdb 4.2 the sync benchmark uses (neither ships its
 * own types; @types/pouchdb describes PouchDB 6 across a dozen packages).
 */
declare module 'pouchdb-browser' {
  export interface PouchDocument {
    _id: string;
    _rev?: string;
    [field: string]: unknown;
  }

  export interface PouchInfo {
    db_name: string;
    doc_count: number;
    update_seq: number | string;
    adapter?: string;
  }

  export interface ReplicationOptions {
    batch_size?: number;
    batches_limit?: number;
    live?: boolean;
    retry?: boolean;
  }

  export interface ReplicationResult {
    ok: boolean;
    docs_read: number;
    docs_written: number;
    doc_write_failures: number;
    errors: unknown[];
    status: string;
  }

  export interface PouchDatabase {
    readonly adapter: string;
    info(): Promise<PouchInfo>;
    bulkDocs(
      docs: PouchDocument[],
    ): Promise<Array<{ ok?: boolean; id?: string; error?: string; reason?: string }>>;
    close(): Promise<void>;
    destroy(): Promise<void>;
    replicate: {
      from(
        source: string | PouchDatabase,
        options?: ReplicationOptions,
      ): Promise<ReplicationResult>;
      to(target: string | PouchDatabase, options?: ReplicationOptions): Promise<ReplicationResult>;
    };
  }

  export interface PouchConstructor {
    new (name: string, options?: { adapter?: string; prefix?: string }): PouchDatabase;
    defaults(options: { prefix?: string; adapter?: string }): PouchConstructor;
    readonly adapters: Record<string, unknown>;
    readonly preferredAdapters: string[];
    readonly version: string;
  }

  const PouchDB: PouchConstructor;
  export default PouchDB;
}

declare module 'pouchdb' {
  import PouchDB from 'pouchdb-browser';
  export default PouchDB;
}

declare module 'express-pouchdb' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { PouchConstructor } from 'pouchdb-browser';

  export interface ExpressPouchDBOptions {
    mode?: 'fullCouchDB' | 'minimumForPouchDB' | 'custom';
    overrideMode?: { include?: string[]; exclude?: string[] };
    inMemoryConfig?: boolean;
    configPath?: string;
    logPath?: string;
  }

  export default function expressPouchDB(
    PouchDB: PouchConstructor,
    options?: ExpressPouchDBOptions,
  ): (request: IncomingMessage, response: ServerResponse) => void;
}

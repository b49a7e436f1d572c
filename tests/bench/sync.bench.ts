/**
 * Sync, side by side with PouchDB in the same run (issue 3, "Benchmark"):
 *
 * 1. Initial sync of 10,000 messages to a new device in Chromium: our engine (RxDB, Dexie
 *    storage on IndexedDB) pulling from our server (SQLite) vs PouchDB 9 (idb adapter on
 *    IndexedDB) replicating the same JSON bodies from express-pouchdb 4.2 (LevelDB).
 * 2. Push of 1,000 messages written offline, from the moment the device is back online.
 * 3. Live delivery sender → receiver over socket.io: two Node devices (RxDB memory storage),
 *    200 messages 20 ms apart.
 *
 * Both servers run in processes of their own; the page is a Vite build of tests/bench/browser
 * served from here on 127.0.0.1. Every measurement gets a fresh browser context (fresh
 * IndexedDB) and is timed inside the page with performance.now(). Loopback only.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import type { Browser } from 'playwright-core';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { build } from 'vite';
import type { WireDocument } from '../../shared/sync/documents.ts';
import type { Checkpoint } from '../../shared/sync/protocol.ts';
import { startSyncEngine, type SyncEngine } from '../../src-renderer/sync/engine.ts';
import { client } from '../support/http.ts';
import { launchChromium } from '../support/chromium.ts';
import { freePort } from '../support/ports.ts';
import { conversationBetween, signUp, type Person } from '../support/sync-fixtures.ts';
import type { BenchApi, PouchMessage, Timing } from './browser/api.ts';

const root = join(import.meta.dirname, '..', '..');
/** Rounds of the two browser comparisons (each round measures both systems, alternating). */
const rounds = Math.max(1, Number(process.env.BENCH_SYNC_ROUNDS ?? 3));

const INITIAL_DOCS = 10_000;
const SEED_BATCH = 500;
const PUSH_DOCS = 1_000;
const LIVE_MESSAGES = 200;
const LIVE_SPACING_MS = 20;
const LIVE_WARMUP = 5;
const LIVE_TARGET_P95_MS = 50;
const STEP_TIMEOUT_MS = 60_000;

const ourServerStorage = 'SQLite (better-sqlite3, file on disk)';
const pouchServerStorage = 'LevelDB (leveldown, files on disk)';

// ---------------------------------------------------------------------------------------------
// Processes and servers

interface Child {
  url: string;
  stop(): Promise<void>;
}

/** Starts a script on this Node; its URL comes from a line it prints, or is known and polled. */
async function startProcess(
  script: string,
  env: Record<string, string>,
  pattern: RegExp | null,
  knownUrl?: string,
): Promise<Child> {
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`))),
  );
  let output = '';
  const announced = new Promise<string>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      // Always read, so a chatty child never blocks on a full pipe.
      if (output.length > 10_000) return;
      output += chunk.toString();
      const match = pattern?.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  try {
    const url = await Promise.race([
      exited,
      knownUrl ? waitForHealth(knownUrl).then(() => knownUrl) : announced,
    ]);
    exited.catch(() => undefined);
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForHealth(url: string) {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} never became healthy`);
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** A static server for the built page on 127.0.0.1 (the origin the servers allow). */
async function serveStatic(dir: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir + sep)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, {
          'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
        });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The page: our engine and PouchDB's browser build, bundled as the app would be (production). */
async function buildPage(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: join(import.meta.dirname, 'browser'),
    logLevel: 'error',
    mode: 'production',
    build: {
      outDir,
      emptyOutDir: true,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 10_000,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Documents

const filler =
  'Thanks for the update on the milestone. I reviewed the latest build and left two notes ' +
  'on the invoice draft; can we go over them tomorrow morning?';

/** Messages as a device writes them, with distinct, increasing send times. */
function messagesFor(
  conversation: { id: string },
  sender: Person,
  count: number,
  label: string,
): Array<WireDocument<'messages'>> {
  const start = Date.now() - count;
  return Array.from({ length: count }, (_, index) => {
    const at = new Date(start + index).toISOString();
    return {
      id: randomUUID(),
      updatedAt: at,
      conversationId: conversation.id,
      senderId: sender.id,
      body: `${label} ${index + 1}: ${filler}`,
      attachments: [],
      sentAt: at,
      editedAt: null,
      receipts: {},
      _deleted: false,
    };
  });
}

/** The same JSON body for PouchDB: keyed by `_id`, its tombstone flag left to PouchDB. */
function asPouch(message: WireDocument<'messages'>): PouchMessage {
  const { _deleted: _gone, ...body } = message;
  return { _id: message.id, ...body };
}

async function ourPush<C extends 'conversations' | 'messages'>(
  serverUrl: string,
  person: Person,
  collection: C,
  docs: Array<WireDocument<C>>,
): Promise<void> {
  for (let offset = 0; offset < docs.length; offset += SEED_BATCH) {
    const rows = docs.slice(offset, offset + SEED_BATCH).map((doc) => ({ newDocumentState: doc }));
    const answer = await client(serverUrl).post<unknown[]>(`/sync/${collection}/push`, {
      token: person.accessToken,
      json: rows,
    });
    if (answer.status !== 200 || !Array.isArray(answer.body) || answer.body.length > 0) {
      throw new Error(
        `seeding ${collection} failed: ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    }
  }
}

/** A person with a conversation on our server (and, optionally, messages in it). */
async function ourPersonWithConversation(serverUrl: string, name: string) {
  const person = await signUp(serverUrl, name);
  const other = await signUp(serverUrl, `${name}Peer`);
  const conversation = conversationBetween(person, other);
  await ourPush(serverUrl, person, 'conversations', [conversation]);
  return { person, other, conversation };
}

/** Every message id the server holds for a person. */
async function ourServerMessageIds(serverUrl: string, person: Person): Promise<Set<string>> {
  const ids = new Set<string>();
  let checkpoint: Checkpoint | null = null;
  for (;;) {
    const query = new URLSearchParams({ limit: '1000' });
    if (checkpoint) query.set('checkpoint', JSON.stringify(checkpoint));
    const answer = await client(serverUrl).get<{
      documents: Array<WireDocument<'messages'>>;
      checkpoint: Checkpoint | null;
    }>(`/sync/messages/pull?${query.toString()}`, { token: person.accessToken });
    if (answer.status !== 200) throw new Error(`pull failed: ${JSON.stringify(answer.body)}`);
    for (const doc of answer.body.documents) if (!doc._deleted) ids.add(doc.id);
    if (answer.body.documents.length < 1000) return ids;
    checkpoint = answer.body.checkpoint;
  }
}

async function pouchRequest(url: string, method: string, body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer: unknown = await response.json();
  if (!response.ok)
    throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

async function pouchCreate(pouchUrl: string, db: string, docs: PouchMessage[] = []) {
  await pouchRequest(`${pouchUrl}/${db}`, 'PUT');
  for (let offset = 0; offset < docs.length; offset += SEED_BATCH) {
    const rows = (await pouchRequest(`${pouchUrl}/${db}/_bulk_docs`, 'POST', {
      docs: docs.slice(offset, offset + SEED_BATCH),
    })) as Array<{ error?: string }>;
    const refused = rows.filter((row) => row.error);
    if (refused.length > 0) throw new Error(`seeding PouchDB refused ${refused.length} docs`);
  }
  const info = (await pouchRequest(`${pouchUrl}/${db}`, 'GET')) as { doc_count: number };
  return info.doc_count;
}

// ---------------------------------------------------------------------------------------------
// Browser

type Method = keyof BenchApi;

/** One measurement in a fresh context (fresh IndexedDB), timed inside the page. */
async function inFreshPage<M extends Method>(
  browser: Browser,
  origin: string,
  method: M,
  args: Parameters<BenchApi[M]>[0],
): Promise<Timing> {
  const context = await browser.newContext();
  const errors: string[] = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(origin);
    await page.waitForFunction(() => window.megilanceBench !== undefined, null, {
      timeout: 20_000,
    });
    return await page.evaluate(
      async ([name, input]) => {
        const api = window.megilanceBench;
        if (!api) throw new Error('the benchmark page did not load');
        const call = api[name] as (value: typeof input) => Promise<Timing>;
        return call(input);
      },
      [method, args] as const,
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const seen = errors.length > 0 ? ` (page: ${errors.slice(0, 3).join(' | ')})` : '';
    throw new Error(`${reason}${seen}`, { cause: error });
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Live latency (Node devices)

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

function nodeDevice(serverUrl: string, person: Person): Promise<SyncEngine> {
  return startSyncEngine({
    userId: person.id,
    serverUrl,
    storage: getRxStorageMemory(),
    multiInstance: false,
    getAccessToken: () => person.accessToken,
    refreshAccessToken: () => Promise.resolve(null),
  });
}

interface Latency {
  samples: number[];
  missing: number;
}

/**
 * Sender inserts into its local database; receiver (another person in the conversation, on
 * a device of their own) sees the message written to its local database. Both devices share
 * this process's clock; the server is another process.
 */
async function measureLatency(serverUrl: string): Promise<Latency> {
  const {
    person: sender,
    other: receiver,
    conversation,
  } = await ourPersonWithConversation(serverUrl, 'Sender');
  const senderDevice = await nodeDevice(serverUrl, sender);
  const receiverDevice = await nodeDevice(serverUrl, receiver);
  const sentAt = new Map<string, number>();
  const receivedAt = new Map<string, number>();
  const subscription = receiverDevice.db.messages.eventBulks$.subscribe((bulk) => {
    const now = performance.now();
    for (const event of bulk.events) {
      if (sentAt.has(event.documentId) && !receivedAt.has(event.documentId)) {
        receivedAt.set(event.documentId, now);
      }
    }
  });
  try {
    await until(
      async () =>
        (await senderDevice.db.conversations.findOne(conversation.id).exec()) !== null &&
        (await receiverDevice.db.conversations.findOne(conversation.id).exec()) !== null,
      STEP_TIMEOUT_MS,
      'the conversation never reached both devices',
    );
    const send = async (messages: Array<WireDocument<'messages'>>, measured: boolean) => {
      const begin = performance.now();
      const inserts: Array<Promise<unknown>> = [];
      for (const [index, message] of messages.entries()) {
        const wait = begin + index * LIVE_SPACING_MS - performance.now();
        if (wait > 0) await sleep(wait);
        const { _deleted: _gone, ...doc } = message;
        if (measured) sentAt.set(message.id, performance.now());
        inserts.push(senderDevice.db.messages.insert(doc));
      }
      await Promise.all(inserts);
    };
    // Warm-up: the first pushes and pulls pay for connections and compiled code.
    const warmup = messagesFor(conversation, sender, LIVE_WARMUP, 'Warm-up');
    await send(warmup, false);
    await until(
      async () => (await receiverDevice.db.messages.count().exec()) >= LIVE_WARMUP,
      STEP_TIMEOUT_MS,
      'the warm-up messages never arrived',
    );

    const measured = messagesFor(conversation, sender, LIVE_MESSAGES, 'Live');
    await send(measured, true);
    await until(() => receivedAt.size >= LIVE_MESSAGES, 15_000, 'live messages').catch(
      () => undefined,
    );
    const samples = measured
      .map((message) => {
        const received = receivedAt.get(message.id);
        const sent = sentAt.get(message.id);
        return received !== undefined && sent !== undefined ? received - sent : null;
      })
      .filter((value): value is number => value !== null);
    return { samples, missing: LIVE_MESSAGES - samples.length };
  } finally {
    subscription.unsubscribe();
    await senderDevice.close();
    await receiverDevice.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

interface Row {
  system: string;
  serverStorage: string;
  runs: Timing[];
  failure?: string;
}

interface Comparison {
  measurement: string;
  docs: number;
  /** Ours first, then the PouchDB configurations. */
  rows: Row[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

const fmt = (value: number) => Math.round(value).toLocaleString('en-US');

/** The median of a row's runs, or null when it has none or one of them failed. */
function medianMs(row: Row): number | null {
  return row.failure || row.runs.length === 0 ? null : median(row.runs.map((run) => run.ms));
}

/** Runs one measurement into its row; a failure (or a wrong document count) is kept as such. */
async function measure(
  row: Row,
  expected: number,
  run: () => Promise<Timing>,
  check?: () => Promise<string | null>,
) {
  if (row.failure) return;
  try {
    const timing = await run();
    if (timing.docs !== expected) {
      row.failure = `holds ${timing.docs} of ${expected} documents afterwards`;
      return;
    }
    const problem = check ? await check() : null;
    if (problem) {
      row.failure = problem;
      return;
    }
    row.runs.push(timing);
  } catch (error) {
    row.failure = error instanceof Error ? error.message : String(error);
  }
}

function verdict(comparison: Comparison): string {
  const [ours, ...peers] = comparison.rows;
  const oursMs = ours ? medianMs(ours) : null;
  if (!ours || oursMs === null) {
    return `${comparison.measurement}: no verdict, MegiLance was not measured.`;
  }
  const parts = peers.map((peer) => {
    const peerMs = medianMs(peer);
    if (peerMs === null) return `${peer.system}: not measured`;
    const factor = oursMs <= peerMs ? peerMs / oursMs : oursMs / peerMs;
    return `${factor.toFixed(factor < 1.1 ? 2 : 1)}× ${oursMs <= peerMs ? 'faster' : 'slower'} than ${peer.system}, ${fmt(peerMs)} ms`;
  });
  return `${comparison.measurement}: MegiLance ${fmt(oursMs)} ms, ${parts.join('; ')}.`;
}

function printReport(comparisons: Comparison[], latency: Latency | string, chromium: string) {
  console.log(
    `\nSync: MegiLance vs PouchDB 9, Chromium ${chromium}, loopback, ${rounds} ` +
      `round${rounds === 1 ? '' : 's'} (time = median; every run listed; fresh IndexedDB per run)\n`,
  );
  console.log(
    '| measurement | system | device storage | server storage | docs | time ms | docs/s | runs ms |',
  );
  console.log('| --- | --- | --- | --- | ---: | ---: | ---: | --- |');
  for (const { measurement, docs, rows } of comparisons) {
    for (const row of rows) {
      const ms = medianMs(row);
      const storage = row.runs[0]?.storage ?? '—';
      const cells =
        ms === null
          ? ['not measured', '—', row.failure ?? 'no run']
          : [fmt(ms), fmt((docs / ms) * 1000), row.runs.map((run) => fmt(run.ms)).join(', ')];
      console.log(
        `| ${[measurement, row.system, storage, row.serverStorage, fmt(docs), ...cells].join(' | ')} |`,
      );
    }
  }
  for (const { measurement, rows } of comparisons) {
    for (const row of rows) {
      const notes = row.runs.flatMap((run, index) =>
        run.note ? [`run ${index + 1}: ${run.note}`] : [],
      );
      if (notes.length > 0) console.log(`\n${row.system}, ${measurement}: ${notes.join('; ')}.`);
    }
  }
  console.log('');
  for (const comparison of comparisons) console.log(verdict(comparison));

  const what =
    `Live delivery sender→receiver (two Node devices of two people, RxDB memory storage, ` +
    `socket.io "changed" + HTTP pull, ${LIVE_MESSAGES} messages ${LIVE_SPACING_MS} ms apart)`;
  if (typeof latency === 'string') {
    console.log(`${what}: not measured (${latency}).`);
    return;
  }
  if (latency.samples.length === 0) {
    console.log(`${what}: not measured (none of the ${LIVE_MESSAGES} messages arrived).`);
    return;
  }
  const p95 = percentile(latency.samples, 95);
  const met = p95 < LIVE_TARGET_P95_MS && latency.missing === 0;
  console.log(
    `${what}: p50 ${percentile(latency.samples, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, ` +
      `max ${Math.max(...latency.samples).toFixed(1)} ms` +
      (latency.missing > 0 ? `, ${latency.missing} never arrived` : '') +
      `; target p95 < ${LIVE_TARGET_P95_MS} ms: ${met ? 'met' : 'MISSED'}.`,
  );
}

// ---------------------------------------------------------------------------------------------

/** PouchDB's default `batch_size`, and the one our engine pulls with (PULL_BATCH_SIZE). */
const POUCH_DEFAULT_BATCH = 100;
const POUCH_LARGE_BATCH = 500;

function rowsFor(): Row[] {
  return [
    { system: 'MegiLance', serverStorage: ourServerStorage, runs: [] },
    {
      system: `PouchDB defaults (batch_size ${POUCH_DEFAULT_BATCH})`,
      serverStorage: pouchServerStorage,
      runs: [],
    },
    {
      system: `PouchDB batch_size ${POUCH_LARGE_BATCH}`,
      serverStorage: pouchServerStorage,
      runs: [],
    },
  ];
}

/** Round r starts with system r: nobody always meets the coldest (or warmest) machine. */
function rotated<T>(items: T[], round: number): T[] {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

export async function run(): Promise<void> {
  const began = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const work = await mkdtemp(join(tmpdir(), 'megilance-sync-bench-'));
  const cleanups: Array<() => Promise<unknown>> = [];
  const initial: Comparison = {
    measurement: `Initial sync of ${fmt(INITIAL_DOCS)} messages`,
    docs: INITIAL_DOCS,
    rows: rowsFor(),
  };
  const push: Comparison = {
    measurement: `Push of ${fmt(PUSH_DOCS)} offline-written messages`,
    docs: PUSH_DOCS,
    rows: rowsFor(),
  };
  const comparisons = [initial, push];
  let latency: Latency | string = 'not run';
  let chromiumVersion = 'unknown';

  try {
    const pageDir = join(work, 'page');
    await buildPage(pageDir);
    const page = await serveStatic(pageDir);
    cleanups.push(() => page.close());

    const port = await freePort();
    const ours = await startProcess(
      'server/main.ts',
      {
        PORT: String(port),
        DATA_DIR: join(work, 'server'),
        LOG_LEVEL: 'warn',
        APP_ORIGINS: page.origin,
        SHUTDOWN_GRACE_MS: '2000',
      },
      null,
      `http://127.0.0.1:${port}`,
    );
    cleanups.push(() => ours.stop());
    const pouch = await startProcess(
      'tests/bench/sync-pouch-server.ts',
      { POUCH_DIR: join(work, 'pouch'), ALLOWED_ORIGIN: page.origin },
      /"url":"(http:\/\/[^"]+)"/,
    );
    cleanups.push(() => pouch.stop());

    // The same 10,000 JSON bodies on both servers: ours through the push API, 500 at a time.
    const owner = await ourPersonWithConversation(ours.url, 'Reader');
    const initialMessages = messagesFor(owner.conversation, owner.person, INITIAL_DOCS, 'Message');
    await ourPush(ours.url, owner.person, 'messages', initialMessages);
    const seeded = await pouchCreate(pouch.url, 'initial', initialMessages.map(asPouch));
    if (seeded !== INITIAL_DOCS) throw new Error(`PouchDB holds ${seeded} seeded documents`);

    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    chromiumVersion = browser.version();
    const [initialOurs, initialPouch, initialPouchLarge] = initial.rows as [Row, Row, Row];
    const [pushOurs, pushPouch, pushPouchLarge] = push.rows as [Row, Row, Row];

    for (let round = 0; round < rounds; round += 1) {
      const pouchInitial = (row: Row, batchSize: number) => () =>
        measure(row, INITIAL_DOCS, () =>
          inFreshPage(browser, page.origin, 'pouchInitialSync', {
            remoteUrl: `${pouch.url}/initial`,
            expected: INITIAL_DOCS,
            timeoutMs: STEP_TIMEOUT_MS,
            batchSize,
          }),
        );
      const initialSteps = [
        () =>
          measure(initialOurs, INITIAL_DOCS, () =>
            inFreshPage(browser, page.origin, 'ourInitialSync', {
              serverUrl: ours.url,
              userId: owner.person.id,
              accessToken: owner.person.accessToken,
              expected: INITIAL_DOCS,
              timeoutMs: STEP_TIMEOUT_MS,
            }),
          ),
        pouchInitial(initialPouch, POUCH_DEFAULT_BATCH),
        pouchInitial(initialPouchLarge, POUCH_LARGE_BATCH),
      ];
      for (const step of rotated(initialSteps, round)) await step();

      // Fresh destinations per round: a new person (ours), new databases (PouchDB).
      const writer = await ourPersonWithConversation(ours.url, `Writer${round}`);
      const offline = messagesFor(writer.conversation, writer.person, PUSH_DOCS, 'Offline');
      const pouchPush = (row: Row, batchSize: number) => async () => {
        const target = `push-${round}-batch-${batchSize}`;
        await pouchCreate(pouch.url, target);
        await measure(row, PUSH_DOCS, () =>
          inFreshPage(browser, page.origin, 'pouchPush', {
            remoteUrl: `${pouch.url}/${target}`,
            docs: offline.map(asPouch),
            timeoutMs: STEP_TIMEOUT_MS,
            batchSize,
          }),
        );
      };
      const pushSteps = [
        () =>
          measure(
            pushOurs,
            PUSH_DOCS,
            () =>
              inFreshPage(browser, page.origin, 'ourPush', {
                serverUrl: ours.url,
                userId: writer.person.id,
                accessToken: writer.person.accessToken,
                conversationId: writer.conversation.id,
                messages: offline,
                timeoutMs: STEP_TIMEOUT_MS,
              }),
            async () => {
              const held = await ourServerMessageIds(ours.url, writer.person);
              const missing = offline.filter((message) => !held.has(message.id)).length;
              return missing === 0 ? null : `the server lacks ${missing} of the pushed messages`;
            },
          ),
        pouchPush(pushPouch, POUCH_DEFAULT_BATCH),
        pouchPush(pushPouchLarge, POUCH_LARGE_BATCH),
      ];
      for (const step of rotated(pushSteps, round)) await step();
    }
    await browser.close();

    try {
      latency = await measureLatency(ours.url);
    } catch (error) {
      latency = error instanceof Error ? error.message : String(error);
    }
  } catch (error) {
    // Whatever could not be measured is reported as such, never as a number.
    const reason = `setup failed: ${error instanceof Error ? error.message : String(error)}`;
    for (const { rows } of comparisons) {
      for (const row of rows) if (row.runs.length < rounds) row.failure ??= reason;
    }
    if (typeof latency === 'string') latency = reason;
    process.exitCode = 1;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
  printReport(comparisons, latency, chromiumVersion);
  console.log(
    `(sync benchmark: ${((performance.now() - began) / 1000).toFixed(0)} s in all; 1-minute load ` +
      `average ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end, ` +
      `on ${availableParallelism()} cores: other work on the machine moves these figures)`,
  );
}

/**
 * Work-diary render time for a month of a freelancer's time in Chromium (issue 5,
 * "Benchmark"): the real app (`npx electron-vite build`, out/renderer) behind the browser test
 * host, signed in as the client, over a real test server holding a month of an hourly
 * contract: 30 tracked days × 144 slots = 4,320 slots in 30 `timeEntries` documents, one
 * screenshot per slot (4,320 `screenshots` documents, each with a thumbnail of its own in the
 * blob store), disputes, and the finished weeks approved. The app syncs all of it into its
 * RxDB (IndexedDB) first, exactly as after signing in on a new device.
 *
 * Timed in the page with performance.now(), from the navigation (a hash change, or a click on
 * the app's own button or link) to the moment the DOM condition holds, layout included:
 *
 * - a day's diary from the timesheet: the day's title and its 144 slot cells in the DOM;
 * - the same day until its 144 thumbnails are loaded (fetched from the blob store);
 * - "Next day": the following day's 144 cells;
 * - "Timesheet for this week": the week's seven rows and total.
 *
 * Measured in the same run, as peers: the diary and the timesheet of a day and week with no
 * time (what the screens cost with nothing to show), and the floor: a bare DOM table of the
 * same 144 cells built and laid out by hand in the same page.
 *
 * Every round opens days it has not opened before (no image cache helps it). The thumbnails'
 * full-size images are not uploaded: the benchmark never opens the viewer.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import type { TimeSegment, WireDocument } from '../../shared/sync/documents.ts';
import type { SyncCollection } from '../../shared/sync/protocol.ts';
import { dayMs, dayStart, slotMs, slotsPerDay, utcDay, weekOf } from '../../shared/time/slots.ts';
import { trackedEntryId } from '../../shared/time/stable-ids.ts';
import { longDate } from '../../src-renderer/features/time/diary-model.ts';
import { rendererDir } from '../support/desktop-devices.ts';
import { castOf, e2eStage, type Person, type Stage } from '../support/e2e-stage.ts';
import { createCategory, signUpAs } from '../support/marketplace-fixtures.ts';
import type { TestServer } from '../support/test-server.ts';
import {
  approvalOf,
  disputeOf,
  recomputed,
  screenshotOf,
  syncCalls,
  timeContractBetween,
  type TimeContractRef,
} from '../support/time-fixtures.ts';

/** Rounds; each opens two days of its own, so at most 14 fit in the month. */
const projectRoot = join(import.meta.dirname, '..', '..');
const rounds = Math.min(14, Math.max(1, Number(process.env.BENCH_DIARY_ROUNDS ?? 5)));
const DAYS = 30;
const PUSH_BATCH = 200;
const UPLOADS_AT_ONCE = 8;
const THUMB = { width: 320, height: 180 };
const SYNC_TIMEOUT_MS = 180_000;
const STEP_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// The month

interface Month {
  contract: TimeContractRef;
  /** The 30 tracked UTC days, oldest first (the last one is yesterday). */
  days: string[];
  /** A day of the contract's life with no time at all, in a week with none either. */
  emptyDay: string;
  entries: number;
  screenshots: number;
  disputes: number;
  approvals: number;
  thumbnailBytes: number;
}

/** Deterministic variety (activity, memos, thumbnails): the same month on every run. */
function mix(a: number, b: number): number {
  let x = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35);
  x ^= x >>> 15;
  x = Math.imul(x, 0x2c1b3c6d);
  return (x ^ (x >>> 12)) >>> 0;
}

const memos = [
  'Inking the barn owl',
  'Colour pass on the tawny owl',
  'Reference photos for the snowy owl',
  'Layout of plate 4',
  'Corrections from the client’s notes',
  'Scanning and cleaning the line art',
];

function segmentsOf(dayIndex: number, day: string): TimeSegment[] {
  const start = dayStart(day);
  return Array.from({ length: slotsPerDay }, (_, slot) => {
    const roll = mix(dayIndex, slot);
    return {
      start: new Date(start + slot * slotMs).toISOString(),
      billedMs: slotMs,
      trackedMinutes: 10,
      activeMinutes: 3 + (roll % 8),
      // A memo per stretch of work, as the tracker keeps the one typed at Start.
      memo: memos[(dayIndex + Math.floor(slot / 18)) % memos.length] ?? '',
      removed: false,
    };
  });
}

/** A screen-like thumbnail (sidebar, lines of text, a grainy photo area), different per slot. */
async function thumbnailOf(base: Buffer, dayIndex: number, slot: number): Promise<Buffer> {
  const lines = Array.from({ length: 9 }, (_, line) => {
    const width = 60 + (mix(dayIndex * 1000 + slot, line) % 160);
    return `<rect x="64" y="${30 + line * 15}" width="${width}" height="6" rx="2" fill="#39414d"/>`;
  }).join('');
  const hue = mix(dayIndex, slot) % 360;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${THUMB.width}" height="${THUMB.height}">` +
    `<rect width="48" height="${THUMB.height}" fill="#2b3340"/>${lines}` +
    `<rect x="236" y="30" width="72" height="96" fill="hsl(${hue},45%,55%)" fill-opacity="0.7"/>` +
    `<text x="236" y="170" font-size="11" fill="#39414d">${dayIndex}-${slot}</text></svg>`;
  return sharp(base, { raw: { ...THUMB, channels: 3 } })
    .composite([{ input: Buffer.from(svg) }])
    .webp({ quality: 60, effort: 0 })
    .toBuffer();
}

async function pushAll<C extends SyncCollection>(
  server: TestServer,
  who: Person,
  collection: C,
  docs: Array<WireDocument<C>>,
): Promise<void> {
  const sync = syncCalls(server);
  for (let offset = 0; offset < docs.length; offset += PUSH_BATCH) {
    const rows = docs.slice(offset, offset + PUSH_BATCH).map((doc) => ({ newDocumentState: doc }));
    const answer = await sync.push(collection, who, rows);
    if (answer.status !== 200 || !Array.isArray(answer.body) || answer.body.length > 0) {
      throw new Error(
        `pushing ${collection} failed: ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    }
  }
}

async function uploadAll(server: TestServer, who: Person, blobs: Map<string, Buffer>) {
  const queue = [...blobs];
  const worker = async () => {
    for (let next = queue.pop(); next; next = queue.pop()) {
      const [hash, bytes] = next;
      const response = await fetch(`${server.baseUrl}/api/v1/blobs/${hash}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${who.token}`, 'content-type': 'image/webp' },
        body: new Uint8Array(bytes),
      });
      if (response.status !== 201 && response.status !== 200) {
        throw new Error(
          `uploading a thumbnail failed: ${response.status} ${await response.text()}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: UPLOADS_AT_ONCE }, worker));
}

/**
 * The month on the server, as the freelancer's device and the client's would have put it
 * there: time entries, screenshots and their thumbnails (Ada), disputes and approvals (Grace).
 */
async function seedMonth(server: TestServer, grace: Person, ada: Person): Promise<Month> {
  const admin = await signUpAs(server, 'admin');
  const category = await createCategory(server, admin, { name: 'Illustration' });
  const contract = await timeContractBetween(
    server,
    { client: grace, freelancer: ada, categoryId: category.id },
    'hourly',
    { screenshotsPerSlot: 1 },
  );
  const today = dayStart(utcDay(Date.now()));
  // The contract began 41 days ago: room for an empty week before the month.
  await server.db.kysely
    .updateTable('contracts')
    .set({ created_at: new Date(today - 41 * dayMs).toISOString() })
    .where('id', '=', contract.contractId)
    .execute();
  const days = Array.from({ length: DAYS }, (_, index) => utcDay(today - (DAYS - index) * dayMs));

  const entries = days.map((day, index) =>
    recomputed({
      id: trackedEntryId(contract.contractId, ada.id, day),
      updatedAt: new Date().toISOString(),
      contractId: contract.contractId,
      freelancerId: ada.id,
      kind: 'tracked',
      day,
      segments: segmentsOf(index, day),
      manual: null,
      memo: memos[index % memos.length] ?? '',
      billable: true,
      billedMs: 0,
      rate: contract.rate,
      amount: null,
      status: 'pending',
      createdAt: new Date().toISOString(),
      _deleted: false,
    }),
  );
  await pushAll(server, ada, 'timeEntries', entries);

  const base = await sharp({
    create: {
      ...THUMB,
      channels: 3,
      background: { r: 236, g: 238, b: 241 },
      noise: { type: 'gaussian', mean: 226, sigma: 18 },
    },
  })
    .raw()
    .toBuffer();
  const blobs = new Map<string, Buffer>();
  const screenshots: Array<WireDocument<'screenshots'>> = [];
  for (const [dayIndex, entry] of entries.entries()) {
    const made = await Promise.all(
      entry.segments.map(async (segment, slot) => {
        const bytes = await thumbnailOf(base, dayIndex, slot);
        const hash = createHash('sha256').update(bytes).digest('hex');
        return { segment, slot, bytes, hash };
      }),
    );
    for (const { segment, slot, bytes, hash } of made) {
      blobs.set(hash, bytes);
      const start = Date.parse(segment.start);
      screenshots.push(
        screenshotOf(entry, start, {
          takenAt: new Date(start + 30_000 + (mix(dayIndex, slot) % 540_000)).toISOString(),
          activity: Math.round((100 * (segment.activeMinutes ?? 0)) / segment.trackedMinutes),
          thumbnail: { hash, size: bytes.length, ...THUMB, mimeType: 'image/webp' },
        }),
      );
    }
  }
  await pushAll(server, ada, 'screenshots', screenshots);
  await uploadAll(server, ada, blobs);

  // Grace disputes a few stretches (one on yesterday), then approves the weeks that are over.
  const disputed = [3, 9, 14, 22, DAYS - 1];
  const disputes = disputed.map((dayIndex, n) => {
    const entry = entries[dayIndex];
    if (!entry) throw new Error('no entry to dispute');
    const from = 54 + n * 7;
    return disputeOf(
      contract.contractId,
      grace,
      weekOf(dayStart(entry.day)),
      entry.segments.slice(from, from + 3 + n).map((segment) => ({
        entryId: entry.id,
        start: segment.start,
      })),
    );
  });
  await pushAll(server, grace, 'timeReviews', disputes);
  const weeks = [...new Set(days.map((day) => weekOf(dayStart(day))))].filter(
    (week) => week >= (days[0] ?? '') && dayStart(week) + 7 * dayMs <= Date.now(),
  );
  // The latest finished week stays open, as a client's most recent week usually is.
  const approvals = weeks.slice(0, -1).map((week) => approvalOf(contract.contractId, grace, week));
  await pushAll(server, grace, 'timeReviews', approvals);

  return {
    contract,
    days,
    emptyDay: utcDay(today - 38 * dayMs),
    entries: entries.length,
    screenshots: screenshots.length,
    disputes: disputes.length,
    approvals: approvals.length,
    thumbnailBytes: [...blobs.values()].reduce((sum, bytes) => sum + bytes.length, 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Timing in the page

type Go = { hash: string } | { click: string };
type Until =
  | { kind: 'diary'; title: string; day: string }
  | { kind: 'empty-diary'; title: string }
  | { kind: 'timesheet' };

interface StepTiming {
  /** Navigation → DOM condition (layout included). */
  ms: number;
  /** Navigation → every thumbnail loaded, when asked for. */
  thumbnailsMs: number | null;
  cells: number;
}

/**
 * Starts a navigation and times it until `until` holds in the DOM (checked on every DOM change,
 * then layout forced), and optionally until all the day's thumbnails have loaded.
 */
function timeStep(
  page: Page,
  go: Go,
  until: Until,
  thumbnails: boolean,
  timeoutMs = STEP_TIMEOUT_MS,
): Promise<StepTiming> {
  return page.evaluate(
    async ({ go, until, thumbnails, timeoutMs }) => {
      const slotsOfDay = (day: string) => {
        const [y, m, d] = day.split('-').map(Number) as [number, number, number];
        return (new Date(y, m - 1, d + 1).getTime() - new Date(y, m - 1, d).getTime()) / 600_000;
      };
      const text = (selector: string) => document.querySelector(selector)?.textContent ?? null;
      const cells = () => document.querySelectorAll('[data-testid="diary-slot"]').length;
      const holds = (): boolean => {
        if (until.kind === 'timesheet') {
          return (
            document.querySelector('h1')?.textContent === 'Timesheet' &&
            document.querySelectorAll('[data-testid="timesheet-day"]').length === 7 &&
            document.querySelector('[data-testid="timesheet-total"]') !== null
          );
        }
        if (text('[data-testid="diary-date"]') !== until.title) return false;
        if (until.kind === 'empty-diary') {
          return document.body.textContent?.includes('No time recorded on this day.') ?? false;
        }
        return (
          cells() === slotsOfDay(until.day) &&
          document.querySelector('[data-testid="day-total"]') !== null
        );
      };
      const began = performance.now();
      const done = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`timed out waiting for ${JSON.stringify(until)} (${cells()} cells)`));
        }, timeoutMs);
        const check = () => {
          if (!holds()) return;
          // Layout of what was committed, so a cheap DOM is not flattered by deferred work.
          document.body.getBoundingClientRect();
          const at = performance.now();
          observer.disconnect();
          clearTimeout(timer);
          resolve(at - began);
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
        });
      });
      if ('hash' in go) {
        window.location.hash = go.hash;
      } else {
        const target = [...document.querySelectorAll<HTMLElement>('a, button')].find(
          (element) => element.textContent?.trim() === go.click,
        );
        if (!target) throw new Error(`nothing to click named ${go.click}`);
        target.click();
      }
      // React may have committed during the click itself; the observer saw that too.
      const ms = await done;
      let thumbnailsMs: number | null = null;
      if (thumbnails && until.kind === 'diary') {
        const expected = slotsOfDay(until.day);
        const deadline = began + timeoutMs;
        for (;;) {
          const images = [
            ...document.querySelectorAll<HTMLImageElement>('img[alt^="Screenshot taken at"]'),
          ];
          if (
            images.length === expected &&
            images.every((image) => image.complete && image.naturalWidth > 0)
          ) {
            thumbnailsMs = performance.now() - began;
            break;
          }
          if (performance.now() > deadline) {
            throw new Error(`only ${images.length} of ${expected} thumbnails loaded`);
          }
          await new Promise((resolve) => requestAnimationFrame(resolve));
        }
      }
      return { ms, thumbnailsMs, cells: cells() };
    },
    { go, until, thumbnails, timeoutMs },
  );
}

/** The floor: the same 24 × 6 cells (time, activity, memo, status) as a bare table. */
function timeBareTable(page: Page, day: string): Promise<StepTiming> {
  return page.evaluate((day) => {
    const began = performance.now();
    const table = document.createElement('table');
    const start = new Date(`${day}T00:00:00`).getTime();
    for (let hour = 0; hour < 24; hour += 1) {
      const row = table.insertRow();
      for (let slot = 0; slot < 6; slot += 1) {
        const at = new Date(start + (hour * 6 + slot) * 600_000);
        const cell = row.insertCell();
        cell.dataset.testid = 'bare-slot';
        cell.textContent = `${at.toTimeString().slice(0, 5)} · 80% · Inking the barn owl · Pending`;
      }
    }
    document.body.append(table);
    document.body.getBoundingClientRect();
    const ms = performance.now() - began;
    const cells = table.querySelectorAll('td').length;
    table.remove();
    return { ms, thumbnailsMs: null, cells };
  }, day);
}

// ---------------------------------------------------------------------------------------------
// Report

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(1) : Math.round(ms).toLocaleString('en-US'));

interface Row {
  measurement: string;
  what: string;
  runs: number[];
  cells: number;
}

function printTable(rows: Row[]) {
  console.log('| measurement | what is on screen | slot cells | median ms | runs ms |');
  console.log('| --- | --- | ---: | ---: | --- |');
  for (const row of rows) {
    const cells = row.runs.length ? fmt(median(row.runs)) : 'not measured';
    console.log(
      `| ${row.measurement} | ${row.what} | ${row.cells} | ${cells} | ${row.runs.map(fmt).join(', ')} |`,
    );
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Runs the measurement in a process of its own: once the stage is closed (windows, browser,
 * server), a native handle of the app's main-process services still keeps Node's event loop
 * alive with nothing left to do (no JS-visible handle or request), which would stop
 * `npm run bench` from moving on. The child ends itself when it has printed its report.
 */
export async function run(): Promise<void> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: process.env,
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) process.exitCode = 1;
}

if (import.meta.main) {
  await measure();
  process.exit();
}

async function measure(): Promise<void> {
  const began = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  // Measure the code as it is now: the app is built first, as `npm start` does.
  const built = spawnSync(join(projectRoot, 'node_modules', '.bin', 'electron-vite'), ['build'], {
    cwd: projectRoot,
    encoding: 'utf8',
  });
  const index = join(rendererDir, 'index.html');
  if (built.status !== 0 || !existsSync(index)) {
    console.log(`Work diary: not measured: the app did not build.\n${built.stderr}`);
    process.exitCode = 1;
    return;
  }
  const builtAt = statSync(index).mtime.toISOString();
  const { grace, ada } = castOf('diary-bench', 'grace', 'ada');
  let month: Month | null = null;
  let stage: Stage | null = null;
  let seedSeconds = 0;
  let syncSeconds = 0;
  const rows = {
    day: { measurement: 'Open a day’s diary (from the timesheet)', what: '', runs: [], cells: 0 },
    thumbs: { measurement: '… until its thumbnails are loaded', what: '', runs: [], cells: 0 },
    next: { measurement: 'Next day', what: '', runs: [], cells: 0 },
    sheet: { measurement: 'Timesheet for this week', what: '', runs: [], cells: 0 },
    emptyDay: { measurement: 'Peer: open an empty day’s diary', what: '', runs: [], cells: 0 },
    emptySheet: { measurement: 'Peer: timesheet of an empty week', what: '', runs: [], cells: 0 },
    bare: { measurement: 'Floor: bare DOM table, same cells', what: '', runs: [], cells: 0 },
  } satisfies Record<string, Row>;
  let failure: string | null = null;
  let chromium = 'unknown';
  let pageErrors: string[] = [];

  try {
    const seedStart = performance.now();
    const started = await e2eStage({
      story: 'diary-bench',
      people: [grace, ada],
      devices: [{ label: 'Grace’s laptop', person: grace }],
      prepare: async (server) => {
        month = await seedMonth(server, grace, ada);
        seedSeconds = (performance.now() - seedStart) / 1000;
      },
    });
    stage = started;
    chromium = started.browser.version();
    const seeded = month as Month | null;
    if (!seeded) throw new Error('the month was not seeded');
    const [device] = started.devices;
    if (!device) throw new Error('no window');
    const { page } = device;
    const { contractId } = seeded.contract;
    const diaryHash = (day: string) => `#/contracts/${contractId}/diary?day=${day}`;
    const lastDay = seeded.days.at(-1) ?? '';

    // The first sync of the month, and a warm-up of every screen measured (code, fonts). The
    // last day's documents were pushed last: once its slots, thumbnails and dispute are on
    // screen and the app says it is online (not syncing), the month is in its database.
    const syncStart = performance.now();
    await timeStep(page, { hash: diaryHash(lastDay) }, diaryUntil(lastDay), true, SYNC_TIMEOUT_MS);
    await page.getByTestId('dispute').first().waitFor({ timeout: SYNC_TIMEOUT_MS });
    await page
      .getByRole('banner')
      .getByRole('button', { name: /^Sync status: Online/ })
      .waitFor({ timeout: SYNC_TIMEOUT_MS });
    syncSeconds = (performance.now() - syncStart) / 1000;
    await timeStep(page, { click: 'Timesheet for this week' }, { kind: 'timesheet' }, false);
    await timeStep(page, { hash: diaryHash(seeded.emptyDay) }, emptyUntil(seeded.emptyDay), false);
    await timeStep(page, { click: 'Timesheet for this week' }, { kind: 'timesheet' }, false);

    for (let round = 0; round < rounds; round += 1) {
      const day = seeded.days[1 + 2 * round] ?? '';
      const next = seeded.days[2 + 2 * round] ?? '';
      // From the timesheet (where the warm-up or the last round ended) to a new day.
      const opened = await timeStep(page, { hash: diaryHash(day) }, diaryUntil(day), true);
      record(rows.day, opened.ms, opened.cells);
      if (opened.thumbnailsMs !== null) record(rows.thumbs, opened.thumbnailsMs, opened.cells);
      const stepped = await timeStep(page, { click: 'Next day' }, diaryUntil(next), false);
      record(rows.next, stepped.ms, stepped.cells);
      const sheet = await timeStep(
        page,
        { click: 'Timesheet for this week' },
        { kind: 'timesheet' },
        false,
      );
      record(rows.sheet, sheet.ms, 7);
      const bare = await timeBareTable(page, day);
      record(rows.bare, bare.ms, bare.cells);
      const empty = await timeStep(
        page,
        { hash: diaryHash(seeded.emptyDay) },
        emptyUntil(seeded.emptyDay),
        false,
      );
      record(rows.emptyDay, empty.ms, empty.cells);
      const emptySheet = await timeStep(
        page,
        { click: 'Timesheet for this week' },
        { kind: 'timesheet' },
        false,
      );
      record(rows.emptySheet, emptySheet.ms, 7);
    }
    pageErrors = device.errors;
  } catch (error) {
    failure = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    process.exitCode = 1;
  } finally {
    await stage?.close().catch(() => undefined);
  }

  const seeded = month as Month | null;
  rows.day.what =
    'title, 144 cells (activity, memo, status, a dispute checkbox in open weeks), thumbnails loading';
  rows.thumbs.what = 'the same, every thumbnail fetched from the blob store and decoded';
  rows.next.what = 'the following day, 144 cells';
  rows.sheet.what = 'the week’s 7 days, totals and chart';
  rows.emptyDay.what = '“No time recorded on this day.”, the work log, the review panel';
  rows.emptySheet.what = '7 empty days';
  rows.bare.what = 'a <table> of the same cells, text only, no app';

  console.log(
    `\nWork diary render time, real app (out/renderer built ${builtAt}) in Chromium ${chromium}, ` +
      `signed in as the client, ${rounds} round${rounds === 1 ? '' : 's'} ` +
      '(median; every run listed; each round opens two days it has not opened before)\n',
  );
  if (seeded) {
    console.log(
      `Data: ${seeded.entries} timeEntries documents holding ${(seeded.entries * slotsPerDay).toLocaleString('en-US')} ` +
        `tracked slots, ${seeded.screenshots.toLocaleString('en-US')} screenshots documents, each with its own ` +
        `thumbnail (${(seeded.thumbnailBytes / 1024 / 1024).toFixed(1)} MiB of WebP), ` +
        `${seeded.disputes} disputes, ${seeded.approvals} approved weeks; seeded over the sync ` +
        `API in ${seedSeconds.toFixed(0)} s; synced into the app's RxDB (IndexedDB) and the last ` +
        `day on screen ${syncSeconds.toFixed(1)} s after signing in.\n`,
    );
  }
  printTable(Object.values(rows));
  if (failure) console.log(`\nStopped early: ${failure}`);
  if (pageErrors.length > 0) {
    console.log(`\nThe page reported ${pageErrors.length} errors, first: ${pageErrors[0]}`);
  }
  const day = rows.day.runs.length ? median(rows.day.runs) : null;
  const empty = rows.emptyDay.runs.length ? median(rows.emptyDay.runs) : null;
  const bare = rows.bare.runs.length ? median(rows.bare.runs) : null;
  if (day !== null && empty !== null && bare !== null) {
    console.log(
      `\nA full day's diary (144 slots out of a month of 4,320) renders in ${fmt(day)} ms: ` +
        `${fmt(day - empty)} ms more than an empty day's (${fmt(empty)} ms), ` +
        `${(day / Math.max(bare, 0.1)).toFixed(0)}× the bare table of the same cells ` +
        `(${fmt(bare)} ms).`,
    );
  }
  console.log(
    `(diary benchmark: ${((performance.now() - began) / 1000).toFixed(0)} s in all; 1-minute load ` +
      `average ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end, ` +
      `on ${availableParallelism()} cores: other work on the machine moves these figures)`,
  );
}

function record(row: Row, ms: number, cells: number) {
  row.runs.push(ms);
  row.cells = cells;
}

function diaryUntil(day: string): Until {
  return { kind: 'diary', title: longDate(day), day };
}

function emptyUntil(day: string): Until {
  return { kind: 'empty-diary', title: longDate(day) };
}

import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { silentLog, type Log } from '../log.ts';
import { encodeRecord, readJournal } from './journal.ts';
import {
  applyRecord,
  emptyLedger,
  minuteMs,
  type EntryState,
  type IdleStretch,
  type JournalRecord,
  type LedgerState,
} from './ledger.ts';

/**
 * Journal compaction. A day of tracking writes a heartbeat every 5 s (about 0.6 MB per 8-hour
 * day), and the whole journal is replayed at every open. Old finished entries need none of
 * that detail: their ticks, idle marks, memo changes, answers and stop fold into one
 * `compacted` record (ledger.ts) that replays to exactly the same state. Everything else
 * (running or recent entries, slot removals, records of kinds this file does not know) is kept
 * verbatim and in order.
 *
 * Safety: the new journal is written to a temporary file, fsync'ed, read back and replayed,
 * and only if its state is identical to the live one does it replace the old file (rename,
 * then fsync of the folder). A crash at any point leaves either the old journal or the new
 * one, both complete; a leftover temporary file is removed at the next open.
 */
export interface CompactionOptions {
  /**
   * Finished entries that stopped more than this many days ago are compacted. Default 2: the
   * compacted records replay to the same segments, so only yesterday's raw heartbeats are kept
   * as written (for inspection), and an open replays milliseconds, not a month of ticks.
   */
  keepDays?: number;
  /** Journals smaller than this are left alone. Default 4 MiB (about a week of full days). */
  minBytes?: number;
  /** Replaces the file; tests make it fail to show that a crash before the rename is harmless. */
  rename?: (from: string, to: string) => void;
}

export interface CompactionResult {
  compactedEntries: number;
  recordsBefore: number;
  recordsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
}

export const defaultKeepDays = 2;
export const defaultMinBytes = 4 * 2 ** 20;
const dayMs = 24 * 60 * minuteMs;
/** Rewriting a large file to save a sliver of it is not worth the I/O. */
const minDroppedShare = 0.2;

/**
 * Kinds of records that a `compacted` record stands for (besides the entry's answers). An
 * earlier `compacted` record is folded again too, so compacting twice never duplicates one.
 */
const foldedKinds = new Set<JournalRecord['t']>([
  'tick',
  'idle',
  'back',
  'memo',
  'stop',
  'compacted',
]);

export function compactionTempPath(journalPath: string): string {
  return `${journalPath}.compacting`;
}

export interface CompactionInput {
  journalPath: string;
  /** The records just replayed into `state`, in journal order. */
  records: readonly JournalRecord[];
  state: LedgerState;
  now: number;
  log?: Log;
  options?: CompactionOptions;
}

/**
 * Runs at open, after the replay and before the journal is opened for appending (the rename
 * must not happen under an open descriptor). Returns null when nothing was rewritten.
 */
export function compactJournalIfLarge(input: CompactionInput): CompactionResult | null {
  const { journalPath, records, state } = input;
  const log = input.log ?? silentLog;
  const options = input.options ?? {};
  const temp = compactionTempPath(journalPath);
  // What a crash mid-compaction left behind: never read, just gone.
  rmSync(temp, { force: true });

  const bytesBefore = sizeOf(journalPath);
  if (bytesBefore === null || bytesBefore < (options.minBytes ?? defaultMinBytes)) return null;

  const cutoff = input.now - (options.keepDays ?? defaultKeepDays) * dayMs;
  const plan = planCompaction(records, state, cutoff);
  if (plan.compactedEntries === 0 || plan.dropped < records.length * minDroppedShare) return null;

  try {
    writeDurably(temp, plan.records);
    // Check what is on disk, not what we meant to write.
    const replayed = emptyLedger();
    const reread = readJournal(temp);
    for (const record of reread.records) applyRecord(replayed, record);
    if (reread.skippedLines > 0 || ledgerFingerprint(replayed) !== ledgerFingerprint(state)) {
      log.error('tracker: compaction would change the journal; kept it as it is.');
      rmSync(temp, { force: true });
      return null;
    }
    (options.rename ?? renameSync)(temp, journalPath);
  } catch (error) {
    log.error('tracker: journal compaction failed; kept the journal as it is', error);
    rmSync(temp, { force: true });
    return null;
  }
  try {
    syncFolder(dirname(journalPath));
  } catch (error) {
    // Both files are complete: a power cut now leaves one or the other, each equivalent.
    log.warn(`tracker: compacted, but the folder could not be synced (${String(error)}).`);
  }
  const result: CompactionResult = {
    compactedEntries: plan.compactedEntries,
    recordsBefore: records.length,
    recordsAfter: plan.records.length,
    bytesBefore,
    bytesAfter: sizeOf(journalPath) ?? 0,
  };
  log.info(
    `tracker: compacted ${result.compactedEntries} old entries, journal ${kib(bytesBefore)} → ${kib(result.bytesAfter)}.`,
  );
  return result;
}

interface Plan {
  records: JournalRecord[];
  dropped: number;
  compactedEntries: number;
}

/** The equivalent journal: each old finished entry's detail folded into one record. */
export function planCompaction(
  records: readonly JournalRecord[],
  state: LedgerState,
  cutoff: number,
): Plan {
  const old = new Map<string, EntryState>();
  for (const entry of state.entries.values()) {
    if (entry.stoppedAt !== null && entry.stoppedAt < cutoff && state.running !== entry.id) {
      old.set(entry.id, entry);
    }
  }
  const stretchesOf = new Map<string, IdleStretch[]>();
  for (const stretch of state.stretches.values()) {
    if (!old.has(stretch.entryId)) continue;
    const list = stretchesOf.get(stretch.entryId) ?? [];
    list.push(stretch);
    stretchesOf.set(stretch.entryId, list);
  }
  const oldStretches = new Set([...stretchesOf.values()].flat().map((stretch) => stretch.id));

  const out: JournalRecord[] = [];
  const written = new Set<string>();
  /** Entries that still had detail to fold (not just an earlier `compacted` record). */
  const folded = new Set<string>();
  let dropped = 0;
  for (const record of records) {
    if (record.t === 'answer' && oldStretches.has(record.stretch)) {
      dropped++;
      continue;
    }
    if (foldedKinds.has(record.t) && 'entry' in record && old.has(record.entry)) {
      if (record.t !== 'compacted') {
        dropped++;
        folded.add(record.entry);
      }
      continue;
    }
    out.push(record);
    // Right after its start: no other entry runs until it stops, so nothing in between could
    // have depended on its ticks.
    if (record.t === 'start' && !written.has(record.entry)) {
      const entry = old.get(record.entry);
      if (entry) {
        out.push(compactedRecord(entry, stretchesOf.get(entry.id) ?? []));
        written.add(entry.id);
      }
    }
  }
  return { records: out, dropped, compactedEntries: folded.size };
}

function compactedRecord(entry: EntryState, ownStretches: readonly IdleStretch[]): JournalRecord {
  const stretches = ownStretches
    .filter((stretch) => stretch.to !== null)
    .map((stretch) => ({
      id: stretch.id,
      from: stretch.from,
      to: stretch.to ?? stretch.from,
      answer: stretch.answer,
    }));
  return {
    t: 'compacted',
    entry: entry.id,
    intervals: entry.intervals.map((interval) => [interval.from, interval.to, interval.stretch]),
    input: minuteRuns(entry.inputMinutes),
    memos: entry.memos.slice(1).map((change) => [change.at, change.memo]),
    stretches,
    at: entry.stoppedAt ?? entry.lastBeat,
    reason: entry.stopReason ?? 'recovered',
  };
}

/** Consecutive minutes as [first, count] runs: a worked hour is one pair, not 60 numbers. */
function minuteRuns(minutes: ReadonlySet<number>): [number, number][] {
  const runs: [number, number][] = [];
  for (const minute of [...minutes].sort((a, b) => a - b)) {
    const last = runs.at(-1);
    if (last && last[0] + last[1] * minuteMs === minute) last[1]++;
    else runs.push([minute, 1]);
  }
  return runs;
}

/**
 * The whole ledger state as one canonical string (sets sorted, object keys sorted, map order
 * kept, as replay order matters for memos): two journals are equivalent when these match.
 */
export function ledgerFingerprint(state: LedgerState): string {
  return JSON.stringify(state, (_key, value: unknown) => {
    if (value instanceof Map) return [...value.entries()];
    if (value instanceof Set) return [...(value as Set<number | string>)].sort(compareScalars);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).sort(([a], [b]) => compareScalars(a, b)));
    }
    return value;
  });
}

function compareScalars(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function writeDurably(path: string, records: readonly JournalRecord[]): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    // In chunks: one string for a large journal would be needlessly big.
    let chunk = '';
    for (const record of records) {
      chunk += encodeRecord(record);
      if (chunk.length >= 1 << 20) {
        writeAll(fd, chunk);
        chunk = '';
      }
    }
    writeAll(fd, chunk);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
}

/** Makes the rename itself durable: the folder entry is what a power cut could lose. */
function syncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

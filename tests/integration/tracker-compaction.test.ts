import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compactionTempPath,
  compactJournalIfLarge,
  ledgerFingerprint,
} from '../../src-main/tracker/compaction.ts';
import { readJournal } from '../../src-main/tracker/journal.ts';
import {
  applyRecord,
  emptyLedger,
  type JournalRecord,
  type LedgerState,
} from '../../src-main/tracker/ledger.ts';
import { deriveSegments } from '../../src-main/tracker/segments.ts';
import { openTracker, type Tracker } from '../../src-main/tracker/tracker-service.ts';
import { FakeClock, FakeIdle, minute, second } from '../support/tracker-fakes.ts';

/**
 * Journal compaction, on 30 simulated 8-hour days written by the real tracker (5-second
 * heartbeats, 50 minutes of input and 10 away each hour so idle stretches open and are
 * answered, a memo each hour, a contract switch mid-day, a slot removed), then compacted and
 * replayed: the state, and so the segments, must come out identical, and a crash at any step
 * must leave a journal that replays to that same state.
 */
const dayMs = 24 * 60 * minute;
const hourMs = 60 * minute;
const firstDay = Date.UTC(2026, 0, 5, 8, 0); // a Monday, 08:00 UTC
const days = 30;
const contracts = [
  { contractId: 'c-website', contractTitle: 'Website redesign' },
  { contractId: 'c-logo', contractTitle: 'Logo work' },
  { contractId: 'c-api', contractTitle: 'API integration' },
];
const childScript = fileURLToPath(new URL('../support/compaction-child.ts', import.meta.url));

let workDir: string;
/** The 30 days, all finished, plus an entry left running by a crash on the last day. */
let original: string;
let lastDayEnd: number;
/** Its records and replayed state, read once: every test starts from a copy of it. */
let originalRecords: JournalRecord[];
let originalState: LedgerState;
let originalFingerprint: string;

/** Runs the real tracker through the simulated days, on tmpfs where fdatasync costs little. */
function simulate(journalPath: string): number {
  const clock = new FakeClock(firstDay);
  const idle = new FakeIdle(clock);
  for (let day = 0; day < days; day++) {
    for (let hour = 0; hour < 8; hour++) {
      const from = day * dayMs + hour * hourMs;
      idle.inputDuring(from, from + 50 * minute);
    }
  }
  const tracker: Tracker = openTracker({ journalPath, clock, idle, tickMs: 5 * second });
  let answers = 0;
  tracker.on((event) => {
    if (event.type !== 'idle-question') return;
    const choice = answers++ % 3;
    tracker.answerIdle(
      event.question.stretchId,
      choice === 0
        ? { choice: 'keep' }
        : choice === 1
          ? { choice: 'discard' }
          : { choice: 'reassign', contractId: 'c-api' },
    );
  });
  for (let day = 0; day < days; day++) {
    const morning = contracts[day % 3]!;
    const afternoon = contracts[(day + 1) % 3]!;
    tracker.start({ ...morning, memo: 'Hour 1' });
    for (let hour = 1; hour <= 8; hour++) {
      clock.advance(hourMs);
      if (hour === 4) tracker.switchTo({ ...afternoon, memo: 'After lunch' });
      else if (hour < 8) tracker.setMemo(`Hour ${hour + 1}`);
    }
    tracker.stop();
    // A screenshot deleted on day 2: its slot's time goes for good.
    if (day === 2) tracker.removeSlot(morning.contractId, firstDay + 2 * dayMs + 20 * minute);
    clock.advance(16 * hourMs);
  }
  // The last day ends in a crash with a timer running (recovered at the next open).
  tracker.start({ ...contracts[0]!, memo: 'Late fix' });
  clock.advance(10 * minute);
  tracker.close();
  return clock.wallNow();
}

function replay(path: string): LedgerState {
  const state = emptyLedger();
  for (const record of readJournal(path).records) applyRecord(state, record);
  return state;
}

function copyOf(path: string, name: string): string {
  const copy = join(mkdtempSync(join(workDir, `${name}-`)), 'journal.jsonl');
  copyFileSync(path, copy);
  return copy;
}

/** Opens the journal as the app does and returns how long the open (replay included) took. */
function timedOpen(path: string, now: number, compaction: boolean): number {
  const clock = new FakeClock(now);
  const startedAt = performance.now();
  const tracker = openTracker({
    journalPath: path,
    clock,
    idle: new FakeIdle(clock),
    ...(compaction ? {} : { compaction: { minBytes: Infinity } }),
  });
  const ms = performance.now() - startedAt;
  tracker.close();
  return ms;
}

/** Byte-for-byte identity of two large files, without a slow deep comparison. */
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'megilance-compaction-'));
  const fast = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/megilance-compaction-') : workDir;
  const simulated = join(fast, 'journal.jsonl');
  lastDayEnd = simulate(simulated);
  original = join(workDir, 'original.jsonl');
  copyFileSync(simulated, original);
  if (fast !== workDir) rmSync(fast, { recursive: true, force: true });
  originalRecords = readJournal(original).records;
  originalState = emptyLedger();
  for (const record of originalRecords) applyRecord(originalState, record);
  originalFingerprint = ledgerFingerprint(originalState);
}, 120_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('tracker journal compaction', () => {
  it('replays to the identical state and segments, all 30 days compacted', () => {
    const path = copyOf(original, 'all');
    const before = originalState;
    const records = originalRecords;
    const result = compactJournalIfLarge({
      journalPath: path,
      records,
      state: before,
      now: lastDayEnd + 36 * dayMs,
    });
    // Every finished day went (60 entries: a switch each day); the crashed one stays as written.
    expect(result).toMatchObject({ compactedEntries: 2 * days, recordsBefore: records.length });
    expect(result!.bytesAfter).toBeLessThan(result!.bytesBefore / 20);

    const after = replay(path);
    expect(deriveSegments(after)).toEqual(deriveSegments(before));
    expect(ledgerFingerprint(after)).toBe(ledgerFingerprint(before));
    expect(after.running).not.toBeNull();
    expect(readJournal(path).skippedLines).toBe(0);
    expect(existsSync(compactionTempPath(path))).toBe(false);
    // The removed slot survived as its own record, and still counts for nothing.
    const removed = deriveSegments(after).filter((segment) => segment.removed);
    expect(removed).toHaveLength(1);
    expect(removed[0]!.billedMs).toBe(0);
  });

  it('keeps the last 35 days as they were written and compacts only what is older', () => {
    const path = copyOf(original, 'partial');
    const before = originalState;
    const now = firstDay + 50 * dayMs; // days 0–14 are more than 35 days old
    const result = compactJournalIfLarge({
      journalPath: path,
      records: originalRecords,
      state: before,
      now,
      options: { minBytes: 0, keepDays: 35 },
    });
    expect(result?.compactedEntries).toBe(2 * 15);
    const after = readJournal(path).records;
    // No heartbeat older than the cutoff is left; the newer ones all are.
    const cutoff = now - 35 * dayMs;
    const ticks = (records: typeof after) => records.filter((r) => r.t === 'tick');
    expect(ticks(after).filter((r) => r.at < cutoff - dayMs)).toEqual([]);
    expect(ticks(after)).toEqual(ticks(originalRecords).filter((r) => r.at > cutoff));
    expect(ledgerFingerprint(replay(path))).toBe(ledgerFingerprint(before));
  });

  it('leaves small journals alone, and compacting twice changes nothing more', () => {
    const path = copyOf(original, 'twice');
    const now = lastDayEnd + 36 * dayMs;
    const state = originalState;
    expect(
      compactJournalIfLarge({
        journalPath: path,
        records: originalRecords,
        state,
        now,
        options: { minBytes: 2 ** 30 },
      }),
    ).toBeNull();
    expect(digest(path)).toBe(digest(original));
    compactJournalIfLarge({ journalPath: path, records: originalRecords, state, now });
    const once = digest(path);
    const again = compactJournalIfLarge({
      journalPath: path,
      records: readJournal(path).records,
      state: replay(path),
      now: now + 7 * dayMs,
      options: { minBytes: 0 },
    });
    expect(again).toBeNull();
    expect(digest(path)).toBe(once);
  });

  it('compacts when the tracker opens a large journal, then recovers and tracks as before', () => {
    const plain = copyOf(original, 'open-plain');
    const compacted = copyOf(original, 'open-compacted');
    const now = lastDayEnd + 36 * dayMs;
    const open = (path: string, compaction: boolean) => {
      const clock = new FakeClock(now);
      let ids = 0;
      return openTracker({
        journalPath: path,
        clock,
        // The same ids on both sides, so that their new entries compare equal too.
        newId: () => `new-${++ids}`,
        idle: new FakeIdle(clock).inputDuring(0, Infinity),
        ...(compaction ? {} : { compaction: { minBytes: Infinity } }),
      });
    };
    const reference = open(plain, false);
    const tracker = open(compacted, true);
    try {
      expect(statSync(compacted).size).toBeLessThan(statSync(plain).size / 20);
      expect(tracker.recovered).toEqual(reference.recovered);
      expect(tracker.segments()).toEqual(reference.segments());
      expect(tracker.pendingQuestions()).toEqual(reference.pendingQuestions());
      expect(tracker.lastStart()).toEqual({
        contractId: 'c-website',
        contractTitle: 'Website redesign',
        memo: 'Late fix',
        weeklyLimitMs: null,
        screenshotsPerSlot: 0,
      });
      // The compacted journal takes new records like any other.
      tracker.start({ contractId: 'c-logo' });
      reference.start({ contractId: 'c-logo' });
      tracker.stop();
      reference.stop();
    } finally {
      tracker.close();
      reference.close();
    }
    expect(ledgerFingerprint(replay(compacted))).toBe(ledgerFingerprint(replay(plain)));
  });

  it('a compaction that fails before the rename leaves the old journal untouched', () => {
    const path = copyOf(original, 'rename-fails');
    const errors: string[] = [];
    const result = compactJournalIfLarge({
      journalPath: path,
      records: originalRecords,
      state: originalState,
      now: lastDayEnd + 36 * dayMs,
      log: { info: () => {}, warn: () => {}, error: (message) => errors.push(message) },
      options: {
        rename: () => {
          throw Object.assign(new Error('EIO: the disk went away'), { code: 'EIO' });
        },
      },
    });
    expect(result).toBeNull();
    expect(errors).toEqual(['tracker: journal compaction failed; kept the journal as it is']);
    expect(digest(path)).toBe(digest(original));
    expect(existsSync(compactionTempPath(path))).toBe(false);
  });

  /** Runs the compaction in a child process, killed with SIGKILL at `step`. */
  async function killedAt(step: 'before-rename' | 'after-rename', path: string): Promise<void> {
    const child = spawn(
      process.execPath,
      [childScript, path, String(lastDayEnd + 36 * dayMs), step],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = once(child, 'exit');
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    expect(line).toBe('paused');
    child.kill('SIGKILL');
    expect(await exited).toEqual([null, 'SIGKILL']);
  }

  it('a process killed before the rename leaves the old journal valid; the next open compacts', async () => {
    const path = copyOf(original, 'killed-before');
    await killedAt('before-rename', path);
    // The crash left a complete temporary file next to the untouched journal.
    expect(digest(path)).toBe(digest(original));
    expect(existsSync(compactionTempPath(path))).toBe(true);
    // Even torn in half, the leftover is never read: the next open removes it and starts over.
    truncateSync(compactionTempPath(path), statSync(compactionTempPath(path)).size >> 1);
    const expected = originalFingerprint;
    expect(ledgerFingerprint(replay(path))).toBe(expected);
    const result = compactJournalIfLarge({
      journalPath: path,
      records: originalRecords,
      state: originalState,
      now: lastDayEnd + 36 * dayMs,
    });
    expect(result?.compactedEntries).toBe(2 * days);
    expect(existsSync(compactionTempPath(path))).toBe(false);
    expect(ledgerFingerprint(replay(path))).toBe(expected);
  }, 60_000);

  it('a process killed right after the rename leaves the compacted journal, complete', async () => {
    const path = copyOf(original, 'killed-after');
    await killedAt('after-rename', path);
    expect(statSync(path).size).toBeLessThan(statSync(original).size / 20);
    expect(readJournal(path).skippedLines).toBe(0);
    expect(ledgerFingerprint(replay(path))).toBe(originalFingerprint);
  }, 60_000);

  it('measures: size and open time for 30 days of 8 hours, before and after', () => {
    const now = lastDayEnd + 36 * dayMs;
    const plain = copyOf(original, 'measure-plain');
    timedOpen(plain, now, false); // warm-up: caches, JIT
    const beforeMs = median([1, 2, 3].map(() => timedOpen(plain, now, false)));
    const bytesBefore = statSync(plain).size;

    const compacted = copyOf(original, 'measure-compacted');
    const compactingOpenMs = timedOpen(compacted, now, true);
    const bytesAfter = statSync(compacted).size;
    const afterMs = median([1, 2, 3].map(() => timedOpen(compacted, now, true)));

    const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(2);
    console.info(
      [
        `30 days × 8 h (${readJournal(original).records.length} records):`,
        `  journal ${mb(bytesBefore)} MiB → ${mb(bytesAfter)} MiB (${(bytesBefore / bytesAfter).toFixed(0)}× smaller)`,
        `  open (replay) ${beforeMs.toFixed(0)} ms → ${afterMs.toFixed(1)} ms; the open that compacts: ${compactingOpenMs.toFixed(0)} ms`,
      ].join('\n'),
    );
    expect(bytesAfter).toBeLessThan(bytesBefore / 20);
    expect(afterMs).toBeLessThan(beforeMs);
  }, 120_000);
});

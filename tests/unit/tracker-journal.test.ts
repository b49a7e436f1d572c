import { readFileSync, statSync, truncateSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeLine, encodeRecord, readJournal } from '../../src-main/tracker/journal.ts';
import type { JournalRecord } from '../../src-main/tracker/ledger.ts';
import {
  openTracker,
  type Tracker,
  type TrackerEvent,
} from '../../src-main/tracker/tracker-service.ts';
import { FakeClock, FakeIdle, minute, second, tempJournal } from '../support/tracker-fakes.ts';

const t0 = Date.UTC(2026, 2, 2, 9, 0);

let trackers: Tracker[] = [];
afterEach(() => {
  for (const tracker of trackers) tracker.close();
  trackers = [];
});

function open(journalPath: string, clock: FakeClock, onEvent?: (event: TrackerEvent) => void) {
  const tracker = openTracker({
    onEvent,
    journalPath,
    clock,
    idle: new FakeIdle(clock).inputDuring(0, 10 * minute).inputDuring(22 * minute, Infinity),
    idleThresholdMs: 5 * minute,
    tickMs: 5 * second,
  });
  trackers.push(tracker);
  return tracker;
}

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).length;
const billed = (tracker: Tracker) => tracker.segments().reduce((total, s) => total + s.billedMs, 0);

describe('tracker journal: lines', () => {
  const record: JournalRecord = { t: 'tick', entry: 'e1', at: t0, input: t0 - 1_000 };

  it('round-trips a record through a self-validating line', () => {
    const line = encodeRecord(record);
    expect(line).toMatch(/^[0-9a-f]{8} \{.*\}\n$/);
    expect(decodeLine(line.trimEnd())).toEqual(record);
  });

  it('rejects a line cut short, altered, or well-formed but not a record', () => {
    const line = encodeRecord(record).trimEnd();
    expect(decodeLine(line.slice(0, -5))).toBeNull();
    expect(decodeLine(line.replace(String(t0), String(t0 + 1)))).toBeNull();
    const notARecord = encodeRecord({ t: 'tick' } as unknown as JournalRecord).trimEnd();
    expect(decodeLine(notARecord)).toBeNull();
    expect(decodeLine('')).toBeNull();
  });
});

describe('tracker journal: replay and recovery', () => {
  it('recovers an entry left running up to its last heartbeat, once, without duplicating time', () => {
    const journalPath = tempJournal();
    const clock = new FakeClock(t0);
    const first = open(journalPath, clock);
    first.start({ contractId: 'c1', memo: 'api' });
    clock.advance(25 * minute + 3 * second); // last heartbeat at 25:00
    const question = first.pendingQuestions()[0];
    first.answerIdle(question!.stretchId, { choice: 'discard' });
    const before = first.segments();
    first.close(); // the process dies with the timer running

    const events: TrackerEvent[] = [];
    const second_ = open(journalPath, clock, (event) => events.push(event));
    // The UI hears about it: as an event at open, and from `recovered` afterwards.
    expect(events).toEqual([{ type: 'recovered', entry: second_.recovered[0] }]);
    expect(second_.recovered).toEqual([
      {
        entryId: expect.any(String) as string,
        contractId: 'c1',
        startedAt: t0,
        stoppedAt: t0 + 25 * minute,
        billedMs: billed(first),
      },
    ]);
    expect(second_.status()).toBeNull();
    expect(second_.segments()).toEqual(before);
    const afterRecovery = lines(journalPath);
    second_.close();

    const third = open(journalPath, clock);
    expect(third.recovered).toEqual([]);
    expect(third.segments()).toEqual(before);
    expect(lines(journalPath)).toBe(afterRecovery);
  });

  it('recovers an idle stretch that was open at the crash as an unanswered question', () => {
    const journalPath = tempJournal();
    const clock = new FakeClock(t0);
    const first = open(journalPath, clock);
    first.start({ contractId: 'c1' });
    clock.advance(18 * minute);
    first.close();
    const second_ = open(journalPath, clock);
    expect(second_.pendingQuestions()).toEqual([
      expect.objectContaining({ from: t0 + 10 * minute - 999, to: t0 + 18 * minute }),
    ]);
    expect(billed(second_)).toBe(10 * minute - 999);
  });

  it('ignores a line torn mid-write, loses at most that tick, and keeps appending cleanly', () => {
    const journalPath = tempJournal();
    const clock = new FakeClock(t0);
    const first = open(journalPath, clock);
    first.start({ contractId: 'c1' });
    clock.advance(7 * minute); // heartbeats every 5 s up to 07:00
    first.close();
    // A power cut in the middle of writing the 07:00 heartbeat.
    truncateSync(journalPath, statSync(journalPath).size - 17);
    expect(readJournal(journalPath).skippedLines).toBe(1);

    const second_ = open(journalPath, clock);
    expect(second_.skippedLines).toBe(1);
    expect(second_.recovered[0]?.stoppedAt).toBe(t0 + 7 * minute - 5 * second);
    expect(billed(second_)).toBe(7 * minute - 5 * second);

    // Records written after the torn line start on a line of their own and read back intact.
    clock.advance(1 * minute);
    second_.start({ contractId: 'c2' });
    clock.advance(3 * minute);
    second_.stop();
    second_.close();
    const third = open(journalPath, clock);
    expect(third.skippedLines).toBe(1);
    expect(third.recovered).toEqual([]);
    const c2 = third.segments().filter((s) => s.contractId === 'c2');
    expect(c2.map((s) => s.billedMs)).toEqual([2 * minute, 1 * minute]); // 09:08–09:10, 09:10–09:11
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { Segment } from '../../src-main/tracker/segments.ts';
import {
  openTracker,
  type IdleQuestion,
  type Tracker,
} from '../../src-main/tracker/tracker-service.ts';
import { FakeClock, FakeIdle, minute, second, tempJournal } from '../support/tracker-fakes.ts';

const t0 = Date.UTC(2026, 2, 2, 9, 0);
// Electron reports idle time in whole seconds; the tracker takes the earliest moment consistent
// with a reading, so a stretch begins up to 999 ms before the last input really was.
const idleFrom = t0 + 10 * minute - 999;
const idleTo = t0 + 22 * minute + 4 * second + 1; // first tick after input resumed at 22:02
const stretchMs = idleTo - idleFrom;

let trackers: Tracker[] = [];
afterEach(() => {
  for (const tracker of trackers) tracker.close();
  trackers = [];
});

/** Works 09:00–09:10, away until 09:22:02, works until 09:30, with a 5-minute threshold. */
function awayForTwelveMinutes() {
  const clock = new FakeClock(t0);
  const idle = new FakeIdle(clock)
    .inputDuring(0, 10 * minute)
    .inputDuring(22 * minute + 2 * second, Infinity);
  const journalPath = tempJournal();
  const tracker = openTracker({ journalPath, clock, idle, idleThresholdMs: 5 * minute });
  trackers.push(tracker);
  const questions: IdleQuestion[] = [];
  tracker.on((event) => {
    if (event.type === 'idle-question') questions.push(event.question);
  });
  tracker.start({ contractId: 'c1' });
  clock.advance(30 * minute);
  tracker.stop();
  return { clock, tracker, questions, journalPath };
}

const sum = (
  segments: Segment[],
  key: 'billedMs' | 'idlePendingMs' | 'idleDiscardedMs',
  contract = 'c1',
) => segments.filter((s) => s.contractId === contract).reduce((total, s) => total + s[key], 0);

describe('tracker: idle time', () => {
  it('marks the stretch from the last input, asks once on return, and bills nothing until answered', () => {
    const { tracker, questions } = awayForTwelveMinutes();
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatchObject({
      contractId: 'c1',
      from: idleFrom,
      to: idleTo,
      ms: stretchMs,
    });
    expect(tracker.pendingQuestions()).toEqual(questions);
    const segments = tracker.segments();
    expect(sum(segments, 'billedMs')).toBe(30 * minute - stretchMs);
    expect(sum(segments, 'idlePendingMs')).toBe(stretchMs);
    // The slot spent entirely away holds no billed time at all.
    expect(segments.find((s) => s.start === t0 + 10 * minute)).toMatchObject({
      billedMs: 0,
      idlePendingMs: 10 * minute,
      activity: 0,
    });
  });

  it('keep bills the stretch to the same contract, with no activity in it', () => {
    const { tracker, questions } = awayForTwelveMinutes();
    tracker.answerIdle(questions[0]!.stretchId, { choice: 'keep' });
    const segments = tracker.segments();
    expect(sum(segments, 'billedMs')).toBe(30 * minute);
    expect(sum(segments, 'idlePendingMs')).toBe(0);
    expect(segments.map((s) => [s.trackedMinutes, s.activeMinutes, s.activity])).toEqual([
      [10, 10, 100],
      [10, 0, 0],
      [10, 8, 80], // input seen in 09:22 … 09:29
    ]);
    expect(tracker.pendingQuestions()).toEqual([]);
    expect(() => tracker.answerIdle(questions[0]!.stretchId, { choice: 'discard' })).toThrow(
      /no open idle question/,
    );
  });

  it('discard removes the stretch from billing and records it as discarded', () => {
    const { tracker, questions } = awayForTwelveMinutes();
    tracker.answerIdle(questions[0]!.stretchId, { choice: 'discard' });
    const segments = tracker.segments();
    expect(sum(segments, 'billedMs')).toBe(30 * minute - stretchMs);
    expect(sum(segments, 'idlePendingMs')).toBe(0);
    expect(sum(segments, 'idleDiscardedMs')).toBe(stretchMs);
  });

  it('reassign moves the stretch to another contract’s segments', () => {
    const { tracker, questions, journalPath, clock } = awayForTwelveMinutes();
    tracker.answerIdle(questions[0]!.stretchId, { choice: 'reassign', contractId: 'c2' });
    const segments = tracker.segments();
    expect(sum(segments, 'billedMs', 'c1')).toBe(30 * minute - stretchMs);
    expect(sum(segments, 'billedMs', 'c2')).toBe(stretchMs);
    expect(segments.filter((s) => s.contractId === 'c2').map((s) => s.id)).toEqual([
      'c2@2026-03-02T09:00:00.000Z',
      'c2@2026-03-02T09:10:00.000Z',
      'c2@2026-03-02T09:20:00.000Z',
    ]);
    // The answer is journaled: a restart sees the same split.
    tracker.close();
    const reopened = openTracker({ journalPath, clock, idle: new FakeIdle(clock) });
    trackers.push(reopened);
    expect(reopened.segments()).toEqual(segments);
  });

  it('asks when the timer stops while the user is still away, and bills none of it by default', () => {
    const clock = new FakeClock(t0);
    const idle = new FakeIdle(clock).inputDuring(0, 2 * minute);
    const tracker = openTracker({
      journalPath: tempJournal(),
      clock,
      idle,
      idleThresholdMs: 5 * minute,
    });
    trackers.push(tracker);
    const questions: IdleQuestion[] = [];
    tracker.on((event) => {
      if (event.type === 'idle-question') questions.push(event.question);
    });
    tracker.start({ contractId: 'c1' });
    clock.advance(6 * minute);
    expect(tracker.status()?.idle).toBe(false);
    clock.advance(1 * minute);
    expect(tracker.status()?.idle).toBe(true);
    clock.advance(13 * minute);
    tracker.stop();
    expect(questions).toEqual([
      expect.objectContaining({
        from: t0 + 2 * minute - 999,
        to: t0 + 20 * minute,
      }) as IdleQuestion,
    ]);
    expect(sum(tracker.segments(), 'billedMs')).toBe(2 * minute - 999);
  });

  it('refuses answers to unknown questions', () => {
    const { tracker } = awayForTwelveMinutes();
    expect(() => tracker.answerIdle('nope', { choice: 'keep' })).toThrow(/no open idle question/);
  });
});

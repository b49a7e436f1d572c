import { describe, expect, it } from 'vitest';
import {
  createTrackerNoticeFeed,
  durationText,
  trackerNotices,
} from '../../shared/time/tracker-notices.ts';
import { trackerStatus } from '../support/tracker-status.ts';

const t0 = Date.UTC(2026, 2, 2, 9, 0);
const minute = 60_000;
const titles: Record<string, string> = { c1: 'Website redesign', c2: 'Logo work' };
const nameOf = (id: string) => titles[id] ?? null;

const status = trackerStatus;

const question = (stretchId: string, contractId = 'c1', ms = 12 * minute) => ({
  stretchId,
  contractId,
  from: t0,
  to: t0 + ms,
  ms,
});

describe('tracker notices: idle questions', () => {
  it('turns one new idle question into one notice that names the contract and the time away', () => {
    const { notices, shownKeys } = trackerNotices(
      status({ questions: [question('s1')] }),
      new Set(),
      nameOf,
    );
    expect(notices).toEqual([
      {
        key: 'idle:s1',
        kind: 'idle-question',
        title: 'Were you working?',
        body: 'You were away for 12 min while tracking Website redesign. Keep or discard that time on the Time screen.',
      },
    ]);
    expect(shownKeys).toEqual(['idle:s1']);
  });

  it('folds questions that arrive together into one notice, and never repeats any of them', () => {
    const feed = createTrackerNoticeFeed();
    const both = status({ questions: [question('s1'), question('s2', 'c2', 3 * minute)] });
    expect(feed.next(both, nameOf)).toEqual([
      expect.objectContaining({
        kind: 'idle-question',
        title: '2 idle stretches wait for your answer',
      }),
    ]);
    // The same status again (the next refresh): nothing new.
    expect(feed.next(both, nameOf)).toEqual([]);
    // A third stretch later: only it is announced, on its own.
    const three = status({ questions: [...both.questions, question('s3', 'c2', 90 * minute)] });
    expect(feed.next(three, nameOf)).toEqual([
      expect.objectContaining({
        key: 'idle:s3',
        body: expect.stringContaining('1 h 30 min while tracking Logo work') as string,
      }),
    ]);
  });

  it('does not announce again a question that was answered and is gone, nor names unknown contracts', () => {
    const feed = createTrackerNoticeFeed();
    expect(feed.next(status({ questions: [question('s1', 'c9')] }), nameOf)[0]?.body).toContain(
      'while tracking a contract.',
    );
    expect(feed.next(status(), nameOf)).toEqual([]);
    expect(feed.next(status({ questions: [question('s1', 'c9')] }), nameOf)).toEqual([]);
  });
});

describe('tracker notices: weekly limits', () => {
  it('warns once per warning, newest per contract, with the time left', () => {
    const feed = createTrackerNoticeFeed();
    const first = status({
      limitWarnings: [
        { contractId: 'c1', remainingMs: 58 * minute, at: t0 },
        { contractId: 'c1', remainingMs: 45 * minute, at: t0 + minute },
      ],
    });
    expect(feed.next(first, nameOf)).toEqual([
      {
        key: `limit:c1@${t0 + minute}`,
        kind: 'limit-warning',
        title: '45 min left this week',
        body: 'Website redesign is close to its weekly hour limit; the timer stops when it is reached.',
      },
    ]);
    expect(feed.next(first, nameOf)).toEqual([]);
    const later = status({
      limitWarnings: [
        ...first.limitWarnings,
        { contractId: 'c2', remainingMs: 2 * 60 * minute, at: t0 + 2 * minute },
      ],
    });
    expect(feed.next(later, nameOf).map((notice) => notice.title)).toEqual(['2 h left this week']);
  });

  it('says when the limit stopped the timer, once; other automatic stops are not notices', () => {
    const feed = createTrackerNoticeFeed();
    const stopped = status({
      lastAutoStop: { contractId: 'c2', reason: 'weekly-limit', at: t0 },
    });
    expect(feed.next(stopped, nameOf)).toEqual([
      {
        key: `limit-stop:c2@${t0}`,
        kind: 'limit-reached',
        title: 'Timer stopped: weekly limit reached',
        body: 'Logo work reached its weekly hour limit. Time after it is not tracked.',
      },
    ]);
    expect(feed.next(stopped, nameOf)).toEqual([]);
    const slept = status({
      lastAutoStop: { contractId: 'c2', reason: 'suspend', at: t0 + minute },
    });
    expect(feed.next(slept, nameOf)).toEqual([]);
  });
});

describe('durationText', () => {
  it('rounds down and never claims more than there is', () => {
    expect(durationText(59_999)).toBe('less than a minute');
    expect(durationText(-5)).toBe('less than a minute');
    expect(durationText(5 * minute + 59_999)).toBe('5 min');
    expect(durationText(60 * minute)).toBe('1 h');
    expect(durationText(125 * minute)).toBe('2 h 5 min');
  });
});

import type { TrackerStatusView } from '../ipc/tracker.ts';

/**
 * What the tracker wants the user to know while they may be looking elsewhere: an idle stretch
 * waits for an answer, a weekly limit is near, a weekly limit stopped the timer. Both sides
 * use it: the Electron main process shows these as OS notifications, the renderer of the
 * browser host (which has no OS notifications) as in-app ones. It works on status snapshots,
 * which both sides have, so the same rules hold wherever it runs.
 */
export interface TrackerNotice {
  /** Names this occurrence: a notice with a key already shown is never shown again. */
  key: string;
  kind: 'idle-question' | 'limit-warning' | 'limit-reached';
  title: string;
  body: string;
}

/** The contract's title, or null when it is not known here. */
export type ContractNamer = (contractId: string) => string | null;

/** `45 min`, `2 h 5 min`, `less than a minute`: rounded down, never more than there is. */
export function durationText(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes === 0) return 'less than a minute';
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `${minutes} min`;
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/**
 * The notices a status asks for that are not in `shown`. Several idle questions that arrive
 * together make one notice (a morning after a night away should not bring five); of several
 * warnings for one contract only the newest counts. Returns the keys to remember as shown,
 * including those of the questions folded into a group notice.
 */
export function trackerNotices(
  status: TrackerStatusView,
  shown: ReadonlySet<string>,
  nameOf: ContractNamer,
): { notices: TrackerNotice[]; shownKeys: string[] } {
  const notices: TrackerNotice[] = [];
  const shownKeys: string[] = [];
  const name = (contractId: string) => nameOf(contractId) ?? 'a contract';

  const questions = status.questions.filter((q) => !shown.has(`idle:${q.stretchId}`));
  if (questions.length > 0) shownKeys.push(...questions.map((q) => `idle:${q.stretchId}`));
  const [question] = questions;
  if (questions.length === 1 && question) {
    notices.push({
      key: `idle:${question.stretchId}`,
      kind: 'idle-question',
      title: 'Were you working?',
      body: `You were away for ${durationText(question.ms)} while tracking ${name(question.contractId)}. Keep or discard that time on the Time screen.`,
    });
  } else if (questions.length > 1) {
    notices.push({
      key: shownKeys.join(' '),
      kind: 'idle-question',
      title: `${questions.length} idle stretches wait for your answer`,
      body: 'Keep or discard that time on the Time screen.',
    });
  }

  const newestWarning = new Map<string, TrackerStatusView['limitWarnings'][number]>();
  for (const warning of status.limitWarnings) {
    const key = `limit:${warning.contractId}@${warning.at}`;
    if (shown.has(key)) continue;
    shownKeys.push(key);
    newestWarning.set(warning.contractId, warning);
  }
  for (const warning of newestWarning.values()) {
    notices.push({
      key: `limit:${warning.contractId}@${warning.at}`,
      kind: 'limit-warning',
      title: `${durationText(warning.remainingMs)} left this week`,
      body: `${name(warning.contractId)} is close to its weekly hour limit; the timer stops when it is reached.`,
    });
  }

  const stop = status.lastAutoStop;
  if (stop?.reason === 'weekly-limit') {
    const key = `limit-stop:${stop.contractId}@${stop.at}`;
    if (!shown.has(key)) {
      shownKeys.push(key);
      notices.push({
        key,
        kind: 'limit-reached',
        title: 'Timer stopped: weekly limit reached',
        body: `${name(stop.contractId)} reached its weekly hour limit. Time after it is not tracked.`,
      });
    }
  }
  return { notices, shownKeys };
}

/** Remembers what was shown, so each snapshot yields only what is new. */
export function createTrackerNoticeFeed(): {
  next(status: TrackerStatusView, nameOf: ContractNamer): TrackerNotice[];
} {
  const shown = new Set<string>();
  return {
    next(status, nameOf) {
      const { notices, shownKeys } = trackerNotices(status, shown, nameOf);
      for (const key of shownKeys) shown.add(key);
      return notices;
    },
  };
}

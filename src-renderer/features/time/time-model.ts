import type { TrackerSegmentView } from '../../../shared/ipc/tracker.ts';
import type { ContractDocument } from '../../../shared/sync/documents.ts';

/** Contracts this person can track time on: theirs as freelancer. Only active ones can run. */
export function myFreelanceContracts(
  contracts: readonly ContractDocument[],
  me: string,
): ContractDocument[] {
  return contracts.filter((contract) => contract.freelancer.id === me);
}

export const canTrack = (contract: ContractDocument): boolean => contract.status === 'active';

/** `1:02:03`: hours, minutes, seconds of a duration. */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

/** `3 h 20 min`, `45 min`: a billed total, to the minute (rounded down: never more than tracked). */
export function hoursText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  // Some time, but not a whole minute: saying "0 min" would read as none at all.
  if (ms > 0 && minutes === 0) return 'under 1 min';
  if (hours === 0) return `${minutes} min`;
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** Monday 00:00 UTC of the week holding `at`: the tracker counts weekly limits per UTC week. */
export function utcWeekStart(at: number): number {
  const day = new Date(at);
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  const weekday = (day.getUTCDay() + 6) % 7;
  return midnight - weekday * 86_400_000;
}

/** Local midnight of the day holding `at`, and the next one. */
export function localDay(at: number): { from: number; to: number } {
  const day = new Date(at);
  const from = new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime();
  const to = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1).getTime();
  return { from, to };
}

export function billedByContract(segments: readonly TrackerSegmentView[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const segment of segments) {
    totals.set(segment.contractId, (totals.get(segment.contractId) ?? 0) + segment.billedMs);
  }
  return totals;
}

export const stopReasonTexts: Record<string, string> = {
  suspend: 'the computer went to sleep',
  'lock-screen': 'the screen was locked',
  shutdown: 'the computer shut down',
  'weekly-limit': "the contract's weekly hour limit was reached",
  gap: 'the app was frozen for a while',
  'clock-jump': "the computer's clock jumped forward",
};

/** "1 screenshot every 10 minutes": a contract's screenshot setting in words. */
export function screenshotsText(perSlot: number): string {
  if (perSlot === 0) return 'No screenshots';
  return perSlot === 1
    ? '1 screenshot every 10 minutes'
    : `${perSlot} screenshots every 10 minutes`;
}

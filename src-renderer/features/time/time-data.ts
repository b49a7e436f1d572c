import { useEffect, useMemo, useState } from 'react';
import { map } from 'rxjs';
import type { LocalScreenshot } from '../../../shared/ipc/screenshots.ts';
import type {
  ScreenshotDocument,
  TimeEntryDocument,
  TimeReviewDocument,
  WorkLogDocument,
} from '../../../shared/sync/documents.ts';
import { workLogId } from '../../../shared/time/stable-ids.ts';
import { megilance } from '../../platform/megilance.ts';
import { useObservable, useSyncEngine } from '../../sync/SyncProvider.tsx';

/**
 * The time screens' view of the device database, as live queries: a contract's entries by UTC
 * day, its screenshots by slot, its reviews by week, a day's work log. Both parties read the
 * same documents; what the client may see is decided by the server when it syncs them.
 */

const asJson = <T>(docs: Array<{ toMutableJSON(): T }>) => docs.map((doc) => doc.toMutableJSON());

/** Entries of a contract on UTC days from `first` to `last` (inclusive), live. */
export function useTimeEntries(
  contractId: string,
  first: string,
  last: string,
): TimeEntryDocument[] | null {
  const engine = useSyncEngine();
  const source = useMemo(
    () =>
      engine
        ? engine.db.timeEntries
            .find({
              selector: { contractId, day: { $gte: first, $lte: last } },
              sort: [{ contractId: 'asc' }, { day: 'asc' }],
            })
            .$.pipe(map(asJson<TimeEntryDocument>))
        : null,
    [engine, contractId, first, last],
  );
  return useObservable(source, null);
}

/** Recorded screenshots of a contract whose slot starts in [from, to), live. */
export function useScreenshotDocuments(
  contractId: string,
  from: number,
  to: number,
): ScreenshotDocument[] | null {
  const engine = useSyncEngine();
  const source = useMemo(
    () =>
      engine
        ? engine.db.screenshots
            .find({
              selector: {
                contractId,
                slot: { $gte: new Date(from).toISOString(), $lt: new Date(to).toISOString() },
              },
              sort: [{ contractId: 'asc' }, { slot: 'asc' }],
            })
            .$.pipe(map(asJson<ScreenshotDocument>))
        : null,
    [engine, contractId, from, to],
  );
  return useObservable(source, null);
}

/** Reviews of a contract for weeks from `first` to `last` (Mondays, inclusive), live. */
export function useTimeReviews(
  contractId: string,
  first: string,
  last: string,
): TimeReviewDocument[] | null {
  const engine = useSyncEngine();
  const source = useMemo(
    () =>
      engine
        ? engine.db.timeReviews
            .find({
              selector: { contractId, week: { $gte: first, $lte: last } },
              sort: [{ contractId: 'asc' }, { week: 'asc' }],
            })
            .$.pipe(map(asJson<TimeReviewDocument>))
        : null,
    [engine, contractId, first, last],
  );
  return useObservable(source, null);
}

/** A day's work log: undefined while loading, null when none was written. */
export function useWorkLog(
  contractId: string,
  freelancerId: string,
  day: string,
): WorkLogDocument | null | undefined {
  const engine = useSyncEngine();
  const source = useMemo(
    () =>
      engine
        ? engine.db.workLogs
            .findOne(workLogId(contractId, freelancerId, day))
            .$.pipe(map((doc) => (doc ? doc.toMutableJSON() : null)))
        : null,
    [engine, contractId, freelancerId, day],
  );
  return useObservable<WorkLogDocument | null | undefined>(source, undefined);
}

/**
 * This machine's screenshots of a contract in [from, to), pending ones included (only the
 * freelancer's own machine has those). Asked again every 15 seconds, so a screenshot whose
 * grace period ends changes from "private" to "shared" without a reload, and on `version`.
 */
export function useLocalScreenshots(
  enabled: boolean,
  contractId: string,
  from: number,
  to: number,
  version: number,
): { shots: LocalScreenshot[]; unavailable: string | null } {
  const [state, setState] = useState<{ shots: LocalScreenshot[]; unavailable: string | null }>({
    shots: [],
    unavailable: null,
  });
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const load = async () => {
      const result = await megilance().screenshots.list({ from, to });
      if (!live) return;
      setState(
        result.ok
          ? { shots: result.value.filter((s) => s.contractId === contractId), unavailable: null }
          : { shots: [], unavailable: result.problem.detail ?? result.problem.title },
      );
    };
    void load();
    const timer = window.setInterval(() => void load(), 15_000);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [enabled, contractId, from, to, version]);
  return enabled ? state : { shots: [], unavailable: null };
}

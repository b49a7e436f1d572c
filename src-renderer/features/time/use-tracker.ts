import { useCallback, useEffect, useState } from 'react';
import type { IpcResult } from '../../../shared/ipc/contract.ts';
import type { TrackerSegmentView, TrackerStatusView } from '../../../shared/ipc/tracker.ts';
import { megilance } from '../../platform/megilance.ts';

/**
 * The main process's tracker as seen from here. The desktop bridge has no main→renderer push
 * (the browser host's bridge is plain request/answer HTTP), so the Time screen polls the status
 * every second while it is open; the timer keeps running in the main process regardless.
 */
export function useTrackerStatus(): {
  status: TrackerStatusView | null;
  error: string | null;
  apply: (result: IpcResult<TrackerStatusView>) => string | null;
} {
  const [status, setStatus] = useState<TrackerStatusView | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** Takes a fresh status from an action's answer; returns the refusal's text, if any. */
  const apply = useCallback((result: IpcResult<TrackerStatusView>): string | null => {
    if (result.ok) {
      setStatus(result.value);
      setError(null);
      return null;
    }
    return result.problem.detail ?? result.problem.title;
  }, []);

  useEffect(() => {
    let live = true;
    const poll = async () => {
      const result = await megilance().tracker.status();
      if (!live) return;
      if (result.ok) {
        setStatus(result.value);
        setError(null);
      } else setError(result.problem.detail ?? result.problem.title);
    };
    void poll();
    const timer = window.setInterval(() => void poll(), 1000);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, []);

  return { status, error, apply };
}

/** Segments between two instants, fetched again whenever `version` changes. */
export function useTrackerSegments(
  from: number,
  to: number,
  version: string,
): TrackerSegmentView[] | null {
  const [segments, setSegments] = useState<TrackerSegmentView[] | null>(null);
  useEffect(() => {
    let live = true;
    void megilance()
      .tracker.segments({ from, to })
      .then((result) => {
        if (live && result.ok) setSegments(result.value);
      });
    return () => {
      live = false;
    };
  }, [from, to, version]);
  return segments;
}

/** Re-renders every second: for the running clock between polls. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/** Re-renders every minute: for "today" and "this week" on screens that need no seconds. */
export function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

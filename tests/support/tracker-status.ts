import type { TrackerStatusView } from '../../shared/ipc/tracker.ts';

/** A tracker status as the host answers it: nothing running, nothing pending, unless patched. */
export function trackerStatus(patch: Partial<TrackerStatusView> = {}): TrackerStatusView {
  return {
    activityAvailable: true,
    screenshotsAvailable: false,
    running: null,
    recovered: [],
    questions: [],
    limitWarnings: [],
    lastAutoStop: null,
    ...patch,
  };
}

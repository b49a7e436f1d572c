import { useEffect } from 'react';
import { megilance } from '../../platform/megilance.ts';
import { useSyncEngine } from '../../sync/SyncProvider.tsx';
import { handOffRange } from './hand-off-model.ts';
import { handOffRequests } from './hand-off-requests.ts';
import { handOff, type HandOffDeps } from './hand-off-run.ts';

/**
 * Hands the tracker's journal (main process) over to synced time entries and records the
 * screenshots whose grace period ended, while a freelancer is signed in. The first run looks
 * back 31 days (the most the tracker answers at once); later runs from the start of the
 * previous UTC week, the oldest time still open to change (a week is approved once it is
 * over, and its slots can change until then: idle answers, deleted screenshots). Runs happen
 * every half minute, and whenever a screen asks (after a tracker action, when the diary opens).
 */
const everyMs = 30_000;

/**
 * Runs the hand-off while someone is signed in with a database open. Runs never overlap: a
 * request during a run is served by one more run after it.
 */
export function useTimeHandOff(): void {
  const engine = useSyncEngine();
  useEffect(() => {
    if (!engine) return;
    const deps: HandOffDeps = { db: engine.db, me: engine.userId, host: megilance() };
    let running = false;
    let again = false;
    let first = true;
    let stopped = false;
    const run = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const { from, to } = handOffRange(Date.now(), first);
          await handOff(deps, from, to);
          first = false;
        } while (again && !stopped);
      } catch (error) {
        // The next run tries again; a database closing under us (sign-out) is expected.
        if (!stopped) console.warn('Time hand-off failed; retrying shortly.', error);
      } finally {
        running = false;
      }
    };
    void run();
    const timer = window.setInterval(() => void run(), everyMs);
    const subscription = handOffRequests.subscribe(() => void run());
    return () => {
      stopped = true;
      window.clearInterval(timer);
      subscription.unsubscribe();
    };
  }, [engine]);
}

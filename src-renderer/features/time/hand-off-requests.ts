import { Subject } from 'rxjs';

/**
 * Asks the running hand-off (hand-off.ts) for a run now. Apart from the hook so that actions
 * (a tracker command, a deleted screenshot) can ask without importing React or the sync
 * provider.
 */
const requests = new Subject<void>();

export const handOffRequests = requests.asObservable();

/** Ask for a hand-off now (a tracker action happened, or a screen wants fresh entries). */
export function requestHandOff(): void {
  requests.next();
}

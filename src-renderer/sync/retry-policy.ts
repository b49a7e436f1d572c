import { firstValueFrom, race, timer, type Observable } from 'rxjs';
import { SyncTransportError } from './http-transport.ts';

/**
 * How the replication waits out failures that will pass. RxDB's own retry sleeps a fixed
 * `retryTime` and cannot be woken, so a device coming back online would sit idle for up to
 * that long; here a wait ends early when there is reason to believe the server is back (the
 * socket reconnected, the browser went online, the user pressed retry).
 *
 * What is not transient (the session is over, an answer we do not understand) is thrown to
 * RxDB, which reports it on `error$` and tries again after `retryTime`.
 */
export interface RetryPolicyOptions {
  signal: AbortSignal;
  /** Emits when it is worth trying again right away. */
  nudge$: Observable<unknown>;
  /** First and longest wait between attempts, in ms. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Told about each failure, so the engine can show "offline" or the server's reason. */
  onFailure(error: SyncTransportError): void;
}

export type Persist = <T>(
  operation: () => Promise<T>,
  options?: { maxPendingAttempts?: number },
) => Promise<T>;

export function createRetryPolicy(options: RetryPolicyOptions): Persist {
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 15_000;

  const closed = new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  });

  async function wait(attempt: number, wakeEarly: boolean): Promise<void> {
    const delay = Math.min(minDelay * 2 ** Math.min(attempt, 16), maxDelay);
    const waits: Array<Promise<unknown>> = [firstValueFrom(timer(delay)), closed];
    if (wakeEarly) {
      // A nudge only counts once it arrives: the one that triggered this attempt is spent.
      waits.push(firstValueFrom(race(options.nudge$, timer(maxDelay * 4))));
    }
    await Promise.race(waits);
  }

  return async function persist<T>(
    operation: () => Promise<T>,
    { maxPendingAttempts = Number.POSITIVE_INFINITY }: { maxPendingAttempts?: number } = {},
  ): Promise<T> {
    let failures = 0;
    let pendingFailures = 0;
    for (;;) {
      try {
        return await operation();
      } catch (error) {
        if (!(error instanceof SyncTransportError)) throw error;
        if (error.kind === 'closed') throw error;
        options.onFailure(error);
        if (error.kind === 'pending') {
          pendingFailures += 1;
          if (pendingFailures >= maxPendingAttempts) throw error;
        } else if (error.kind !== 'network' && error.kind !== 'unavailable') {
          throw error;
        }
        failures += 1;
        await wait(failures - 1, error.kind !== 'pending');
        if (options.signal.aborted) {
          throw new SyncTransportError('closed', 'The sync engine closed');
        }
      }
    }
  };
}

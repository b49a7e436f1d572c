import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { ProblemError } from '../../../shared/api/problem.ts';
import { readableError } from '../../api/problems.ts';

export type Remote<T> = {
  /** The answer for the current key; undefined until it arrives (never another key's). */
  data: T | undefined;
  /** A readable sentence when the last load for this key failed. */
  error: string | null;
  /** The HTTP status of that failure (404: it does not exist for you), 0 offline. */
  errorStatus: number | null;
  loading: boolean;
  /** Loads the current key again, keeping what is shown until the answer arrives. */
  reload: () => void;
  /** Replaces what is shown, e.g. with the answer of a write that changed it. */
  replace: (data: T) => void;
};

type Loaded<T> = {
  key: string;
  version: number;
  data?: T;
  error: string | null;
  errorStatus?: number | null;
};

/**
 * Data the server answers, loaded when `key` changes (null: nothing to load yet). Like
 * `useObservable`, an answer is only shown for the key it was asked for, so a screen never
 * shows the previous project's data for a frame, and a late answer to an old key is dropped.
 */
export function useRemote<T>(key: string | null, load: () => Promise<T>): Remote<T> {
  const [version, setVersion] = useState(0);
  const [loaded, setLoaded] = useState<Loaded<T> | null>(null);
  const run = useEffectEvent(load);

  useEffect(() => {
    if (key === null) return;
    let current = true;
    run().then(
      (data) => {
        if (current) setLoaded({ key, version, data, error: null });
      },
      (error: unknown) => {
        if (!current) return;
        // A failed reload keeps the data already shown, beside the reason it is not fresh.
        setLoaded((previous) => ({
          key,
          version,
          data: previous?.key === key ? previous.data : undefined,
          error: readableError(error),
          errorStatus: error instanceof ProblemError ? error.problem.status : null,
        }));
      },
    );
    return () => {
      current = false;
    };
  }, [key, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const replace = useCallback(
    (data: T) => setLoaded((previous) => (previous ? { ...previous, data, error: null } : null)),
    [],
  );
  const mine = loaded !== null && loaded.key === key ? loaded : null;
  return {
    data: mine?.data,
    error: mine?.error ?? null,
    errorStatus: mine?.errorStatus ?? null,
    loading: key !== null && (mine === null || mine.version !== version),
    reload,
    replace,
  };
}

import { useEffect, useState } from 'react';
import type { Observable } from 'rxjs';

/**
 * The latest value of an observable in a component, re-subscribing when the observable
 * changes. Until the current observable has emitted, `initial` is returned, never a value of
 * the previous one (a thread never shows the previous conversation's messages for a frame).
 * Pass a memoised observable (`useMemo`), or every render subscribes anew.
 */
export function useObservable<T>(source: Observable<T> | null | undefined, initial: T): T {
  const [latest, setLatest] = useState<{ source: Observable<T> | null; value: T }>({
    source: null,
    value: initial,
  });
  useEffect(() => {
    if (!source) return;
    const subscription = source.subscribe((value) => setLatest({ source, value }));
    return () => subscription.unsubscribe();
  }, [source]);
  return source && latest.source === source ? latest.value : initial;
}

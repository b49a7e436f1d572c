import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { ProblemError } from '../../../shared/api/problem.ts';
import { readableError } from '../../api/problems.ts';

export type Page<T> = { items: T[]; nextCursor: string | null };

export type PagedList<T, P extends Page<T> = Page<T>> = {
  /** The first page's answer as a whole, for what it says besides its items. */
  firstPage: P | undefined;
  /** Every page loaded so far for the current key; undefined until the first arrives. */
  items: T[] | undefined;
  hasMore: boolean;
  /** The first page is on its way (or a reload of it). */
  loading: boolean;
  /** A further page is on its way. */
  loadingMore: boolean;
  error: string | null;
  /** The HTTP status of the first page's failure (404: it does not exist for you). */
  errorStatus: number | null;
  loadMore: () => void;
  reload: () => void;
  /** Replaces one item in place (the answer of a write on it). */
  update: (item: T) => void;
};

type State<T, P> = {
  key: string;
  version: number;
  first?: P;
  items?: T[];
  nextCursor: string | null;
  error: string | null;
  errorStatus?: number | null;
  loadingMore: boolean;
};

/**
 * A cursor-paginated list ("load more"). The first page loads whenever `key` changes; each
 * further page continues from the server's cursor, so nothing is shown twice or skipped.
 */
export function usePagedList<T extends { id: string }>(
  key: string | null,
  loadPage: (cursor: string | undefined) => Promise<Page<T>>,
): PagedList<T>;
/** With the first page's whole answer typed too (`P`: what it says besides its items). */
export function usePagedList<T extends { id: string }, P extends Page<T>>(
  key: string | null,
  loadPage: (cursor: string | undefined) => Promise<P>,
): PagedList<T, P>;
export function usePagedList<T extends { id: string }, P extends Page<T>>(
  key: string | null,
  loadPage: (cursor: string | undefined) => Promise<P>,
): PagedList<T, P> {
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<State<T, P> | null>(null);
  const fetchPage = useEffectEvent(loadPage);

  useEffect(() => {
    if (key === null) return;
    let current = true;
    fetchPage(undefined).then(
      (page) => {
        if (current) {
          setState({
            key,
            version,
            first: page,
            items: page.items,
            nextCursor: page.nextCursor,
            error: null,
            loadingMore: false,
          });
        }
      },
      (error: unknown) => {
        if (current) {
          setState((previous) => ({
            key,
            version,
            first: previous?.key === key ? previous.first : undefined,
            items: previous?.key === key ? previous.items : undefined,
            nextCursor: previous?.key === key ? previous.nextCursor : null,
            error: readableError(error),
            errorStatus: error instanceof ProblemError ? error.problem.status : null,
            loadingMore: false,
          }));
        }
      },
    );
    return () => {
      current = false;
    };
  }, [key, version]);

  const mine = state !== null && state.key === key ? state : null;

  const loadMore = () => {
    if (!mine?.nextCursor || mine.loadingMore) return;
    const { key: asked, nextCursor } = mine;
    setState({ ...mine, loadingMore: true, error: null });
    loadPage(nextCursor).then(
      (page) =>
        setState((previous) =>
          previous?.key === asked && previous.nextCursor === nextCursor
            ? {
                ...previous,
                items: [...(previous.items ?? []), ...page.items],
                nextCursor: page.nextCursor,
                loadingMore: false,
              }
            : previous,
        ),
      (error: unknown) =>
        setState((previous) =>
          previous?.key === asked
            ? { ...previous, loadingMore: false, error: readableError(error) }
            : previous,
        ),
    );
  };

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const update = useCallback(
    (item: T) =>
      setState((previous) =>
        previous?.items
          ? {
              ...previous,
              items: previous.items.map((each) => (each.id === item.id ? item : each)),
            }
          : previous,
      ),
    [],
  );

  return {
    firstPage: mine?.first,
    items: mine?.items,
    hasMore: Boolean(mine?.nextCursor),
    loading: key !== null && (mine === null || mine.version !== version),
    loadingMore: mine?.loadingMore ?? false,
    error: mine?.error ?? null,
    errorStatus: mine?.errorStatus ?? null,
    loadMore,
    reload,
    update,
  };
}

import { create } from 'zustand';
import type { CategoryNode } from '../../../shared/marketplace/taxonomy.ts';
import { readableError } from '../../api/problems.ts';
import { useSessionStore } from '../session/session-store.ts';
import { fetchCategoryTree } from './marketplace-api.ts';

type CategoryState = {
  /** null until the first answer. */
  tree: CategoryNode[] | null;
  loading: boolean;
  error: string | null;
};

const initial: CategoryState = { tree: null, loading: false, error: null };

/**
 * The category tree, shared by browsing, search filters and the project form. It changes
 * rarely (administrators edit it), so it is asked for once a session and again on request;
 * its project counts are refreshed whenever the Marketplace home opens.
 */
export const useCategoryStore = create<CategoryState>()(() => initial);

const set = useCategoryStore.setState;

useSessionStore.subscribe((state, previous) => {
  if (state.user?.id !== previous.user?.id) set(initial);
});

let inFlight: Promise<void> | null = null;

export function loadCategories(): Promise<void> {
  inFlight ??= (async () => {
    set({ loading: true });
    try {
      const { categories } = await fetchCategoryTree();
      set({ tree: categories, error: null });
    } catch (error) {
      set({ error: readableError(error) });
    } finally {
      set({ loading: false });
      inFlight = null;
    }
  })();
  return inFlight;
}

/** Loads the tree unless it is already here. */
export function ensureCategories(): void {
  if (useCategoryStore.getState().tree === null) void loadCategories();
}

export type CategoryEntry = { node: CategoryNode; depth: number; path: string[] };

/** The tree in reading order, each category with its depth and the names leading to it. */
export function flattenCategories(
  nodes: readonly CategoryNode[],
  depth = 0,
  path: string[] = [],
): CategoryEntry[] {
  return nodes.flatMap((node) => [
    { node, depth, path: [...path, node.name] },
    ...flattenCategories(node.children, depth + 1, [...path, node.name]),
  ]);
}

export function findCategory(
  nodes: readonly CategoryNode[] | null,
  id: string | undefined,
): CategoryEntry | undefined {
  if (!nodes || !id) return undefined;
  return flattenCategories(nodes).find((entry) => entry.node.id === id);
}

/** Options for a category picker: "Development & IT › Web development". */
export function categoryOptions(nodes: readonly CategoryNode[] | null) {
  return flattenCategories(nodes ?? []).map(({ node, path }) => ({
    value: node.id,
    label: path.join(' › '),
  }));
}

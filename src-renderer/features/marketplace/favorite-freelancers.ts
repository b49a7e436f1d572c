import { useEffect } from 'react';
import { create } from 'zustand';
import { useSessionStore } from '../session/session-store.ts';
import {
  favoriteFreelancer,
  listFavoriteFreelancers,
  unfavoriteFreelancer,
} from './marketplace-api.ts';

/**
 * Which freelancers the signed-in person keeps as favorites. A profile answer does not say,
 * so the list is read once a session (a page of 100 at a time) and kept in step with every
 * star set or cleared here.
 */
type State = { ids: ReadonlySet<string> | null; asked: boolean };

const useFavoriteFreelancerStore = create<State>()(() => ({ ids: null, asked: false }));
const set = useFavoriteFreelancerStore.setState;

useSessionStore.subscribe((state, previous) => {
  if (state.user?.id !== previous.user?.id) set({ ids: null, asked: false });
});

async function load(): Promise<void> {
  set({ asked: true });
  const ids = new Set<string>();
  let cursor: string | undefined;
  try {
    do {
      const page = await listFavoriteFreelancers(cursor, 100);
      for (const item of page.items) ids.add(item.freelancer.id);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    set({ ids });
  } catch {
    // Unknown: the star shows once it can be told; asked again on the next visit.
    set({ asked: false });
  }
}

/** null while unknown. */
export function useIsFavoriteFreelancer(freelancerId: string): boolean | null {
  const { ids, asked } = useFavoriteFreelancerStore();
  useEffect(() => {
    if (!asked) void load();
  }, [asked]);
  return ids ? ids.has(freelancerId) : null;
}

export async function setFavoriteFreelancer(freelancerId: string, favorite: boolean) {
  if (favorite) await favoriteFreelancer(freelancerId);
  else await unfavoriteFreelancer(freelancerId);
  set((state) => {
    if (!state.ids) return state;
    const ids = new Set(state.ids);
    if (favorite) ids.add(freelancerId);
    else ids.delete(freelancerId);
    return { ids };
  });
}

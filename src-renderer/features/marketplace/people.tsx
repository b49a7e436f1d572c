import { useEffect } from 'react';
import { create } from 'zustand';
import { AnchorLink } from '../../ui/links.tsx';
import { useSessionStore } from '../session/session-store.ts';
import { fetchFreelancer } from './marketplace-api.ts';

/**
 * Names of the freelancers a proposal refers to by id, read from their public profiles once a
 * session each and kept. Until one arrives (or if it cannot), a short form of the id stands
 * in: a real, distinguishing reference, never a made-up name.
 */
type PeopleState = { names: Record<string, string | null> };

const usePeopleStore = create<PeopleState>()(() => ({ names: {} }));

useSessionStore.subscribe((state, previous) => {
  if (state.user?.id !== previous.user?.id) usePeopleStore.setState({ names: {} });
});

function request(ids: readonly string[]) {
  const { names } = usePeopleStore.getState();
  const missing = [...new Set(ids)].filter((id) => !(id in names));
  if (missing.length === 0) return;
  usePeopleStore.setState({
    names: { ...names, ...Object.fromEntries(missing.map((id) => [id, null])) },
  });
  for (const id of missing) {
    fetchFreelancer(id).then(
      (profile) =>
        usePeopleStore.setState((state) => ({ names: { ...state.names, [id]: profile.name } })),
      () => {
        // Unknown for now (offline, or no public profile): the short id stays.
      },
    );
  }
}

export const fallbackName = (id: string) => `Freelancer ${id.slice(0, 6)}`;

/** Freelancers' names for ids, asked for as the ids appear. */
export function usePeople(ids: readonly string[]) {
  const names = usePeopleStore((state) => state.names);
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => request(key ? key.split(',') : []), [key]);
  return { nameOf: (id: string) => names[id] ?? fallbackName(id) };
}

/** A freelancer's name, leading to their profile. */
export function PersonName({ userId, name }: { userId: string; name: string }) {
  return (
    <AnchorLink
      to="/marketplace/freelancers/$freelancerId"
      params={{ freelancerId: userId }}
      fw={600}
      size="sm"
    >
      {name}
    </AnchorLink>
  );
}

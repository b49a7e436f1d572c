import { useEffect } from 'react';
import { create } from 'zustand';
import { useSessionStore } from '../session/session-store.ts';
import { fetchSkills } from './marketplace-api.ts';

/** Enough to suggest from; a skill not among them can still be typed in full. */
const MAX_SUGGESTED = 500;

type SkillState = { names: string[]; asked: boolean };

const useSkillStore = create<SkillState>()(() => ({ names: [], asked: false }));

useSessionStore.subscribe((state, previous) => {
  if (state.user?.id !== previous.user?.id) useSkillStore.setState({ names: [], asked: false });
});

async function loadSkills(): Promise<void> {
  useSkillStore.setState({ asked: true });
  const names: string[] = [];
  let cursor: string | undefined;
  try {
    do {
      const page = await fetchSkills(cursor);
      names.push(...page.items.map((skill) => skill.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && names.length < MAX_SUGGESTED);
  } catch {
    // Suggestions are a convenience: without them every skill can still be typed.
  }
  useSkillStore.setState({ names: [...new Set(names)].sort((a, b) => a.localeCompare(b)) });
}

/** The skills the marketplace knows, for suggesting while typing (loaded once a session). */
export function useSkillNames(): string[] {
  const { names, asked } = useSkillStore();
  useEffect(() => {
    if (!asked) void loadSkills();
  }, [asked]);
  return names;
}

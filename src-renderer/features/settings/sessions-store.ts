import { create } from 'zustand';
import type { Session } from '../../../shared/accounts/auth.ts';
import { readableError } from '../../api/problems.ts';
import { listSessions, revokeOtherSessions, revokeSession } from '../session/account-api.ts';
import { useSessionStore } from '../session/session-store.ts';

type SessionsState = {
  /** null until the first load answers. */
  sessions: Session[] | null;
  loading: boolean;
  loadError: string | null;
};

const initial: SessionsState = { sessions: null, loading: false, loadError: null };

/** The devices signed in to this account, as the server sees them. */
export const useSessionsStore = create<SessionsState>()(() => initial);

const set = useSessionsStore.setState;

// Another account must never see this one's devices, not even for a frame.
useSessionStore.subscribe((state, previous) => {
  if (state.phase !== 'signedIn' || state.user?.id !== previous.user?.id) set(initial);
});

export async function loadSessions(): Promise<void> {
  set({ loading: true });
  try {
    set({ sessions: byRecency(await listSessions()), loadError: null });
  } catch (error) {
    set({ loadError: readableError(error) });
  } finally {
    set({ loading: false });
  }
}

export async function revokeDevice(id: string): Promise<void> {
  await revokeSession(id);
  set((state) => ({ sessions: state.sessions?.filter((session) => session.id !== id) ?? null }));
  void loadSessions();
}

/** Signs out every device but this one; answers how many were signed out. */
export async function revokeOtherDevices(): Promise<number> {
  const { revoked } = await revokeOtherSessions();
  set((state) => ({ sessions: state.sessions?.filter((session) => session.current) ?? null }));
  void loadSessions();
  return revoked;
}

function byRecency(sessions: Session[]): Session[] {
  return [...sessions].sort(
    (a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt),
  );
}

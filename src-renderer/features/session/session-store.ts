import { create } from 'zustand';
import { ProblemError, type Problem } from '../../../shared/api/problem.ts';
import type { TwoFactorChallenge } from '../../../shared/accounts/two-factor.ts';
import type { User } from '../../../shared/accounts/user.ts';
import type { AppInfo, IpcInput, IpcResult, SignedIn } from '../../../shared/ipc/contract.ts';
import { readableError, readableProblem, signedOutProblemTypes } from '../../api/problems.ts';
import { megilance, unwrap } from '../../platform/megilance.ts';

export type SessionPhase = 'booting' | 'bootFailed' | 'signedOut' | 'signedIn';

type SessionState = {
  phase: SessionPhase;
  appInfo: AppInfo | null;
  user: User | null;
  /**
   * Short-lived, held only in memory: never in localStorage. The refresh token that renews it
   * stays in the host's OS keychain and never reaches the renderer.
   */
  accessToken: string | null;
  /** Why the session ended without the person asking; shown once on the sign-in screen. */
  endedReason: string | null;
  bootError: string | null;
};

export const useSessionStore = create<SessionState>()(() => ({
  phase: 'booting',
  appInfo: null,
  user: null,
  accessToken: null,
  endedReason: null,
  bootError: null,
}));

const set = useSessionStore.setState;

/** Asks the host who we are and whether the keychain still holds a live session. */
export async function bootstrap(): Promise<void> {
  set({ phase: 'booting', bootError: null });
  try {
    const appInfo = unwrap(await megilance().app.info());
    set({ appInfo });
    const restored = unwrap(await megilance().session.restore());
    if (restored) enter(restored);
    else set({ phase: 'signedOut' });
  } catch (error) {
    set({ phase: 'bootFailed', bootError: readableError(error) });
  }
}

/**
 * Signs in, or answers the challenge of an account with two-factor authentication: the
 * caller then asks for a code and finishes with `completeSignIn`.
 */
export async function signIn(
  input: IpcInput<'session.signIn'>,
): Promise<TwoFactorChallenge | null> {
  const outcome = unwrap(await megilance().session.signIn(input));
  if ('twoFactorRequired' in outcome) return outcome;
  enter(outcome);
  return null;
}

export async function completeSignIn(input: IpcInput<'session.completeSignIn'>): Promise<void> {
  enter(unwrap(await megilance().session.completeSignIn(input)));
}

export async function signUp(input: IpcInput<'session.signUp'>): Promise<void> {
  enter(unwrap(await megilance().session.signUp(input)));
}

/** Ends the session on the server and in the keychain; locally it ends even if the host fails. */
export async function signOut(): Promise<void> {
  let result: IpcResult<null>;
  try {
    result = await megilance().session.signOut();
  } finally {
    leave(null);
  }
  unwrap(result);
}

let refreshing: Promise<string> | null = null;

/**
 * A new access token from the host (which holds the refresh token). Concurrent callers share
 * one refresh, because the server rotates refresh tokens and treats a reused one as theft.
 */
export function refreshAccessToken(): Promise<string> {
  refreshing ??= (async () => {
    try {
      const result = await megilance().session.refresh();
      if (result.ok) {
        set({ accessToken: result.value.accessToken });
        return result.value.accessToken;
      }
      if (signedOutProblemTypes.has(result.problem.type)) endSession(result.problem);
      throw new ProblemError(result.problem);
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** The server or host says this session is over: drop it here and in the keychain. */
export function endSession(problem: Problem): void {
  if (useSessionStore.getState().phase !== 'signedIn') return;
  leave(readableProblem(problem));
  // The keychain may still hold the dead refresh token; clear it so the next start is clean.
  void megilance().session.signOut();
}

export function setUser(user: User): void {
  set({ user });
}

export function dismissEndedReason(): void {
  set({ endedReason: null });
}

function enter(signedIn: SignedIn): void {
  set({
    phase: 'signedIn',
    user: signedIn.user,
    accessToken: signedIn.accessToken,
    endedReason: null,
  });
}

function leave(endedReason: string | null): void {
  set({ phase: 'signedOut', user: null, accessToken: null, endedReason });
}

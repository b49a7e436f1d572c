import { ProblemError } from '../../shared/api/problem.ts';
import type { TrackerStartInput, TrackerStatusView } from '../../shared/ipc/tracker.ts';
import type { Log } from '../log.ts';
import type { TrackerEvent } from '../tracker/tracker-service.ts';
import { elapsedText } from './tray-model.ts';

/** The part of the tracker host the desktop integration uses (TrackerHost satisfies it). */
export interface DesktopTracker {
  /** Throws a 401 ProblemError while nobody is signed in. */
  status(): TrackerStatusView;
  start(input: TrackerStartInput): TrackerStatusView;
  stop(): TrackerStatusView;
  /** The last entry's start input (from the journal); null when signed out or never started. */
  lastStart(): TrackerStartInput | null;
  on(listener: (event: TrackerEvent) => void): () => void;
}

export type ToggleOutcome =
  | { kind: 'started'; contractTitle: string | null }
  | { kind: 'stopped'; contractTitle: string | null; elapsedMs: number }
  /** Nothing to start from here: the window is where one signs in or picks a contract. */
  | { kind: 'show-window'; reason: 'signed-out' | 'no-contract' }
  | { kind: 'refused'; message: string };

/** The status, or null while nobody is signed in. */
export function statusOrSignedOut(tracker: DesktopTracker): TrackerStatusView | null {
  try {
    return tracker.status();
  } catch (error) {
    if (error instanceof ProblemError && error.problem.status === 401) return null;
    throw error;
  }
}

/**
 * What the start/stop shortcut and the tray's Start/Stop item do: stop the running timer, or
 * start the contract the user tracked last, with the same settings it was started with.
 */
export function toggleTimer(tracker: DesktopTracker, now: number): ToggleOutcome {
  const status = statusOrSignedOut(tracker);
  if (status === null) return { kind: 'show-window', reason: 'signed-out' };
  const last = tracker.lastStart();
  try {
    if (status.running) {
      const { contractId, startedAt } = status.running;
      tracker.stop();
      const contractTitle = last?.contractId === contractId ? (last.contractTitle ?? null) : null;
      return { kind: 'stopped', contractTitle, elapsedMs: now - startedAt };
    }
    if (last === null) return { kind: 'show-window', reason: 'no-contract' };
    tracker.start(last);
    return { kind: 'started', contractTitle: last.contractTitle ?? null };
  } catch (error) {
    // A refusal the user can act on (the weekly limit is reached, …): say it, do not crash.
    if (error instanceof ProblemError) return { kind: 'refused', message: error.message };
    throw error;
  }
}

/** The confirmation shown after a shortcut press: the user may not be looking at the app. */
export function toggleNotice(outcome: ToggleOutcome): { title: string; body: string } | null {
  switch (outcome.kind) {
    case 'started':
      return { title: 'Timer started', body: outcome.contractTitle ?? 'On your last contract.' };
    case 'stopped':
      return {
        title: 'Timer stopped',
        body: `${outcome.contractTitle ?? 'Your contract'}: ${elapsedText(outcome.elapsedMs)}`,
      };
    case 'refused':
      return { title: 'Timer not started', body: outcome.message };
    case 'show-window':
      return null;
  }
}

/** Electron's `globalShortcut`, narrowed to what is used. */
export interface ShortcutRegistrar {
  /** False when the accelerator is taken by another application or not valid here. */
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export const defaultTimerShortcut = 'CommandOrControl+Alt+T';
/** Tried when the default is taken (by a terminal launcher, typically). */
export const fallbackTimerShortcut = 'CommandOrControl+Alt+Shift+T';

/**
 * Registers the first accelerator that the OS grants. Failing all of them is not an error: the
 * tray and the window still start and stop the timer, so the app says so in the log and goes on.
 */
export function registerTimerShortcut(
  registrar: ShortcutRegistrar,
  accelerators: readonly string[],
  onPress: () => void,
  log: Log,
): string | null {
  for (const accelerator of accelerators) {
    let registered = false;
    try {
      registered = registrar.register(accelerator, onPress);
    } catch (error) {
      // Electron throws on an accelerator it cannot parse (a typo in the setting).
      log.warn(`desktop: "${accelerator}" is not a usable shortcut: ${String(error)}`);
    }
    if (registered) return accelerator;
    log.warn(`desktop: the shortcut ${accelerator} is taken by another application.`);
  }
  log.warn('desktop: no start/stop shortcut; the tray and the window still control the timer.');
  return null;
}

/** `Ctrl+Alt+T` on Windows and Linux, `⌘⌥T` on macOS: how the user presses it. */
export function acceleratorText(accelerator: string, platform: NodeJS.Platform): string {
  const mac = platform === 'darwin';
  const names: Record<string, string> = mac
    ? {
        CommandOrControl: '⌘',
        CmdOrCtrl: '⌘',
        Command: '⌘',
        Alt: '⌥',
        Option: '⌥',
        Shift: '⇧',
        Control: '⌃',
        Ctrl: '⌃',
      }
    : { CommandOrControl: 'Ctrl', CmdOrCtrl: 'Ctrl', Control: 'Ctrl' };
  const keys = accelerator.split('+').map((key) => names[key] ?? key);
  return mac ? keys.join('') : keys.join('+');
}

import { createTrackerNoticeFeed } from '../../shared/time/tracker-notices.ts';
import type { TrackerStartInput, TrackerStatusView } from '../../shared/ipc/tracker.ts';
import { silentLog, type Log } from '../log.ts';
import type { Clock, IdleSource } from '../tracker/capabilities.ts';
import { createNoTimerReminder, type NoTimerReminder } from './no-timer-reminder.ts';
import {
  acceleratorText,
  registerTimerShortcut,
  statusOrSignedOut,
  toggleNotice,
  toggleTimer,
  type DesktopTracker,
  type ShortcutRegistrar,
  type ToggleOutcome,
} from './timer-toggle.ts';
import { contractTitleOf, trayModel, type TrayAction, type TrayModel } from './tray-model.ts';

/**
 * The desktop side of the time tracker: tray, start/stop shortcut, OS notifications and the
 * no-timer reminder, over small interfaces the Electron glue implements (electron-desktop.ts)
 * and tests fake. Plain Node: nothing here imports Electron.
 *
 * The tray follows the tracker's events at once; while a timer runs it also refreshes every
 * second for the clock in the tooltip. While stopped it looks every few seconds, which is how
 * it notices a sign-in or sign-out (those are not tracker events).
 */
export interface DesktopNotification {
  title: string;
  body: string;
  /** A confirmation of what the user just did: no sound. */
  silent?: boolean;
}

export interface Notifier {
  /** `onClick` runs when the user clicks the notification. */
  show(notification: DesktopNotification, onClick?: () => void): void;
}

export interface TrayView {
  update(model: TrayModel): void;
  destroy(): void;
}

export interface DesktopIntegrationOptions {
  tracker: DesktopTracker;
  clock: Clock;
  idle: IdleSource;
  notifier: Notifier;
  /** Null where no tray can be shown; the rest still works. */
  tray: TrayView | null;
  shortcuts: ShortcutRegistrar;
  /** Tried in order until one registers. */
  accelerators: readonly string[];
  platform: NodeJS.Platform;
  /** Brings the main window up (creating it if it was closed). */
  showWindow: () => void;
  quit: () => void;
  /** Activity without a timer before the reminder; 0 turns it off. Default 10 minutes. */
  reminderAfterMs?: number;
  log?: Log;
}

export interface DesktopIntegration {
  /** What the tray's menu items call. */
  act(action: TrayAction): void;
  /** The start/stop shortcut (also called by the glue when it was registered). */
  toggle(): ToggleOutcome;
  /** Re-reads the tracker and updates tray, reminder and notifications. */
  refresh(): void;
  readonly shortcut: string | null;
  readonly reminder: NoTimerReminder;
  dispose(): void;
}

const runningRefreshMs = 1_000;
const stoppedRefreshMs = 5_000;
export const reminderSnoozeMs = 60 * 60_000;

export function createDesktopIntegration(options: DesktopIntegrationOptions): DesktopIntegration {
  const { tracker, clock, notifier } = options;
  const log = options.log ?? silentLog;
  const notices = createTrackerNoticeFeed();
  /** Titles the renderer gave with a start, remembered for notices about earlier entries. */
  const titles = new Map<string, string>();
  let lastStart: TrackerStartInput | null = null;
  let refreshEvery: number | null = null;
  let cancelRefresh: (() => void) | null = null;
  let disposed = false;

  const reminder = createNoTimerReminder({
    clock,
    idle: options.idle,
    ...(options.reminderAfterMs === undefined ? {} : { afterMs: options.reminderAfterMs }),
    onRemind: (activeMs) => {
      const minutes = Math.floor(activeMs / 60_000);
      const how =
        shortcut === null
          ? 'Start one from the tray or the app.'
          : `Press ${acceleratorText(shortcut, options.platform)} to start ${lastStart?.contractTitle ?? 'your last contract'}.`;
      notifier.show(
        {
          title: 'Working without a timer?',
          body: `You have been active for ${minutes} min and no timer is running. ${how}`,
        },
        options.showWindow,
      );
      refresh();
    },
  });

  const shortcut = registerTimerShortcut(
    options.shortcuts,
    options.accelerators,
    () => {
      const outcome = toggle();
      const notice = toggleNotice(outcome);
      if (notice) notifier.show({ ...notice, silent: true }, options.showWindow);
    },
    log,
  );

  function toggle(): ToggleOutcome {
    const outcome = toggleTimer(tracker, clock.wallNow());
    if (outcome.kind === 'show-window') options.showWindow();
    refresh();
    return outcome;
  }

  function refresh(): void {
    if (disposed) return;
    let status: TrackerStatusView | null;
    try {
      status = statusOrSignedOut(tracker);
      lastStart = status === null ? null : tracker.lastStart();
    } catch (error) {
      log.error('desktop: could not read the tracker', error);
      return;
    }
    if (lastStart?.contractTitle) titles.set(lastStart.contractId, lastStart.contractTitle);
    reminder.setTracking(status === null ? 'signed-out' : status.running ? 'running' : 'stopped');
    options.tray?.update(
      trayModel({
        status,
        lastStart,
        now: clock.wallNow(),
        shortcut,
        reminderDue: reminder.due,
      }),
    );
    if (status !== null) {
      const nameOf = (id: string) => contractTitleOf(id, lastStart) ?? titles.get(id) ?? null;
      for (const notice of notices.next(status, nameOf)) {
        notifier.show({ title: notice.title, body: notice.body }, options.showWindow);
      }
    }
    pace(status?.running ? runningRefreshMs : stoppedRefreshMs);
  }

  /** One timer, re-armed only when the pace changes. */
  function pace(ms: number): void {
    if (refreshEvery === ms) return;
    cancelRefresh?.();
    refreshEvery = ms;
    cancelRefresh = clock.every(ms, refresh);
  }

  // Heartbeats are covered by the pace above; everything else may change what is shown. The
  // host emits inside the tracker's own operations, so read it once they are done.
  const unsubscribe = tracker.on((event) => {
    if (event.type !== 'tick') queueMicrotask(refresh);
  });

  refresh();

  return {
    act(action) {
      switch (action) {
        case 'toggle': {
          // The tray shows the outcome itself; only a refusal needs words.
          const outcome = toggle();
          if (outcome.kind === 'refused') {
            notifier.show({ title: 'Timer not started', body: outcome.message });
          }
          return;
        }
        case 'snooze-reminder':
          reminder.snooze(reminderSnoozeMs);
          refresh();
          return;
        case 'open':
          options.showWindow();
          return;
        case 'quit':
          options.quit();
          return;
      }
    },
    toggle,
    refresh,
    shortcut,
    reminder,
    dispose() {
      disposed = true;
      unsubscribe();
      cancelRefresh?.();
      reminder.dispose();
      if (shortcut !== null) options.shortcuts.unregister(shortcut);
      options.tray?.destroy();
    },
  };
}

import type { TrackerStartInput, TrackerStatusView } from '../../shared/ipc/tracker.ts';

/**
 * What the tray shows, as data: the Electron glue turns it into a Tray and a Menu, tests read
 * it directly. The menu carries no running clock (a menu rebuilt each second would flicker or
 * close while open on some desktops); the seconds live in the tooltip and the macOS title.
 */
export type TrayAction = 'toggle' | 'snooze-reminder' | 'open' | 'quit';

export type TrayMenuItem =
  | { kind: 'label'; label: string }
  | { kind: 'action'; action: TrayAction; label: string; accelerator?: string }
  | { kind: 'separator' };

export interface TrayModel {
  running: boolean;
  tooltip: string;
  /** Text beside the icon (macOS menu bar); empty when stopped. */
  title: string;
  menu: TrayMenuItem[];
}

export interface TrayInput {
  /** Null when nobody is signed in. */
  status: TrackerStatusView | null;
  /** What the start shortcut would start: the last entry's contract. */
  lastStart: TrackerStartInput | null;
  now: number;
  /** The registered start/stop shortcut, if any. */
  shortcut: string | null;
  /** The no-timer reminder fired and was not acted upon: offer to snooze it. */
  reminderDue: boolean;
}

/** `0:05:07`, `12:00:00`: hours, minutes and seconds, as the Time screen shows them. */
export function elapsedText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

/** The title the renderer gave when starting this contract, or null if it gave none. */
export function contractTitleOf(
  contractId: string,
  lastStart: TrackerStartInput | null,
): string | null {
  return lastStart?.contractId === contractId ? (lastStart.contractTitle ?? null) : null;
}

export function trayModel(input: TrayInput): TrayModel {
  const { status, lastStart } = input;
  const accelerator = input.shortcut === null ? {} : { accelerator: input.shortcut };
  const quit: TrayMenuItem = { kind: 'action', action: 'quit', label: 'Quit MegiLance' };
  const tail: TrayMenuItem[] = [
    { kind: 'separator' },
    { kind: 'action', action: 'open', label: 'Open MegiLance' },
    quit,
  ];
  if (status === null) {
    return {
      running: false,
      tooltip: 'MegiLance: signed out',
      title: '',
      menu: [
        { kind: 'label', label: 'Signed out' },
        { kind: 'action', action: 'open', label: 'Sign in to track time…' },
        { kind: 'separator' },
        quit,
      ],
    };
  }

  const running = status.running;
  if (running) {
    const name = contractTitleOf(running.contractId, lastStart);
    const elapsed = elapsedText(input.now - running.startedAt);
    const what = name ?? 'a contract';
    return {
      running: true,
      tooltip: `MegiLance: ${elapsed} on ${what}${running.idle ? ' (away)' : ''}`,
      title: elapsed,
      menu: [
        { kind: 'label', label: `Tracking ${what}${running.idle ? ' (away)' : ''}` },
        { kind: 'action', action: 'toggle', label: 'Stop timer', ...accelerator },
        ...tail,
      ],
    };
  }

  const reminder: TrayMenuItem[] = input.reminderDue
    ? [{ kind: 'action', action: 'snooze-reminder', label: 'Remind me again in an hour' }]
    : [];
  const toggleLabel =
    lastStart === null
      ? // Nothing to restart: the window is where a contract is chosen.
        'Choose a contract to track…'
      : `Start ${lastStart.contractTitle ?? 'the last contract'}`;
  return {
    running: false,
    tooltip: 'MegiLance: no timer running',
    title: '',
    menu: [
      { kind: 'label', label: 'No timer running' },
      { kind: 'action', action: 'toggle', label: toggleLabel, ...accelerator },
      ...reminder,
      ...tail,
    ],
  };
}

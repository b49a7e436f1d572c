import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDesktopIntegration,
  type DesktopNotification,
  type DesktopIntegration,
} from '../../src-main/desktop/desktop-integration.ts';
import {
  acceleratorText,
  defaultTimerShortcut,
  fallbackTimerShortcut,
  type ShortcutRegistrar,
} from '../../src-main/desktop/timer-toggle.ts';
import type { TrayModel } from '../../src-main/desktop/tray-model.ts';
import type { Log } from '../../src-main/log.ts';
import { createTrackerHost, type TrackerHost } from '../../src-main/tracker/tracker-host.ts';
import { FakeClock, FakeIdle, minute, second } from '../support/tracker-fakes.ts';

const t0 = Date.UTC(2026, 2, 2, 9, 0);
const website = {
  contractId: 'c1',
  contractTitle: 'Website redesign',
  weeklyHourLimit: 20,
  memo: 'Landing page',
};

/** globalShortcut as the OS answers it: some accelerators are held by other applications. */
class FakeShortcuts implements ShortcutRegistrar {
  readonly held = new Map<string, () => void>();
  private readonly taken: ReadonlySet<string>;
  constructor(taken: ReadonlySet<string> = new Set()) {
    this.taken = taken;
  }
  register(accelerator: string, callback: () => void): boolean {
    if (this.taken.has(accelerator) || this.held.has(accelerator)) return false;
    this.held.set(accelerator, callback);
    return true;
  }
  unregister(accelerator: string): void {
    this.held.delete(accelerator);
  }
  press(accelerator: string): void {
    const callback = this.held.get(accelerator);
    if (!callback) throw new Error(`${accelerator} is not registered`);
    callback();
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
  cleanups = [];
});

function desktopOver(options: {
  dataDir?: string;
  idle?: (idle: FakeIdle) => FakeIdle;
  taken?: ReadonlySet<string>;
  clock?: FakeClock;
}) {
  const clock = options.clock ?? new FakeClock(t0);
  const idle = (options.idle ?? ((i) => i.inputDuring(0, Infinity)))(new FakeIdle(clock));
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'megilance-desktop-'));
  const host: TrackerHost = createTrackerHost({ dataDir, profile: 'test', clock, idle });
  const shortcuts = new FakeShortcuts(options.taken);
  const notifications: DesktopNotification[] = [];
  const trays: TrayModel[] = [];
  const warnings: string[] = [];
  let windowShown = 0;
  const log: Log = { info: () => {}, warn: (m) => warnings.push(m), error: () => {} };
  const desktop: DesktopIntegration = createDesktopIntegration({
    tracker: host,
    clock,
    idle,
    notifier: { show: (notification) => notifications.push(notification) },
    tray: { update: (model) => trays.push(model), destroy: () => {} },
    shortcuts,
    accelerators: [defaultTimerShortcut, fallbackTimerShortcut],
    platform: 'linux',
    showWindow: () => windowShown++,
    quit: () => {},
    log,
  });
  cleanups.push(() => {
    desktop.dispose();
    host.quit();
  });
  return {
    clock,
    host,
    desktop,
    shortcuts,
    notifications,
    warnings,
    dataDir,
    tray: () => trays.at(-1) as TrayModel,
    windowShown: () => windowShown,
    press: () => shortcuts.press(desktop.shortcut ?? 'none'),
  };
}

describe('desktop: start/stop shortcut', () => {
  it('signed out, or with no contract tracked yet, the shortcut opens the window instead', () => {
    const d = desktopOver({});
    expect(d.desktop.shortcut).toBe(defaultTimerShortcut);
    expect(d.tray().tooltip).toBe('MegiLance: signed out');
    d.press();
    expect(d.windowShown()).toBe(1);

    d.host.open('user-1');
    d.clock.advance(5 * second); // the tray notices the sign-in within its stopped pace
    expect(d.tray().menu[1]).toMatchObject({ label: 'Choose a contract to track…' });
    d.press();
    expect(d.windowShown()).toBe(2);
    expect(d.host.status().running).toBeNull();
    expect(d.notifications).toEqual([]);
  });

  it('stops the running timer and starts the last contract again, with its settings', async () => {
    const d = desktopOver({});
    d.host.open('user-1');
    d.host.start(website); // as the Time screen does
    await settle();
    expect(d.tray()).toMatchObject({ running: true, title: '0:00:00' });
    d.clock.advance(65 * second);
    expect(d.tray().tooltip).toBe('MegiLance: 0:01:05 on Website redesign');

    d.press();
    expect(d.host.status().running).toBeNull();
    expect(d.notifications.at(-1)).toEqual({
      title: 'Timer stopped',
      body: 'Website redesign: 0:01:05',
      silent: true,
    });
    expect(d.tray().menu[1]).toMatchObject({
      label: 'Start Website redesign',
      accelerator: defaultTimerShortcut,
    });

    d.clock.advance(10 * second);
    d.press();
    const running = d.host.status().running;
    expect(running).toMatchObject({
      contractId: 'c1',
      memo: 'Landing page',
      startedAt: t0 + 75 * second,
    });
    expect(d.host.lastStart()).toEqual({ ...website, screenshotsPerSlot: 0 });
    expect(d.notifications.at(-1)).toEqual({
      title: 'Timer started',
      body: 'Website redesign',
      silent: true,
    });
  });

  it('after a restart, starts the contract the journal last recorded', async () => {
    const first = desktopOver({});
    first.host.open('user-1');
    first.host.start(website);
    first.clock.advance(minute);
    first.host.stop();
    await settle();

    // A new process on the same data folder: nothing but the journal carries the last contract.
    const second_ = desktopOver({ dataDir: first.dataDir, clock: first.clock });
    second_.host.open('user-1');
    second_.press();
    expect(second_.host.status().running).toMatchObject({ contractId: 'c1' });
    expect(second_.host.lastStart()?.contractTitle).toBe('Website redesign');
  });

  it('tells why the timer did not start (weekly limit reached), and the limit itself', async () => {
    const d = desktopOver({});
    d.host.open('user-1');
    d.host.start({ ...website, weeklyHourLimit: 1 });
    await settle();
    d.clock.advance(61 * minute);
    await settle();
    expect(d.host.status().running).toBeNull();
    expect(d.notifications.map((n) => n.title)).toEqual([
      // Warned at the first heartbeat (5 s in), an hour before the limit; stopped at it.
      '59 min left this week',
      'Timer stopped: weekly limit reached',
    ]);
    d.press();
    expect(d.notifications.at(-1)).toEqual({
      title: 'Timer not started',
      body: 'The weekly hour limit of this contract is reached.',
      silent: true,
    });
    // The tray's own Start says it too.
    d.desktop.act('toggle');
    expect(d.notifications.at(-1)?.title).toBe('Timer not started');
  });

  it('falls back to a second accelerator, and works without any when both are taken', () => {
    const fallback = desktopOver({ taken: new Set([defaultTimerShortcut]) });
    expect(fallback.desktop.shortcut).toBe(fallbackTimerShortcut);
    expect(fallback.warnings).toEqual([
      `desktop: the shortcut ${defaultTimerShortcut} is taken by another application.`,
    ]);

    const none = desktopOver({ taken: new Set([defaultTimerShortcut, fallbackTimerShortcut]) });
    expect(none.desktop.shortcut).toBeNull();
    expect(none.warnings.at(-1)).toMatch(/no start\/stop shortcut/);
    none.host.open('user-1');
    none.host.start(website);
    none.desktop.act('toggle');
    expect(none.host.status().running).toBeNull();
    expect(none.tray().menu[1]).toEqual({
      kind: 'action',
      action: 'toggle',
      label: 'Start Website redesign',
    });
  });

  it('releases the shortcut when disposed', () => {
    const d = desktopOver({});
    expect(d.shortcuts.held.size).toBe(1);
    d.desktop.dispose();
    expect(d.shortcuts.held.size).toBe(0);
  });

  it('spells the shortcut as each platform shows it', () => {
    expect(acceleratorText(defaultTimerShortcut, 'linux')).toBe('Ctrl+Alt+T');
    expect(acceleratorText(defaultTimerShortcut, 'win32')).toBe('Ctrl+Alt+T');
    expect(acceleratorText(fallbackTimerShortcut, 'darwin')).toBe('⌘⌥⇧T');
  });
});

describe('desktop: notifications and the no-timer reminder', () => {
  it('asks once about an idle stretch when the user comes back', async () => {
    // Typing for 10 minutes, away until 22:00, typing again.
    const d = desktopOver({
      idle: (i) => i.inputDuring(0, 10 * minute).inputDuring(22 * minute, Infinity),
    });
    d.host.open('user-1');
    d.host.start(website);
    d.clock.advance(23 * minute);
    await settle();
    d.clock.advance(5 * minute);
    await settle();
    expect(d.notifications).toEqual([
      {
        title: 'Were you working?',
        body: 'You were away for 12 min while tracking Website redesign. Keep or discard that time on the Time screen.',
      },
    ]);
  });

  it('reminds after ten minutes of work without a timer, names the shortcut, and snoozes', async () => {
    const d = desktopOver({});
    d.host.open('user-1');
    d.host.start(website);
    d.host.stop();
    await settle();
    d.clock.advance(30 * minute);
    // Stopped at 0:00 with the user still at work: reminded once, ten minutes in.
    expect(d.notifications).toEqual([
      {
        title: 'Working without a timer?',
        body: 'You have been active for 10 min and no timer is running. Press Ctrl+Alt+T to start Website redesign.',
      },
    ]);
    expect(d.tray().menu.map((item) => item.kind === 'action' && item.action)).toContain(
      'snooze-reminder',
    );
    d.desktop.act('snooze-reminder');
    expect(d.tray().menu.map((item) => item.kind === 'action' && item.action)).not.toContain(
      'snooze-reminder',
    );
    d.clock.advance(59 * minute);
    expect(d.notifications).toHaveLength(1);
    d.clock.advance(1 * minute);
    expect(d.notifications).toHaveLength(2);
    // A timer started from the shortcut answers it.
    d.press();
    expect(d.desktop.reminder.due).toBe(false);
    expect(d.desktop.reminder.watching).toBe(false);
  });

  it('refreshes every second only while a timer runs', async () => {
    const d = desktopOver({});
    d.host.open('user-1');
    d.clock.advance(5 * second);
    // Stopped: the reminder's sampling and the 5-second look for sign-ins.
    expect(d.clock.pendingTimers).toBe(2);
    d.host.start(website);
    await settle();
    // Running: the tracker's heartbeat and the 1-second tray clock; the reminder rests.
    expect(d.clock.pendingTimers).toBe(2);
    const before = d.tray().title;
    d.clock.advance(second);
    expect(d.tray().title).not.toBe(before);
  });
});

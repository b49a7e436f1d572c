import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { TrackerStatusView } from '../../shared/ipc/tracker.ts';
import { timerIconPixels, timerIconPngs } from '../../src-main/desktop/tray-icon.ts';
import { elapsedText, trayModel, type TrayInput } from '../../src-main/desktop/tray-model.ts';
import { trackerStatus } from '../support/tracker-status.ts';

const t0 = Date.UTC(2026, 2, 2, 9, 0);
const stopped = trackerStatus();
const runningOn = (contractId: string, idle = false): TrackerStatusView => ({
  ...stopped,
  running: {
    entryId: 'e1',
    contractId,
    memo: '',
    startedAt: t0,
    billedMs: 0,
    idle,
    screenshotsPerSlot: 0,
  },
});
const website = { contractId: 'c1', contractTitle: 'Website redesign', weeklyHourLimit: 20 };
const input = (patch: Partial<TrayInput>): TrayInput => ({
  status: stopped,
  lastStart: null,
  now: t0,
  shortcut: 'CommandOrControl+Alt+T',
  reminderDue: false,
  ...patch,
});
const labels = (model: ReturnType<typeof trayModel>) =>
  model.menu.map((item) => (item.kind === 'separator' ? '—' : item.label));

describe('tray: elapsed time', () => {
  it('shows hours, minutes and seconds, never negative', () => {
    expect(elapsedText(0)).toBe('0:00:00');
    expect(elapsedText(5 * 60_000 + 7_999)).toBe('0:05:07');
    expect(elapsedText(12 * 3_600_000)).toBe('12:00:00');
    expect(elapsedText(27 * 3_600_000 + 61_000)).toBe('27:01:01');
    expect(elapsedText(-3_000)).toBe('0:00:00');
  });
});

describe('tray: model', () => {
  it('while running: the contract and the clock in tooltip and title, and Stop with the shortcut', () => {
    const model = trayModel(
      input({ status: runningOn('c1'), lastStart: website, now: t0 + 3_723_000 }),
    );
    expect(model).toMatchObject({
      running: true,
      tooltip: 'MegiLance: 1:02:03 on Website redesign',
      title: '1:02:03',
    });
    expect(labels(model)).toEqual([
      'Tracking Website redesign',
      'Stop timer',
      '—',
      'Open MegiLance',
      'Quit MegiLance',
    ]);
    expect(model.menu[1]).toEqual({
      kind: 'action',
      action: 'toggle',
      label: 'Stop timer',
      accelerator: 'CommandOrControl+Alt+T',
    });
  });

  it('while running away from the keyboard, or on a contract the renderer did not name', () => {
    const away = trayModel(input({ status: runningOn('c1', true), lastStart: website }));
    expect(away.tooltip).toBe('MegiLance: 0:00:00 on Website redesign (away)');
    const unnamed = trayModel(
      input({ status: runningOn('c2'), lastStart: { contractId: 'c2' }, now: t0 + 1_000 }),
    );
    expect(unnamed.tooltip).toBe('MegiLance: 0:00:01 on a contract');
    expect(labels(unnamed)[0]).toBe('Tracking a contract');
  });

  it('stopped: Start names the last contract; the menu does not change with the clock', () => {
    const model = trayModel(input({ lastStart: website }));
    expect(model).toMatchObject({
      running: false,
      tooltip: 'MegiLance: no timer running',
      title: '',
    });
    expect(labels(model)).toEqual([
      'No timer running',
      'Start Website redesign',
      '—',
      'Open MegiLance',
      'Quit MegiLance',
    ]);
    expect(trayModel(input({ lastStart: website, now: t0 + 60_000 }))).toEqual(model);
    expect(labels(trayModel(input({ lastStart: { contractId: 'c1' } })))[1]).toBe(
      'Start the last contract',
    );
  });

  it('with no contract ever tracked: the toggle leads to the window; no shortcut, no accelerator', () => {
    const model = trayModel(input({ shortcut: null }));
    expect(model.menu[1]).toEqual({
      kind: 'action',
      action: 'toggle',
      label: 'Choose a contract to track…',
    });
  });

  it('offers to snooze the no-timer reminder only while it is due and no timer runs', () => {
    const due = trayModel(input({ lastStart: website, reminderDue: true }));
    expect(labels(due)).toContain('Remind me again in an hour');
    expect(due.menu).toContainEqual({
      kind: 'action',
      action: 'snooze-reminder',
      label: 'Remind me again in an hour',
    });
    expect(labels(trayModel(input({ lastStart: website })))).not.toContain(
      'Remind me again in an hour',
    );
  });

  it('signed out: only signing in, and quitting', () => {
    const model = trayModel(input({ status: null, lastStart: website }));
    expect(model.tooltip).toBe('MegiLance: signed out');
    expect(model.menu).toEqual([
      { kind: 'label', label: 'Signed out' },
      { kind: 'action', action: 'open', label: 'Sign in to track time…' },
      { kind: 'separator' },
      { kind: 'action', action: 'quit', label: 'Quit MegiLance' },
    ]);
  });
});

describe('tray: icon', () => {
  const pixel = (rgba: Buffer, size: number, x: number, y: number) => [
    ...rgba.subarray((y * size + x) * 4, (y * size + x) * 4 + 4),
  ];

  it('is a grey ring while stopped and a green dial with a white hand while running', () => {
    const size = 32;
    const idle = timerIconPixels(size, false);
    const busy = timerIconPixels(size, true);
    // Corners are transparent; the ring is opaque grey; the stopped dial's inside is empty.
    expect(pixel(idle, size, 0, 0)).toEqual([0, 0, 0, 0]);
    expect(pixel(idle, size, 16, 27)).toEqual([0x5f, 0x6b, 0x7a, 255]);
    expect(pixel(idle, size, 22, 20)[3]).toBe(0);
    // Running: the same spot is green, and the hand above the centre is white.
    expect(pixel(busy, size, 22, 20)).toEqual([0x2f, 0x9e, 0x44, 255]);
    expect(pixel(busy, size, 16, 10)).toEqual([255, 255, 255, 255]);
  });

  it('encodes 1x and 2x PNGs that decode back to the drawn pixels', async () => {
    const pngs = await timerIconPngs(true);
    expect(pngs.map((p) => p.scaleFactor)).toEqual([1, 2]);
    for (const { png, scaleFactor } of pngs) {
      const size = 16 * scaleFactor;
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([size, size, 4]);
      expect(Buffer.compare(data, timerIconPixels(size, true))).toBe(0);
    }
  });
});

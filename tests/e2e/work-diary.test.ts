/**
 * The work diary end to end: a freelancer tracks time on an hourly contract (the tracker runs
 * in her browser host's main process and takes a screenshot of a test desktop), the time and
 * the screenshot reach the synced documents, the client opens the diary in a browser of her
 * own, sees the slot and its screenshot, and approves the week; the freelancer then sees the
 * week approved.
 *
 * A week is approved once it is over, so the freelancer's machine lives a week behind: its
 * clock (the tracker's and the screenshots') runs seven days late, and the contract started
 * a month ago. Everything else (server, browsers) keeps the real time.
 *
 * Needs `npx electron-vite build` first (out/renderer) and /usr/bin/chromium.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../src-main/tracker/capabilities.ts';
import { navLink, snap, unexpectedErrors, type Device } from '../support/desktop-devices.ts';
import { castOf, e2eStage, type Stage } from '../support/e2e-stage.ts';
import { startTestDesktop, type TestDesktop } from '../support/screenshot-desktop.ts';
import {
  hourlyContracts,
  londonDay,
  openDiary as openDiaryDay,
  waitForCapture,
} from '../support/work-diary-stage.ts';

const { grace, ada } = castOf('work-diary', 'grace', 'ada');
const projectTitle = 'Owls for a field guide, hourly';
const dayMs = 86_400_000;
const lagMs = 7 * dayMs;

/** Ada's machine: real seconds, a week late. */
const lastWeek: Clock = {
  wallNow: () => Date.now() - lagMs,
  monoNow: () => performance.now(),
  every: (ms, task) => systemClock.every(ms, task),
};

/** The calendar day (Europe/London, the windows' zone) Ada's tracked time falls on. */
const diaryDay = () => londonDay(Date.now() - lagMs);

let desktop: TestDesktop;
let stage: Stage;
let adaDesk: Device;
let graceLaptop: Device;
let contractId = '';

/** Opens the contract's diary on the day of Ada's time, through the app's own links. */
const openDiary = (page: Page) =>
  openDiaryDay(page, { id: contractId, title: projectTitle }, diaryDay());

describe('the work diary, from tracking to the client’s approval', () => {
  beforeAll(async () => {
    desktop = await startTestDesktop([{ width: 1280, height: 800 }]);
    await desktop.paint(0, 7);
    const started = await e2eStage({
      story: 'work-diary',
      people: [grace, ada],
      devices: [
        {
          label: 'Ada’s desk',
          person: ada,
          services: {
            clock: lastWeek,
            capture: desktop.capture,
            // The first moment of each slot, and a short private period, so the story is quick.
            screenshots: { random: () => 0, graceMs: 3_000 },
          },
        },
        { label: 'Grace’s laptop', person: grace },
      ],
      prepare: async (server) => {
        // The contract began a month ago: last week's time is inside its life.
        const [contract] = await hourlyContracts(server, { client: grace, freelancer: ada }, [
          projectTitle,
        ]);
        contractId = contract?.id ?? '';
      },
    });
    [adaDesk, graceLaptop] = started.devices;
    stage = started;
  });

  afterAll(async () => {
    await stage?.close();
    await desktop?.close();
  });

  it('shows the freelancer her tracked slot, its activity and its screenshot', async () => {
    const { page } = adaDesk;
    await navLink(page, 'Time').click();
    await page.getByRole('heading', { level: 1, name: 'Time' }).waitFor();
    await page.getByRole('combobox', { name: 'Contract' }).click();
    await page.getByRole('option', { name: projectTitle }).click({ timeout: 15_000 });
    await page.getByText('1 screenshot every 10 minutes').waitFor();
    await page.getByRole('textbox', { name: 'Memo' }).fill('Inking the barn owl');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByText(`Tracking ${projectTitle}`).waitFor();
    expect(await waitForCapture(desktop)).toBeGreaterThan(0);
    await page.waitForTimeout(3_000);
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByText('No timer running').waitFor();

    await openDiary(page);
    const slot = page.getByTestId('diary-slot').filter({ hasText: 'Inking the barn owl' });
    await slot.waitFor({ timeout: 20_000 });
    // The browser host has no idle source: it says so instead of inventing activity.
    expect(await slot.textContent()).toContain('Activity unavailable');
    const thumbnail = slot.getByRole('img', { name: /^Screenshot taken at/ });
    await thumbnail.waitFor({ timeout: 20_000 });
    expect(await thumbnail.getAttribute('src')).toMatch(/^data:image\//);
    await snap(page, 'work-diary-freelancer.png');

    // Once its private period is over the screenshot is shared: no more Blur, recorded for the
    // client (the hand-off runs when the diary opens again).
    await slot.getByText(/^Private until/).waitFor({ state: 'detached', timeout: 40_000 });
    await navLink(page, 'Time').click();
    await openDiary(page);
    await page
      .getByTestId('diary-slot')
      .filter({ hasText: 'Inking the barn owl' })
      .getByRole('img', { name: /^Screenshot taken at/ })
      .waitFor();

    // A call the tracker could not see, entered by hand (the contract allows it).
    await page.getByLabel('From', { exact: true }).fill('09:00');
    await page.getByLabel('To', { exact: true }).fill('08:30');
    await page.getByRole('textbox', { name: 'What did you work on?' }).fill('Call about owl poses');
    await page.getByRole('button', { name: 'Add manual time' }).click();
    await page.getByText('The end must be after the start.').waitFor();
    await page.getByLabel('To', { exact: true }).fill('09:30');
    await page.getByRole('button', { name: 'Add manual time' }).click();
    const manual = page.getByRole('table', { name: 'Manual time' });
    await manual.getByText('Call about owl poses').waitFor();
    expect(await manual.textContent()).toContain('09:00–09:30');

    await page.getByRole('textbox', { name: 'Tasks done' }).fill('Inked the barn owl');
    await page.getByRole('button', { name: 'Save work log' }).click();
    await page.getByTestId('day-total').filter({ hasText: '30 min' }).waitFor();
  });

  it('lets the client see the diary, its screenshot, manual time and work log, and dispute a slot', async () => {
    const { page } = graceLaptop;
    await openDiary(page);
    const slot = page.getByTestId('diary-slot').filter({ hasText: 'Inking the barn owl' });
    await slot.waitFor({ timeout: 30_000 });
    // Grace's copy comes from the server's blob store, fetched with her token.
    const thumbnail = slot.getByRole('img', { name: /^Screenshot taken at/ });
    await thumbnail.waitFor({ timeout: 30_000 });
    expect(await thumbnail.getAttribute('src')).toMatch(/^blob:/);
    await thumbnail.click();
    await page.getByTestId('screenshot-full').waitFor();
    await page.keyboard.press('Escape');
    // The client sees no private controls.
    expect(await slot.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    // Manual time is flagged as such, and the day's work log is there to read.
    await page.getByRole('table', { name: 'Manual time' }).getByText('Manual').waitFor();
    await page.getByText('Inked the barn owl').waitFor();

    // She disputes the tracked slot.
    await slot.getByRole('checkbox', { name: /for a dispute$/ }).check();
    await page.getByRole('button', { name: 'Dispute selected slots' }).click();
    await page.getByText('Say why you dispute these slots.').waitFor();
    await page
      .getByRole('textbox', { name: 'Reason for the dispute' })
      .fill('I asked for the tawny owl');
    await page.getByRole('button', { name: 'Dispute selected slots' }).click();
    await page.getByTestId('dispute').filter({ hasText: 'Open' }).waitFor();
    await slot.getByText('In dispute').waitFor();
  });

  it('lets the freelancer answer the dispute', async () => {
    const { page } = adaDesk;
    await openDiary(page);
    const dispute = page.getByTestId('dispute').filter({ hasText: 'I asked for the tawny owl' });
    await dispute.waitFor({ timeout: 30_000 });
    await dispute
      .getByRole('textbox', { name: 'Your response' })
      .fill('The brief said barn owl; tawny is next.');
    await dispute.getByRole('button', { name: 'Send response' }).click();
    await dispute.getByText('Freelancer’s response: The brief said barn owl').waitFor();
  });

  it('lets the client withdraw the dispute and approve the week', async () => {
    const { page } = graceLaptop;
    const dispute = page.getByTestId('dispute');
    await dispute.getByText('Freelancer’s response: The brief said barn owl').waitFor({
      timeout: 30_000,
    });
    await dispute.getByRole('button', { name: 'Withdraw dispute' }).click();
    await dispute.getByText('Withdrawn').waitFor();

    await page.getByRole('button', { name: 'Approve week' }).click();
    await page.getByTestId('week-approved').waitFor();
    await snap(page, 'work-diary-client-approved.png');

    // The timesheet of that week totals the same time.
    await page.getByRole('link', { name: 'Timesheet for this week' }).click();
    await page.getByRole('heading', { level: 1, name: 'Timesheet' }).waitFor();
    const total = page.getByTestId('timesheet-total');
    await total.waitFor();
    // Seconds of tracked time and the manual half hour.
    expect(await total.textContent()).toMatch(/^Totalunder 1 min30 min/);
    await snap(page, 'work-diary-timesheet.png');
  });

  it('shows the freelancer the week approved, with the server’s status on her slots', async () => {
    const { page } = adaDesk;
    await openDiary(page);
    await page.getByTestId('week-approved').waitFor({ timeout: 30_000 });
    const slot = page.getByTestId('diary-slot').filter({ hasText: 'Inking the barn owl' });
    await slot.getByText('Approved', { exact: true }).waitFor({ timeout: 30_000 });
    await snap(page, 'work-diary-freelancer-approved.png');
    expect(unexpectedErrors(stage.devices, [])).toEqual([]);
  });
});

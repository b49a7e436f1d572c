/**
 * Time end to end: a freelancer with an active contract (made over REST, reached the device
 * through sync) tracks time on the Time screen. The tracker runs in the desktop host's main
 * process (here the browser host's), so a reload of the window does not stop it.
 *
 * Needs `npx electron-vite build` first (out/renderer) and /usr/bin/chromium.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../shared/marketplace/contracts.ts';
import { navLink, snap, unexpectedErrors, type Device } from '../support/desktop-devices.ts';
import { castOf, e2eStage, type Stage } from '../support/e2e-stage.ts';
import { client } from '../support/http.ts';
import { contractBetween, createCategory, signUpAs } from '../support/marketplace-fixtures.ts';

const { grace, ada } = castOf('time', 'grace', 'ada');
const projectTitle = 'Illustrations for a field guide';

let stage: Stage;
let adaDesk: Device;
let contract: { id: string };

describe('tracking time on the Time screen', () => {
  beforeAll(async () => {
    const started = await e2eStage({
      story: 'time',
      people: [grace, ada],
      devices: [{ label: 'Ada’s desk', person: ada }],
    });
    [adaDesk] = started.devices;
    stage = started;
  });

  afterAll(() => stage?.close());

  it('starts a timer on an active contract, keeps it through a reload, stops it into a segment', async () => {
    const { page } = adaDesk;
    contract = await contractOverRest();
    await openTime(page);
    await page.getByText('No timer running').waitFor();

    await page.getByRole('combobox', { name: 'Contract' }).click();
    await page.getByRole('option', { name: projectTitle }).click({ timeout: 10_000 });
    await page.getByRole('textbox', { name: 'Memo' }).fill('Sketching the owls');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByText(`Tracking ${projectTitle}`).waitFor();
    // The clock moves.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="elapsed"]')?.textContent !== '0:00:00',
    );

    // A reload is a new renderer: the timer lives in the main process and is still running.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Time' }).waitFor();
    await page.getByText(`Tracking ${projectTitle}`).waitFor();
    expect(page.url()).toContain('#/time');

    await page.waitForTimeout(2_000);
    await snap(page, 'time-running.png');
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByText('No timer running').waitFor();

    const row = page.getByTestId('segment').filter({ hasText: projectTitle });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Sketching the owls');
    // The browser host cannot read idle time: it says so rather than inventing activity.
    expect(text).toContain('Activity unavailable');
    expect(text).toMatch(/0:00:0[2-9]|0:00:[1-5]\d/);
    await snap(page, 'time-stopped.png');
  });

  it('will not track a contract that is not active, and says why', async () => {
    const { page } = adaDesk;
    const paused = await client(stage.server.baseUrl).patch<Contract>(
      `/contracts/${contract.id}/status`,
      { token: grace.token, json: { to: 'paused' } },
    );
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    await page.getByRole('combobox', { name: 'Contract' }).click();
    // The pause reaches this device through sync; the picker names the status.
    await page.getByRole('option', { name: `${projectTitle} (Paused)` }).click();
    await page
      .getByText('This contract is paused: time can only be tracked on active contracts.')
      .waitFor();
    expect(await page.getByRole('button', { name: 'Start' }).isDisabled()).toBe(true);
    expect(unexpectedErrors(stage.devices, [])).toEqual([]);
  });
});

async function openTime(page: Page) {
  await navLink(page, 'Time').click();
  await page.getByRole('heading', { level: 1, name: 'Time' }).waitFor();
}

/** The client posts, the freelancer proposes with a plan, the client accepts: over REST. */
async function contractOverRest(): Promise<{ id: string }> {
  const { server } = stage;
  const admin = await signUpAs(server, 'admin');
  const category = await createCategory(server, admin, { name: 'Illustration' });
  const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
  const id = await contractBetween(
    server,
    { client: grace, freelancer: ada, categoryId: category.id },
    'active',
    {
      project: { title: projectTitle },
      proposal: {
        coverLetter: 'I draw birds.',
        bid: { type: 'fixed', amount: eur(80_000) },
        durationDays: 30,
        milestonePlan: [{ title: 'Owls', amount: eur(80_000) }],
      },
    },
  );
  return { id };
}

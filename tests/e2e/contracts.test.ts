/**
 * Contracts end to end: a client and a freelancer, each on a device of their own (a browser
 * host with its own profile and keychain entry, a browser context with its own IndexedDB),
 * against one real server (SQLite, HTTP, socket.io). A contract made over REST reaches both
 * Contracts screens through sync, a pause on one side shows on the other live, and with the
 * server stopped the contract still shows from the device's own database.
 *
 * Needs `npx electron-vite build` first (out/renderer) and /usr/bin/chromium.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  navLink,
  snap,
  syncStatus,
  unexpectedErrors,
  type Device,
} from '../support/desktop-devices.ts';
import { castOf, e2eStage, type Stage } from '../support/e2e-stage.ts';
import { contractBetween, createCategory, signUpAs } from '../support/marketplace-fixtures.ts';

const { grace, ada } = castOf('contracts', 'grace', 'ada');
const projectTitle = 'Desktop time tracker for a design studio';

/** A change on one device shows on the other within this. */
const liveMs = 5_000;

let stage: Stage;
let graceDesk: Device;
let adaDesk: Device;
let contract: { id: string };

describe('contracts on both parties’ devices', () => {
  beforeAll(async () => {
    const started = await e2eStage({
      story: 'contracts',
      people: [grace, ada],
      devices: [
        { label: 'Grace’s desk', person: grace },
        { label: 'Ada’s desk', person: ada },
      ],
    });
    [graceDesk, adaDesk] = started.devices;
    stage = started;
  });

  afterAll(() => stage?.close());

  it('shows a contract made over REST on both parties’ Contracts pages, live', async () => {
    for (const device of [graceDesk, adaDesk]) {
      await openContracts(device.page);
      await device.page.getByText('No contracts yet').waitFor();
    }

    contract = await contractOverRest();

    for (const [device, other] of [
      [graceDesk, 'Freelancer: Ada Lovelace'],
      [adaDesk, 'Client: Grace Hopper'],
    ] as const) {
      const row = contractRow(device.page, projectTitle);
      await row.waitFor({ timeout: liveMs });
      const text = await row.textContent();
      expect(text).toContain(other);
      expect(text).toContain('Fixed price · €2,000.00');
      expect(text).toContain('Active');
    }
    await graceDesk.page.mouse.move(0, 0);
    await snap(graceDesk.page, 'contracts-list.png');
  });

  it('opens the contract with its terms and milestones, and only the allowed actions', async () => {
    for (const device of [graceDesk, adaDesk]) {
      await contractRow(device.page, projectTitle).click();
      await device.page.getByRole('heading', { level: 1, name: projectTitle }).waitFor();
      expect(device.page.url()).toContain(`#/contracts/${contract.id}`);
      await expect.poll(() => statusOf(device.page)).toBe('Active');
      const milestones = device.page.getByRole('table', { name: 'Milestones' });
      await milestones.getByRole('row', { name: /Design/ }).waitFor();
      expect(await rowTexts(milestones)).toEqual([
        ['#', 'Milestone', 'Amount', 'Due', 'Status'],
        ['1', 'Design', '€500.00', '31 Jan 2099', 'Pending'],
        ['2', 'Build', '€1,500.00', 'No due date', 'Pending'],
        ['', 'Total', '€2,000.00', '', ''],
      ]);
      const terms = await device.page.getByRole('region', { name: 'Terms' }).textContent();
      expect(terms).toContain('Total€2,000.00');
      expect(terms).toContain('TypeFixed price');
    }
    expect(await actionsOf(graceDesk.page)).toEqual(['Pause', 'End contract']);
    // Only the client pauses; either party ends.
    expect(await actionsOf(adaDesk.page)).toEqual(['End contract']);
    await graceDesk.page.mouse.move(0, 0);
    await snap(graceDesk.page, 'contract-page.png');
  });

  it('shows the client’s pause on the freelancer’s page live, and the resume', async () => {
    await action(graceDesk.page, 'Pause').click();
    await expect.poll(() => statusOf(adaDesk.page), { timeout: liveMs }).toBe('Paused');
    await expect.poll(() => statusOf(graceDesk.page), { timeout: liveMs }).toBe('Paused');
    await expect.poll(() => actionsOf(graceDesk.page)).toEqual(['Resume', 'End contract']);

    await action(graceDesk.page, 'Resume').click();
    await expect.poll(() => statusOf(adaDesk.page), { timeout: liveMs }).toBe('Active');

    // The list follows too, with its status filter.
    await navLink(adaDesk.page, 'Contracts').click();
    await contractRow(adaDesk.page, projectTitle).waitFor();
    await adaDesk.page.getByText('Paused (0)').click();
    await adaDesk.page.getByText('No paused contracts.').waitFor();
    await adaDesk.page.getByText('Active (1)').click();
    await contractRow(adaDesk.page, projectTitle).waitFor();
    expect(adaDesk.page.url()).toContain('status=active');
  });

  it('still shows the contract from the device’s database with the server stopped', async () => {
    await stage.stopServer();
    const page = adaDesk.page;
    await syncStatus(page, 'Offline').waitFor({ timeout: 15_000 });

    // Away and back: the screens read the local database, not the server.
    await navLink(page, 'Dashboard').click();
    await navLink(page, 'Contracts').click();
    await contractRow(page, projectTitle).click();
    await page.getByRole('heading', { level: 1, name: projectTitle }).waitFor();
    expect(await statusOf(page)).toBe('Active');
    const milestones = page.getByRole('table', { name: 'Milestones' });
    expect((await rowTexts(milestones)).slice(1, 3)).toEqual([
      ['1', 'Design', '€500.00', '31 Jan 2099', 'Pending'],
      ['2', 'Build', '€1,500.00', 'No due date', 'Pending'],
    ]);

    // A command needs the server: it says so readably and changes nothing here.
    await action(page, 'End contract').click();
    const dialog = page.getByRole('dialog', { name: 'End this contract?' });
    await dialog.getByText(/ends for both of you/).waitFor();
    await dialog.getByRole('button', { name: 'End contract' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The contract was not changed' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Cannot reach the MegiLance server/);
    expect(await statusOf(page)).toBe('Active');
    await page.mouse.move(0, 0);
    await snap(page, 'contract-offline.png');
  });

  it('logged no unexpected errors in any window', () => {
    // The server was stopped on purpose: refused connections, and requests it cut short.
    const expected = [
      /ERR_CONNECTION_(REFUSED|RESET)|ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED/,
      /WebSocket connection to .* failed/,
    ];
    expect(unexpectedErrors(stage.devices, expected)).toEqual([]);
  });
});

/** The client posts, the freelancer proposes with a plan, the client accepts: over REST. */
async function contractOverRest(): Promise<{ id: string }> {
  const { server } = stage;
  const admin = await signUpAs(server, 'admin');
  const category = await createCategory(server, admin, { name: 'Desktop apps' });
  const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
  const id = await contractBetween(
    server,
    { client: grace, freelancer: ada, categoryId: category.id },
    'active',
    {
      project: { title: projectTitle },
      proposal: {
        coverLetter: 'I build desktop trackers.',
        bid: { type: 'fixed', amount: eur(200_000) },
        durationDays: 30,
        milestonePlan: [
          { title: 'Design', amount: eur(50_000), dueDate: '2099-01-31' },
          { title: 'Build', amount: eur(150_000) },
        ],
      },
    },
  );
  return { id };
}

async function openContracts(page: Page) {
  await navLink(page, 'Contracts').click();
  await page.getByRole('heading', { level: 1, name: 'Contracts' }).waitFor();
}

function contractRow(page: Page, title: string): Locator {
  return page.getByRole('link', { name: new RegExp(title) });
}

async function statusOf(page: Page): Promise<string | null> {
  return (await page.getByTestId('contract-status').textContent())?.trim() ?? null;
}

function action(page: Page, name: string): Locator {
  return page.getByRole('group', { name: 'Contract actions' }).getByRole('button', { name });
}

async function actionsOf(page: Page): Promise<string[]> {
  return page
    .getByRole('group', { name: 'Contract actions' })
    .getByRole('button')
    .allTextContents();
}

/** A table's cells, row by row. */
async function rowTexts(table: Locator): Promise<string[][]> {
  return table
    .getByRole('row')
    .evaluateAll((rows) =>
      rows.map((row) =>
        Array.from(row.querySelectorAll('th, td')).map((cell) => cell.textContent?.trim() ?? ''),
      ),
    );
}

/**
 * Messaging on offline-first sync, end to end: three app windows against one real server
 * (SQLite, HTTP, socket.io). Ada has two devices, Grace has one; each device is its own
 * browser host (its own profile and keychain entry) and its own browser context (its own
 * IndexedDB). Grace's device goes offline with `context.setOffline`, keeps working, and
 * converges when it reconnects.
 *
 * Needs `npx electron-vite build` first (out/renderer) and /usr/bin/chromium.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  composer,
  conversationRow,
  navLink,
  openMessages,
  snap,
  syncStatus,
  unexpectedErrors,
  type Device,
} from '../support/desktop-devices.ts';
import { castOf, e2eStage, storyEmail, type Stage } from '../support/e2e-stage.ts';

const { ada, grace } = castOf('messaging', 'ada', 'grace');

/** Live delivery must feel live: a message shows on the other side within this. */
const liveMs = 5_000;

let stage: Stage;
let adaDesk: Device;
let adaLaptop: Device;
let graceDesk: Device;

const first = 'Hello Grace, the contract draft is ready for you.';
const whileAway1 = 'I added the milestone dates.';
const whileAway2 = 'And the hourly rate we agreed.';
const reply = 'Thanks Ada, I will read it on the train.';

describe('messaging between devices', () => {
  beforeAll(async () => {
    const started = await e2eStage({
      story: 'messaging',
      people: [ada, grace],
      devices: [
        { label: 'Ada’s desk', person: ada },
        { label: 'Ada’s laptop', person: ada },
        { label: 'Grace’s desk', person: grace },
      ],
    });
    [adaDesk, adaLaptop, graceDesk] = started.devices;
    stage = started;
  });

  afterAll(() => stage?.close());

  it('starts a conversation by email and the other person gets it live, unread', async () => {
    const page = adaDesk.page;
    await openMessages(graceDesk);
    await openMessages(adaDesk);

    await page.getByRole('button', { name: 'New conversation' }).click();
    const dialog = page.getByRole('dialog', { name: 'New conversation' });
    const email = dialog.getByRole('textbox', { name: 'Their email' });
    await email.fill(storyEmail('nobody', 'messaging'));
    await dialog.getByRole('button', { name: 'Start conversation' }).click();
    await dialog.getByText('No MegiLance account uses this email').waitFor();
    await email.fill(grace.email);
    await dialog.getByRole('button', { name: 'Start conversation' }).click();
    await dialog.waitFor({ state: 'detached' });
    await thread(page, grace.name).waitFor();
    expect(page.url()).toMatch(/#\/messages\/[0-9a-f-]{36}$/);

    await composer(page).fill(first);
    const sentAt = Date.now();
    await composer(page).press('Enter');
    await bubble(page, first).waitFor();
    expect(await composer(page).inputValue()).toBe('');

    // Grace's window, on the conversation list: the conversation appears with its badge.
    const row = conversationRow(graceDesk.page, ada.name);
    await row.getByLabel('1 unread message').waitFor({ timeout: liveMs });
    const liveDelay = Date.now() - sentAt;
    expect(liveDelay).toBeLessThan(liveMs);
    await navLink(graceDesk.page, 'Messages').getByLabel('1 unread message').waitFor();
    expect(await row.textContent()).toContain(first);

    // It reached one of Grace's devices: Ada sees ✓ delivered before Grace opens it.
    await expect.poll(() => status(page, first), { timeout: liveMs }).toBe('Delivered');
  });

  it('shows the thread, marks it read, and the read receipt reaches the sender', async () => {
    const page = graceDesk.page;
    await conversationRow(page, ada.name).click();
    await bubble(page, first).waitFor();
    await conversationRow(page, ada.name)
      .getByLabel(/unread/)
      .waitFor({ state: 'detached' });
    expect(
      await navLink(page, 'Messages')
        .getByLabel(/unread/)
        .count(),
    ).toBe(0);
    await expect.poll(() => status(adaDesk.page, first), { timeout: liveMs }).toBe('Read');
  });

  it('shows the other side typing, and stops when they stop', async () => {
    await composer(graceDesk.page).pressSequentially('Let me', { delay: 20 });
    const indicator = adaDesk.page.getByTestId('typing-indicator');
    await expect
      .poll(() => indicator.textContent(), { timeout: liveMs })
      .toBe('Grace Hopper is typing…');
    await composer(graceDesk.page).fill('');
    await expect.poll(() => indicator.textContent(), { timeout: liveMs }).toBe('');
  });

  it('keeps working offline: messages wait, then converge on reconnect', async () => {
    const page = graceDesk.page;
    await graceDesk.context.setOffline(true);
    await syncStatus(page, 'Offline').waitFor({ timeout: liveMs });

    // Ada writes while Grace is away; Ada leaves the thread so delivery and reading separate.
    await composer(adaDesk.page).fill(whileAway1);
    await composer(adaDesk.page).press('Enter');
    await composer(adaDesk.page).fill(whileAway2);
    await composer(adaDesk.page).press('Enter');
    await expect.poll(() => status(adaDesk.page, whileAway2), { timeout: liveMs }).toBe('Sent');
    await navLink(adaDesk.page, 'Dashboard').click();

    // Grace (offline) does not have them, and her own reply waits on her device.
    await page.waitForTimeout(500);
    expect(await bubble(page, whileAway1).count()).toBe(0);
    await composer(page).fill(reply);
    await composer(page).press('Enter');
    await bubble(page, reply).waitFor();
    expect(await status(page, reply)).toBe('Waiting to send');

    // An attachment needs the server: offline says so instead of pretending.
    await page.locator('input[type="file"]').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('margin notes'),
    });
    await page.getByRole('alert').filter({ hasText: 'Could not attach notes.txt' }).waitFor();
    await page.getByRole('button', { name: 'Dismiss' }).click();

    await page.mouse.move(0, 0);
    await snap(page, 'messages-offline.png');

    await syncStatus(page, 'Offline').click();
    const panel = page.getByRole('dialog', { name: 'This device' });
    await panel.waitFor();
    const waiting = await panel.getByLabel(/^Changes waiting to sync: /).textContent();
    expect(Number(waiting)).toBeGreaterThanOrEqual(1);
    await snap(page, 'sync-this-device-offline.png');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });

    await graceDesk.context.setOffline(false);
    await syncStatus(page, 'Online').waitFor({ timeout: 15_000 });
    await bubble(page, whileAway1).waitFor({ timeout: liveMs });
    await bubble(page, whileAway2).waitFor();
    // Ada's device has the reply (delivered) but nobody there has opened the thread yet.
    await expect.poll(() => status(page, reply), { timeout: liveMs }).toBe('Delivered');
    await navLink(adaDesk.page, 'Messages').getByLabel('1 unread message').waitFor();

    await navLink(adaDesk.page, 'Messages').click();
    await conversationRow(adaDesk.page, grace.name).click();
    await bubble(adaDesk.page, reply).waitFor();
    await expect.poll(() => status(page, reply), { timeout: liveMs }).toBe('Read');
    await expect.poll(() => status(adaDesk.page, whileAway2), { timeout: liveMs }).toBe('Read');
  });

  it("shows the same thread on Ada's second device, and search finds a message", async () => {
    const page = adaLaptop.page;
    await openMessages(adaLaptop);
    await conversationRow(page, grace.name).click();
    const log = thread(page, grace.name);
    for (const text of [first, whileAway1, whileAway2, reply]) await bubble(page, text).waitFor();
    expect(await log.getByRole('article').count()).toBe(4);
    await log.getByRole('separator', { name: 'Today' }).waitFor();
    expect(await status(page, first)).toBe('Read');

    await page.getByRole('textbox', { name: 'Search messages' }).fill('HOURLY rate');
    const results = page.getByRole('list', { name: 'Search results' });
    await results.getByRole('link').first().waitFor();
    expect(await results.getByRole('link').count()).toBe(1);
    await results.getByRole('link').first().click();
    await expect.poll(() => page.url()).toContain('message=');
    await bubble(page, whileAway2).waitFor();

    await page.getByRole('textbox', { name: 'Search messages' }).fill('no such words anywhere');
    await page.getByText('No messages contain “no such words anywhere”.').waitFor();
    await page.getByRole('button', { name: 'Clear search' }).click();
    await conversationRow(page, grace.name).waitFor();

    // The same screen in the dark scheme, for people to look at.
    await page.getByRole('button', { name: /^Colour scheme/ }).click();
    await page.getByRole('menuitem', { name: 'Dark' }).click();
    await expect
      .poll(() => page.locator('html').getAttribute('data-mantine-color-scheme'))
      .toBe('dark');
    await page.mouse.move(0, 0);
    await snap(page, 'messages-dark.png');
  });

  it('carries an attachment through the blob endpoints to the other side', async () => {
    const page = adaDesk.page;
    await page.locator('input[type="file"]').setInputFiles({
      name: 'milestones.png',
      mimeType: 'image/png',
      buffer: chartPng(),
    });
    await page.getByRole('group', { name: 'Files to send' }).getByText('milestones.png').waitFor();
    await page.getByLabel('Uploading milestones.png').waitFor({ state: 'detached' });
    await composer(page).fill('The milestone chart.');
    await composer(page).press('Enter');

    const received = bubble(graceDesk.page, 'The milestone chart.');
    await received.waitFor({ timeout: liveMs });
    const image = received.getByRole('img', { name: 'milestones.png' });
    await image.waitFor();
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(240);
    await expect.poll(() => status(page, 'The milestone chart.'), { timeout: liveMs }).toBe('Read');
    await page.mouse.move(0, 0);
    await snap(page, 'messages-thread.png');
  });

  it('logged no unexpected errors in any window', () => {
    // Offline on purpose (refused connections), and the unknown email's 404.
    const expected = [
      /ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|ERR_CONNECTION_REFUSED/,
      /^Failed to load resource: the server responded with a status of 404\b/,
      /WebSocket connection to .* failed/,
    ];
    expect(unexpectedErrors(stage.devices, expected)).toEqual([]);
  });
});

function thread(page: Page, name: string): Locator {
  return page.getByRole('log', { name: `Messages with ${name}` });
}

function bubble(page: Page, text: string): Locator {
  return page.getByRole('log').getByRole('article').filter({ hasText: text });
}

/** The receipt line under one of my own messages: Waiting to send, Sent, Delivered, Read. */
async function status(page: Page, text: string): Promise<string | null> {
  const mark = bubble(page, text).getByTestId('message-status');
  if ((await mark.count()) === 0) return null;
  return (await mark.textContent())?.trim() ?? null;
}

/** A small bar chart as a real PNG (RGB, no filter), so the thumbnail has something to show. */
function chartPng(width = 240, height = 120): Buffer {
  const bars = [0.35, 0.6, 0.45, 0.8, 0.95];
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x += 1) {
      const bar = Math.floor((x / width) * bars.length);
      const inBar = x % (width / bars.length) > 8;
      const filled = inBar && height - y < (bars[bar] ?? 0) * (height - 12);
      const [r, g, b] = filled ? [76, 110, 245] : [248, 249, 250];
      row.writeUInt8(r, 1 + x * 3);
      row.writeUInt8(g, 2 + x * 3);
      row.writeUInt8(b, 3 + x * 3);
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A freelancer's say over her screenshots, end to end: while a screenshot is private (its
 * grace period) she can blur it, and then only the blurred picture ever leaves her machine;
 * she can delete it, and its slot's time goes with it before the client could see either;
 * and a screenshot already shared can still be deleted before the week is approved, taking
 * the slot's time from the client's diary too.
 *
 * Each story runs on a contract of its own (the same people), so each has its own slot. Ada's
 * uploads go through a counting fetch, so the test knows every image her machine sent.
 *
 * Needs `npx electron-vite build` first (out/renderer) and /usr/bin/chromium.
 */
import { createHash } from 'node:crypto';
import type { Locator, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slotMs, slotStart } from '../../shared/time/slots.ts';
import { navLink, snap, unexpectedErrors, type Device } from '../support/desktop-devices.ts';
import { castOf, e2eStage, type Stage } from '../support/e2e-stage.ts';
import { client } from '../support/http.ts';
import { startTestDesktop, type TestDesktop } from '../support/screenshot-desktop.ts';
import {
  hourlyContracts,
  londonDay,
  openDiary,
  waitForCapture,
  type DiaryContract,
} from '../support/work-diary-stage.ts';

const { grace, ada } = castOf('screenshot-privacy', 'grace', 'ada');
/** Long enough to blur or delete from the diary after stopping, short enough to wait out. */
const graceMs = 25_000;
/** The grace period, the host's 15-second share check, a hand-off and a sync. */
const sharedWithinMs = graceMs + 60_000;
const titles = {
  blur: 'Herons for a field guide, hourly',
  deletePending: 'Kestrels for a field guide, hourly',
  deleteShared: 'Puffins for a field guide, hourly',
} as const;

let desktop: TestDesktop;
let stage: Stage;
let adaDesk: Device;
let graceLaptop: Device;
const contracts: Record<keyof typeof titles, DiaryContract> = {
  blur: { id: '', title: titles.blur },
  deletePending: { id: '', title: titles.deletePending },
  deleteShared: { id: '', title: titles.deleteShared },
};
/** `METHOD hash` of every blob request Ada's uploader made. */
const blobRequests: string[] = [];
const uploadCounter: typeof fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  const hash = /\/blobs\/([0-9a-f]{64})$/.exec(url)?.[1];
  if (hash) blobRequests.push(`${init?.method ?? 'GET'} ${hash}`);
  return fetch(input, init);
};
const uploaded = (hash: string) => blobRequests.includes(`PUT ${hash}`);
/**
 * Blobs Grace's window was sent, by name. A blob's name is the sha256 of its bytes (the server
 * stores nothing under a name its bytes do not hash to), so the name says what she saw.
 */
const clientReceived: string[] = [];
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function recordClientBlob(response: Response): void {
  const hash = /\/api\/v1\/blobs\/([0-9a-f]{64})$/.exec(new URL(response.url()).pathname)?.[1];
  if (hash && response.request().method() === 'GET' && response.status() === 200) {
    clientReceived.push(hash);
  }
}

/** What the blur story learnt about the pictures, for the final check on the server. */
const blurStory = { original: [] as string[], blurred: [] as string[] };
const deletedPending: string[] = [];

// Two stories wait out a grace period, a share check and a sync: longer than the default.
describe('blurring and deleting screenshots from the work diary', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    desktop = await startTestDesktop([{ width: 1280, height: 800 }]);
    const started = await e2eStage({
      story: 'screenshot-privacy',
      people: [grace, ada],
      devices: [
        {
          label: 'Ada’s desk',
          person: ada,
          services: {
            capture: desktop.capture,
            // The first moment of each slot, so a screenshot follows the start at once.
            screenshots: { random: () => 0, graceMs, upload: { fetch: uploadCounter } },
          },
        },
        { label: 'Grace’s laptop', person: grace },
      ],
      prepare: async (server) => {
        const made = await hourlyContracts(server, { client: grace, freelancer: ada }, [
          titles.blur,
          titles.deletePending,
          titles.deleteShared,
        ]);
        [contracts.blur, contracts.deletePending, contracts.deleteShared] = made as [
          DiaryContract,
          DiaryContract,
          DiaryContract,
        ];
      },
    });
    [adaDesk, graceLaptop] = started.devices;
    stage = started;
    graceLaptop.page.on('response', recordClientBlob);
  });

  afterAll(async () => {
    await stage?.close();
    await desktop?.close();
  });

  it('blurs a private screenshot: only the blurred picture is ever shared', async () => {
    const { page } = adaDesk;
    const contract = contracts.blur;
    const { day, cell, thumbnail } = await trackInDiary(contract, 'Wading heron, pencil', 11);
    await cell.getByText(/^Private until/).waitFor();
    const originalThumb = await imageHash(thumbnail);
    const originalFull = await fullImageHash(page, thumbnail);

    // The client already sees the slot's time, but no picture while it is private.
    await openDiary(graceLaptop.page, contract, day);
    const clientCell = diarySlot(graceLaptop.page, 'Wading heron, pencil');
    await clientCell.waitFor({ timeout: 30_000 });
    await clientCell.getByText('No screenshot').waitFor();

    await cell.getByRole('button', { name: 'Blur' }).click();
    await page.getByText('Screenshot blurred.').waitFor();
    await cell.getByText('Blurred', { exact: true }).waitFor();
    // Blurred once is final: no second Blur, and it is still private.
    expect(await cell.getByRole('button', { name: 'Blur' }).count()).toBe(0);
    await cell.getByText(/^Private until/).waitFor();
    await expect.poll(() => imageHash(thumbnail)).not.toBe(originalThumb);
    const blurredThumb = await imageHash(thumbnail);
    const blurredFull = await fullImageHash(page, thumbnail);
    expect(blurredFull).not.toBe(originalFull);
    await snap(page, 'screenshot-privacy-blurred.png');
    expect(await clientCell.getByRole('img').count()).toBe(0);

    // The grace period ends: shared, recorded at the next hand-off (the diary asks for one).
    await cell.getByText(/^Private until/).waitFor({ state: 'detached', timeout: sharedWithinMs });
    await openDiary(page, contract, day);

    const clientThumb = clientCell.getByRole('img', { name: /^Screenshot taken at/ });
    await openDiary(graceLaptop.page, contract, day);
    await clientThumb.waitFor({ timeout: sharedWithinMs });
    expect(await clientThumb.getAttribute('src')).toMatch(/^blob:/);
    await clientCell.getByText('Blurred', { exact: true }).waitFor();
    await clientThumb.click();
    await graceLaptop.page.getByTestId('screenshot-full').waitFor();
    await graceLaptop.page.keyboard.press('Escape');
    // What her window was sent is the blurred pair, byte for byte, and nothing else of it.
    await expect.poll(() => clientReceived).toContain(blurredFull);
    expect(clientReceived).toContain(blurredThumb);
    expect(clientReceived.filter((hash) => [originalThumb, originalFull].includes(hash))).toEqual(
      [],
    );
    // The client has no private controls over it.
    expect(await clientCell.getByRole('button', { name: /^(Blur|Delete)$/ }).count()).toBe(0);
    await snap(graceLaptop.page, 'screenshot-privacy-client-blurred.png');

    // Ada's machine sent the blurred images and never the originals.
    expect(uploaded(blurredThumb) && uploaded(blurredFull)).toBe(true);
    expect([originalThumb, originalFull].filter(uploaded)).toEqual([]);
    blurStory.original.push(originalThumb, originalFull);
    blurStory.blurred.push(blurredThumb, blurredFull);
  });

  it('deletes a private screenshot with its slot’s time, before the client sees anything', async () => {
    const { page } = adaDesk;
    const contract = contracts.deletePending;
    const { day, cell, thumbnail } = await trackInDiary(contract, 'Hovering kestrel, ink', 23);
    deletedPending.push(await imageHash(thumbnail), await fullImageHash(page, thumbnail));
    // A few seconds of tracked time: the day's total is that slot.
    await dayTotal(page, 'under 1 min').waitFor({ timeout: 20_000 });

    await cell.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this screenshot?' });
    await dialog.waitFor();
    const explanation = await dialog.textContent();
    // It says what goes with it; a private screenshot is not the client's to lose.
    expect(explanation).toMatch(/the time of its 10-minute slot \(\d\d:\d\d\) is removed/);
    expect(explanation).toContain('no longer billed');
    expect(explanation).not.toContain('for the client too');
    await dialog.getByRole('button', { name: 'Delete screenshot and its time' }).click();
    await page.getByText('Screenshot deleted; its slot no longer counts.').waitFor();
    await dialog.waitFor({ state: 'detached' });

    await cell.getByText('Time removed').waitFor({ timeout: 20_000 });
    expect(await cell.getByRole('img').count()).toBe(0);
    await dayTotal(page, '0 min').waitFor({ timeout: 20_000 });
    await snap(page, 'screenshot-privacy-deleted-pending.png');

    // The client's diary: the slot's time is gone and there never was a picture.
    await openDiary(graceLaptop.page, contract, day);
    await dayTotal(graceLaptop.page, '0 min').waitFor({ timeout: 30_000 });
    expect(await graceLaptop.page.getByTestId('screenshot-thumbnail').count()).toBe(0);
  });

  it('deletes a shared screenshot before approval: the client loses it and the slot’s time', async () => {
    const { page } = adaDesk;
    const contract = contracts.deleteShared;
    const { day, cell } = await trackInDiary(contract, 'Puffin with fish, watercolour', 37);
    await cell.getByText(/^Private until/).waitFor({ state: 'detached', timeout: sharedWithinMs });
    await openDiary(page, contract, day);

    const client = graceLaptop.page;
    await openDiary(client, contract, day);
    const clientCell = diarySlot(client, 'Puffin with fish, watercolour');
    const clientThumb = clientCell.getByRole('img', { name: /^Screenshot taken at/ });
    await clientThumb.waitFor({ timeout: sharedWithinMs });
    await dayTotal(client, 'under 1 min').waitFor({ timeout: 20_000 });
    const { id: shotId, thumbnail_hash: sharedThumb } = await screenshotOnServer(contract.id);
    await expect.poll(() => clientReceived).toContain(sharedThumb);
    expect(await blobStatusFor(grace.token, sharedThumb)).toBe(200);

    await cell.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this screenshot?' });
    expect(await dialog.textContent()).toMatch(
      /is deleted for the client too, and the time of its 10-minute slot \(\d\d:\d\d\) is removed/,
    );
    await dialog.getByRole('button', { name: 'Delete screenshot and its time' }).click();
    await page.getByText('Screenshot deleted; its slot no longer counts.').waitFor();
    await cell.getByText('Time removed').waitFor({ timeout: 20_000 });
    await dayTotal(page, '0 min').waitFor({ timeout: 20_000 });

    // Grace's diary follows through sync: no picture, no time.
    await clientCell.getByText('Time removed').waitFor({ timeout: 30_000 });
    expect(await clientCell.getByTestId('screenshot-thumbnail').count()).toBe(0);
    await dayTotal(client, '0 min').waitFor({ timeout: 20_000 });
    await snap(client, 'screenshot-privacy-client-deleted-shared.png');
    // The server keeps the deletion and stops serving the picture to her.
    const row = await stage.server.db.kysely
      .selectFrom('screenshots')
      .select('deleted')
      .where('id', '=', shotId)
      .executeTakeFirstOrThrow();
    expect(Number(row.deleted)).toBe(1);
    expect(await blobStatusFor(grace.token, sharedThumb)).toBe(404);
  });

  it('never let the server receive a picture that was blurred away or deleted in private', async () => {
    const db = stage.server.db.kysely;
    const never = [...blurStory.original, ...deletedPending];
    expect(never).toHaveLength(4);
    // Every grace period is over by now, so whatever would have been shared has been.
    const pendingShot = await db
      .selectFrom('screenshots')
      .select('id')
      .where('contract_id', '=', contracts.deletePending.id)
      .execute();
    expect(pendingShot).toEqual([]);
    expect(never.filter(uploaded)).toEqual([]);
    const onServer = await db
      .selectFrom('blobs')
      .select('hash')
      .where('hash', 'in', never)
      .execute();
    expect(onServer).toEqual([]);
    const blurred = await db
      .selectFrom('blobs')
      .select('hash')
      .where('hash', 'in', blurStory.blurred)
      .execute();
    expect(blurred).toHaveLength(2);
    expect(unexpectedErrors(stage.devices, [])).toEqual([]);
  });
});

/** The diary cell of the slot whose memo is `memo`. */
function diarySlot(page: Page, memo: string): Locator {
  return page.getByTestId('diary-slot').filter({ hasText: memo });
}

function dayTotal(page: Page, text: string): Locator {
  return page.getByTestId('day-total').filter({ hasText: new RegExp(`^${text}$`) });
}

/** Ada tracks one slot (see trackOneSlot) and opens its day: the slot and its thumbnail. */
async function trackInDiary(contract: DiaryContract, memo: string, seed: number) {
  const { page } = adaDesk;
  const day = londonDay(await trackOneSlot(page, contract, memo, seed));
  await openDiary(page, contract, day);
  const cell = diarySlot(page, memo);
  const thumbnail = cell.getByRole('img', { name: /^Screenshot taken at/ });
  await thumbnail.waitFor({ timeout: 20_000 });
  return { day, cell, thumbnail };
}

/**
 * Tracks a few seconds on `contract` with the desktop painted by `seed` (each story its own
 * picture, so no two stories share an image file), long enough for one screenshot. Starts
 * well inside a slot: one that ended mid-way would split the time, and the scheduler takes
 * no screenshot in a slot's last seconds. Answers the slot's start.
 */
async function trackOneSlot(
  page: Page,
  contract: DiaryContract,
  memo: string,
  seed: number,
): Promise<number> {
  await desktop.paint(0, seed);
  await navLink(page, 'Time').click();
  await page.getByRole('heading', { level: 1, name: 'Time' }).waitFor();
  await page.getByRole('combobox', { name: 'Contract' }).click();
  await page.getByRole('option', { name: contract.title }).click({ timeout: 15_000 });
  await page.getByRole('textbox', { name: 'Memo' }).fill(memo);
  const leftInSlot = slotStart(Date.now()) + slotMs - Date.now();
  if (leftInSlot < 45_000) await page.waitForTimeout(leftInSlot + 1_000);
  const before = desktop.captures;
  const startedAt = Date.now();
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByText(`Tracking ${contract.title}`).waitFor();
  expect(await waitForCapture(desktop, before)).toBeGreaterThan(before);
  // Time for the capture to be encoded and recorded before the timer stops.
  await page.waitForTimeout(2_000);
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.getByText('No timer running').waitFor();
  return slotStart(startedAt);
}

/** The sha256 of the image file the freelancer's diary shows (her machine's `data:` URL). */
async function imageHash(image: Locator): Promise<string> {
  const src = (await image.getAttribute('src')) ?? '';
  const base64 = /^data:image\/[\w+.-]+;base64,(.*)$/s.exec(src)?.[1];
  if (base64 === undefined) throw new Error(`Not a local image: ${src.slice(0, 40)}`);
  return sha256(Buffer.from(base64, 'base64'));
}

/** Opens the full screenshot from its thumbnail, hashes it, and closes it again. */
async function fullImageHash(page: Page, thumbnail: Locator): Promise<string> {
  await thumbnail.click();
  const full = page.getByTestId('screenshot-full');
  await full.waitFor();
  const hash = await imageHash(full);
  await page.keyboard.press('Escape');
  await full.waitFor({ state: 'detached' });
  return hash;
}

/** The contract's one screenshot record on the server. */
async function screenshotOnServer(contractId: string) {
  const rows = await stage.server.db.kysely
    .selectFrom('screenshots')
    .select(['id', 'thumbnail_hash'])
    .where('contract_id', '=', contractId)
    .execute();
  expect(rows).toHaveLength(1);
  const [row] = rows;
  if (!row) throw new Error('No screenshot record on the server.');
  return row;
}

/** What `GET /blobs/:hash` answers someone. */
async function blobStatusFor(token: string, hash: string): Promise<number> {
  const answer = await client(stage.server.baseUrl).get(`/blobs/${hash}`, { token });
  return answer.status;
}

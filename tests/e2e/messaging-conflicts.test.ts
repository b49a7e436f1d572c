/**
 * Editing and deleting messages across devices, end to end: three app windows against one
 * real server (SQLite, HTTP, socket.io). Ada has two devices (desktop and laptop), Grace has
 * one; each is its own browser host (own profile and keychain entry) and its own browser
 * context (own IndexedDB).
 *
 * Both of Ada's devices edit the same message offline; the desktop's edit reaches the server
 * first, then the laptop's (made later) arrives as a conflict. RxDB's default handler (master
 * wins) would keep the desktop's text everywhere; the messages' merge handler keeps the later
 * edit, so every device and the server must end on the laptop's text. A message Ada deletes
 * while Grace is offline leaves Grace's window when she reconnects, and the server keeps its
 * tombstone.
 *
 * Needs `npx electron-vite build` first (out/renderer) and /usr/bin/chromium.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireDocument } from '../../shared/sync/documents.ts';
import type { Checkpoint } from '../../shared/sync/protocol.ts';
import { client } from '../support/http.ts';
import {
  composer,
  conversationRow,
  openMessages,
  snap,
  syncStatus,
  unexpectedErrors,
  type Device,
} from '../support/desktop-devices.ts';
import { castOf, e2eStage, type Stage } from '../support/e2e-stage.ts';

const { ada, grace } = castOf('conflicts', 'ada', 'grace');

/** Live delivery must feel live: a change shows on the other side within this. */
const liveMs = 5_000;

const original = 'The contract draft is ready: two milestones, paid on approval.';
const doomed = 'Ignore the invoice number I sent this morning.';
const desktopText = 'v-desktop';
const laptopText = 'v-laptop';

type Message = WireDocument<'messages'>;

let stage: Stage;
let adaDesktop: Device;
let adaLaptop: Device;
let graceDesk: Device;
let editedId: string;
let doomedId: string;

describe('editing and deleting messages across devices', () => {
  beforeAll(async () => {
    const started = await e2eStage({
      story: 'conflicts',
      people: [ada, grace],
      devices: [
        { label: 'Ada’s desktop', person: ada },
        { label: 'Ada’s laptop', person: ada },
        { label: 'Grace’s desk', person: grace },
      ],
    });
    [adaDesktop, adaLaptop, graceDesk] = started.devices;
    stage = started;
  });

  afterAll(() => stage?.close());

  it('Ada sends two messages and every device has them', async () => {
    const page = adaDesktop.page;
    await Promise.all([adaDesktop, adaLaptop, graceDesk].map(openMessages));
    await page.getByRole('button', { name: 'New conversation' }).click();
    const dialog = page.getByRole('dialog', { name: 'New conversation' });
    await dialog.getByRole('textbox', { name: 'Their email' }).fill(grace.email);
    await dialog.getByRole('button', { name: 'Start conversation' }).click();
    await dialog.waitFor({ state: 'detached' });
    for (const text of [original, doomed]) {
      await composer(page).fill(text);
      await composer(page).press('Enter');
      await bubble(page, text).waitFor();
    }
    editedId = await messageId(page, original);
    doomedId = await messageId(page, doomed);

    await conversationRow(adaLaptop.page, grace.name).click({ timeout: liveMs });
    await conversationRow(graceDesk.page, ada.name).click({ timeout: liveMs });
    for (const device of [adaLaptop, graceDesk]) {
      await byId(device.page, editedId).waitFor({ timeout: liveMs });
      await byId(device.page, doomedId).waitFor();
    }
    // Grace has the thread open: both are read, and Ada's devices say so.
    for (const device of [adaDesktop, adaLaptop]) {
      await expect.poll(() => status(device.page, editedId), { timeout: liveMs }).toBe('Read');
    }
  });

  it("gives Grace no way to edit Ada's message, and the server refuses it too", async () => {
    // Ada's own bubbles carry the actions; Grace's view of them does not, even on hover.
    expect(await actionsButton(byId(adaDesktop.page, editedId)).count()).toBe(1);
    const received = byId(graceDesk.page, editedId);
    await received.hover();
    expect(await actionsButton(received).count()).toBe(0);
    expect(await graceDesk.page.getByRole('button', { name: 'Message actions' }).count()).toBe(0);

    // Pushing an edit of it anyway (as a modified client would) is refused and changes nothing.
    const before = await serverMessage(grace.token, editedId);
    const at = new Date().toISOString();
    const push = await client(stage.server.baseUrl).post<unknown>('/sync/messages/push', {
      token: grace.token,
      json: [
        {
          newDocumentState: { ...before, body: 'Grace rewrote it', editedAt: at, updatedAt: at },
          assumedMasterState: before,
        },
      ],
    });
    expect(push.status).toBe(403);
    expect(await serverMessage(ada.token, editedId)).toEqual(before);
  });

  it('converges on the later edit when both of Ada’s devices edit offline', async () => {
    const desktop = adaDesktop.page;
    const laptop = adaLaptop.page;
    await Promise.all([adaDesktop.context.setOffline(true), adaLaptop.context.setOffline(true)]);
    await syncStatus(desktop, 'Offline').waitFor({ timeout: liveMs });
    await syncStatus(laptop, 'Offline').waitFor({ timeout: liveMs });

    // The desktop edits first (Enter saves); the edit waits on the device like a new message.
    await openEditor(desktop, editedId);
    await editor(desktop).fill(desktopText);
    await editor(desktop).press('Enter');
    await editor(desktop).waitFor({ state: 'detached' });
    expect(await body(desktop, editedId)).toBe(desktopText);
    expect(await edited(desktop, editedId)).toBe(true);
    expect(await status(desktop, editedId)).toBe('Waiting to send');
    // Focus goes back to the message's actions, for the keyboard.
    await expect
      .poll(() => desktop.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Message actions');

    // The laptop: Esc leaves the text alone; then an edit a moment later, saved by button.
    await laptop.waitForTimeout(50);
    await openEditor(laptop, editedId);
    await editor(laptop).fill('scrap this');
    await editor(laptop).press('Escape');
    await editor(laptop).waitFor({ state: 'detached' });
    expect(await body(laptop, editedId)).toBe(original);
    expect(await edited(laptop, editedId)).toBe(false);
    expect(await status(laptop, editedId)).toBe('Read');
    await openEditor(laptop, editedId);
    await editor(laptop).fill(laptopText);
    await laptop.getByRole('button', { name: 'Save', exact: true }).click();
    await editor(laptop).waitFor({ state: 'detached' });
    expect(await body(laptop, editedId)).toBe(laptopText);
    expect(await status(laptop, editedId)).toBe('Waiting to send');

    // The desktop reconnects first: its edit is what the server holds, and Grace sees it live.
    await adaDesktop.context.setOffline(false);
    await syncStatus(desktop, 'Online').waitFor({ timeout: 15_000 });
    await expect.poll(() => status(desktop, editedId), { timeout: liveMs }).toBe('Read');
    const fromDesktop = await serverMessage(ada.token, editedId);
    expect(fromDesktop.body).toBe(desktopText);
    expect(fromDesktop.editedAt).not.toBe(null);
    await expect.poll(() => body(graceDesk.page, editedId), { timeout: liveMs }).toBe(desktopText);

    // The laptop reconnects: its push conflicts with the desktop's edit, the merge keeps the
    // later edit, and every device follows.
    await adaLaptop.context.setOffline(false);
    await syncStatus(laptop, 'Online').waitFor({ timeout: 15_000 });
    for (const device of [adaLaptop, adaDesktop, graceDesk]) {
      await expect
        .poll(() => body(device.page, editedId), { timeout: liveMs, message: device.label })
        .toBe(laptopText);
      expect(await edited(device.page, editedId), device.label).toBe(true);
      expect(await bubble(device.page, desktopText).count(), device.label).toBe(0);
      expect(await thread(device.page).getByRole('article').count(), device.label).toBe(2);
    }
    for (const device of [adaLaptop, adaDesktop]) {
      await expect
        .poll(() => status(device.page, editedId), { timeout: liveMs, message: device.label })
        .toBe('Read');
    }

    const converged = await serverMessage(ada.token, editedId);
    expect(converged).toMatchObject({ body: laptopText, _deleted: false });
    expect((converged.editedAt ?? '') > (fromDesktop.editedAt ?? '~')).toBe(true);
    // Grace's pull agrees with Ada's: one master copy.
    expect(await serverMessage(grace.token, editedId)).toEqual(converged);

    // For people to look at: the edited message under the pointer, its actions showing.
    await desktop.evaluate(() => {
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    });
    await byId(desktop, editedId).hover();
    await snap(desktop, 'messages-edited.png');
  });

  it('removes a message Ada deletes while Grace is offline from every device', async () => {
    const desktop = adaDesktop.page;
    const gracePage = graceDesk.page;
    await graceDesk.context.setOffline(true);
    await syncStatus(gracePage, 'Offline').waitFor({ timeout: liveMs });

    // Deleting asks first; cancelling keeps the message.
    await openActions(desktop, doomedId);
    await desktop.getByRole('menuitem', { name: 'Delete' }).click();
    let confirm = desktop.getByRole('dialog', { name: 'Delete message?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await byId(desktop, doomedId).count()).toBe(1);

    await openActions(desktop, doomedId);
    await desktop.getByRole('menuitem', { name: 'Delete' }).click();
    confirm = desktop.getByRole('dialog', { name: 'Delete message?' });
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });
    await byId(desktop, doomedId).waitFor({ state: 'detached' });
    await byId(adaLaptop.page, doomedId).waitFor({ state: 'detached', timeout: liveMs });

    // The server keeps a tombstone; Grace, offline, still shows the message.
    await expect
      .poll(async () => (await serverMessage(ada.token, doomedId))._deleted, { timeout: liveMs })
      .toBe(true);
    expect(await byId(gracePage, doomedId).count()).toBe(1);

    await graceDesk.context.setOffline(false);
    await syncStatus(gracePage, 'Online').waitFor({ timeout: 15_000 });
    await byId(gracePage, doomedId).waitFor({ state: 'detached', timeout: liveMs });
    for (const device of [adaDesktop, adaLaptop, graceDesk]) {
      expect(await bubble(device.page, doomed).count(), device.label).toBe(0);
      expect(await body(device.page, editedId), device.label).toBe(laptopText);
    }
    expect(await serverMessage(grace.token, doomedId)).toMatchObject({
      _deleted: true,
      senderId: (await serverMessage(ada.token, editedId)).senderId,
    });
  });

  it('logged no unexpected errors in any window', () => {
    // Offline on purpose: refused connections while a context is offline.
    const expected = [
      /ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|ERR_CONNECTION_REFUSED/,
      /WebSocket connection to .* failed/,
    ];
    expect(unexpectedErrors(stage.devices, expected)).toEqual([]);
  });
});

function thread(page: Page): Locator {
  return page.getByRole('log', { name: /^Messages with / });
}

function bubble(page: Page, text: string): Locator {
  return thread(page).getByRole('article').filter({ hasText: text });
}

/** A message's bubble by its document id: it keeps its id whatever its text becomes. */
function byId(page: Page, id: string): Locator {
  return thread(page).locator(`article[data-message-id="${id}"]`);
}

async function messageId(page: Page, text: string): Promise<string> {
  const id = await bubble(page, text).getAttribute('data-message-id');
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return id ?? '';
}

function actionsButton(scope: Locator): Locator {
  return scope.getByRole('button', { name: 'Message actions' });
}

async function openActions(page: Page, id: string) {
  const message = byId(page, id);
  await message.hover();
  await actionsButton(message).click();
}

async function openEditor(page: Page, id: string) {
  await openActions(page, id);
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  await editor(page).waitFor();
  // The editor starts with the text as it is, focused.
  await expect.poll(() => editor(page).evaluate((el) => el === document.activeElement)).toBe(true);
}

function editor(page: Page): Locator {
  return page.getByRole('textbox', { name: 'Edit message' });
}

async function body(page: Page, id: string): Promise<string | null> {
  const text = byId(page, id).getByTestId('message-body');
  if ((await text.count()) === 0) return null;
  return text.textContent();
}

async function edited(page: Page, id: string): Promise<boolean> {
  const mark = byId(page, id).getByTestId('message-edited');
  return (await mark.count()) === 1 && (await mark.textContent()) === '(edited)';
}

/** The receipt line under one of my own messages: Waiting to send, Sent, Delivered, Read. */
async function status(page: Page, id: string): Promise<string | null> {
  const mark = byId(page, id).getByTestId('message-status');
  if ((await mark.count()) === 0) return null;
  return (await mark.textContent())?.trim() ?? null;
}

/** One message as the server holds it, from a pull over HTTP (tombstones included). */
async function serverMessage(token: string, id: string): Promise<Message> {
  const api = client(stage.server.baseUrl);
  let checkpoint: Checkpoint | null = null;
  let found: Message | undefined;
  for (;;) {
    const query: string = checkpoint
      ? `&checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}`
      : '';
    const answer = await api.get<{ documents: Message[]; checkpoint: Checkpoint | null }>(
      `/sync/messages/pull?limit=1000${query}`,
      { token },
    );
    expect(answer.status).toBe(200);
    if (answer.body.documents.length === 0) break;
    found = answer.body.documents.find((doc) => doc.id === id) ?? found;
    checkpoint = answer.body.checkpoint;
  }
  if (!found) throw new Error(`The server has no message ${id}`);
  return found;
}

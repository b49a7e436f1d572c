/**
 * Accounts, end to end: the built renderer in Debian's Chromium, served by the browser host
 * (the same IPC handlers and session service Electron uses), talking to a real server on
 * SQLite. A second device signs in over plain HTTP, the way another machine would.
 *
 * Needs `npx electron-vite build` first (out/renderer) and /usr/bin/chromium.
 */
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResult, Session } from '../../shared/accounts/auth.ts';
import type { User } from '../../shared/accounts/user.ts';
import type { Problem } from '../../shared/api/problem.ts';
import { problemTypes } from '../../shared/api/problem.ts';
import { startBrowserHost, type BrowserHost } from '../../src-main/browser-host/host.ts';
import type { IpcHandlers } from '../../src-main/ipc/handlers.ts';
import { openKeychain, type Keychain } from '../../src-main/keychain/keychain.ts';
import { silentLog } from '../../src-main/log.ts';
import { createMainServices } from '../../src-main/services.ts';
import { keychainAccount } from '../../src-main/session/session-service.ts';
import { client } from '../support/http.ts';
import { launchChromium } from '../support/chromium.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const root = resolve(import.meta.dirname, '../..');
const rendererDir = resolve(root, 'out/renderer');
const screenshotDir = resolve(root, 'test-results/e2e');

/** Short enough that the story outlives its access tokens, so renewals really happen. */
const accessTokenTtlSeconds = 10;

const ada = {
  name: 'Ada Lovelace',
  email: `ada.${Date.now()}@example.com`,
  password: 'analytical engine 1843',
};
const thisDeviceName = 'E2E workstation';

let server: TestServer;
let host: BrowserHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let keychain: Keychain;
let refreshCalls = 0;
const pageErrors: string[] = [];

describe('accounts in the desktop UI', () => {
  beforeAll(async () => {
    await mkdir(screenshotDir, { recursive: true });

    // The server's CORS must know the host's origin before either exists: fix the port first.
    const hostPort = await freePort();
    const hostOrigin = `http://127.0.0.1:${hostPort}`;
    server = await startTestServer({
      appOrigins: [hostOrigin],
      env: { ACCESS_TOKEN_TTL_SECONDS: String(accessTokenTtlSeconds) },
    });

    // The OS keychain when one answers (npm test runs a private gnome-keyring), under a service
    // name of this run's own; otherwise memory, which outlives page reloads and host restarts
    // here because the test keeps the object, as the OS keychain outlives app restarts.
    keychain = await openKeychain({
      service: `MegiLance-e2e-${process.pid}`,
      log: silentLog,
      probeTimeoutMs: 3_000,
    });
    host = await startHost(hostPort);
    expect(host.url).toBe(hostOrigin);

    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
      locale: 'en-GB',
      timezoneId: 'Europe/London',
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await host?.close();
    if (keychain && server) await keychain.delete(keychainAccount('e2e', server.baseUrl));
    await server?.close();
  });

  it('sends a newcomer to sign in, and signs up a freelancer into the shell', async () => {
    await page.goto(`${host.url}/`);
    await expect.poll(() => page.url()).toContain('#/sign-in');
    await page.getByRole('link', { name: 'Create an account' }).click();

    await page.getByRole('radio', { name: /^Freelancer/ }).click();
    await field('Full name').fill(ada.name);
    await field('Email').fill(ada.email);
    await field('Password').fill(ada.password);
    await page.getByRole('button', { name: 'Create account' }).click();

    const header = page.getByRole('banner');
    await header.getByText(ada.name).waitFor();
    await header.getByText('Freelancer').waitFor();
    await page.getByRole('heading', { level: 1, name: /, Ada$/ }).waitFor();
    // Without an OS keychain the session cannot outlive a restart: the UI says so, discreetly.
    const notice = header.getByText('Not saved after restart');
    if (keychain.kind === 'memory') await notice.waitFor();
    else expect(await notice.count()).toBe(0);
    await snap('shell-light.png');
  });

  it('signs out, refuses a duplicate email on its field and a wrong password readably', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('radio', { name: /^Client/ }).click();
    await field('Full name').fill('Someone Else');
    await field('Email').fill(ada.email.toUpperCase());
    await field('Password').fill('another long password');
    await page.getByRole('button', { name: 'Create account' }).click();
    const email = field('Email');
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    const emailError = page.locator(
      `[id="${describedBy.split(' ').find((id) => id.endsWith('error'))}"]`,
    );
    expect(await emailError.textContent()).toMatch(/already exists/);
    await snap('sign-up-duplicate.png');

    await page.getByRole('link', { name: 'Sign in' }).click();
    await field('Email').fill(ada.email);
    await field('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Email or password is incorrect.' });
    await alert.waitFor();
    await snap('sign-in-wrong-password.png');
  });

  it('signs in and every area of the shell answers honestly', async () => {
    await field('Password').fill(ada.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('banner').getByText(ada.name).waitFor();

    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    // Invoices and the wallet are built: a new freelancer has issued nothing, earned nothing.
    await nav.getByRole('link', { name: 'Invoices' }).click();
    await page.getByRole('heading', { level: 1, name: 'Invoices' }).waitFor();
    await page.getByText('You have not issued an invoice yet.').waitFor();
    expect(page.url()).toContain('#/invoices');
    await nav.getByRole('link', { name: 'Wallet' }).click();
    await page.getByRole('heading', { level: 1, name: 'Wallet' }).waitFor();
    await page.getByText('No money has moved on your contracts yet.').waitFor();
    expect(page.url()).toContain('#/wallet');
    // Time is built: with no contract yet, it says what time is tracked against.
    await nav.getByRole('link', { name: 'Time' }).click();
    await page.getByRole('heading', { level: 1, name: 'Time' }).waitFor();
    await page.getByText('You have no contracts as a freelancer yet.').waitFor();
    expect(page.url()).toContain('#/time');
    await snap('time-no-contracts.png');
    // Contracts is built: a new account has none yet, and the page says how one starts.
    await nav.getByRole('link', { name: 'Contracts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contracts' }).waitFor();
    await page.getByText('No contracts yet').waitFor();
    expect(page.url()).toContain('#/contracts');
    // The Marketplace is built: its home is the category tree (empty on a fresh server).
    await nav.getByRole('link', { name: 'Marketplace' }).click();
    await page.getByRole('heading', { level: 1, name: 'Marketplace' }).waitFor();
    await page.getByText('No categories yet. An administrator sets them up.').waitFor();
    expect(page.url()).toContain('#/marketplace');
    // Messages is built: its link carries the unread count, its page a way to start talking.
    await nav.getByRole('link', { name: /^Messages/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Messages' }).waitFor();
    await page.getByRole('button', { name: 'New conversation' }).waitFor();
    await nav.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(page.url()).toContain('#/settings/profile');
    await nav.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: /, Ada$/ }).waitFor();
  });

  it('saves the profile, with the hourly rate as exact money', async () => {
    await page.getByRole('link', { name: 'Edit profile' }).click();
    await field('Headline').fill('Mathematician and first programmer');
    await field('Hourly rate').fill('85.50');
    await page.getByRole('combobox', { name: 'Currency' }).click();
    await page.getByRole('combobox', { name: 'Currency' }).fill('EUR');
    await page.getByRole('option', { name: /^EUR/ }).click();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved').waitFor();
    await snap('profile.png');
    await page.getByRole('alert').filter({ hasText: 'Profile saved' }).getByRole('button').click();

    const me = await client(server.baseUrl).post<AuthResult>('/auth/login', {
      json: { email: ada.email, password: ada.password, deviceName: 'Profile check' },
    });
    const profile = await client(server.baseUrl).get<User>('/auth/me', {
      token: me.body.accessToken,
    });
    expect(profile.body.headline).toBe('Mathematician and first programmer');
    expect(profile.body.hourlyRate).toEqual({ amountMinor: 8550, currency: 'EUR' });
    await client(server.baseUrl).post('/auth/logout', { token: me.body.accessToken, json: {} });

    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Dashboard' })
      .click();
    await page.getByText('€85.50 / hour').waitFor();
  });

  let laptop: AuthResult;

  it('lists a second device, revokes it, and the server refuses that device afterwards', async () => {
    const api = client(server.baseUrl);
    const login = await api.post<AuthResult>('/auth/login', {
      json: { email: ada.email, password: ada.password, deviceName: 'Work laptop' },
    });
    expect(login.status).toBe(200);
    laptop = login.body;

    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Settings' })
      .click();
    await page.getByRole('tab', { name: 'Sessions' }).click();
    expect(page.url()).toContain('#/settings/sessions');
    const table = page.getByRole('table', { name: 'Signed-in devices' });
    const laptopRow = table.getByRole('row').filter({ hasText: 'Work laptop' });
    const thisRow = table.getByRole('row').filter({ hasText: thisDeviceName });
    await laptopRow.waitFor();
    await thisRow.getByText('This device').waitFor();
    expect(await thisRow.getByRole('button', { name: /Revoke/ }).count()).toBe(0);
    await snap('sessions.png');

    await laptopRow.getByRole('button', { name: 'Revoke Work laptop' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke Work laptop?' });
    await dialog.getByRole('button', { name: 'Revoke session' }).click();
    await laptopRow.waitFor({ state: 'detached' });
    await thisRow.waitFor();

    const sessions = await api.get<Session[]>('/auth/sessions', { token: laptop.accessToken });
    expect(sessions.status).toBe(401);
    const refused = await api.post<Problem>('/auth/refresh', {
      json: { refreshToken: laptop.refreshToken },
    });
    expect(refused.status).toBe(401);
    expect(refused.body.type).toBe(problemTypes.sessionRevoked);
  });

  it('renews an expired access token without bothering the user', async () => {
    const before = refreshCalls;
    await page.waitForTimeout((accessTokenTtlSeconds + 1) * 1000);
    await page.getByRole('button', { name: 'Refresh sessions' }).click();
    const table = page.getByRole('table', { name: 'Signed-in devices' });
    await table.getByRole('row').filter({ hasText: thisDeviceName }).waitFor();
    await expect.poll(() => refreshCalls).toBeGreaterThan(before);
    await page.getByRole('banner').getByText(ada.name).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('stays signed in when the app restarts (restored from the keychain), deep-linked to a tab', async () => {
    // A restart: new main-process services and host; only the keychain carries over.
    await host.close();
    host = await startHost(new URL(host.url).port);
    await page.goto(`${host.url}/#/settings/sessions`);
    await page.reload();
    await page.getByRole('banner').getByText(ada.name).waitFor();
    const sessionsTab = page.getByRole('tab', { name: 'Sessions' });
    await expect.poll(() => sessionsTab.getAttribute('aria-selected')).toBe('true');
    await page.getByRole('table', { name: 'Signed-in devices' }).getByText('This device').waitFor();
  });

  it('changes the password; the old one stops working', async () => {
    await page.getByRole('tab', { name: 'Password' }).click();
    await field('Current password').fill('wrong current password');
    await field('New password').fill('difference engine 1822');
    await field('Repeat the new password').fill('difference engine 1822');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('This is not your current password').waitFor();

    await field('Current password').fill(ada.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed').waitFor();

    const api = client(server.baseUrl);
    const old = await api.post('/auth/login', {
      json: { email: ada.email, password: ada.password },
    });
    expect(old.status).toBe(401);
    ada.password = 'difference engine 1822';
    // This device stayed signed in.
    await page.getByRole('banner').getByText(ada.name).waitFor();
  });

  it('switches to dark mode and remembers it', async () => {
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Dashboard' })
      .click();
    await page.getByRole('button', { name: /^Colour scheme/ }).click();
    await page.getByRole('menuitem', { name: 'Dark' }).click();
    const html = page.locator('html');
    await expect.poll(() => html.getAttribute('data-mantine-color-scheme')).toBe('dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(luminance(background)).toBeLessThan(0.2);
    await page.mouse.move(0, 0);
    await snap('shell-dark.png');

    await page.reload();
    await page.getByRole('banner').getByText(ada.name).waitFor();
    expect(await html.getAttribute('data-mantine-color-scheme')).toBe('dark');
  });

  it('is signed out at once, with the reason, when another device ends this session', async () => {
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Sessions' }).click();

    const api = client(server.baseUrl);
    const phone = await api.post<AuthResult>('/auth/login', {
      json: { email: ada.email, password: ada.password, deviceName: 'Phone' },
    });
    const revokedOthers = await api.post<{ revoked: number }>('/auth/sessions/revoke-others', {
      token: phone.body.accessToken,
    });
    expect(revokedOthers.body.revoked).toBeGreaterThanOrEqual(1);

    // No click needed: the server closes the live connection of the ended session.
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 5_000 });
    await page.getByText('This device was signed out. Sign in again to continue.').waitFor();
    await snap('signed-out-elsewhere.png');

    // The dead session is gone from the keychain too: a reload does not bring it back.
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // Signing in again returns to where the session ended.
    await field('Email').fill(ada.email);
    await field('Password').fill(ada.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Sessions', selected: true }).waitFor();
  });

  it('logged no errors in the page', () => {
    // Chromium logs every refused request; the story provokes 401 (wrong password, expired
    // token, revoked session), 403 (wrong current password) and 409 (duplicate email).
    const expected =
      /^Failed to load resource: the server responded with a status of (401|403|409)\b/;
    const unexpected = pageErrors.filter((text) => !expected.test(text));
    expect(unexpected).toEqual([]);
  });
});

/** The desktop side as the app wires it, over whatever keychain this run has. */
async function startHost(port: number | string): Promise<BrowserHost> {
  const services = await createMainServices({
    config: { serverUrl: server.baseUrl, profile: 'e2e', version: 'e2e' },
    host: 'browser',
    log: silentLog,
    keychain,
    deviceName: thisDeviceName,
  });
  const handlers: IpcHandlers = {
    ...services.handlers,
    'session.refresh': (input) => {
      refreshCalls += 1;
      return services.handlers['session.refresh'](input);
    },
  };
  return startBrowserHost({ rendererDir, port: Number(port), handlers, log: silentLog });
}

/** An artifact for people to look at; transitions are fast-forwarded so nothing is caught mid-fade. */
function snap(name: string) {
  return page.screenshot({ path: join(screenshotDir, name), animations: 'disabled' });
}

/** Inputs by accessible name; Playwright's getByLabel would also read the hidden "*". */
function field(name: string) {
  return page.getByRole('textbox', { name, exact: true });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/** Relative luminance (0 black … 1 white) of a CSS `rgb(r, g, b)` colour. */
function luminance(rgb: string): number {
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

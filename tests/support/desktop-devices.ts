import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startBrowserHost, type BrowserHost } from '../../src-main/browser-host/host.ts';
import { openKeychain, type Keychain } from '../../src-main/keychain/keychain.ts';
import { silentLog } from '../../src-main/log.ts';
import { createMainServices, type MainServicesOptions } from '../../src-main/services.ts';
import { keychainAccount } from '../../src-main/session/session-service.ts';

/**
 * "Devices" for the browser suites: the desktop's main-process services behind a browser host
 * (own profile, so its own keychain entry) and a browser context of their own (own IndexedDB).
 */
const root = resolve(import.meta.dirname, '../..');
export const rendererDir = resolve(root, 'out/renderer');
export const screenshotDir = resolve(root, 'test-results/e2e');

export type Device = {
  label: string;
  profile: string;
  host: BrowserHost;
  context: BrowserContext;
  page: Page;
  /** Every page error and console error, for the "no unexpected errors" check. */
  errors: string[];
};

/** OS capabilities a story gives a device's main process (a clock, a screen to capture …). */
export type DeviceServices = Pick<
  MainServicesOptions,
  'clock' | 'capture' | 'screenshots' | 'idle'
>;

export async function startDevice(
  world: { serverUrl: string; keychain: Keychain; browser: Browser },
  label: string,
  profile: string,
  port: number,
  extra: DeviceServices = {},
): Promise<Device> {
  const services = await createMainServices({
    config: { serverUrl: world.serverUrl, profile, version: 'e2e' },
    host: 'browser',
    log: silentLog,
    keychain: world.keychain,
    deviceName: label,
    ...extra,
  });
  const host = await startBrowserHost({
    rendererDir,
    port,
    handlers: services.handlers,
    log: silentLog,
  });
  const context = await world.browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return { label, profile, host, context, page, errors };
}

export async function signIn(
  device: Device,
  person: { email: string; password: string; name: string },
) {
  const { page } = device;
  await page.goto(`${device.host.url}/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(person.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('banner').getByText(person.name).waitFor();
}

export function navLink(page: Page, name: string): Locator {
  return page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: new RegExp(`^${name}`) });
}

export async function openMessages(device: Device) {
  await navLink(device.page, 'Messages').click();
  await device.page.getByRole('heading', { level: 1, name: 'Messages' }).waitFor();
}

export function conversationRow(page: Page, name: string): Locator {
  return page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('link', { name: new RegExp(name) });
}

export function composer(page: Page): Locator {
  return page.getByRole('textbox', { name: 'Message', exact: true });
}

export function syncStatus(page: Page, state: string): Locator {
  return page
    .getByRole('banner')
    .getByRole('button', { name: new RegExp(`^Sync status: ${state}`) });
}

/** Opens a Mantine select, narrows it by typing, and picks the option. */
export async function pick(page: Page, input: Locator, typed: string, option: RegExp) {
  await input.click();
  await input.fill(typed);
  await page.getByRole('option', { name: option }).first().click();
}

/** The error message a field is described by, as assistive technology would announce it. */
export async function fieldError(input: Locator): Promise<string | null> {
  if ((await input.getAttribute('aria-invalid')) !== 'true') return null;
  const ids = (await input.getAttribute('aria-describedby'))?.split(/\s+/) ?? [];
  for (const id of ids) {
    const element = input.page().locator(`[id="${id}"]`);
    if ((await element.count()) && (await element.getAttribute('class'))?.includes('error')) {
      return (await element.textContent())?.trim() ?? null;
    }
  }
  return null;
}

/** Each window's page and console errors that no `expected` pattern accounts for, by window. */
export function unexpectedErrors(
  devices: readonly Device[],
  expected: readonly RegExp[],
): string[] {
  return devices.flatMap((device) =>
    device.errors
      .filter((text) => !expected.some((pattern) => pattern.test(text)))
      .map((text) => `${device.label}: ${text}`),
  );
}

export function snap(page: Page, name: string) {
  return page.screenshot({ path: join(screenshotDir, name), animations: 'disabled' });
}

/**
 * The OS keychain when one answers (npm test runs a private gnome-keyring), under a service
 * name of this story's own; otherwise memory.
 */
export function storyKeychain(story: string): Promise<Keychain> {
  return openKeychain({
    service: `MegiLance-e2e-${story}-${process.pid}`,
    log: silentLog,
    probeTimeoutMs: 3_000,
  });
}

/** Closes each device and removes the sign-in it left in the keychain. */
export async function closeDevices(
  devices: ReadonlyArray<Device | undefined>,
  keychain: Keychain | undefined,
  serverUrl: string | undefined,
) {
  for (const device of devices) {
    await device?.context.close();
    await device?.host.close();
    if (device && keychain && serverUrl)
      await keychain.delete(keychainAccount(device.profile, serverUrl));
  }
}

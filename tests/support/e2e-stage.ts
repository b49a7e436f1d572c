import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import type { AuthResult } from '../../shared/accounts/auth.ts';
import type { Keychain } from '../../src-main/keychain/keychain.ts';
import { launchChromium } from './chromium.ts';
import {
  closeDevices,
  screenshotDir,
  signIn,
  startDevice,
  storyKeychain,
  type Device,
  type DeviceServices,
} from './desktop-devices.ts';
import { client } from './http.ts';
import { freePort } from './ports.ts';
import { startTestServer, type Dialect, type TestServer } from './test-server.ts';

/**
 * The end-to-end stories' cast and stage: the same people in every story (each story with
 * emails of its own), a real server, and each person's app windows (a browser host with its
 * own profile and keychain entry, a browser context with its own IndexedDB), signed in.
 */

/** Someone of the cast; `id` and `token` are theirs once the stage has signed them up. */
export type Person = {
  name: string;
  email: string;
  password: string;
  role: 'client' | 'freelancer';
  id: string;
  /** An access token from signing up, for looking at what the server holds. */
  token: string;
};

type CastName = 'ada' | 'grace' | 'katherine' | 'dorothy';

const cast: Record<CastName, Pick<Person, 'name' | 'password' | 'role'>> = {
  ada: { name: 'Ada Lovelace', password: 'analytical engine 1843', role: 'freelancer' },
  grace: { name: 'Grace Hopper', password: 'compiler pioneer 1952', role: 'client' },
  katherine: {
    name: 'Katherine Johnson',
    password: 'trajectories by hand 1961',
    role: 'freelancer',
  },
  dorothy: { name: 'Dorothy Vaughan', password: 'fortran for the section 1961', role: 'client' },
};

const stamp = Date.now();

/** An address no other story (or earlier run) uses: `ada.marketplace.1700000000000@example.com`. */
export const storyEmail = (local: string, story: string) =>
  `${local}.${story}.${stamp}@example.com`;

/** The cast of a story, with emails of its own; the stage fills in `id` and `token`. */
export function castOf<N extends CastName>(story: string, ...names: N[]): Record<N, Person> {
  const people = {} as Record<N, Person>;
  for (const name of names) {
    people[name] = { ...cast[name], email: storyEmail(name, story), id: '', token: '' };
  }
  return people;
}

type DeviceSpec = { label: string; person: Person; services?: DeviceServices };

export type Stage<D extends readonly DeviceSpec[] = readonly DeviceSpec[]> = {
  server: TestServer;
  keychain: Keychain;
  browser: Browser;
  /** The windows asked for, in the order asked, each signed in as its person. */
  devices: { -readonly [K in keyof D]: Device };
  /** Stops the server mid-story (to show what works offline); `close` then leaves it. */
  stopServer: () => Promise<void>;
  /** Closes the windows (and their keychain entries), the browser and the server. */
  close: () => Promise<void>;
};

/**
 * Starts a story: a server (SQLite unless told), the people signed up over the API, then
 * `prepare` (what the story starts from), then one window per device, all signed in. What
 * has started is closed again if a step fails.
 */
export async function e2eStage<const D extends readonly DeviceSpec[]>(options: {
  /** Names the keychain service and the windows' profiles. */
  story: string;
  dialect?: Dialect;
  people: Person[];
  devices: D;
  prepare?: (server: TestServer) => Promise<unknown>;
  /** Confirm the people's email addresses (default); false leaves them to the story. */
  verifyEmails?: boolean;
}): Promise<Stage<D>> {
  await mkdir(screenshotDir, { recursive: true });
  const ports: number[] = [];
  while (ports.length < options.devices.length) ports.push(await freePort());
  const server = await startTestServer({
    dialect: options.dialect,
    appOrigins: ports.map((port) => `http://127.0.0.1:${port}`),
  });
  let serverStopped = false;
  let keychain: Keychain | undefined;
  let browser: Browser | undefined;
  const devices: Device[] = [];
  const close = async () => {
    await closeDevices(devices, keychain, server.baseUrl);
    await browser?.close();
    if (!serverStopped) await server.close();
  };
  try {
    const api = client(server.baseUrl);
    for (const person of options.people) {
      const { name, email, password, role } = person;
      const registered = await api.post<AuthResult>('/auth/register', {
        json: { name, email, password, role, deviceName: 'Setup' },
      });
      if (registered.status !== 201) {
        throw new Error(`${name} could not sign up: ${JSON.stringify(registered.body)}`);
      }
      person.id = registered.body.user.id;
      person.token = registered.body.accessToken;
      // Confirmed as after following the mailed link, unless the story is about confirming.
      if (options.verifyEmails ?? true) {
        await server.db.kysely
          .updateTable('users')
          .set({ email_verified_at: new Date().toISOString() })
          .where('id', '=', person.id)
          .execute();
      }
    }
    await options.prepare?.(server);
    keychain = await storyKeychain(options.story);
    browser = await launchChromium();
    const world = { serverUrl: server.baseUrl, keychain, browser };
    const started = await Promise.allSettled(
      options.devices.map(({ label, services }, index) =>
        startDevice(world, label, `e2e-${options.story}-${index + 1}`, ports[index] ?? 0, services),
      ),
    );
    for (const outcome of started) if (outcome.status === 'fulfilled') devices.push(outcome.value);
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    await Promise.all(
      options.devices.map(({ person }, index) => {
        const device = devices[index];
        return device ? signIn(device, person) : Promise.reject(new Error('no device'));
      }),
    );
  } catch (error) {
    await close();
    throw error;
  }
  return {
    server,
    keychain,
    browser,
    // One device for each spec, in order: the tuple `D` describes.
    devices: devices as Stage<D>['devices'],
    stopServer: async () => {
      await server.close();
      serverStopped = true;
    },
    close,
  };
}

import { hostname } from 'node:os';
import type { AppInfo } from '../shared/ipc/contract.ts';
import type { DesktopConfig } from './config.ts';
import { createIpcHandlers, type IpcHandlers } from './ipc/handlers.ts';
import { keychainService, openKeychain, type Keychain } from './keychain/keychain.ts';
import type { Log } from './log.ts';
import { sessionAccessTokens } from './screenshots/access-tokens.ts';
import { unavailableScreenCapture, type ScreenCapture } from './screenshots/capture.ts';
import {
  createScreenshotHost,
  type ScreenshotHost,
  type ScreenshotHostOptions,
} from './screenshots/screenshot-host.ts';
import { createSessionService, type SessionService } from './session/session-service.ts';
import { defaultDataDir } from './data-dir.ts';
import {
  systemClock,
  unavailableIdleSource,
  type Clock,
  type IdleSource,
  type PowerEvents,
} from './tracker/capabilities.ts';
import { createTrackerHost, type TrackerHost } from './tracker/tracker-host.ts';

export interface MainServices {
  appInfo: AppInfo;
  keychain: Keychain;
  session: SessionService;
  tracker: TrackerHost;
  screenshots: ScreenshotHost;
  handlers: IpcHandlers;
}

export interface MainServicesOptions {
  config: DesktopConfig;
  host: AppInfo['host'];
  log: Log;
  /** Defaults to the OS keychain, or memory when it is unreachable. */
  keychain?: Keychain;
  deviceName?: string;
  /** Where per-user data (the tracker journals) lives. Electron passes `userData`. */
  dataDir?: string;
  /** Electron passes `powerMonitor.getSystemIdleTime()`; other hosts cannot know idleness. */
  idle?: IdleSource;
  power?: PowerEvents;
  clock?: Clock;
  /** Electron passes `desktopCapturer`; other hosts cannot capture and take no screenshots. */
  capture?: ScreenCapture;
  /** Screenshot timing and uploads, for tests (grace period, random moments, backoff). */
  screenshots?: Pick<ScreenshotHostOptions, 'graceMs' | 'random' | 'upload' | 'onCaptured'>;
}

/** The main-process services, wired the same way for Electron, the browser host and tests. */
export async function createMainServices(options: MainServicesOptions): Promise<MainServices> {
  const { config, log } = options;
  const keychain = options.keychain ?? (await openKeychain({ service: keychainService, log }));
  const session = createSessionService({
    serverUrl: config.serverUrl,
    keychain,
    deviceName: options.deviceName ?? `MegiLance on ${hostname()}`,
    profile: config.profile,
    log,
  });
  const appInfo: AppInfo = {
    host: options.host,
    version: config.version,
    platform: process.platform,
    serverUrl: config.serverUrl,
    keychain: keychain.kind,
  };
  const dataDir = options.dataDir ?? defaultDataDir();
  const clock = options.clock ?? systemClock;
  const capture = options.capture ?? unavailableScreenCapture;
  const tracker = createTrackerHost({
    dataDir,
    profile: config.profile,
    clock,
    idle: options.idle ?? unavailableIdleSource,
    ...(options.power ? { power: options.power } : {}),
    screenshotsAvailable: capture.available,
    log,
  });
  const tokens = sessionAccessTokens(session);
  const screenshots = createScreenshotHost({
    dataDir,
    profile: config.profile,
    clock,
    capture,
    tracker,
    serverUrl: config.serverUrl,
    tokens,
    ...options.screenshots,
    log,
  });
  return {
    appInfo,
    keychain,
    session,
    tracker,
    screenshots,
    handlers: createIpcHandlers({ session, appInfo, tracker, screenshots, tokens, log }),
  };
}

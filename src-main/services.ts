import { hostname } from 'node:os';
import type { AppInfo } from '../shared/ipc/contract.ts';
import type { DesktopConfig } from './config.ts';
import { createIpcHandlers, type IpcHandlers } from './ipc/handlers.ts';
import { keychainService, openKeychain, type Keychain } from './keychain/keychain.ts';
import type { Log } from './log.ts';
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
  const tracker = createTrackerHost({
    dataDir: options.dataDir ?? defaultDataDir(),
    profile: config.profile,
    clock: options.clock ?? systemClock,
    idle: options.idle ?? unavailableIdleSource,
    ...(options.power ? { power: options.power } : {}),
    log,
  });
  return {
    appInfo,
    keychain,
    session,
    tracker,
    handlers: createIpcHandlers({ session, appInfo, tracker, log }),
  };
}

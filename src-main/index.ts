/**
 * Electron main process: thin glue over the plain-Node services in this folder. Security
 * follows the Electron checklist deny-by-default from the first window (see security.ts,
 * window.ts, app-protocol.ts, ipc/register.ts).
 */
import {
  app,
  BrowserWindow,
  desktopCapturer,
  dialog,
  powerMonitor,
  screen,
  session,
} from 'electron';
import { join } from 'node:path';
import { registerAppScheme, serveAppProtocol } from './app-protocol.ts';
import { loadDesktopConfig } from './config.ts';
import { startElectronDesktop } from './desktop/electron-desktop.ts';
import { registerIpcHandlers } from './ipc/register.ts';
import { consoleLog } from './log.ts';
import { hardenSession, hardenWebContents } from './security.ts';
import { electronScreenCapture } from './screenshots/electron-capture.ts';
import { createMainServices } from './services.ts';
import { createPowerEventHub } from './tracker/capabilities.ts';
import { createMainWindow } from './window.ts';

const log = consoleLog;
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');
const rendererDir = join(import.meta.dirname, '../renderer');

// Both must happen before `ready`. Checklist #4: every renderer sandboxed, not just ours.
app.enableSandbox();
registerAppScheme();

// A second copy would fight over the time tracker and the keychain entry: hand over and leave.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start().catch((error: unknown) => {
    log.error('MegiLance could not start', error);
    dialog.showErrorBox(
      'MegiLance could not start',
      error instanceof Error ? error.message : String(error),
    );
    app.exit(1);
  });
}

async function start(): Promise<void> {
  const config = loadDesktopConfig();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));
  app.on('session-created', (created) => hardenSession(created, log));
  // With a tray icon the app (and a running timer) lives on with its window closed; the tray's
  // Quit ends it. Without one, closing the last window quits as before.
  let keptInTray = false;
  app.on('window-all-closed', () => {
    // macOS apps stay active without windows until the user quits explicitly.
    if (process.platform !== 'darwin' && !keptInTray) app.quit();
  });

  await app.whenReady();
  hardenSession(session.defaultSession, log);
  serveAppProtocol({ rendererDir, serverUrl: config.serverUrl });
  // The tracker's OS capabilities: powerMonitor's events and the system idle time.
  const power = createPowerEventHub();
  powerMonitor.on('suspend', () => power.emit('suspend'));
  powerMonitor.on('resume', () => power.emit('resume'));
  powerMonitor.on('lock-screen', () => power.emit('lock-screen'));
  powerMonitor.on('unlock-screen', () => power.emit('unlock-screen'));
  powerMonitor.on('shutdown', () => power.emit('shutdown'));
  const services = await createMainServices({
    config,
    host: 'electron',
    log,
    dataDir: app.getPath('userData'),
    idle: { available: true, idleSeconds: () => powerMonitor.getSystemIdleTime() },
    power,
    capture: electronScreenCapture({ desktopCapturer, screen }),
  });
  // Quitting the app stops a running timer there; a crash instead leaves it to recovery.
  app.on('will-quit', () => services.tracker.quit());
  registerIpcHandlers(services.handlers, log);
  log.info(`server ${config.serverUrl}, keychain ${services.keychain.kind}`);

  let mainWindow = createMainWindow({ preloadPath, log });
  const showMainWindow = () => {
    // A new window shows itself once painted (window.ts).
    if (mainWindow.isDestroyed()) mainWindow = createMainWindow({ preloadPath, log });
    else {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.show();
      mainWindow.focus();
    }
  };
  app.on('second-instance', showMainWindow);
  // Tray, start/stop shortcut, notifications, no-timer reminder (desktop/).
  const desktop = await startElectronDesktop({
    tracker: services.tracker,
    showWindow: showMainWindow,
    quit: () => app.quit(),
    log,
  });
  keptInTray = desktop.hasTray;
  app.on('will-quit', () => desktop.dispose());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) {
      mainWindow = createMainWindow({ preloadPath, log });
    }
  });
}

import { BrowserWindow, type BrowserWindowConstructorOptions, type WebPreferences } from 'electron';
import { appEntryUrl } from './app-origin.ts';
import type { Log } from './log.ts';

/** Every window of ours runs with these, the main window and the PDF child alike. */
const secureWebPreferences: WebPreferences = {
  // Checklist #3 "Enable context isolation".
  contextIsolation: true,
  // Checklist #4 "Enable process sandboxing".
  sandbox: true,
  // Checklist #2 "Do not enable Node.js integration for remote content".
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  // Checklist #6 "Do not disable webSecurity", #8 "Do not enable allowRunningInsecureContent",
  // #9 "Do not enable experimental features", #12 no <webview>.
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
};

export function createMainWindow(options: { preloadPath: string; log: Log }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'MegiLance',
    show: false, // shown when painted, so the user never sees a blank frame
    webPreferences: { preload: options.preloadPath, ...secureWebPreferences },
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(appEntryUrl).catch((error: unknown) => {
    options.log.error(`could not load ${appEntryUrl}`, error);
  });
  return window;
}

/**
 * A child window for a `blob:` document of our own UI (an invoice PDF to read or print; see
 * windows/window-open-policy.ts). No preload (Electron passes a child only the parent’s
 * security preferences): it gets no bridge to the main process. The one
 * difference from the main window is `plugins`, which Chromium's built-in PDF viewer needs.
 */
export const blobChildWindowOptions: BrowserWindowConstructorOptions = {
  width: 900,
  height: 1000,
  title: 'MegiLance',
  autoHideMenuBar: true,
  webPreferences: { ...secureWebPreferences, plugins: true },
};

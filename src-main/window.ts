import { BrowserWindow } from 'electron';
import { appEntryUrl } from './app-origin.ts';
import type { Log } from './log.ts';

export function createMainWindow(options: { preloadPath: string; log: Log }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'MegiLance',
    show: false, // shown when painted, so the user never sees a blank frame
    webPreferences: {
      preload: options.preloadPath,
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
    },
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(appEntryUrl).catch((error: unknown) => {
    options.log.error(`could not load ${appEntryUrl}`, error);
  });
  return window;
}

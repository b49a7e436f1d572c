import { shell, type Session, type WebContents } from 'electron';
import { appOrigin, isAppUrl, isSafeExternalUrl } from './app-origin.ts';
import type { Log } from './log.ts';
import { blobChildWindowOptions } from './window.ts';
import { windowOpenPolicy } from './windows/window-open-policy.ts';

/**
 * Deny-by-default rules for every session and web contents, citing the Electron security
 * checklist (https://www.electronjs.org/docs/latest/tutorial/security).
 */

/** Checklist #5 "Handle session permission requests from remote content": nothing is granted. */
export function hardenSession(session: Session, log: Log): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn(`security: denied the permission request "${permission}"`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** Applied to every web contents as it is created, so no window can be forgotten. */
export function hardenWebContents(contents: WebContents, log: Log): void {
  // Checklist #13 "Disable or limit navigation": only our own UI may load; http(s) links go
  // to the user's browser instead.
  const guardNavigation = (event: { preventDefault(): void; url: string }) => {
    if (isAppUrl(event.url)) return;
    // A child window opened by our UI may load our own blob (its PDF; see below).
    if (contents.opener !== null && windowOpenPolicy(event.url, appOrigin) === 'allow-child') {
      return;
    }
    event.preventDefault();
    openExternally(event.url, log);
  };
  contents.on('will-navigate', guardNavigation);
  contents.on('will-frame-navigate', guardNavigation);
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });

  // Checklist #14 "Disable or limit creation of new windows": the one window allowed is a
  // sandboxed child for a blob of our own origin (an invoice PDF), which the system browser
  // could not read; http(s) links go to the browser; the rest is refused.
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenPolicy(url, appOrigin);
    if (decision === 'allow-child') {
      return { action: 'allow', overrideBrowserWindowOptions: blobChildWindowOptions };
    }
    if (decision === 'external') openExternally(url, log);
    else log.warn(`security: refused to open ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });

  // Checklist #12 "Verify WebView options before creation": we use none, so none may attach.
  contents.on('will-attach-webview', (event) => {
    log.warn('security: refused to attach a <webview>');
    event.preventDefault();
  });
}

/** Checklist #15 "Do not use shell.openExternal with untrusted content". */
function openExternally(url: string, log: Log): void {
  if (!isSafeExternalUrl(url)) {
    log.warn(`security: refused to open ${url.slice(0, 200)}`);
    return;
  }
  shell.openExternal(url).catch((error: unknown) => log.error(`could not open ${url}`, error));
}

/**
 * Electron glue for the desktop integration: Tray + Menu, Notification, globalShortcut and
 * powerMonitor behind the interfaces of desktop-integration.ts. Thin on purpose: every
 * decision is made in plain Node, where tests run it.
 */
import {
  globalShortcut,
  Menu,
  nativeImage,
  Notification,
  powerMonitor,
  Tray,
  type MenuItemConstructorOptions,
  type NativeImage,
} from 'electron';
import type { Log } from '../log.ts';
import { systemClock } from '../tracker/capabilities.ts';
import {
  createDesktopIntegration,
  type DesktopIntegration,
  type Notifier,
  type TrayView,
} from './desktop-integration.ts';
import { loadDesktopSettings } from './desktop-settings.ts';
import type { DesktopTracker } from './timer-toggle.ts';
import { timerIconPngs } from './tray-icon.ts';
import type { TrayAction, TrayMenuItem } from './tray-model.ts';

export interface ElectronDesktopOptions {
  tracker: DesktopTracker;
  showWindow: () => void;
  quit: () => void;
  log: Log;
}

export async function startElectronDesktop(
  options: ElectronDesktopOptions,
): Promise<DesktopIntegration & { hasTray: boolean }> {
  const settings = loadDesktopSettings();
  let integration: DesktopIntegration | null = null;
  const onAction = (action: TrayAction) => integration?.act(action);
  const tray = await electronTray(onAction, options.log);
  integration = createDesktopIntegration({
    tracker: options.tracker,
    clock: systemClock,
    idle: { available: true, idleSeconds: () => powerMonitor.getSystemIdleTime() },
    notifier: electronNotifier(options.log),
    tray,
    shortcuts: {
      register: (accelerator, callback) => globalShortcut.register(accelerator, callback),
      unregister: (accelerator) => globalShortcut.unregister(accelerator),
    },
    accelerators: settings.accelerators,
    reminderAfterMs: settings.reminderAfterMs,
    platform: process.platform,
    showWindow: options.showWindow,
    quit: options.quit,
    log: options.log,
  });
  return Object.assign(integration, { hasTray: tray !== null });
}

async function electronTray(
  onAction: (action: TrayAction) => void,
  log: Log,
): Promise<TrayView | null> {
  let icons: { running: NativeImage; stopped: NativeImage };
  let tray: Tray;
  try {
    icons = { running: await icon(true), stopped: await icon(false) };
    tray = new Tray(icons.stopped);
  } catch (error) {
    // A desktop without a tray area: the window, shortcut and notifications still work.
    log.warn(`desktop: no tray icon (${String(error)})`);
    return null;
  }
  // Windows users expect a click on the icon to bring the app up; elsewhere it opens the menu.
  if (process.platform === 'win32') tray.on('click', () => onAction('open'));
  let shown = { running: false, tooltip: '', title: '', menu: '' };
  return {
    update(model) {
      if (model.running !== shown.running) {
        tray.setImage(model.running ? icons.running : icons.stopped);
      }
      if (model.tooltip !== shown.tooltip) tray.setToolTip(model.tooltip);
      if (process.platform === 'darwin' && model.title !== shown.title) tray.setTitle(model.title);
      // Rebuilt only when it changes: a menu replaced while open closes on some desktops.
      const menu = JSON.stringify(model.menu);
      if (menu !== shown.menu) {
        tray.setContextMenu(Menu.buildFromTemplate(model.menu.map((item) => menuItem(item))));
      }
      shown = { running: model.running, tooltip: model.tooltip, title: model.title, menu };
    },
    destroy: () => tray.destroy(),
  };

  function menuItem(item: TrayMenuItem): MenuItemConstructorOptions {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'label':
        return { label: item.label, enabled: false };
      case 'action':
        return {
          label: item.label,
          ...(item.accelerator
            ? { accelerator: item.accelerator, registerAccelerator: false }
            : {}),
          click: () => onAction(item.action),
        };
    }
  }
}

async function icon(running: boolean): Promise<NativeImage> {
  const [first, ...more] = await timerIconPngs(running);
  if (!first) throw new Error('no icon representation');
  const image = nativeImage.createFromBuffer(first.png, { scaleFactor: first.scaleFactor });
  for (const { png, scaleFactor } of more) image.addRepresentation({ scaleFactor, buffer: png });
  return image;
}

function electronNotifier(log: Log): Notifier {
  // Held until closed: a Notification that is garbage-collected loses its click handler.
  const live = new Set<Notification>();
  return {
    show({ title, body, silent }, onClick) {
      if (!Notification.isSupported()) {
        log.info(`desktop: notifications unsupported here; not shown: ${title}`);
        return;
      }
      const notification = new Notification({ title, body, silent: silent ?? false });
      live.add(notification);
      const release = () => live.delete(notification);
      notification.on('close', release);
      notification.on('failed', (_event, error) => {
        release();
        log.warn(`desktop: a notification failed: ${error}`);
      });
      notification.on('click', () => {
        release();
        onClick?.();
      });
      notification.show();
    },
  };
}

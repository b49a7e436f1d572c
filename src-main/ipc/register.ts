import { ipcMain, type WebFrameMain } from 'electron';
import { ipcChannels } from '../../shared/ipc/channels.ts';
import type { IpcResult } from '../../shared/ipc/contract.ts';
import { isAppUrl } from '../app-origin.ts';
import type { Log } from '../log.ts';
import { forbiddenProblem } from '../problems.ts';
import type { IpcHandlers } from './handlers.ts';

/**
 * One `ipcMain.handle` per contract channel. Checklist #17 "Validate the sender of all IPC
 * messages": only the top frame of our own `app://megilance` UI is answered; the handler map
 * then validates the input itself.
 */
export function registerIpcHandlers(handlers: IpcHandlers, log: Log): void {
  for (const channel of ipcChannels) {
    ipcMain.handle(channel, async (event, input: unknown): Promise<IpcResult<unknown>> => {
      if (!isTrustedSender(event.senderFrame)) {
        log.warn(`ipc: refused ${channel} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
        return { ok: false, problem: forbiddenProblem('This page may not use the desktop API.') };
      }
      return handlers[channel](input);
    });
  }
}

function isTrustedSender(frame: WebFrameMain | null): boolean {
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

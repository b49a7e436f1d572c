/**
 * The only bridge between the sandboxed renderer and the main process. Emitted as one CommonJS
 * file (a sandboxed preload cannot load ESM) that may import nothing but `electron`, so it takes
 * only the channel list and the API builder from shared/ (no schema library).
 *
 * Checklist #3 "Enable context isolation" / "do not expose Electron APIs": the page gets a
 * fixed set of functions, one per contract channel, never `ipcRenderer` itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildMegilanceApi } from '../shared/ipc/build-api.ts';
import { ipcChannels, type IpcChannel } from '../shared/ipc/channels.ts';
import type { IpcResult } from '../shared/ipc/contract.ts';

async function invoke(channel: IpcChannel, input: unknown): Promise<IpcResult<unknown>> {
  try {
    return (await ipcRenderer.invoke(channel, input)) as IpcResult<unknown>;
  } catch (error) {
    // Results cross as data, never as exceptions, even when the IPC itself fails.
    return {
      ok: false,
      problem: {
        type: 'urn:megilance:problem:internal', // problemTypes.internal, without importing zod
        title: 'Desktop host unavailable',
        status: 500,
        detail: `The call ${channel} did not reach the desktop host: ${String(error)}`,
      },
    };
  }
}

contextBridge.exposeInMainWorld('megilance', buildMegilanceApi(ipcChannels, invoke));

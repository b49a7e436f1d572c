import type { MegilanceApi } from '../shared/ipc/contract.ts';

declare global {
  interface Window {
    /** Present in Electron (exposed by the preload); absent when the browser host serves the UI. */
    megilance?: MegilanceApi;
  }
}

import { ProblemError } from '../../shared/api/problem.ts';
import type { IpcResult, MegilanceApi } from '../../shared/ipc/contract.ts';
import { createHttpBridge } from './http-bridge.ts';

let resolved: MegilanceApi | undefined;

/** The host API: the preload's `window.megilance` in Electron, the HTTP bridge in a browser. */
export function megilance(): MegilanceApi {
  resolved ??= window.megilance ?? createHttpBridge(window.location.origin);
  return resolved;
}

/** Turns a host result into its value, or throws the host's problem as a `ProblemError`. */
export function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value;
  throw new ProblemError(result.problem);
}

import { problemSchema, problemTypes, type Problem } from '../../shared/api/problem.ts';
import { bridgeHeader, bridgePathPrefix } from '../../shared/ipc/bridge.ts';
import { buildMegilanceApi } from '../../shared/ipc/build-api.ts';
import { ipcChannels, type IpcChannel } from '../../shared/ipc/channels.ts';
import type { IpcResult, MegilanceApi } from '../../shared/ipc/contract.ts';

/**
 * `window.megilance` for a plain browser: every verb becomes `POST /__megilance/ipc/<channel>`
 * on the origin that served the UI. The host answers with the same `IpcResult` the preload
 * would return, so the rest of the renderer cannot tell the two apart.
 */
export function createHttpBridge(origin: string, fetchImpl: typeof fetch = fetch): MegilanceApi {
  const invoke = async (channel: IpcChannel, input: unknown): Promise<IpcResult<unknown>> => {
    let response: Response;
    try {
      response = await fetchImpl(new URL(bridgePathPrefix + channel, origin), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [bridgeHeader]: '1' },
        body: JSON.stringify(input ?? null),
      });
    } catch {
      return failure({
        type: problemTypes.network,
        title: 'The desktop host is not answering',
        status: 0,
        detail: 'MegiLance could not reach its desktop host. Restart the app and try again.',
      });
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    // 200 carries the handler's IpcResult; a call refused before any handler ran (wrong
    // origin, oversized body…) carries a bare problem document with its HTTP status.
    if (response.ok && isIpcResult(body)) return body;
    const problem = problemSchema.safeParse(body);
    if (problem.success) return failure(problem.data);
    return failure({
      type: problemTypes.internal,
      title: 'The desktop host sent an unreadable answer',
      status: response.status,
      detail: `The desktop host answered ${channel} with HTTP ${response.status} and no result.`,
    });
  };
  return buildMegilanceApi(ipcChannels, invoke);
}

function failure(problem: Problem): IpcResult<never> {
  return { ok: false, problem };
}

function isIpcResult(body: unknown): body is IpcResult<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  return body.ok === true ? 'value' in body : body.ok === false && 'problem' in body;
}

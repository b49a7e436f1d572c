import type { IpcChannel } from './channels.ts';
import type { IpcResult, MegilanceApi } from './contract.ts';

// Type-only imports: the sandboxed preload bundles this file and must not pull in zod.

/** Builds the nested API object from a single `invoke(channel, input)` transport. */
export function buildMegilanceApi(
  channels: readonly IpcChannel[],
  invoke: (channel: IpcChannel, input: unknown) => Promise<IpcResult<unknown>>,
): MegilanceApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<IpcResult<unknown>>>> = {};
  for (const channel of channels) {
    const [namespace, verb] = channel.split('.') as [string, string];
    api[namespace] ??= {};
    api[namespace][verb] = (input?: unknown) => invoke(channel, input);
  }
  return api as unknown as MegilanceApi;
}

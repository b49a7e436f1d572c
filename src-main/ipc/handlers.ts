import type { z } from 'zod';
import { ProblemError } from '../../shared/api/problem.ts';
import { ipcChannels, type IpcChannel } from '../../shared/ipc/channels.ts';
import {
  ipcContract,
  type AppInfo,
  type IpcContract,
  type IpcOutput,
  type IpcResult,
} from '../../shared/ipc/contract.ts';
import { silentLog, type Log } from '../log.ts';
import { toProblem, validationProblem } from '../problems.ts';
import type { SessionService } from '../session/session-service.ts';

export interface IpcHandlerDeps {
  session: SessionService;
  appInfo: AppInfo;
  log?: Log;
}

/** Takes whatever crossed the bridge (untrusted), answers with data, never throws. */
export type IpcHandler<C extends IpcChannel> = (input: unknown) => Promise<IpcResult<IpcOutput<C>>>;
export type IpcHandlers = { readonly [C in IpcChannel]: IpcHandler<C> };

type Implementations = {
  [C in IpcChannel]: (input: z.output<IpcContract[C]['input']>) => Promise<IpcOutput<C>>;
};

/**
 * One handler per channel, shared by Electron's `ipcMain.handle` and the browser host's HTTP
 * bridge, so both hosts validate and answer exactly alike.
 */
export function createIpcHandlers(deps: IpcHandlerDeps): IpcHandlers {
  const { session } = deps;
  const log = deps.log ?? silentLog;
  const implementations: Implementations = {
    'app.info': () => Promise.resolve(deps.appInfo),
    'session.restore': () => session.restore(),
    'session.signUp': (input) => session.signUp(input),
    'session.signIn': (input) => session.signIn(input),
    'session.refresh': () => session.refresh(),
    'session.signOut': () => session.signOut(),
  };

  const handlers: Partial<Record<IpcChannel, (input: unknown) => Promise<IpcResult<unknown>>>> = {};
  for (const channel of ipcChannels) {
    const schema: z.ZodType = ipcContract[channel].input;
    const run = implementations[channel] as (input: unknown) => Promise<unknown>;
    handlers[channel] = async (input) => {
      // The renderer is untrusted: nothing reaches a service before the contract accepts it.
      const parsed = schema.safeParse(input);
      if (!parsed.success) return { ok: false, problem: validationProblem(parsed.error, channel) };
      try {
        return { ok: true, value: await run(parsed.data) };
      } catch (error) {
        if (!(error instanceof ProblemError)) log.error(`ipc: ${channel} failed`, error);
        return { ok: false, problem: toProblem(error) };
      }
    };
  }
  return handlers as IpcHandlers;
}

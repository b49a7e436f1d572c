import type { z } from 'zod';
import { ProblemError } from '../../shared/api/problem.ts';
import { ipcChannels, type IpcChannel } from '../../shared/ipc/channels.ts';
import {
  ipcContract,
  type AppInfo,
  type IpcContract,
  type IpcOutput,
  type IpcResult,
  type SignedIn,
} from '../../shared/ipc/contract.ts';
import { silentLog, type Log } from '../log.ts';
import { toProblem, validationProblem } from '../problems.ts';
import type { AccessTokens } from '../screenshots/access-tokens.ts';
import type { ScreenshotHost } from '../screenshots/screenshot-host.ts';
import type { SessionService } from '../session/session-service.ts';
import type { TrackerHost } from '../tracker/tracker-host.ts';

export interface IpcHandlerDeps {
  session: SessionService;
  appInfo: AppInfo;
  tracker: TrackerHost;
  screenshots: ScreenshotHost;
  /** The main side's own access tokens (uploads), seeded by every sign-in and refresh. */
  tokens: AccessTokens;
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
  const { session, tracker, screenshots, tokens } = deps;
  const log = deps.log ?? silentLog;
  // The tracker and the screenshots follow the session: the signed-in user's, and only theirs.
  const opened = <T extends SignedIn | null>(result: T): T => {
    if (result) {
      tokens.seed(result.accessToken, result.expiresIn);
      tracker.open(result.user.id);
      screenshots.open(result.user.id);
    }
    return result;
  };
  const implementations: Implementations = {
    'app.info': () => Promise.resolve(deps.appInfo),
    'session.restore': async () => opened(await session.restore()),
    'session.signUp': async (input) => opened(await session.signUp(input)),
    'session.signIn': async (input) => {
      const outcome = await session.signIn(input);
      // A challenge is not a session yet: the tracker and uploads wait for the second step.
      return 'twoFactorRequired' in outcome ? outcome : opened(outcome);
    },
    'session.completeSignIn': async (input) => opened(await session.completeSignIn(input)),
    'session.refresh': async () => {
      const fresh = await session.refresh();
      tokens.seed(fresh.accessToken, fresh.expiresIn);
      return fresh;
    },
    'session.signOut': async () => {
      await screenshots.close();
      tracker.close();
      tokens.invalidate();
      return session.signOut();
    },
    'tracker.status': () => Promise.resolve(tracker.status()),
    'tracker.start': (input) => Promise.resolve(tracker.start(input)),
    'tracker.stop': () => Promise.resolve(tracker.stop()),
    'tracker.switch': (input) => Promise.resolve(tracker.switchTo(input)),
    'tracker.setMemo': (input) => Promise.resolve(tracker.setMemo(input.memo)),
    'tracker.answerIdle': (input) =>
      Promise.resolve(tracker.answerIdle(input.stretchId, input.answer)),
    'tracker.segments': (input) => Promise.resolve(tracker.segments(input.from, input.to)),
    'screenshots.list': (input) => Promise.resolve(screenshots.list(input.from, input.to)),
    'screenshots.image': (input) => screenshots.image(input.hash),
    'screenshots.blur': (input) => screenshots.blur(input.id),
    'screenshots.delete': (input) => screenshots.delete(input.id),
    'screenshots.uploads': () => Promise.resolve(screenshots.uploads()),
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

import { z } from 'zod';
import { problemSchema, type Problem } from '../api/problem.ts';
import { loginInputSchema, registerInputSchema } from '../accounts/auth.ts';
import { secondStepCodeSchema, twoFactorChallengeSchema } from '../accounts/two-factor.ts';
import { userSchema } from '../accounts/user.ts';
import type { IpcChannel } from './channels.ts';
import {
  localScreenshotSchema,
  screenshotDeletedSchema,
  screenshotIdInputSchema,
  screenshotImageDataSchema,
  screenshotImageInputSchema,
  screenshotsListInputSchema,
  screenshotUploadsSchema,
} from './screenshots.ts';
import {
  trackerAnswerIdleInputSchema,
  trackerMemoInputSchema,
  trackerSegmentSchema,
  trackerSegmentsInputSchema,
  trackerStartInputSchema,
  trackerStatusSchema,
} from './tracker.ts';

/**
 * The `window.megilance` contract. The Electron preload and the browser host implement it;
 * the main-process handlers (plain Node) serve both. The refresh token never crosses it:
 * the host keeps it in the OS keychain and hands the renderer short-lived access tokens.
 */
export const appInfoSchema = z.object({
  host: z.enum(['electron', 'browser']),
  version: z.string(),
  platform: z.string(),
  serverUrl: z.url(),
  /** `os`: the refresh token survives restarts in the OS keychain; `memory`: no keychain reachable. */
  keychain: z.enum(['os', 'memory']),
});

export const signedInSchema = z.object({
  user: userSchema,
  accessToken: z.string(),
  expiresIn: z.int(),
});

export const accessTokenSchema = z.object({ accessToken: z.string(), expiresIn: z.int() });

const noInput = z.undefined();

export const ipcContract = {
  'app.info': { input: noInput, output: appInfoSchema },
  /** Signs in with the refresh token kept in the keychain; null when there is none or it is dead. */
  'session.restore': { input: noInput, output: signedInSchema.nullable() },
  'session.signUp': {
    input: registerInputSchema.omit({ deviceName: true }),
    output: signedInSchema,
  },
  /** Signed in, or (two-factor accounts) a challenge for `session.completeSignIn`. */
  'session.signIn': {
    input: loginInputSchema.omit({ deviceName: true }),
    output: z.union([signedInSchema, twoFactorChallengeSchema]),
  },
  /** The second step: the challenge token and a code or backup code. */
  'session.completeSignIn': { input: secondStepCodeSchema, output: signedInSchema },
  'session.refresh': { input: noInput, output: accessTokenSchema },
  'session.signOut': { input: noInput, output: z.null() },
  /** The renderer polls this (there is no main→renderer push over the browser-host bridge). */
  'tracker.status': { input: noInput, output: trackerStatusSchema },
  'tracker.start': { input: trackerStartInputSchema, output: trackerStatusSchema },
  'tracker.stop': { input: noInput, output: trackerStatusSchema },
  'tracker.switch': { input: trackerStartInputSchema, output: trackerStatusSchema },
  'tracker.setMemo': { input: trackerMemoInputSchema, output: trackerStatusSchema },
  'tracker.answerIdle': { input: trackerAnswerIdleInputSchema, output: trackerStatusSchema },
  'tracker.segments': { input: trackerSegmentsInputSchema, output: z.array(trackerSegmentSchema) },
  /** This machine's screenshots taken in a range, pending and shared. */
  'screenshots.list': { input: screenshotsListInputSchema, output: z.array(localScreenshotSchema) },
  'screenshots.image': { input: screenshotImageInputSchema, output: screenshotImageDataSchema },
  /** Only while pending: replaces the image and thumbnail by blurred ones. */
  'screenshots.blur': { input: screenshotIdInputSchema, output: localScreenshotSchema },
  /** Pending or shared: deletes the bytes here and removes the slot's time from the tracker. */
  'screenshots.delete': { input: screenshotIdInputSchema, output: screenshotDeletedSchema },
  'screenshots.uploads': { input: noInput, output: screenshotUploadsSchema },
} as const satisfies Record<IpcChannel, { input: z.ZodType; output: z.ZodType }>;

export type IpcContract = typeof ipcContract;
export type IpcInput<C extends IpcChannel> = z.input<IpcContract[C]['input']>;
export type IpcOutput<C extends IpcChannel> = z.output<IpcContract[C]['output']>;

/** Results cross the bridge as data, never as thrown errors, so the problem survives intact. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; problem: Problem };
export const ipcResultSchema = <T extends z.ZodType>(value: T) =>
  z.union([
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), problem: problemSchema }),
  ]);

type Namespace<C extends string> = C extends `${infer N}.${string}` ? N : never;
type Verb<C extends string, N extends string> = C extends `${N}.${infer V}` ? V : never;

type Call<C extends IpcChannel> =
  IpcInput<C> extends undefined
    ? () => Promise<IpcResult<IpcOutput<C>>>
    : (input: IpcInput<C>) => Promise<IpcResult<IpcOutput<C>>>;

/** `window.megilance`: `{ app: { info() }, session: { signIn(input), … } }`. */
export type MegilanceApi = {
  [N in Namespace<IpcChannel>]: {
    [V in Verb<IpcChannel, N>]: Call<`${N}.${V}` & IpcChannel>;
  };
};

export type SignedIn = z.infer<typeof signedInSchema>;
export type AppInfo = z.infer<typeof appInfoSchema>;

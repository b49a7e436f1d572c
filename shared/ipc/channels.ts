/**
 * Every verb the desktop host offers the renderer. Kept free of imports so the sandboxed
 * preload bundles nothing but this list; the schemas live in `contract.ts`.
 */
export const ipcChannels = [
  'app.info',
  'session.restore',
  'session.signUp',
  'session.signIn',
  'session.completeSignIn',
  'session.refresh',
  'session.signOut',
  'tracker.status',
  'tracker.start',
  'tracker.stop',
  'tracker.switch',
  'tracker.setMemo',
  'tracker.answerIdle',
  'tracker.segments',
  'screenshots.list',
  'screenshots.image',
  'screenshots.blur',
  'screenshots.delete',
  'screenshots.uploads',
] as const;

export type IpcChannel = (typeof ipcChannels)[number];

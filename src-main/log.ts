/** The few log levels main-side modules need; tests pass a recorder, the app writes to the console. */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export const consoleLog: Log = {
  info: (message) => console.info(`[megilance] ${message}`),
  warn: (message) => console.warn(`[megilance] ${message}`),
  error: (message, error) =>
    error === undefined
      ? console.error(`[megilance] ${message}`)
      : console.error(`[megilance] ${message}`, error),
};

export const silentLog: Log = { info: () => {}, warn: () => {}, error: () => {} };

import { AsyncEntry } from '@napi-rs/keyring';
import type { Log } from '../log.ts';

/** Where secrets (refresh tokens) live. Never a plain file or localStorage. */
export interface Keychain {
  /** `os`: survives restarts in the OS store; `memory`: lost when the process ends. */
  readonly kind: 'os' | 'memory';
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
}

export const keychainService = 'MegiLance';

/**
 * The OS store through `@napi-rs/keyring`: Keychain (macOS), Credential Manager (Windows),
 * Secret Service (Linux). On Linux the entry is pinned to the Secret Service: left to itself
 * the library silently falls back to the kernel keyring, which forgets everything at reboot,
 * and we would then be claiming `os` while behaving like `memory`.
 */
export function createOsKeychain(service: string = keychainService): Keychain {
  // AsyncEntry runs on libuv's thread pool, so a slow D-Bus round trip never blocks the main thread.
  const entry = (account: string) =>
    new AsyncEntry(service, account, { linux: { store: 'secret-service' } });
  return {
    kind: 'os',
    get: async (account) => entry(account).getPassword(),
    set: async (account, secret) => entry(account).setPassword(secret),
    delete: async (account) => {
      // `false` means there was nothing to delete, which is what we want either way.
      await entry(account).deleteCredential();
    },
  };
}

/** Secrets held in this process only; the honest fallback when no OS store is reachable. */
export function createMemoryKeychain(): Keychain {
  const secrets = new Map<string, string>();
  return {
    kind: 'memory',
    get: (account) => Promise.resolve(secrets.get(account) ?? null),
    set: (account, secret) => {
      secrets.set(account, secret);
      return Promise.resolve();
    },
    delete: (account) => {
      secrets.delete(account);
      return Promise.resolve();
    },
  };
}

export interface OpenKeychainOptions {
  service?: string;
  log: Log;
  /** Seam for tests: how to reach the OS store. Defaults to `createOsKeychain`. */
  createOsKeychain?: (service: string) => Keychain;
  /** A locked store may wait for a prompt nobody answers; give up after this long. */
  probeTimeoutMs?: number;
}

const probeAccount = '__megilance-probe__';

/**
 * The OS keychain when a full write/read/delete round trip works, else memory with one warning
 * line. Probing up front (rather than failing at sign-in) lets `app.info` report the truth.
 */
export async function openKeychain(options: OpenKeychainOptions): Promise<Keychain> {
  const service = options.service ?? keychainService;
  const timeoutMs = options.probeTimeoutMs ?? 5_000;
  try {
    const os = (options.createOsKeychain ?? createOsKeychain)(service);
    await withTimeout(probe(os), timeoutMs, `no answer within ${timeoutMs} ms`);
    return os;
  } catch (error) {
    options.log.warn(
      `keychain: the OS keychain is unreachable (${firstLine(error)}); sign-ins are kept in ` +
        'memory only and must be repeated after a restart. On Linux this needs a Secret Service ' +
        '(gnome-keyring or KWallet) on the D-Bus session bus.',
    );
    return createMemoryKeychain();
  }
}

async function probe(keychain: Keychain): Promise<void> {
  const value = `probe-${process.pid}-${Date.now()}`;
  await keychain.set(probeAccount, value);
  const read = await keychain.get(probeAccount);
  await keychain.delete(probeAccount);
  if (read !== value) throw new Error('a probe secret did not read back');
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.trim() || 'unknown error';
}

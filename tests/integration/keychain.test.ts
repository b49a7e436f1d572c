import { afterAll, describe, expect, it } from 'vitest';
import { createOsKeychain, openKeychain, type Keychain } from '../../src-main/keychain/keychain.ts';
import type { Log } from '../../src-main/log.ts';

/**
 * The OS keychain against the real store (Secret Service under `dbus-run-session` with an
 * unlocked gnome-keyring on Linux). Without a reachable store these tests FAIL on purpose:
 * a skipped keychain suite would hide that tokens are not being kept.
 */

// A service of its own, so a test run never touches a developer's real MegiLance sign-in.
const service = `MegiLance-test-${process.pid}-${Date.now()}`;
const os = createOsKeychain(service);
const used = new Set<string>();
const account = (label: string) => {
  const name = `${label}@http://127.0.0.1:4780`;
  used.add(name);
  return name;
};

afterAll(async () => {
  for (const name of used) await os.delete(name).catch(() => undefined);
});

function recordingLog() {
  const lines: { level: 'info' | 'warn' | 'error'; message: string }[] = [];
  const log: Log = {
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
  return { log, lines, warnings: () => lines.filter((line) => line.level === 'warn') };
}

describe('OS keychain', () => {
  it('is reachable: openKeychain picks it and warns about nothing', async () => {
    const { log, lines } = recordingLog();
    const keychain = await openKeychain({ service, log });
    expect(lines, 'the OS keychain must be reachable for this suite').toEqual([]);
    expect(keychain.kind).toBe('os');
    // The probe cleans up after itself.
    expect(await keychain.get('__megilance-probe__')).toBeNull();
  });

  it('stores a secret and reads it back', async () => {
    const name = account('store');
    await os.set(name, 'refresh-token-1');
    expect(await os.get(name)).toBe('refresh-token-1');
    // A second handle on the same service sees it: it lives in the OS store, not in our object.
    expect(await createOsKeychain(service).get(name)).toBe('refresh-token-1');
  });

  it('overwrites a secret', async () => {
    const name = account('overwrite');
    await os.set(name, 'first');
    await os.set(name, 'second');
    expect(await os.get(name)).toBe('second');
  });

  it('deletes a secret, and deleting a missing one is not an error', async () => {
    const name = account('delete');
    await os.set(name, 'doomed');
    await os.delete(name);
    expect(await os.get(name)).toBeNull();
    await expect(os.delete(name)).resolves.toBeUndefined();
  });

  it('answers null for an account it never saw', async () => {
    expect(await os.get(account('never-set'))).toBeNull();
  });

  it('keeps unicode and long secrets intact', async () => {
    const name = account('unicode');
    const secret = 'žluťoučký kůň 🐎 密码 пароль ' + 'x'.repeat(8_000) + ' ✓';
    await os.set(name, secret);
    expect(await os.get(name)).toBe(secret);
  });

  it('keeps two accounts apart', async () => {
    const alice = account('alice');
    const bob = account('bob');
    await os.set(alice, 'alice-token');
    await os.set(bob, 'bob-token');
    expect(await os.get(alice)).toBe('alice-token');
    expect(await os.get(bob)).toBe('bob-token');
    await os.delete(alice);
    expect(await os.get(alice)).toBeNull();
    expect(await os.get(bob)).toBe('bob-token');
  });

  it('keeps two services apart', async () => {
    const name = account('shared-name');
    const other = createOsKeychain(`${service}-other`);
    await os.set(name, 'ours');
    try {
      expect(await other.get(name)).toBeNull();
    } finally {
      await other.delete(name);
    }
  });
});

describe('openKeychain when the OS keychain is unreachable', () => {
  const refusing = (error: Error): Keychain => ({
    kind: 'os',
    get: () => Promise.reject(error),
    set: () => Promise.reject(error),
    delete: () => Promise.reject(error),
  });

  it('falls back to memory with exactly one clear warning line', async () => {
    const { log, lines, warnings } = recordingLog();
    const noBus = new Error(
      'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled\nsecond line',
    );
    const keychain = await openKeychain({ service, log, createOsKeychain: () => refusing(noBus) });

    expect(keychain.kind).toBe('memory');
    expect(lines).toHaveLength(1);
    const [warning] = warnings();
    expect(warning?.message).toContain('OS keychain is unreachable');
    expect(warning?.message).toContain('DBus error');
    expect(warning?.message).toContain('memory only');
    expect(warning?.message).not.toContain('\n');
    expect(warning?.message).not.toContain('second line');

    // The fallback is a working keychain, just not a lasting one.
    await keychain.set('someone', 'token');
    expect(await keychain.get('someone')).toBe('token');
    await keychain.delete('someone');
    expect(await keychain.get('someone')).toBeNull();
  });

  it('falls back when the OS keychain cannot even be opened', async () => {
    const { log, warnings } = recordingLog();
    const keychain = await openKeychain({
      service,
      log,
      createOsKeychain: () => {
        throw new Error('no Secret Service on the session bus');
      },
    });
    expect(keychain.kind).toBe('memory');
    expect(warnings()).toHaveLength(1);
  });

  it('falls back when the OS keychain never answers (a locked store waiting for a prompt)', async () => {
    const { log, warnings } = recordingLog();
    const hanging: Keychain = {
      kind: 'os',
      get: () => new Promise(() => {}),
      set: () => new Promise(() => {}),
      delete: () => new Promise(() => {}),
    };
    const keychain = await openKeychain({
      service,
      log,
      createOsKeychain: () => hanging,
      probeTimeoutMs: 50,
    });
    expect(keychain.kind).toBe('memory');
    expect(warnings()[0]?.message).toContain('no answer within 50 ms');
  });

  it('falls back when the OS keychain does not give back what it was given', async () => {
    const { log, warnings } = recordingLog();
    const forgetful: Keychain = {
      kind: 'os',
      get: () => Promise.resolve(null),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
    };
    const keychain = await openKeychain({ service, log, createOsKeychain: () => forgetful });
    expect(keychain.kind).toBe('memory');
    expect(warnings()[0]?.message).toContain('did not read back');
  });

  it('memory keychains do not share secrets between instances', async () => {
    const { log } = recordingLog();
    const fail = () => refusing(new Error('down'));
    const first = await openKeychain({ service, log, createOsKeychain: fail });
    const second = await openKeychain({ service, log, createOsKeychain: fail });
    await first.set('someone', 'token');
    expect(await second.get('someone')).toBeNull();
  });
});

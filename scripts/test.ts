/**
 * `npm test`: everything CI runs, in the order that fails fastest.
 * Lint and format, typecheck, build the app, then every vitest project (unit, integration
 * against SQLite and PostgreSQL, keychain, e2e in Chromium). On Linux the tests run inside
 * a private D-Bus session with an unlocked gnome-keyring, so the keychain tests use a real
 * Secret Service without touching the user's own keyring.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = (name: string) => join(import.meta.dirname, '..', 'node_modules', '.bin', name);
const vitestArgs = process.argv.slice(2);

function step(
  title: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
) {
  const started = Date.now();
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.error) {
    console.error(`✖ ${title}: could not run ${command}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) {
    console.error(`✖ ${title} failed (exit ${result.status ?? result.signal}) after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${title} (${seconds}s)`);
}

function requireCommand(command: string, hint: string) {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (found.status !== 0) {
    console.error(`✖ ${command} is missing: ${hint}`);
    process.exit(1);
  }
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `✖ Node ${process.version}: run through npm (npm test) so the project's Node 24 is used.`,
  );
  process.exit(1);
}

step('ESLint', bin('eslint'), ['.', '--max-warnings=0']);
step('Prettier', bin('prettier'), ['--check', '.', '--log-level=warn']);
for (const project of ['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.test.json']) {
  step(`TypeScript (${project})`, bin('tsc'), ['--noEmit', '-p', project]);
}
step('Build (electron-vite)', bin('electron-vite'), ['build']);

const vitest = [bin('vitest'), 'run', ...vitestArgs];
if (process.platform === 'linux') {
  requireCommand('dbus-run-session', 'install the dbus package (see .ci/run)');
  requireCommand('gnome-keyring-daemon', 'install the gnome-keyring package (see .ci/run)');
  // A throwaway keyring folder: the run starts from an empty, unlocked keychain every time.
  const keyrings = mkdtempSync(join(tmpdir(), 'megilance-keyring-'));
  const script =
    'printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"';
  step(
    'Tests (vitest, inside a private D-Bus session with gnome-keyring)',
    'dbus-run-session',
    ['--', 'sh', '-c', script, 'sh', ...vitest],
    { ...process.env, XDG_DATA_HOME: keyrings },
  );
  rmSync(keyrings, { recursive: true, force: true });
} else {
  // macOS Keychain and Windows Credential Manager are always there for a signed-in user.
  step('Tests (vitest)', vitest[0] as string, vitest.slice(1));
}

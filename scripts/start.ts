/**
 * `npm start`: the sync server on its embedded default, then the desktop app against it.
 * Without an Electron binary (it downloads from GitHub, which some networks block) the
 * built UI is served to a browser instead, with the same main-process services behind it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { startBrowserHost } from '../src-main/browser-host/host.ts';
import { loadDesktopConfig } from '../src-main/config.ts';
import { consoleLog } from '../src-main/log.ts';
import { createMainServices } from '../src-main/services.ts';
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { isEmptyDatabase, seedAll } from '../server/seed/seed-all.ts';
import { createLogger, startServer, type RunningServer } from '../server/server.ts';

const root = join(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const hostPort = Number(process.env.MEGILANCE_HOST_PORT ?? 5180);

const buildInputs = [
  'src-main',
  'src-renderer',
  'shared',
  'electron.vite.config.ts',
  'package.json',
];
const buildOutputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

function newestMtime(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce(
    (newest, entry) => Math.max(newest, newestMtime(join(path, entry))),
    0,
  );
}

/** Built output that is older than any source is rebuilt; otherwise start at once. */
function buildIsCurrent(): boolean {
  const outputs = buildOutputs.map((file) => join(root, file));
  if (!outputs.every((file) => existsSync(file))) return false;
  const oldestOutput = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  return buildInputs.every((input) => newestMtime(join(root, input)) <= oldestOutput);
}

function build() {
  if (buildIsCurrent()) return;
  console.log('Building the app…');
  const result = spawnSync(bin('electron-vite'), ['build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('The build failed; see above.');
    process.exit(1);
  }
}

/**
 * The Electron binary's path, or null when it was never downloaded. Read from the package's
 * own path.txt: requiring `electron` would start a download as a side effect.
 */
function electronBinary(): string | null {
  const packageDir = join(root, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = join(
    process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist'),
    readFileSync(pathFile, 'utf8'),
  );
  return existsSync(executable) ? executable : null;
}

function tryInstallElectron(): string | null {
  if (process.env.CI || process.env.MEGILANCE_NO_ELECTRON_DOWNLOAD) return null;
  console.log('Fetching the Electron binary (npm run install-electron)…');
  spawnSync(process.execPath, [join(root, 'node_modules/electron/install.js')], {
    cwd: root,
    stdio: 'ignore',
    timeout: 120_000,
  });
  return electronBinary();
}

function serverConfig(): Config {
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  // The browser host is one of the app's origins: let the API answer it.
  for (const host of ['127.0.0.1', 'localhost']) {
    const origin = `http://${host}:${hostPort}`;
    if (!config.appOrigins.includes(origin)) config.appOrigins.push(origin);
  }
  return config;
}

const databaseName = (config: Config) =>
  config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL';

/** MEGILANCE_SEED answers the seed offer ahead of time: 1/yes or 0/no. */
function seedChoice(): boolean | undefined {
  const value = process.env.MEGILANCE_SEED?.trim().toLowerCase();
  if (value === undefined || value === '') return undefined;
  if (['1', 'y', 'yes', 'true'].includes(value)) return true;
  if (['0', 'n', 'no', 'false'].includes(value)) return false;
  throw new Error(
    `MEGILANCE_SEED must be 1 (seed an empty database) or 0 (never), not "${value}".`,
  );
}

async function askToSeed(): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question(
      'The database is empty. Fill it with demo data (2 demo accounts and a marketplace of ' +
        '250 users and 1,000 projects)? [Y/n] ',
    );
    return !/^n/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}

/**
 * The first start of an empty database offers the demo data: asked on a terminal, answered by
 * MEGILANCE_SEED otherwise, so scripts and CI never wait on a question nobody sees.
 */
async function offerSeed(config: Config): Promise<void> {
  const choice = seedChoice();
  const db = await openDatabase(config.database);
  try {
    await migrateToLatest(db);
    if (!(await isEmptyDatabase(db))) return;
    const wanted = choice ?? (process.stdin.isTTY ? await askToSeed() : false);
    if (!wanted) {
      console.log(
        'The database is empty: `npm run seed` (or MEGILANCE_SEED=1 npm start) fills it with demo data.',
      );
      return;
    }
    await seedAll(db, databaseName(config), (line) => console.log(line));
  } finally {
    await db.close();
  }
}

async function startSyncServer(config: Config): Promise<RunningServer> {
  const server = await startServer(config, createLogger(config));
  console.log(`Sync server: ${server.url} (database: ${databaseName(config)})`);
  return server;
}

async function main() {
  build();
  const config = serverConfig();
  await offerSeed(config);
  const server = await startSyncServer(config);
  const env = { ...process.env, MEGILANCE_SERVER_URL: server.url };
  const stopServer = () => server.close().then(() => process.exit(0));

  const electron = electronBinary() ?? tryInstallElectron();
  if (electron) {
    const app = spawn(electron, [root], { stdio: 'inherit', env });
    app.on('exit', () => void stopServer());
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => app.kill(signal));
    return;
  }

  const { handlers, keychain } = await createMainServices({
    config: loadDesktopConfig(env),
    host: 'browser',
    log: consoleLog,
  });
  const host = await startBrowserHost({
    rendererDir: join(root, 'out/renderer'),
    port: hostPort,
    handlers,
    serverUrl: server.url,
    log: consoleLog,
  });
  console.log(
    `No Electron binary here, so the app is served for a browser instead: open ${host.url}/` +
      (keychain.kind === 'memory'
        ? ' (no OS keychain reachable: sign-ins last until this stops)'
        : ''),
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void host.close().then(stopServer));
  }
}

main().catch((error: unknown) => {
  console.error(
    'MegiLance could not start:',
    error instanceof ConfigError || error instanceof Error ? error.message : error,
  );
  process.exit(1);
});

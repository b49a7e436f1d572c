import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** What the API benchmarks share: servers in their own processes, and the load on them. */
const root = join(import.meta.dirname, '..', '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
export const connections = 10;
export const durationSeconds = seconds;

export async function waitForHealth(url: string) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never became healthy`);
}

/** Starts a script; its URL comes from a line it prints, or is known and polled for health. */
export async function startProcess(
  script: string,
  env: Record<string, string>,
  pattern: RegExp | null,
  knownUrl?: string,
) {
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`))),
  );
  const announced = new Promise<string>((resolve) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern?.exec(output);
      if (pattern && match?.[1]) resolve(match[1]);
    });
  });
  const url = await Promise.race([
    exited,
    knownUrl ? waitForHealth(knownUrl).then(() => knownUrl) : announced,
  ]);
  exited.catch(() => undefined);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface LoadRow {
  target: string;
  requestsPerSecond: number;
  p50: number;
  p975: number;
  p99: number;
  errors: number;
}

/** `connections` connections for the benchmark's duration against one URL. */
export async function load(
  target: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<LoadRow> {
  const result = await autocannon({ url, connections, duration: seconds, headers });
  return {
    target,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p975: result.latency.p97_5,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

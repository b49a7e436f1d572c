import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { CapturedScreen, ScreenCapture } from '../../src-main/screenshots/capture.ts';

const run = promisify(execFile);

/**
 * A desktop to take screenshots of, for tests. Where Xvfb and ImageMagick are installed (the
 * CI image installs `xvfb` and `imagemagick`) it is a real X server with several screens,
 * painted through ImageMagick's `display -window root` and captured with `import -window
 * root`, the same path a screenshot tool takes on Linux. Elsewhere the screens are images
 * rendered by sharp, handed over as the BGRA pixels Electron's capture would give.
 */
export interface TestDesktop {
  kind: 'xvfb' | 'rendered';
  capture: ScreenCapture;
  /** Paints screen `index` with a busy pattern (stripes, blocks) chosen by `seed`. */
  paint(index: number, seed: number): Promise<void>;
  /** How many captures were made. */
  readonly captures: number;
  close(): Promise<void>;
}

export interface ScreenSize {
  width: number;
  height: number;
}

export function xvfbAvailable(): boolean {
  const found = (command: string) => spawnSync('which', [command]).status === 0;
  return found('Xvfb') && found('import') && found('display');
}

/** A desktop picture with sharp edges everywhere, so a blur shows in its pixel variance. */
export async function desktopPicture(size: ScreenSize, seed: number): Promise<Buffer> {
  const { width, height } = size;
  let state = seed * 2_654_435_761 + 1;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const shapes: string[] = [];
  for (let x = 0; x < width; x += 8) {
    shapes.push(
      `<rect x="${x}" y="0" width="4" height="${height}" fill="#${x % 16 ? '222' : 'ddd'}"/>`,
    );
  }
  for (let i = 0; i < 60; i++) {
    const colour = Math.floor(next() * 0xffffff)
      .toString(16)
      .padStart(6, '0');
    shapes.push(
      `<rect x="${Math.floor(next() * width)}" y="${Math.floor(next() * height)}" width="${Math.floor(
        20 + next() * width * 0.3,
      )}" height="${Math.floor(10 + next() * height * 0.2)}" fill="#${colour}"/>`,
    );
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#f4f4f4"/>${shapes.join('')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export async function startTestDesktop(screens: ScreenSize[]): Promise<TestDesktop> {
  return xvfbAvailable() ? startXvfbDesktop(screens) : renderedDesktop(screens);
}

async function startXvfbDesktop(screens: ScreenSize[]): Promise<TestDesktop> {
  const dir = await mkdtemp(join(tmpdir(), 'megilance-xvfb-'));
  // -noreset: the server would otherwise reset (and drop the painted background) whenever its
  // last client leaves, i.e. after every paint and every capture.
  const args = ['-displayfd', '3', '-nolisten', 'tcp', '-noreset'];
  for (const [i, size] of screens.entries()) {
    args.push('-screen', String(i), `${size.width}x${size.height}x24`);
  }
  const server: ChildProcess = spawn('Xvfb', args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    const pipe = server.stdio[3];
    if (!pipe) return reject(new Error('Xvfb gave no display pipe'));
    pipe.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    server.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
    setTimeout(() => reject(new Error('Xvfb did not start within 10 s')), 10_000).unref();
  });
  let captures = 0;
  return {
    kind: 'xvfb',
    get captures() {
      return captures;
    },
    capture: {
      available: true,
      async capture(): Promise<CapturedScreen[]> {
        captures += 1;
        return Promise.all(
          screens.map(async (size, index) => {
            const { stdout } = await run(
              'import',
              ['-display', `${display}.${index}`, '-window', 'root', 'png:-'],
              { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
            );
            return { index, ...size, image: { kind: 'encoded' as const, bytes: stdout } };
          }),
        );
      },
    },
    async paint(index, seed) {
      const size = screens[index];
      if (!size) throw new Error(`No screen ${index}`);
      const file = join(dir, `screen-${index}-${seed}.png`);
      await writeFile(file, await desktopPicture(size, seed));
      // `display -window root` sets the root window's background and exits with status 1
      // even when it worked; a real failure says why on stderr.
      const painted = spawnSync('display', [
        '-display',
        `${display}.${index}`,
        '-window',
        'root',
        file,
      ]);
      const why = painted.stderr.toString().trim();
      if (painted.status !== 0 && (painted.status !== 1 || why !== '')) {
        throw new Error(`display failed (${painted.status}): ${why}`);
      }
    },
    async close() {
      server.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function renderedDesktop(screens: ScreenSize[]): Promise<TestDesktop> {
  const pictures = await Promise.all(screens.map((size, i) => desktopPicture(size, i)));
  let captures = 0;
  return {
    kind: 'rendered',
    get captures() {
      return captures;
    },
    capture: {
      available: true,
      async capture() {
        captures += 1;
        return Promise.all(
          screens.map(async (size, index) => {
            const picture = pictures[index];
            if (!picture) throw new Error(`No screen ${index}`);
            // RGBA → BGRA, as Chromium hands screens over.
            const rgba = await sharp(picture).ensureAlpha().raw().toBuffer();
            for (let p = 0; p < rgba.length; p += 4) {
              const red = rgba[p] ?? 0;
              rgba[p] = rgba[p + 2] ?? 0;
              rgba[p + 2] = red;
            }
            return { index, ...size, image: { kind: 'bgra' as const, bytes: rgba } };
          }),
        );
      },
    },
    async paint(index, seed) {
      const size = screens[index];
      if (!size) throw new Error(`No screen ${index}`);
      pictures[index] = await desktopPicture(size, seed);
    },
    close: () => Promise.resolve(),
  };
}

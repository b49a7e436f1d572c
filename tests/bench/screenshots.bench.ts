/**
 * Screenshot capture and encoding per screen, at three screen sizes: a real X server (Xvfb)
 * painted with a busy desktop picture and captured with ImageMagick's `import`, where the
 * machine has them (else sharp-rendered screens), then our encoding (WebP q75 + a 320 px
 * thumbnail, with their sha256). The peer, measured on the same captures: PNG, the format
 * Electron's `NativeImage.toPNG()` hands over and a naive pipeline would store. Also the
 * event loop's worst delay while encoding, which shows the work runs off the main thread.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import sharp from 'sharp';
import { encodeScreenshot } from '../../src-main/screenshots/encode.ts';
import type { CapturedScreen } from '../../src-main/screenshots/capture.ts';
import {
  startTestDesktop,
  type ScreenSize,
  type TestDesktop,
} from '../support/screenshot-desktop.ts';

const sizes: ScreenSize[] = [
  { width: 1920, height: 1080 },
  { width: 2560, height: 1440 },
  { width: 3840, height: 2160 },
];
const rounds = 5;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function timed<T>(task: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await task();
  return { ms: performance.now() - started, value };
}

export async function run(): Promise<void> {
  let header = false;
  for (const size of sizes) {
    // One screen per desktop, so a capture's time is that screen's alone.
    const desktop = await startTestDesktop([size]);
    try {
      if (!header) printHeader(desktop.kind);
      header = true;
      await measure(desktop, size);
    } finally {
      await desktop.close();
    }
  }
}

function printHeader(kind: 'xvfb' | 'rendered'): void {
  console.log(
    `screens from ${kind === 'xvfb' ? 'Xvfb + ImageMagick import' : 'sharp-rendered pixels'}, median of ${rounds}`,
  );
  console.log(
    '| screen | capture | encode (WebP + thumbnail) | WebP / thumbnail | PNG encode (peer) | PNG | event loop max delay while encoding |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
}

async function measure(desktop: TestDesktop, size: ScreenSize): Promise<void> {
  const index = 0;
  await desktop.paint(index, size.width);
  const captureMs: number[] = [];
  const encodeMs: number[] = [];
  const pngMs: number[] = [];
  const loopDelays: number[] = [];
  let sizesText = '';
  let pngBytes = 0;
  for (let round = 0; round < rounds; round++) {
    const captured = await timed(() => desktop.capture.capture());
    captureMs.push(captured.ms);
    const screen = captured.value[index] as CapturedScreen;

    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const encoded = await timed(() => encodeScreenshot(screen));
    loop.disable();
    encodeMs.push(encoded.ms);
    loopDelays.push(loop.max / 1e6);
    sizesText = `${Math.round(encoded.value.image.bytes.length / 1024)} KB / ${Math.round(encoded.value.thumbnail.bytes.length / 1024)} KB`;

    const source =
      screen.image.kind === 'encoded'
        ? sharp(screen.image.bytes)
        : sharp(screen.image.bytes, {
            raw: { width: screen.width, height: screen.height, channels: 4 },
          });
    const png = await timed(() => source.png().toBuffer());
    pngMs.push(png.ms);
    pngBytes = png.value.length;
  }
  console.log(
    `| ${size.width}×${size.height} | ${median(captureMs).toFixed(0)} ms | ${median(encodeMs).toFixed(0)} ms | ${sizesText} | ${median(pngMs).toFixed(0)} ms | ${Math.round(pngBytes / 1024)} KB | ${median(loopDelays).toFixed(1)} ms |`,
  );
}

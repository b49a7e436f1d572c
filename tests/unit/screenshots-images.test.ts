import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { CapturedScreen } from '../../src-main/screenshots/capture.ts';
import {
  blurScreenshot,
  encodeScreenshot,
  thumbnailWidth,
} from '../../src-main/screenshots/encode.ts';
import { imageFilesAt } from '../../src-main/screenshots/image-files.ts';
import { desktopPicture } from '../support/screenshot-desktop.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function pngScreen(width: number, height: number, seed: number): Promise<CapturedScreen> {
  const bytes = await desktopPicture({ width, height }, seed);
  return { index: 0, width, height, image: { kind: 'encoded', bytes } };
}

/** Mean of the channels' standard deviations: how much the picture varies from pixel to pixel. */
async function variance(bytes: Buffer): Promise<number> {
  const { channels } = await sharp(bytes).stats();
  return channels.slice(0, 3).reduce((sum, channel) => sum + channel.stdev, 0) / 3;
}

/** Mean absolute difference of neighbouring pixels: edges, which a blur removes. */
async function edges(bytes: Buffer): Promise<number> {
  const { data, info } = await sharp(bytes).greyscale().raw().toBuffer({ resolveWithObject: true });
  let total = 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = 1; x < info.width; x++) {
      const i = y * info.width + x;
      total += Math.abs((data[i] ?? 0) - (data[i - 1] ?? 0));
    }
  }
  return total / (info.height * (info.width - 1));
}

describe('screenshots: encoding', () => {
  it('encodes the full screen as WebP at its own size and a 320 px wide thumbnail, named by sha256', async () => {
    const encoded = await encodeScreenshot(await pngScreen(1600, 900, 1));
    const full = await sharp(encoded.image.bytes).metadata();
    expect([full.format, full.width, full.height]).toEqual(['webp', 1600, 900]);
    expect(encoded.image).toMatchObject({ width: 1600, height: 900, mimeType: 'image/webp' });
    const thumb = await sharp(encoded.thumbnail.bytes).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', thumbnailWidth, 180]);
    expect(encoded.image.hash).toBe(sha256(encoded.image.bytes));
    expect(encoded.thumbnail.hash).toBe(sha256(encoded.thumbnail.bytes));
    // The same screen encodes to the same bytes: content addressing stores it once.
    const again = await encodeScreenshot(await pngScreen(1600, 900, 1));
    expect(again.image.hash).toBe(encoded.image.hash);
  });

  it('never enlarges a screen narrower than a thumbnail', async () => {
    const encoded = await encodeScreenshot(await pngScreen(200, 150, 2));
    expect([encoded.thumbnail.width, encoded.thumbnail.height]).toEqual([200, 150]);
  });

  it('reads raw BGRA pixels (as Chromium hands them over) with red and blue in their places', async () => {
    const width = 40;
    const height = 20;
    const bgra = Buffer.alloc(width * height * 4);
    for (let p = 0; p < width * height; p++) bgra.set([0, 0, 255, 255], p * 4); // pure red
    const encoded = await encodeScreenshot({
      index: 1,
      width,
      height,
      image: { kind: 'bgra', bytes: bgra },
    });
    const { channels } = await sharp(encoded.image.bytes).stats();
    expect(channels[0]?.mean).toBeGreaterThan(240);
    expect(channels[2]?.mean).toBeLessThan(15);
    await expect(
      encodeScreenshot({
        index: 0,
        width,
        height,
        image: { kind: 'bgra', bytes: bgra.subarray(8) },
      }),
    ).rejects.toThrow(/needs 3200 bytes/);
  });

  it('blurs into new bytes that have lost their edges, at the same size', async () => {
    const original = await encodeScreenshot(await pngScreen(1280, 800, 3));
    const blurred = await blurScreenshot(original.image.bytes);
    expect(blurred.image.hash).not.toBe(original.image.hash);
    expect(blurred.thumbnail.hash).not.toBe(original.thumbnail.hash);
    expect([blurred.image.width, blurred.image.height]).toEqual([1280, 800]);
    expect(blurred.thumbnail.width).toBe(thumbnailWidth);
    const before = await edges(original.image.bytes);
    const after = await edges(blurred.image.bytes);
    // Stripes 4 px wide and sharp-edged blocks: a real blur leaves a small fraction of the edges.
    expect(after).toBeLessThan(before / 10);
    expect(await variance(blurred.image.bytes)).toBeLessThan(await variance(original.image.bytes));
  });
});

describe('screenshots: image files', () => {
  it('stores bytes under their sha256, atomically, once, and refuses damaged ones on read', async () => {
    const root = mkdtempSync(join(tmpdir(), 'megilance-shots-'));
    const files = imageFilesAt(root);
    const bytes = Buffer.from('not really a picture, but bytes are bytes');
    const hash = await files.put(bytes);
    expect(hash).toBe(sha256(bytes));
    expect(await files.put(bytes)).toBe(hash);
    const folder = join(root, hash.slice(0, 2));
    // One file, named by the hash, no partial file left behind.
    expect(readdirSync(folder)).toEqual([hash]);
    expect(readFileSync(join(folder, hash))).toEqual(bytes);
    expect(await files.read(hash)).toEqual(bytes);

    writeFileSync(join(folder, hash), 'changed behind our back');
    expect(await files.read(hash)).toBeNull();
    await files.remove(hash);
    expect(readdirSync(folder)).toEqual([]);
    expect(await files.read(hash)).toBeNull();
    await expect(files.read('../../etc/passwd')).rejects.toThrow(/Not a sha256/);
  });
});

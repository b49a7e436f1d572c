import { createHash } from 'node:crypto';
import sharp, { type Sharp } from 'sharp';
import type { CapturedScreen } from './capture.ts';

/**
 * Image work for screenshots, all through sharp: libvips runs it on libuv's thread pool, so
 * encoding a 4K screen never blocks the main process's event loop (IPC, the tracker's tick).
 */
export const thumbnailWidth = 320;
const webpQuality = 75;

export interface EncodedImage {
  bytes: Buffer;
  /** sha256 of `bytes`, hex: the file name and the blob name on the server. */
  hash: string;
  width: number;
  height: number;
  mimeType: 'image/webp';
}

export interface EncodedScreenshot {
  image: EncodedImage;
  thumbnail: EncodedImage;
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function input(screen: CapturedScreen): Sharp {
  if (screen.image.kind === 'encoded') return sharp(screen.image.bytes);
  const { width, height } = screen;
  if (screen.image.bytes.length !== width * height * 4) {
    throw new Error(`A ${width}×${height} BGRA capture needs ${width * height * 4} bytes.`);
  }
  // Swap B and R: libvips reads raw pixels as RGB(A).
  return sharp(screen.image.bytes, { raw: { width, height, channels: 4 } })
    .removeAlpha()
    .recomb([
      [0, 0, 1],
      [0, 1, 0],
      [1, 0, 0],
    ]);
}

async function toWebp(image: Sharp): Promise<EncodedImage> {
  const { data, info } = await image.webp({ quality: webpQuality }).toBuffer({
    resolveWithObject: true,
  });
  return {
    bytes: data,
    hash: sha256Hex(data),
    width: info.width,
    height: info.height,
    mimeType: 'image/webp',
  };
}

/** The full image at its own size, and a thumbnail `thumbnailWidth` wide (never enlarged). */
async function imageAndThumbnail(source: Buffer | Sharp): Promise<EncodedScreenshot> {
  const image = await toWebp(Buffer.isBuffer(source) ? sharp(source) : source);
  // The thumbnail comes from the decoded WebP, so it shows exactly what the full image shows.
  const thumbnail = await toWebp(
    sharp(image.bytes).resize({ width: thumbnailWidth, withoutEnlargement: true }),
  );
  return { image, thumbnail };
}

export async function encodeScreenshot(screen: CapturedScreen): Promise<EncodedScreenshot> {
  return imageAndThumbnail(input(screen));
}

/**
 * A blurred copy strong enough that text and faces are unreadable: the radius grows with the
 * image (1 % of its width, at least 8 px), so a 4K screen is as unreadable as a small one.
 */
export async function blurScreenshot(imageBytes: Buffer): Promise<EncodedScreenshot> {
  const { width } = await sharp(imageBytes).metadata();
  const sigma = Math.max(8, Math.round((width ?? 0) / 100));
  return imageAndThumbnail(sharp(imageBytes).blur(sigma));
}

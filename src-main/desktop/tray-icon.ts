import sharp from 'sharp';

/**
 * The tray icon, drawn here rather than shipped as files: a stopwatch dial, a grey ring while
 * stopped and a filled green dial while a timer runs, so the state reads at a glance in a
 * crowded tray. Drawn at 16 px and 32 px (the 2x representation), anti-aliased by sampling
 * each pixel 4×4 times.
 */
const stoppedColour = [0x5f, 0x6b, 0x7a] as const;
const runningColour = [0x2f, 0x9e, 0x44] as const;
const handColour = [0xff, 0xff, 0xff] as const;
const samples = 4;

/** Straight RGBA, row by row, `size`×`size`. */
export function timerIconPixels(size: number, running: boolean): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const centre = size / 2;
  const radius = size * 0.44;
  const ring = size * 0.13;
  const hand = size * 0.07;
  const dial = running ? runningColour : stoppedColour;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let dialHits = 0;
      let handHits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const px = x + (sx + 0.5) / samples - centre;
          const py = y + (sy + 0.5) / samples - centre;
          const distance = Math.hypot(px, py);
          if (distance > radius) continue;
          // Clock hands at three o'clock: a long one up, a short one right (not a power sign).
          const onLongHand = Math.abs(px) <= hand && py <= hand && py >= -(radius - ring * 1.4);
          const onShortHand = Math.abs(py) <= hand && px >= -hand && px <= radius * 0.5;
          const onHand = onLongHand || onShortHand;
          if (running) {
            if (onHand) handHits++;
            else dialHits++;
          } else if (distance >= radius - ring || onHand) {
            dialHits++;
          }
        }
      }
      const total = samples * samples;
      const alpha = (dialHits + handHits) / total;
      if (alpha === 0) continue;
      const offset = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) {
        const mixed = (dial[c]! * dialHits + handColour[c]! * handHits) / (dialHits + handHits);
        pixels[offset + c] = Math.round(mixed);
      }
      pixels[offset + 3] = Math.round(alpha * 255);
    }
  }
  return pixels;
}

export interface IconRepresentation {
  scaleFactor: number;
  png: Buffer;
}

/** PNGs at 1x (16 px) and 2x (32 px), for `nativeImage`. */
export async function timerIconPngs(running: boolean): Promise<IconRepresentation[]> {
  return Promise.all(
    [1, 2].map(async (scaleFactor) => {
      const size = 16 * scaleFactor;
      const png = await sharp(timerIconPixels(size, running), {
        raw: { width: size, height: size, channels: 4 },
      })
        .png()
        .toBuffer();
      return { scaleFactor, png };
    }),
  );
}

/**
 * Screen capture as a capability, like the tracker's clock and idle source: the Electron glue
 * feeds it from `desktopCapturer` (electron-capture.ts), tests from a real X server, and a host
 * that cannot capture says so instead of inventing images.
 */
export interface CapturedScreen {
  /** Which screen, from 0, in the host's display order. */
  index: number;
  width: number;
  height: number;
  /**
   * `encoded`: bytes of any format sharp reads (PNG from ImageMagick, JPEG…). `bgra`: raw
   * 8-bit pixels in B, G, R, A order, as Chromium's `NativeImage.toBitmap()` hands them over,
   * so the main thread never spends time encoding a PNG only to decode it again.
   */
  image: { kind: 'encoded'; bytes: Buffer } | { kind: 'bgra'; bytes: Buffer };
}

export interface ScreenCapture {
  /** False where the host cannot capture at all: screenshots are then never taken. */
  readonly available: boolean;
  /** Every screen at this moment; an empty list when there is nothing to capture. */
  capture(): Promise<CapturedScreen[]>;
}

/** The honest capture source of a host without one (the browser host). */
export const unavailableScreenCapture: ScreenCapture = {
  available: false,
  capture: () => Promise.reject(new Error('This host cannot capture the screen.')),
};

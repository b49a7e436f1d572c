import type { DesktopCapturer, Screen } from 'electron';
import type { CapturedScreen, ScreenCapture } from './capture.ts';

/**
 * Screen capture in Electron's main process: `desktopCapturer.getSources` with a thumbnail
 * as large as the largest display (in device pixels), so each screen's "thumbnail" is the
 * screen at full resolution. Only the types are imported here; the glue (index.ts) passes
 * Electron's objects in.
 *
 * The thumbnail leaves as JPEG at quality 92: Chromium's raw bitmap order is platform
 * specific, and JPEG costs the main thread a fraction of what PNG does (the WebP encoding
 * then happens off the event loop in sharp). A macOS user who has not granted screen
 * recording gets empty thumbnails: those are skipped, never stored as black pictures.
 */
export function electronScreenCapture(electron: {
  desktopCapturer: Pick<DesktopCapturer, 'getSources'>;
  screen: Pick<Screen, 'getAllDisplays'>;
}): ScreenCapture {
  return {
    available: true,
    async capture(): Promise<CapturedScreen[]> {
      const displays = electron.screen.getAllDisplays();
      const width = Math.max(1, ...displays.map((d) => Math.round(d.size.width * d.scaleFactor)));
      const height = Math.max(1, ...displays.map((d) => Math.round(d.size.height * d.scaleFactor)));
      const sources = await electron.desktopCapturer.getSources({
        types: ['screen'],
        thumbnailSize: { width, height },
      });
      const screens: CapturedScreen[] = [];
      for (const [order, source] of sources.entries()) {
        if (source.thumbnail.isEmpty()) continue;
        const size = source.thumbnail.getSize();
        const display = displays.findIndex((d) => String(d.id) === source.display_id);
        screens.push({
          index: Math.min(15, display >= 0 ? display : order),
          width: size.width,
          height: size.height,
          image: { kind: 'encoded', bytes: source.thumbnail.toJPEG(92) },
        });
      }
      return screens;
    },
  };
}

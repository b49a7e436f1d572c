import { useEffect, useState } from 'react';
import { megilance } from '../../platform/megilance.ts';
import { blobUrl } from '../messages/messages-api.ts';
import type { DiaryScreenshot } from './diary-model.ts';

/**
 * Where an image of a screenshot can be shown from. The freelancer's machine has the bytes
 * (handed over as a `data:` URL, the renderer cannot read the data folder); everyone else, and
 * the freelancer on another device, fetch the uploaded blob with the session's token.
 */
export type ImageState = { url: string } | { loading: true } | { failed: string };

async function imageUrl(shot: DiaryScreenshot, which: 'thumbnail' | 'image'): Promise<string> {
  const ref = shot[which];
  if (shot.local) {
    const local = await megilance().screenshots.image({ hash: ref.hash });
    if (local.ok) return local.value.dataUrl;
    // Gone here (deleted on disk, another profile): the server may still have it.
    if (shot.state === 'pending') throw new Error(local.problem.detail ?? local.problem.title);
  }
  return blobUrl(ref.hash, ref.mimeType);
}

export function useScreenshotImage(
  shot: DiaryScreenshot | null,
  which: 'thumbnail' | 'image',
): ImageState {
  const [state, setState] = useState<{ key: string; value: ImageState } | null>(null);
  const hash = shot?.[which].hash ?? null;
  const key = shot ? `${shot.id}:${hash}:${shot.local ? 'local' : 'server'}` : '';
  useEffect(() => {
    if (!shot) return;
    let live = true;
    imageUrl(shot, which).then(
      (url) => live && setState({ key, value: { url } }),
      (error: unknown) =>
        live &&
        setState({
          key,
          value: {
            failed:
              error instanceof Error && error.message
                ? error.message
                : 'The image could not be loaded.',
          },
        }),
    );
    return () => {
      live = false;
    };
    // The key names everything the image depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state && state.key === key ? state.value : { loading: true };
}

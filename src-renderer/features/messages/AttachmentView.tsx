import { Anchor, Image, Paper } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Attachment } from '../../../shared/sync/documents.ts';
import { readableError } from '../../api/problems.ts';
import { FileLine, type FileFetch } from './FileLine.tsx';
import { blobUrl } from './messages-api.ts';
import { formatBytes } from './messages-model.ts';

/** An attachment in a bubble: images as thumbnails, other files as a download link. */
export function AttachmentView({ attachment }: { attachment: Attachment }) {
  return attachment.mimeType.startsWith('image/') ? (
    <ImageAttachment attachment={attachment} />
  ) : (
    <FileCard attachment={attachment} fetching="idle" />
  );
}

/** Images are fetched as soon as they are shown (with the bearer token: an `<img>` has none). */
function ImageAttachment({ attachment }: { attachment: Attachment }) {
  const [loaded, setLoaded] = useState<FileFetch | { url: string }>('loading');
  useEffect(() => {
    let live = true;
    blobUrl(attachment.hash, attachment.mimeType).then(
      (url) => live && setLoaded({ url }),
      (error: unknown) => live && setLoaded({ failed: readableError(error) }),
    );
    return () => {
      live = false;
    };
  }, [attachment.hash, attachment.mimeType]);

  if (typeof loaded !== 'object' || !('url' in loaded)) {
    return <FileCard attachment={attachment} fetching={loaded} />;
  }
  return (
    <Anchor href={loaded.url} download={attachment.name} aria-label={downloadLabel(attachment)}>
      <Image
        src={loaded.url}
        alt={attachment.name}
        radius="sm"
        maw={260}
        mah={200}
        fit="contain"
        w="auto"
      />
    </Anchor>
  );
}

/** A file as a card: its name (a download button) and size, or why it could not be fetched. */
function FileCard({ attachment, fetching }: { attachment: Attachment; fetching: FileFetch }) {
  return (
    <Paper withBorder radius="sm" px="xs" py={6} bg="var(--mantine-color-body)" maw={280}>
      <FileLine
        file={attachment}
        details={formatBytes(attachment.size)}
        downloadLabel={downloadLabel(attachment)}
        fetching={fetching}
      />
    </Paper>
  );
}

const downloadLabel = (attachment: Attachment) =>
  `Download ${attachment.name}, ${formatBytes(attachment.size)}`;

import { Anchor, Box, Group, Image, Loader, Paper, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconFile, IconPhoto } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { Attachment } from '../../../shared/sync/documents.ts';
import { readableError } from '../../api/problems.ts';
import { blobUrl } from './messages-api.ts';
import { formatBytes } from './messages-model.ts';

type Loaded =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'ready'; url: string }
  | { state: 'failed'; reason: string };

/** An attachment in a bubble: images as thumbnails, other files as a download link. */
export function AttachmentView({ attachment }: { attachment: Attachment }) {
  return attachment.mimeType.startsWith('image/') ? (
    <ImageAttachment attachment={attachment} />
  ) : (
    <FileCard attachment={attachment} loaded={{ state: 'idle' }} />
  );
}

/** Images are fetched as soon as they are shown (with the bearer token: an `<img>` has none). */
function ImageAttachment({ attachment }: { attachment: Attachment }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    blobUrl(attachment.hash, attachment.mimeType).then(
      (url) => live && setLoaded({ state: 'ready', url }),
      (error: unknown) => live && setLoaded({ state: 'failed', reason: readableError(error) }),
    );
    return () => {
      live = false;
    };
  }, [attachment.hash, attachment.mimeType]);

  if (loaded.state !== 'ready') return <FileCard attachment={attachment} loaded={loaded} />;
  return (
    <Anchor
      href={loaded.url}
      download={attachment.name}
      aria-label={`Download ${attachment.name}, ${formatBytes(attachment.size)}`}
    >
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
function FileCard({ attachment, loaded }: { attachment: Attachment; loaded: Loaded }) {
  const [download, setDownload] = useState<Loaded>({ state: 'idle' });
  const shown = download.state === 'idle' ? loaded : download;
  const image = attachment.mimeType.startsWith('image/');

  const save = async () => {
    setDownload({ state: 'loading' });
    try {
      const link = document.createElement('a');
      link.href = await blobUrl(attachment.hash, attachment.mimeType);
      link.download = attachment.name;
      link.click();
      setDownload({ state: 'idle' });
    } catch (error) {
      setDownload({ state: 'failed', reason: readableError(error) });
    }
  };

  return (
    <Paper withBorder radius="sm" px="xs" py={6} bg="var(--mantine-color-body)" maw={280}>
      <Group gap="xs" wrap="nowrap">
        {image ? <IconPhoto size={18} aria-hidden /> : <IconFile size={18} aria-hidden />}
        <Box miw={0} style={{ flex: 1 }}>
          <Anchor
            component="button"
            type="button"
            size="sm"
            fw={500}
            truncate="end"
            maw="100%"
            aria-label={`Download ${attachment.name}, ${formatBytes(attachment.size)}`}
            onClick={() => void save()}
          >
            {attachment.name}
          </Anchor>
          <Text size="xs" c="dimmed">
            {formatBytes(attachment.size)}
          </Text>
        </Box>
        {shown.state === 'loading' && <Loader size="xs" aria-label="Loading" />}
        {shown.state === 'failed' && (
          <Tooltip label={shown.reason} multiline w={240}>
            <IconAlertTriangle
              size={16}
              color="var(--mantine-color-yellow-6)"
              aria-label={`Could not load ${attachment.name}: ${shown.reason}`}
            />
          </Tooltip>
        )}
      </Group>
    </Paper>
  );
}

import { Center, Image, Loader, Modal, Stack, Text } from '@mantine/core';
import { format } from 'date-fns';
import type { DiaryScreenshot } from './diary-model.ts';
import { useScreenshotImage } from './screenshot-images.ts';

/** The full screenshot, over the diary. */
export function ScreenshotViewer({
  shot,
  onClose,
}: {
  shot: DiaryScreenshot | null;
  onClose: () => void;
}) {
  const image = useScreenshotImage(shot, 'image');
  const title = shot
    ? `Screenshot at ${format(shot.takenAt, 'HH:mm:ss')}${shot.screen > 0 ? `, screen ${shot.screen + 1}` : ''}`
    : '';
  return (
    <Modal opened={shot !== null} onClose={onClose} title={title} size="auto" centered>
      {shot && (
        <Stack gap="xs">
          {'url' in image ? (
            <Image
              src={image.url}
              alt={title}
              maw="min(90vw, 1400px)"
              mah="75vh"
              fit="contain"
              data-testid="screenshot-full"
            />
          ) : 'loading' in image ? (
            <Center h={200} w={320}>
              <Loader aria-label="Loading the screenshot" />
            </Center>
          ) : (
            <Text c="red">{image.failed}</Text>
          )}
          <Text size="sm" c="dimmed">
            {shot.image.width} × {shot.image.height}
            {shot.activity === null ? ' · activity unavailable' : ` · ${shot.activity}% active`}
            {shot.blurred ? ' · blurred' : ''}
          </Text>
        </Stack>
      )}
    </Modal>
  );
}

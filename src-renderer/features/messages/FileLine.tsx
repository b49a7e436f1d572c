import { Anchor, Box, Group, Loader, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconFile, IconPhoto } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { readableError } from '../../api/problems.ts';
import { downloadFile } from './messages-api.ts';

/** Where a file's bytes are: nowhere asked for, on their way, or refused (and why). */
export type FileFetch = 'idle' | 'loading' | { failed: string };

/**
 * A stored file (a message's attachment, a project's file) as one line: its kind's icon, its
 * name as a button that saves it to disk, a line about it, and the download's progress or
 * why it failed. `fetching` is shown while no download is under way (the caller fetching the
 * bytes itself, for a thumbnail); `children` come last (the line's own actions).
 */
export function FileLine({
  file,
  details,
  downloadLabel = `Download ${file.name}`,
  fetching = 'idle',
  component = 'div',
  children,
}: {
  file: { hash: string; name: string; mimeType: string };
  details: ReactNode;
  downloadLabel?: string;
  fetching?: FileFetch;
  /** `li` when the line is an item of a list of files (then named by the file). */
  component?: 'div' | 'li';
  children?: ReactNode;
}) {
  const [download, setDownload] = useState<FileFetch>('idle');
  const shown = download === 'idle' ? fetching : download;
  const save = async () => {
    setDownload('loading');
    try {
      await downloadFile(file);
      setDownload('idle');
    } catch (error) {
      setDownload({ failed: readableError(error) });
    }
  };
  const Icon = file.mimeType.startsWith('image/') ? IconPhoto : IconFile;
  return (
    <Group
      component={component}
      gap="xs"
      wrap="nowrap"
      aria-label={component === 'li' ? file.name : undefined}
    >
      <Icon size={18} aria-hidden />
      <Box miw={0} style={{ flex: 1 }}>
        <Anchor
          component="button"
          type="button"
          size="sm"
          fw={500}
          truncate="end"
          maw="100%"
          aria-label={downloadLabel}
          onClick={() => void save()}
        >
          {file.name}
        </Anchor>
        <Text size="xs" c="dimmed">
          {details}
        </Text>
      </Box>
      {shown === 'loading' && <Loader size="xs" aria-label={`Downloading ${file.name}`} />}
      {typeof shown === 'object' && (
        <Tooltip label={shown.failed} multiline w={240}>
          <IconAlertTriangle
            size={16}
            color="var(--mantine-color-yellow-6)"
            aria-label={`Could not download ${file.name}: ${shown.failed}`}
          />
        </Tooltip>
      )}
      {children}
    </Group>
  );
}

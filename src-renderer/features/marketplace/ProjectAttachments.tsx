import {
  ActionIcon,
  Button,
  Card,
  FileButton,
  Group,
  Loader,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconPaperclip, IconTrash } from '@tabler/icons-react';
import { useEffect, useId, useRef, useState } from 'react';
import {
  MAX_PROJECT_ATTACHMENTS,
  type ProjectAttachment,
} from '../../../shared/marketplace/attachments.ts';
import { editableStatuses, type Project } from '../../../shared/marketplace/projects.ts';
import { readableError } from '../../api/problems.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { DismissibleAlert } from '../../ui/DismissibleAlert.tsx';
import { FileLine } from '../messages/FileLine.tsx';
import { uploadBlob } from '../messages/messages-api.ts';
import { formatBytes } from '../messages/messages-model.ts';
import { useSessionStore } from '../session/session-store.ts';
import {
  addProjectAttachment,
  listProjectAttachments,
  removeProjectAttachment,
} from './attachments-api.ts';
import {
  attachmentFailure,
  attachmentNameOf,
  fileTypeLabel,
  sortPickedFiles,
} from './project-attachments.ts';

type Uploading = { key: string; name: string };

/**
 * A project's files. Whoever sees the project downloads them; its client adds (each file is
 * uploaded, then attached by hash) and removes them while the project is a draft or open.
 * Refusals (too many, too big, no longer editable) are said in words and change nothing.
 */
export function ProjectAttachments({ project }: { project: Project }) {
  const me = useSessionStore((state) => state.user?.id);
  const owner = project.client.id === me;
  const editable = owner && editableStatuses.includes(project.status);
  const [items, setItems] = useState<ProjectAttachment[] | undefined>(project.attachments);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [uploading, setUploading] = useState<Uploading[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [removing, setRemoving] = useState<ProjectAttachment | null>(null);
  const [busy, setBusy] = useState(false);
  const resetPicker = useRef<() => void>(null);
  const headingId = useId();

  // Lists of projects carry no files; a single project's answer does.
  useEffect(() => {
    if (items !== undefined) return;
    let live = true;
    listProjectAttachments(project.id).then(
      (list) => live && setItems(list.items),
      (error: unknown) => live && setLoadError(readableError(error)),
    );
    return () => {
      live = false;
    };
  }, [items, project.id]);

  const attached = items ?? [];
  const count = attached.length + uploading.length;
  if (!owner && attached.length === 0 && !loadError) return null;

  const attach = async (files: File[]) => {
    resetPicker.current?.();
    const { accepted, refusals } = sortPickedFiles(files, count);
    setErrors(refusals);
    const queued = accepted.map((file) => ({ file, key: crypto.randomUUID() }));
    setUploading((current) => [
      ...current,
      ...queued.map(({ file, key }) => ({ key, name: file.name })),
    ]);
    // One at a time, in the order picked: the files keep that order on the project.
    for (const { file, key } of queued) {
      try {
        const stored = await uploadBlob(file);
        const added = await addProjectAttachment(project.id, {
          hash: stored.hash,
          name: attachmentNameOf(file.name),
        });
        setItems((current) => [...(current ?? []), added]);
      } catch (error) {
        setErrors((current) => [
          ...current,
          attachmentFailure(`Could not attach ${file.name}`, error),
        ]);
      } finally {
        setUploading((current) => current.filter((upload) => upload.key !== key));
      }
    }
  };

  const remove = async (file: ProjectAttachment) => {
    setBusy(true);
    try {
      await removeProjectAttachment(project.id, file.hash);
      setItems((current) => current?.filter((other) => other.hash !== file.hash));
    } catch (error) {
      setErrors([attachmentFailure(`Could not remove ${file.name}`, error)]);
    } finally {
      setBusy(false);
      setRemoving(null);
    }
  };

  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} fz={18} id={headingId}>
            Files
          </Title>
          {editable && (
            <FileButton
              onChange={(files) => void attach(files)}
              multiple
              name="project-attachments"
              resetRef={resetPicker}
            >
              {(props) => (
                <Button
                  variant="light"
                  size="xs"
                  leftSection={<IconPaperclip size={14} />}
                  disabled={count >= MAX_PROJECT_ATTACHMENTS}
                  {...props}
                >
                  Attach files
                </Button>
              )}
            </FileButton>
          )}
        </Group>
        {errors.length > 0 && (
          <DismissibleAlert onDismiss={() => setErrors([])}>
            <Stack gap={4}>
              {errors.map((error) => (
                <Text key={error} size="sm">
                  {error}
                </Text>
              ))}
            </Stack>
          </DismissibleAlert>
        )}
        {loadError && (
          <Text size="sm" c="red" role="alert">
            Could not load the files. {loadError}
          </Text>
        )}
        {items === undefined && !loadError && <Loader size="xs" aria-label="Loading the files" />}
        {items !== undefined && attached.length === 0 && uploading.length === 0 && (
          <Text size="sm" c="dimmed">
            No files attached.
          </Text>
        )}
        {(attached.length > 0 || uploading.length > 0) && (
          <Stack gap={6} component="ul" p={0} m={0} aria-label="Project files" style={listStyle}>
            {attached.map((file) => (
              <FileRow
                key={file.hash}
                file={file}
                onRemove={editable ? () => setRemoving(file) : undefined}
              />
            ))}
            {uploading.map((upload) => (
              <Group key={upload.key} component="li" gap="xs" wrap="nowrap">
                <Loader size={14} aria-hidden />
                <Text size="sm" c="dimmed">
                  Uploading {upload.name}…
                </Text>
              </Group>
            ))}
          </Stack>
        )}
        {owner && (
          <Text size="xs" c="dimmed">
            {editable
              ? `Up to ${MAX_PROJECT_ATTACHMENTS} files, 25 MB each. Everyone who can see the project can download them.`
              : 'Files can change only while the project is a draft or open.'}
          </Text>
        )}
      </Stack>
      <ConfirmDialog
        opened={removing !== null}
        title="Remove this file?"
        confirmLabel="Remove file"
        busy={busy}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && void remove(removing)}
      >
        {removing?.name} will no longer be on the project.
      </ConfirmDialog>
    </Card>
  );
}

function FileRow({ file, onRemove }: { file: ProjectAttachment; onRemove?: () => void }) {
  return (
    <FileLine
      component="li"
      file={file}
      details={`${formatBytes(file.size)} · ${fileTypeLabel(file.mimeType)}`}
    >
      {onRemove && (
        <ActionIcon
          variant="subtle"
          color="red"
          aria-label={`Remove ${file.name}`}
          onClick={onRemove}
        >
          <IconTrash size={16} />
        </ActionIcon>
      )}
    </FileLine>
  );
}

const listStyle = { listStyle: 'none' } as const;

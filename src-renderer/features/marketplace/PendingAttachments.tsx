import { Button, FileButton, Group, Loader, Pill, Stack, Text } from '@mantine/core';
import { IconPaperclip } from '@tabler/icons-react';
import { useId, useRef, useState } from 'react';
import { MAX_PROJECT_ATTACHMENTS } from '../../../shared/marketplace/attachments.ts';
import { readableError } from '../../api/problems.ts';
import { DismissibleAlert } from '../../ui/DismissibleAlert.tsx';
import { uploadBlob } from '../messages/messages-api.ts';
import { formatBytes } from '../messages/messages-model.ts';
import { addProjectAttachment } from './attachments-api.ts';
import { attachmentFailure, attachmentNameOf, sortPickedFiles } from './project-attachments.ts';

type PendingFile = { key: string; name: string; size: number } & (
  { state: 'uploading' } | { state: 'ready'; hash: string }
);

export type PendingAttachments = ReturnType<typeof usePendingAttachments>;

/**
 * Files picked while a project is being written. A project must exist before files can be
 * attached to it, so each file is uploaded at once (the bytes wait on the server) and
 * attached right after the project is created. Until then they stay here, even when saving
 * the project is refused.
 */
export function usePendingAttachments() {
  const [files, setFiles] = useState<PendingFile[]>([]);
  const [refusals, setRefusals] = useState<string[]>([]);

  const add = (picked: File[]) => {
    const { accepted, refusals: refused } = sortPickedFiles(picked, files.length);
    setRefusals(refused);
    for (const file of accepted) {
      const key = crypto.randomUUID();
      const name = attachmentNameOf(file.name);
      setFiles((current) => [...current, { key, name, size: file.size, state: 'uploading' }]);
      uploadBlob(file).then(
        (stored) =>
          setFiles((current) =>
            current.map((pending) =>
              pending.key === key
                ? { key, name, size: stored.size, state: 'ready', hash: stored.hash }
                : pending,
            ),
          ),
        (error: unknown) => {
          setFiles((current) => current.filter((pending) => pending.key !== key));
          setRefusals((current) => [
            ...current,
            `Could not upload ${file.name}. ${readableError(error)}`,
          ]);
        },
      );
    }
  };

  const remove = (key: string) =>
    setFiles((current) => current.filter((pending) => pending.key !== key));

  /** Attaches every uploaded file, in order; answers what could not be attached, and why. */
  const attachTo = async (projectId: string): Promise<string[]> => {
    const failures: string[] = [];
    for (const file of files) {
      if (file.state !== 'ready') continue;
      try {
        await addProjectAttachment(projectId, { hash: file.hash, name: file.name });
      } catch (error) {
        failures.push(attachmentFailure(`${file.name} was not attached`, error));
      }
    }
    setFiles([]);
    return failures;
  };

  return {
    files,
    refusals,
    uploading: files.some((file) => file.state === 'uploading'),
    add,
    remove,
    attachTo,
    dismissRefusals: () => setRefusals([]),
  };
}

/** The form's "Files" field: pick, see each upload finish, take one back. */
export function PendingAttachmentsField({ pending }: { pending: PendingAttachments }) {
  const resetPicker = useRef<() => void>(null);
  const labelId = useId();
  const full = pending.files.length >= MAX_PROJECT_ATTACHMENTS;
  return (
    <Stack gap={6} role="group" aria-labelledby={labelId}>
      <div>
        <Text size="sm" fw={500} id={labelId}>
          Files
        </Text>
        <Text size="xs" c="dimmed">
          Optional: briefs, designs, data. Up to {MAX_PROJECT_ATTACHMENTS} files, 25 MB each; they
          are attached once the project is saved.
        </Text>
      </div>
      {pending.refusals.length > 0 && (
        <DismissibleAlert compact onDismiss={pending.dismissRefusals}>
          {pending.refusals.map((refusal) => (
            <Text key={refusal} size="sm">
              {refusal}
            </Text>
          ))}
        </DismissibleAlert>
      )}
      {pending.files.length > 0 && (
        <Group gap={6} role="list" aria-label="Files to attach">
          {pending.files.map((file) => (
            <Pill
              key={file.key}
              role="listitem"
              withRemoveButton={file.state === 'ready'}
              removeButtonProps={{ 'aria-label': `Remove ${file.name}` }}
              onRemove={() => pending.remove(file.key)}
            >
              <Group gap={4} wrap="nowrap">
                {file.state === 'uploading' && (
                  <Loader size={10} aria-label={`Uploading ${file.name}`} />
                )}
                {file.name} ({formatBytes(file.size)})
              </Group>
            </Pill>
          ))}
        </Group>
      )}
      <Group>
        <FileButton
          onChange={(files) => {
            resetPicker.current?.();
            pending.add(files);
          }}
          multiple
          name="project-attachments"
          resetRef={resetPicker}
        >
          {(props) => (
            <Button
              variant="default"
              size="xs"
              leftSection={<IconPaperclip size={14} />}
              disabled={full}
              {...props}
            >
              Add files
            </Button>
          )}
        </FileButton>
      </Group>
    </Stack>
  );
}

import {
  ActionIcon,
  FileButton,
  Group,
  Loader,
  Pill,
  Stack,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { IconPaperclip, IconSend2 } from '@tabler/icons-react';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Attachment } from '../../../shared/sync/documents.ts';
import { readableError } from '../../api/problems.ts';
import { DismissibleAlert } from '../../ui/DismissibleAlert.tsx';
import type { SyncEngine } from '../../sync/engine.ts';
import { maxAttachmentBytes, uploadBlob } from './messages-api.ts';
import { sendMessage } from './messages-data.ts';
import { formatBytes } from './messages-model.ts';

/** How long after the last keystroke "is typing…" ends on the other side. */
const typingIdleMs = 3000;
/** A typing "yes" is repeated at most this often while the person keeps typing. */
const typingRepeatMs = 2000;

type Upload = { key: string; name: string } & (
  { state: 'uploading' } | { state: 'ready'; attachment: Attachment }
);

/**
 * Writes a message: Enter sends, Shift+Enter starts a new line. Files are uploaded as soon as
 * they are picked (the server must hold the bytes before a message may point at them), so an
 * attachment needs a connection; text does not, it waits in this device's outbox.
 */
export function Composer({
  engine,
  conversationId,
  recipientLabel,
  onSent,
}: {
  engine: SyncEngine;
  conversationId: string;
  recipientLabel: string;
  onSent: () => void;
}) {
  const [body, setBody] = useState('');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [error, setError] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const typing = useTyping(engine, conversationId);

  // Each thread mounts its own composer (keyed by conversation): ready to type into.
  useEffect(() => {
    textarea.current?.focus();
  }, [conversationId]);

  const ready = uploads.flatMap((upload) => (upload.state === 'ready' ? [upload.attachment] : []));
  const uploading = uploads.some((upload) => upload.state === 'uploading');
  const canSend = !uploading && (body.trim().length > 0 || ready.length > 0);

  /**
   * The composer empties at once, so the next message can be typed while this one is being
   * written to the database; if the write fails, its text and files come back (unless the
   * person already typed something new).
   */
  const send = async () => {
    if (!canSend) return;
    const text = body.trim();
    const sent = uploads;
    setBody('');
    setUploads([]);
    setError(null);
    typing.stop();
    try {
      await sendMessage(engine, conversationId, text, ready);
      onSent();
    } catch (sendError) {
      setBody((current) => (current.trim() ? current : text));
      setUploads((current) => (current.length > 0 ? current : sent));
      setError(readableError(sendError));
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void send();
  };

  const attach = (files: File[]) => {
    setError(null);
    const room = 10 - uploads.length;
    if (files.length > room) setError('A message can carry at most 10 files.');
    for (const file of files.slice(0, Math.max(0, room))) {
      if (file.size > maxAttachmentBytes) {
        setError(
          `${file.name} is ${formatBytes(file.size)}; a message can carry files up to 25 MB.`,
        );
        continue;
      }
      const key = crypto.randomUUID();
      setUploads((current) => [...current, { key, name: file.name, state: 'uploading' }]);
      uploadBlob(file).then(
        (stored) =>
          setUploads((current) =>
            current.map((upload) =>
              upload.key === key
                ? {
                    key,
                    name: file.name,
                    state: 'ready',
                    attachment: {
                      hash: stored.hash,
                      name: file.name.slice(0, 255) || 'file',
                      size: stored.size,
                      mimeType: stored.mimeType,
                    },
                  }
                : upload,
            ),
          ),
        (uploadError: unknown) => {
          setUploads((current) => current.filter((upload) => upload.key !== key));
          setError(`Could not attach ${file.name}. ${readableError(uploadError)}`);
        },
      );
    }
  };

  return (
    <Stack gap={6} p="sm" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
      {error && (
        <DismissibleAlert compact onDismiss={() => setError(null)}>
          {error}
        </DismissibleAlert>
      )}
      {uploads.length > 0 && (
        <Group gap={6} role="group" aria-label="Files to send">
          {uploads.map((upload) => (
            <Pill
              key={upload.key}
              withRemoveButton={upload.state === 'ready'}
              removeButtonProps={{ 'aria-label': `Remove ${upload.name}` }}
              onRemove={() =>
                setUploads((current) => current.filter((item) => item.key !== upload.key))
              }
            >
              <Group gap={4} wrap="nowrap">
                {upload.state === 'uploading' && (
                  <Loader size={10} aria-label={`Uploading ${upload.name}`} />
                )}
                {upload.name}
              </Group>
            </Pill>
          ))}
        </Group>
      )}
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <FileButton onChange={attach} multiple>
          {(props) => (
            <Tooltip label="Attach files (up to 25 MB each)">
              <ActionIcon variant="subtle" size={38} aria-label="Attach files" {...props}>
                <IconPaperclip size={20} stroke={1.6} />
              </ActionIcon>
            </Tooltip>
          )}
        </FileButton>
        <Textarea
          ref={textarea}
          aria-label="Message"
          placeholder={`Message ${recipientLabel}`}
          autosize
          minRows={1}
          maxRows={8}
          maxLength={10_000}
          value={body}
          onChange={(event) => {
            setBody(event.currentTarget.value);
            if (event.currentTarget.value.trim()) typing.keystroke();
            else typing.stop();
          }}
          onKeyDown={onKeyDown}
          onBlur={typing.stop}
          style={{ flex: 1 }}
        />
        <Tooltip label="Send (Enter). Shift+Enter starts a new line.">
          <ActionIcon size={38} aria-label="Send" onClick={() => void send()} disabled={!canSend}>
            <IconSend2 size={18} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </Stack>
  );
}

/** "Is typing" for the others: sent on the first keystroke, ended after 3 s without one. */
function useTyping(engine: SyncEngine, conversationId: string) {
  const state = useRef<{ sentAt: number; idle: ReturnType<typeof setTimeout> | null }>({
    sentAt: 0,
    idle: null,
  });

  const stop = () => {
    const current = state.current;
    if (current.idle) clearTimeout(current.idle);
    current.idle = null;
    if (current.sentAt !== 0) {
      current.sentAt = 0;
      engine.setTyping(conversationId, false);
    }
  };

  const keystroke = () => {
    const current = state.current;
    const now = Date.now();
    if (now - current.sentAt > typingRepeatMs) {
      current.sentAt = now;
      engine.setTyping(conversationId, true);
    }
    if (current.idle) clearTimeout(current.idle);
    current.idle = setTimeout(stop, typingIdleMs);
  };

  // Leaving the thread (or the conversation changing) ends the typing there.
  useEffect(() => {
    const current = state.current;
    return () => {
      if (current.idle) clearTimeout(current.idle);
      current.idle = null;
      if (current.sentAt !== 0) {
        current.sentAt = 0;
        engine.setTyping(conversationId, false);
      }
    };
  }, [engine, conversationId]);

  return { keystroke, stop };
}

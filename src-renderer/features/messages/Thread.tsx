import {
  ActionIcon,
  Box,
  Button,
  Center,
  Divider,
  Group,
  Loader,
  Menu,
  Paper,
  ScrollArea,
  Stack,
  Text,
  Textarea,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDocumentVisibility } from '@mantine/hooks';
import {
  IconAlertCircle,
  IconCheck,
  IconChecks,
  IconClockHour3,
  IconDots,
  IconMessageCircleQuestion,
  IconPencil,
  IconTrash,
} from '@tabler/icons-react';
import {
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
} from 'react';
import type { ConversationDocument, MessageDocument } from '../../../shared/sync/documents.ts';
import { readableError } from '../../api/problems.ts';
import type { SyncEngine } from '../../sync/engine.ts';
import { useSyncEngine } from '../../sync/SyncProvider.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { AttachmentView } from './AttachmentView.tsx';
import { Composer } from './Composer.tsx';
import {
  deleteMessage,
  editMessage,
  markReceipts,
  useConversation,
  useDeviceOffline,
  useFailed,
  usePendingIds,
  usePresence,
  useThreadMessages,
  useTypingUserIds,
} from './messages-data.ts';
import {
  conversationTitle,
  editProblem,
  formatTime,
  isUnreadBy,
  maxMessageLength,
  otherParticipants,
  ownMessageStatus,
  ownStatusLabels,
  participantName,
  threadItems,
  typingLine,
  type OwnMessageStatus,
} from './messages-model.ts';
import { PresenceAvatar } from './PresenceAvatar.tsx';

/** One conversation: who it is with, its messages by day, and the composer. */
export function ThreadPane({
  conversationId,
  focusMessageId,
}: {
  conversationId: string;
  focusMessageId: string | undefined;
}) {
  const engine = useSyncEngine();
  const conversation = useConversation(conversationId);
  if (!engine || conversation === undefined) {
    return (
      <Center h="100%">
        <Loader aria-label="Opening the conversation" />
      </Center>
    );
  }
  if (conversation === null) {
    return (
      <Center h="100%" p="xl">
        <Stack align="center" gap={6} ta="center" maw={360}>
          <IconMessageCircleQuestion size={32} stroke={1.4} aria-hidden />
          <Text fw={600}>This conversation is not on this device</Text>
          <Text size="sm" c="dimmed">
            It may still be on its way from the server, or you are not one of its participants.
          </Text>
        </Stack>
      </Center>
    );
  }
  return (
    <Thread
      key={conversation.id}
      engine={engine}
      conversation={conversation}
      focusMessageId={focusMessageId}
    />
  );
}

function Thread({
  engine,
  conversation,
  focusMessageId,
}: {
  engine: SyncEngine;
  conversation: ConversationDocument;
  focusMessageId: string | undefined;
}) {
  const me = engine.userId;
  const messages = useThreadMessages(conversation.id);
  const pendingIds = usePendingIds();
  const failed = useFailed();
  const presence = usePresence();
  const visibility = useDocumentVisibility();
  const title = conversationTitle(conversation, me);
  const others = otherParticipants(conversation, me);
  const direct = others.length === 1 ? others[0] : undefined;
  // Offline, this device cannot know who else is connected: say so rather than guess.
  const deviceOffline = useDeviceOffline();
  const online = direct && !deviceOffline ? (presence.get(direct.id) ?? false) : undefined;
  const typing = typingLine(
    useTypingUserIds(conversation.id).map((id) => participantName(conversation, id)),
  );
  const items = useMemo(() => threadItems(messages ?? []), [messages]);

  // Shown is read: whatever arrives while the thread is on screen is read at once.
  useEffect(() => {
    if (!messages || visibility !== 'visible') return;
    const unread = messages.filter((message) => isUnreadBy(message, me)).map((m) => m.id);
    if (unread.length > 0) {
      markReceipts(engine, unread, true).catch(() => {
        // The database is closing (signed out): nothing to mark any more.
      });
    }
  }, [engine, me, messages, visibility]);

  const viewport = useRef<HTMLDivElement>(null);
  const scroll = useThreadScroll(viewport, messages, me, focusMessageId);

  return (
    <Stack gap={0} h="100%" miw={0} style={{ flex: 1 }}>
      <Group
        gap="sm"
        px="md"
        py="sm"
        wrap="nowrap"
        style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      >
        <PresenceAvatar name={title} online={online} size={36} />
        <Box miw={0}>
          <Title order={2} fz="md" lh={1.3} lineClamp={1}>
            {title}
          </Title>
          <Text size="xs" c="dimmed" data-testid="thread-presence">
            {direct && deviceOffline
              ? 'You are offline'
              : online === undefined
                ? `${conversation.participants.length} people`
                : online
                  ? 'Online'
                  : 'Offline'}
          </Text>
        </Box>
      </Group>

      <ScrollArea
        viewportRef={viewport}
        onScrollPositionChange={scroll.onScroll}
        style={{ flex: 1 }}
        type="auto"
        offsetScrollbars
      >
        <Box
          role="log"
          aria-label={`Messages with ${title}`}
          aria-busy={messages === null}
          px="md"
          py="sm"
        >
          {messages === null ? (
            <Center py="xl">
              <Loader size="sm" aria-label="Loading messages" />
            </Center>
          ) : messages.length === 0 ? (
            <Text size="sm" c="dimmed" ta="center" py="xl">
              No messages yet. Say hello to {title}.
            </Text>
          ) : (
            items.map((item) =>
              item.kind === 'day' ? (
                <Divider
                  key={item.key}
                  my="sm"
                  label={item.label}
                  labelPosition="center"
                  role="separator"
                  aria-label={item.label}
                />
              ) : (
                <MessageBubble
                  key={item.key}
                  message={item.message}
                  mine={item.message.senderId === me}
                  senderName={participantName(conversation, item.message.senderId)}
                  showSender={item.firstOfRun && others.length > 1}
                  spaced={item.firstOfRun}
                  status={
                    item.message.senderId === me
                      ? ownMessageStatus(item.message, pendingIds, failed)
                      : null
                  }
                  focused={item.message.id === focusMessageId}
                  onRetry={() => engine.retry()}
                  onDiscard={() => void engine.discard(item.message.id)}
                  actions={
                    item.message.senderId === me
                      ? {
                          edit: (body) => editMessage(engine, item.message.id, body),
                          remove: () => deleteMessage(engine, item.message.id),
                        }
                      : null
                  }
                />
              ),
            )
          )}
        </Box>
      </ScrollArea>

      <Text
        size="xs"
        c="dimmed"
        fs="italic"
        px="md"
        h={20}
        aria-live="polite"
        data-testid="typing-indicator"
      >
        {typing ?? ''}
      </Text>
      <Composer
        engine={engine}
        conversationId={conversation.id}
        recipientLabel={title}
        onSent={scroll.toBottom}
      />
    </Stack>
  );
}

/** What I can do to a message: only to my own (the server refuses the rest anyway). */
type MessageActions = {
  /** Resolves false when the text did not change. */
  edit(body: string): Promise<boolean>;
  remove(): Promise<void>;
};

function MessageBubble({
  message,
  mine,
  senderName,
  showSender,
  spaced,
  status,
  focused,
  onRetry,
  onDiscard,
  actions,
}: {
  message: MessageDocument;
  mine: boolean;
  senderName: string;
  showSender: boolean;
  spaced: boolean;
  status: OwnMessageStatus | null;
  focused: boolean;
  onRetry: () => void;
  onDiscard: () => void;
  actions: MessageActions | null;
}) {
  const failed = status?.kind === 'failed';
  const [editing, setEditing] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // The actions button shows while the pointer is over the message or focus is inside it.
  const [hovered, setHovered] = useState(false);
  const [focusInside, setFocusInside] = useState(false);
  const [menuOpened, setMenuOpened] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const focusMenuButton = useRef(false);

  // Back from the editor: focus returns to where it came from.
  useEffect(() => {
    if (editing || !focusMenuButton.current) return;
    focusMenuButton.current = false;
    menuButton.current?.focus();
  }, [editing]);

  const closeEditor = () => {
    focusMenuButton.current = true;
    setEditing(false);
  };
  const save = async (body: string) => {
    if (!actions) return;
    await actions.edit(body);
    closeEditor();
  };
  const remove = async () => {
    if (!actions) return;
    setDeleting(true);
    try {
      await actions.remove();
      // Gone from the database: this bubble unmounts with it.
    } catch (error) {
      setProblem(readableError(error));
      setDeleting(false);
      setConfirmingDelete(false);
    }
  };
  const onBlur = (event: FocusEvent<HTMLElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget)) setFocusInside(false);
  };

  const bubble = (
    <Paper
      px="sm"
      py={6}
      radius="lg"
      maw={actions ? undefined : 'min(560px, 80%)'}
      miw={0}
      bg={mine ? 'var(--mantine-primary-color-filled)' : 'var(--mantine-color-gray-light)'}
      c={mine ? 'var(--mantine-primary-color-contrast)' : undefined}
      style={{
        borderBottomRightRadius: mine ? 4 : undefined,
        borderBottomLeftRadius: mine ? undefined : 4,
        outline: failed
          ? '2px solid var(--mantine-color-red-filled)'
          : focused
            ? '3px solid var(--mantine-color-yellow-5)'
            : undefined,
        outlineOffset: 2,
        opacity: status?.kind === 'pending' ? 0.8 : undefined,
      }}
    >
      {message.body && (
        <Text
          size="sm"
          style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
          data-testid="message-body"
        >
          {message.body}
        </Text>
      )}
      {message.attachments.length > 0 && (
        <Stack gap={6} mt={message.body ? 6 : 0} c="var(--mantine-color-text)">
          {message.attachments.map((attachment) => (
            <AttachmentView key={attachment.hash + attachment.name} attachment={attachment} />
          ))}
        </Stack>
      )}
    </Paper>
  );

  return (
    <Box
      component="article"
      aria-label={mine ? 'Your message' : `Message from ${senderName}`}
      data-message-id={message.id}
      data-status={status?.kind}
      data-edited={message.editedAt ? 'true' : undefined}
      mt={spaced ? 'sm' : 4}
      style={{
        display: 'flex',
        flexDirection: 'column',
        alignItems: mine ? 'flex-end' : 'flex-start',
      }}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocusInside(true)}
      onBlur={onBlur}
    >
      {showSender && !mine && (
        <Text size="xs" c="dimmed" mb={2} ml={4}>
          {senderName}
        </Text>
      )}
      {editing ? (
        <MessageEditor message={message} onSave={save} onCancel={closeEditor} />
      ) : actions ? (
        <Group
          gap={6}
          wrap="nowrap"
          justify="flex-end"
          align="center"
          maw="min(592px, 85%)"
          style={{ alignSelf: 'flex-end' }}
        >
          <Menu
            position="bottom-end"
            width={160}
            withinPortal
            opened={menuOpened}
            onChange={setMenuOpened}
          >
            <Menu.Target>
              <ActionIcon
                ref={menuButton}
                variant="subtle"
                color="gray"
                radius="xl"
                size="md"
                aria-label="Message actions"
                style={{
                  flexShrink: 0,
                  opacity: hovered || focusInside || menuOpened ? 1 : 0,
                  transition: 'opacity 120ms ease',
                }}
              >
                <IconDots size={16} aria-hidden />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item
                leftSection={<IconPencil size={16} stroke={1.6} aria-hidden />}
                onClick={() => {
                  setProblem(null);
                  setEditing(true);
                }}
              >
                Edit
              </Menu.Item>
              <Menu.Item
                color="red"
                leftSection={<IconTrash size={16} stroke={1.6} aria-hidden />}
                onClick={() => {
                  setProblem(null);
                  setConfirmingDelete(true);
                }}
              >
                Delete
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
          {bubble}
        </Group>
      ) : (
        bubble
      )}
      <Group gap={6} mt={2} px={4} wrap="nowrap">
        <Tooltip label={formatDateTime(message.sentAt)} openDelay={400}>
          <Text size="xs" c="dimmed" component="time" dateTime={message.sentAt}>
            {formatTime(message.sentAt)}
          </Text>
        </Tooltip>
        {message.editedAt && (
          <Tooltip label={`Edited ${formatDateTime(message.editedAt)}`} openDelay={400}>
            <Text size="xs" c="dimmed" data-testid="message-edited">
              (edited)
            </Text>
          </Tooltip>
        )}
        {status && <StatusMark status={status} onRetry={onRetry} onDiscard={onDiscard} />}
      </Group>
      {problem && (
        <Text size="xs" c="red" role="alert" px={4}>
          {problem}
        </Text>
      )}
      {actions && (
        <ConfirmDialog
          opened={confirmingDelete}
          title="Delete message?"
          confirmLabel="Delete"
          busy={deleting}
          onConfirm={() => void remove()}
          onCancel={() => setConfirmingDelete(false)}
        >
          It goes from this conversation on every device, yours and theirs, as soon as they are
          online.
        </ConfirmDialog>
      )}
    </Box>
  );
}

/** Edits a message's text in place: Enter saves, Shift+Enter starts a new line, Esc cancels. */
function MessageEditor({
  message,
  onSave,
  onCancel,
}: {
  message: MessageDocument;
  onSave: (body: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(message.body);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.focus();
    element.setSelectionRange(element.value.length, element.value.length);
  }, []);

  const save = async () => {
    const invalid = editProblem(draft, message);
    if (invalid) {
      setProblem(invalid);
      return;
    }
    setSaving(true);
    try {
      await onSave(draft);
    } catch (error) {
      setProblem(readableError(error));
      setSaving(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    if (!saving) void save();
  };

  return (
    <Paper withBorder radius="lg" p="xs" w="min(560px, 80%)" shadow="xs">
      <Textarea
        ref={textarea}
        aria-label="Edit message"
        autosize
        minRows={1}
        maxRows={8}
        maxLength={maxMessageLength}
        value={draft}
        error={problem}
        onChange={(event) => {
          setDraft(event.currentTarget.value);
          setProblem(null);
        }}
        onKeyDown={onKeyDown}
      />
      <Group justify="space-between" gap="xs" mt={6} wrap="nowrap">
        <Text size="xs" c="dimmed">
          Enter to save · Esc to cancel
        </Text>
        <Group gap={6} wrap="nowrap">
          <Button size="compact-sm" variant="default" onClick={onCancel} disabled={saving}>
            Cancel
          </Button>
          <Button size="compact-sm" onClick={() => void save()} loading={saving}>
            Save
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}

function StatusMark({
  status,
  onRetry,
  onDiscard,
}: {
  status: OwnMessageStatus;
  onRetry: () => void;
  onDiscard: () => void;
}) {
  const label = ownStatusLabels[status.kind];
  switch (status.kind) {
    case 'pending':
      return (
        <Group gap={3} wrap="nowrap" c="dimmed" data-testid="message-status">
          <IconClockHour3 size={13} aria-hidden />
          <Text size="xs">{label}</Text>
        </Group>
      );
    case 'failed':
      return (
        <Group gap={6} wrap="nowrap" data-testid="message-status">
          <IconAlertCircle size={14} color="var(--mantine-color-red-text)" aria-hidden />
          <Text size="xs" c="red" role="alert">
            {label}: {status.reason}
          </Text>
          <Button size="compact-xs" variant="light" color="red" onClick={onRetry}>
            Retry
          </Button>
          <Button size="compact-xs" variant="subtle" color="gray" onClick={onDiscard}>
            Discard
          </Button>
        </Group>
      );
    case 'sent':
      return (
        <Text size="xs" c="dimmed" data-testid="message-status">
          {label}
        </Text>
      );
    case 'delivered':
    case 'read': {
      const Icon = status.kind === 'read' ? IconChecks : IconCheck;
      return (
        <Tooltip label={label} openDelay={300}>
          <Group
            gap={0}
            c={status.kind === 'read' ? 'var(--mantine-primary-color-filled)' : 'dimmed'}
            data-testid="message-status"
          >
            <Icon size={15} stroke={2} aria-hidden />
            <VisuallyHidden>{label}</VisuallyHidden>
          </Group>
        </Tooltip>
      );
    }
  }
}

/**
 * Where the thread is scrolled: at the newest message when it opens (or at the message a
 * search pointed to), following new messages while the reader is at the bottom, and staying
 * put while they read further up.
 */
function useThreadScroll(
  viewport: React.RefObject<HTMLDivElement | null>,
  messages: MessageDocument[] | null,
  me: string,
  focusMessageId: string | undefined,
) {
  const atBottom = useRef(true);
  const opened = useRef(false);
  const lastSeen = useRef<string | null>(null);

  const toBottom = () => {
    const element = viewport.current;
    if (element) element.scrollTo({ top: element.scrollHeight });
    atBottom.current = true;
  };

  useLayoutEffect(() => {
    const element = viewport.current;
    if (!element || !messages) return;
    const newest = messages.at(-1);
    const focus = focusMessageId
      ? element.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(focusMessageId)}"]`)
      : null;
    if (!opened.current) {
      opened.current = true;
      if (focus) focus.scrollIntoView({ block: 'center' });
      else element.scrollTo({ top: element.scrollHeight });
    } else if (newest && newest.id !== lastSeen.current) {
      if (atBottom.current || newest.senderId === me)
        element.scrollTo({ top: element.scrollHeight });
    }
    lastSeen.current = newest?.id ?? null;
  }, [viewport, messages, me, focusMessageId]);

  // A search result chosen while the thread is open.
  useEffect(() => {
    if (!focusMessageId) return;
    viewport.current
      ?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(focusMessageId)}"]`)
      ?.scrollIntoView({ block: 'center' });
  }, [viewport, focusMessageId]);

  const onScroll = ({ y }: { x: number; y: number }) => {
    const element = viewport.current;
    if (!element) return;
    atBottom.current = element.scrollHeight - (y + element.clientHeight) < 80;
  };

  return { toBottom, onScroll };
}

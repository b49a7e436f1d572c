import { Badge, Group, Highlight, Skeleton, Stack, Text } from '@mantine/core';
import { IconMessages, IconSearch } from '@tabler/icons-react';
import { NavLinkLink } from '../../ui/links.tsx';
import {
  useConversationSummaries,
  useDeviceOffline,
  useMessageSearch,
  usePresence,
  useTypingUserIds,
  type ConversationSummary,
} from './messages-data.ts';
import {
  conversationTitle,
  formatListTime,
  messagePreview,
  otherParticipants,
  participantName,
  typingLine,
} from './messages-model.ts';
import { PresenceAvatar } from './PresenceAvatar.tsx';

const rowStyles = {
  root: { borderRadius: 'var(--mantine-radius-md)', paddingBlock: 10 },
  label: { fontWeight: 600 },
  body: { minWidth: 0 },
} as const;

/** The conversations of this account, most recently active first. */
export function ConversationList({ me, activeId }: { me: string; activeId: string | null }) {
  const summaries = useConversationSummaries();
  if (summaries === null) {
    return (
      <Stack gap="xs" p="xs" aria-busy="true" aria-label="Loading conversations">
        {[0, 1, 2].map((row) => (
          <Skeleton key={row} height={56} radius="md" />
        ))}
      </Stack>
    );
  }
  if (summaries.length === 0) {
    return (
      <Stack align="center" gap={6} p="lg" ta="center">
        <IconMessages size={28} stroke={1.4} aria-hidden color="var(--mantine-color-dimmed)" />
        <Text size="sm" fw={600}>
          No conversations yet
        </Text>
        <Text size="xs" c="dimmed">
          Start one with the email address of someone you work with.
        </Text>
      </Stack>
    );
  }
  return (
    <Stack
      gap={2}
      p={6}
      component="ul"
      m={0}
      aria-label="Conversations"
      style={{ listStyle: 'none' }}
    >
      {summaries.map((summary) => (
        <li key={summary.conversation.id}>
          <ConversationRow
            summary={summary}
            me={me}
            active={summary.conversation.id === activeId}
          />
        </li>
      ))}
    </Stack>
  );
}

function ConversationRow({
  summary,
  me,
  active,
}: {
  summary: ConversationSummary;
  me: string;
  active: boolean;
}) {
  const { conversation, last, unread } = summary;
  const presence = usePresence();
  const deviceOffline = useDeviceOffline();
  const others = otherParticipants(conversation, me);
  const direct = others.length === 1 ? others[0] : undefined;
  const title = conversationTitle(conversation, me);
  const typing = typingLine(
    useTypingUserIds(conversation.id).map((id) => participantName(conversation, id)),
  );
  const preview = typing ?? (last ? messagePreview(last, me) : 'No messages yet');

  return (
    <NavLinkLink
      to="/messages/$conversationId"
      params={{ conversationId: conversation.id }}
      active={active}
      aria-current={active ? 'page' : undefined}
      data-conversation-id={conversation.id}
      styles={rowStyles}
      leftSection={
        <PresenceAvatar
          name={title}
          online={direct && !deviceOffline ? (presence.get(direct.id) ?? false) : undefined}
        />
      }
      label={
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Text size="sm" fw={unread > 0 ? 700 : 600} truncate>
            {title}
          </Text>
          <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
            {formatListTime(summary.activeAt)}
          </Text>
        </Group>
      }
      description={
        <Group justify="space-between" wrap="nowrap" gap="xs" mt={2}>
          <Text
            size="xs"
            c={typing ? 'indigo' : unread > 0 ? undefined : 'dimmed'}
            fs={typing ? 'italic' : undefined}
            fw={unread > 0 ? 600 : undefined}
            truncate
          >
            {preview}
          </Text>
          {unread > 0 && (
            <Badge
              size="sm"
              circle={unread < 10}
              style={{ flexShrink: 0 }}
              aria-label={unread === 1 ? '1 unread message' : `${unread} unread messages`}
              data-testid="unread-badge"
            >
              {unread > 99 ? '99+' : unread}
            </Badge>
          )}
        </Group>
      }
    />
  );
}

/** Messages containing the search term, across every conversation, each linking to its place. */
export function SearchResults({ term, me }: { term: string; me: string }) {
  const hits = useMessageSearch(term);
  if (hits === null) {
    return (
      <Stack gap="xs" p="xs" aria-busy="true">
        <Skeleton height={56} radius="md" />
      </Stack>
    );
  }
  if (hits.length === 0) {
    return (
      <Stack align="center" gap={6} p="lg" ta="center" role="status">
        <IconSearch size={24} stroke={1.4} aria-hidden color="var(--mantine-color-dimmed)" />
        <Text size="sm">No messages contain “{term.trim()}”.</Text>
      </Stack>
    );
  }
  return (
    <Stack
      gap={2}
      p={6}
      component="ul"
      m={0}
      aria-label="Search results"
      style={{ listStyle: 'none' }}
    >
      {hits.map(({ message, conversation }) => {
        const title = conversation ? conversationTitle(conversation, me) : 'Conversation';
        const sender =
          message.senderId === me
            ? 'You'
            : participantName(conversation ?? undefined, message.senderId);
        return (
          <li key={message.id}>
            <NavLinkLink
              to="/messages/$conversationId"
              params={{ conversationId: message.conversationId }}
              search={{ message: message.id }}
              styles={rowStyles}
              label={
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text size="sm" fw={600} truncate>
                    {title}
                  </Text>
                  <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                    {formatListTime(message.sentAt)}
                  </Text>
                </Group>
              }
              description={
                <Text size="xs" lineClamp={2} mt={2}>
                  {sender && `${sender}: `}
                  <Highlight component="span" inherit highlight={term.trim()}>
                    {message.body}
                  </Highlight>
                </Text>
              }
            />
          </li>
        );
      })}
    </Stack>
  );
}

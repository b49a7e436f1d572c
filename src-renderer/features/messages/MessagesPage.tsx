import {
  Alert,
  Box,
  Button,
  Center,
  CloseButton,
  Group,
  Loader,
  Paper,
  ScrollArea,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconAlertCircle, IconMessagePlus, IconMessages, IconSearch } from '@tabler/icons-react';
import { Outlet, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useSyncEngine, useSyncStartError } from '../../sync/SyncProvider.tsx';
import { ConversationList, SearchResults } from './ConversationList.tsx';
import { NewConversationDialog } from './NewConversationDialog.tsx';

/**
 * Messages: the conversation list (or search results) on the left, the open thread on the
 * right. Everything shown comes from this device's database, so it reads the same offline.
 */
export function MessagesPage() {
  const engine = useSyncEngine();
  const startError = useSyncStartError();
  const [dialogOpened, dialog] = useDisclosure(false);
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search, 150);
  const conversationId = useParams({ strict: false, select: (params) => params.conversationId });

  return (
    <Stack
      gap="md"
      h="calc(100dvh - var(--app-shell-header-height, 60px) - 2 * var(--mantine-spacing-xl))"
      mih={420}
    >
      <Group justify="space-between" wrap="nowrap">
        <Title order={1} fz={28}>
          Messages
        </Title>
        <Button
          leftSection={<IconMessagePlus size={18} />}
          onClick={dialog.open}
          disabled={!engine}
        >
          New conversation
        </Button>
      </Group>

      <Paper
        withBorder
        radius="md"
        style={{ flex: 1, minHeight: 0, display: 'flex', overflow: 'hidden' }}
      >
        <Stack
          component="section"
          aria-label="Conversations and search"
          gap={0}
          w={{ base: 260, md: 320 }}
          style={{ flexShrink: 0, borderRight: '1px solid var(--mantine-color-default-border)' }}
        >
          <Box p="sm" pb={6}>
            <TextInput
              aria-label="Search messages"
              placeholder="Search messages"
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(event) => setSearch(event.currentTarget.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') setSearch('');
              }}
              rightSection={
                search ? (
                  <CloseButton size="sm" aria-label="Clear search" onClick={() => setSearch('')} />
                ) : null
              }
            />
          </Box>
          <ScrollArea style={{ flex: 1 }} type="auto">
            {!engine && startError ? (
              <Alert
                m="sm"
                color="red"
                variant="light"
                icon={<IconAlertCircle />}
                role="alert"
                title="Messages on this device could not open"
              >
                {startError}
              </Alert>
            ) : !engine ? (
              <Center py="xl">
                <Loader size="sm" aria-label="Opening your messages" />
              </Center>
            ) : term.trim() ? (
              <SearchResults term={term} me={engine.userId} />
            ) : (
              <ConversationList me={engine.userId} activeId={conversationId ?? null} />
            )}
          </ScrollArea>
        </Stack>
        <Box
          component="section"
          aria-label="Conversation"
          style={{ flex: 1, minWidth: 0, display: 'flex' }}
        >
          <Outlet />
        </Box>
      </Paper>

      <NewConversationDialog opened={dialogOpened} onClose={dialog.close} />
    </Stack>
  );
}

/** The right-hand side before a conversation is chosen. */
export function NoConversationChosen() {
  return (
    <Center style={{ flex: 1 }} p="xl">
      <Stack align="center" gap={6} ta="center" maw={340}>
        <IconMessages size={36} stroke={1.3} aria-hidden color="var(--mantine-color-dimmed)" />
        <Text fw={600}>Choose a conversation</Text>
        <Text size="sm" c="dimmed">
          Or start a new one with the email address of a client or freelancer you work with.
          Messages you write offline are sent when you reconnect.
        </Text>
      </Stack>
    </Center>
  );
}

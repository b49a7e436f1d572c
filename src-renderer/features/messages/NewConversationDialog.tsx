import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { emailSchema } from '../../../shared/accounts/user.ts';
import { readableError } from '../../api/problems.ts';
import { useSyncEngine } from '../../sync/SyncProvider.tsx';
import { useSessionStore } from '../session/session-store.ts';
import { lookUpPerson } from './messages-api.ts';
import { startConversation } from './messages-data.ts';

/**
 * Starts a conversation with someone by their email. Finding the person needs the server;
 * the conversation itself is written here and syncs like any other document. An existing
 * conversation with the same person is reopened rather than duplicated.
 */
export function NewConversationDialog({
  opened,
  onClose,
}: {
  opened: boolean;
  onClose: () => void;
}) {
  const engine = useSyncEngine();
  const user = useSessionStore((state) => state.user);
  const navigate = useNavigate();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ email: string }>({
    initialValues: { email: '' },
    validate: {
      email: (value) =>
        emailSchema.safeParse(value.trim()).success ? null : 'Enter an email address',
    },
  });

  const close = () => {
    form.reset();
    setFormError(null);
    onClose();
  };

  const submit = form.onSubmit(async ({ email }) => {
    setFormError(null);
    if (!engine || !user) return;
    if (email.trim().toLowerCase() === user.email.toLowerCase()) {
      form.setFieldError('email', 'That is your own email. Enter the other person’s.');
      return;
    }
    try {
      const person = await lookUpPerson(email);
      if (!person) {
        form.setFieldError('email', 'No MegiLance account uses this email');
        return;
      }
      const conversation = await startConversation(
        engine,
        { id: user.id, name: user.name },
        { id: person.id, name: person.name },
      );
      close();
      void navigate({
        to: '/messages/$conversationId',
        params: { conversationId: conversation.id },
      });
    } catch (error) {
      setFormError(readableError(error));
    }
  });

  return (
    <Modal opened={opened} onClose={close} title="New conversation" centered>
      <form onSubmit={submit} noValidate aria-label="New conversation">
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Who do you want to write to? Finding them needs a connection to the server.
          </Text>
          {formError && (
            <Alert
              color="red"
              icon={<IconAlertCircle />}
              role="alert"
              title="Could not start the conversation"
            >
              {formError}
            </Alert>
          )}
          <TextInput
            label="Their email"
            type="email"
            autoComplete="off"
            placeholder="name@example.com"
            required
            data-autofocus
            {...form.getInputProps('email')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting} disabled={!engine}>
              Start conversation
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconDeviceLaptop, IconRefresh } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { Session } from '../../../shared/accounts/auth.ts';
import { readableError } from '../../api/problems.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { formatDateTime, formatRelative } from '../../ui/format.ts';
import { describeUserAgent } from '../../ui/user-agent.ts';
import {
  loadSessions,
  revokeDevice,
  revokeOtherDevices,
  useSessionsStore,
} from './sessions-store.ts';

type PendingRevoke = { kind: 'one'; session: Session } | { kind: 'others' } | null;

export function SessionsTab() {
  const { sessions, loading, loadError } = useSessionsStore();
  const [pending, setPending] = useState<PendingRevoke>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void loadSessions();
  }, []);

  const others = sessions?.filter((session) => !session.current) ?? [];

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    try {
      if (pending.kind === 'one') {
        await revokeDevice(pending.session.id);
        notifications.show({
          color: 'teal',
          title: 'Device signed out',
          message: `${pending.session.deviceName} must sign in again to reach your account.`,
        });
      } else {
        const revoked = await revokeOtherDevices();
        notifications.show({
          color: 'teal',
          title: 'Other devices signed out',
          message:
            revoked === 1 ? '1 device was signed out.' : `${revoked} devices were signed out.`,
        });
      }
      setPending(null);
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'Could not sign the device out',
        message: readableError(error),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Text size="sm" c="dimmed" maw={560}>
          Every device signed in to your account. If you do not recognise one, revoke it and change
          your password.
        </Text>
        <Group gap="xs">
          <Tooltip label="Refresh the list">
            <ActionIcon
              variant="default"
              size="lg"
              aria-label="Refresh sessions"
              onClick={() => void loadSessions()}
              loading={loading}
            >
              <IconRefresh size={16} />
            </ActionIcon>
          </Tooltip>
          <Button
            variant="light"
            color="red"
            disabled={others.length === 0}
            onClick={() => setPending({ kind: 'others' })}
          >
            Sign out all other sessions
          </Button>
        </Group>
      </Group>

      {loadError && (
        <Alert
          color="red"
          icon={<IconAlertCircle />}
          role="alert"
          title="Could not load your sessions"
        >
          {loadError}
        </Alert>
      )}

      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={640}>
          <Table
            verticalSpacing="sm"
            horizontalSpacing="md"
            highlightOnHover
            aria-label="Signed-in devices"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Device</Table.Th>
                <Table.Th>Last active</Table.Th>
                <Table.Th>Signed in</Table.Th>
                <Table.Th>IP address</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sessions === null && !loadError
                ? [0, 1].map((row) => (
                    <Table.Tr key={row}>
                      <Table.Td colSpan={5}>
                        <Skeleton height={28} />
                      </Table.Td>
                    </Table.Tr>
                  ))
                : sessions?.map((session) => (
                    <SessionRow
                      key={session.id}
                      session={session}
                      onRevoke={() => setPending({ kind: 'one', session })}
                    />
                  ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {sessions !== null && others.length === 0 && (
          <Text size="sm" c="dimmed" p="md" pt={0}>
            This is the only device signed in to your account.
          </Text>
        )}
      </Paper>

      <ConfirmDialog
        opened={pending !== null}
        title={
          pending?.kind === 'one'
            ? `Revoke ${pending.session.deviceName}?`
            : 'Sign out all other sessions?'
        }
        confirmLabel={pending?.kind === 'one' ? 'Revoke session' : 'Sign out others'}
        busy={busy}
        onConfirm={() => void confirm()}
        onCancel={() => setPending(null)}
      >
        {pending?.kind === 'one'
          ? `${pending.session.deviceName} will be signed out and must sign in again. Work it has not synced yet stays on that device.`
          : 'Every device except this one will be signed out and must sign in again.'}
      </ConfirmDialog>
    </Stack>
  );
}

function SessionRow({ session, onRevoke }: { session: Session; onRevoke: () => void }) {
  const agent = describeUserAgent(session.userAgent);
  return (
    <Table.Tr data-session-id={session.id}>
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          <IconDeviceLaptop size={20} stroke={1.5} aria-hidden />
          <div>
            <Group gap={6}>
              <Text size="sm" fw={600}>
                {session.deviceName}
              </Text>
              {session.current && (
                <Badge size="sm" variant="light" color="teal">
                  This device
                </Badge>
              )}
            </Group>
            {agent && (
              <Text size="xs" c="dimmed" title={session.userAgent ?? undefined} truncate maw={280}>
                {agent}
              </Text>
            )}
          </div>
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm" title={formatDateTime(session.lastSeenAt)}>
          {session.current ? 'Now' : formatRelative(session.lastSeenAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatDateTime(session.createdAt)}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace" c={session.ipAddress ? undefined : 'dimmed'}>
          {session.ipAddress ?? 'Unknown'}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        {!session.current && (
          <Button
            size="xs"
            variant="subtle"
            color="red"
            onClick={onRevoke}
            aria-label={`Revoke ${session.deviceName}`}
          >
            Revoke
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

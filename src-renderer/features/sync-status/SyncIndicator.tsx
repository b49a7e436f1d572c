import {
  Alert,
  Badge,
  Button,
  Divider,
  Group,
  Popover,
  Stack,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import {
  IconAlertTriangle,
  IconCloudCheck,
  IconCloudOff,
  IconDeviceLaptop,
  IconRefresh,
} from '@tabler/icons-react';
import { useState, type ComponentType } from 'react';
import type { SyncState } from '../../sync/engine.ts';
import { useObservable, useSyncEngine, useSyncStartError } from '../../sync/SyncProvider.tsx';
import { formatDateTime, formatRelative } from '../../ui/format.ts';

type Look = {
  label: string;
  color: string;
  Icon: ComponentType<{ size?: number; stroke?: number }>;
  explanation: string;
};

const looks: Record<SyncState['kind'] | 'starting', Look> = {
  starting: {
    label: 'Starting',
    color: 'gray',
    Icon: IconRefresh,
    explanation: 'Opening this device’s copy of your data.',
  },
  online: {
    label: 'Online',
    color: 'teal',
    Icon: IconCloudCheck,
    explanation: 'Connected. Changes reach your other devices as you make them.',
  },
  syncing: {
    label: 'Syncing',
    color: 'indigo',
    Icon: IconRefresh,
    explanation: 'Exchanging changes with the server.',
  },
  offline: {
    label: 'Offline',
    color: 'gray',
    Icon: IconCloudOff,
    explanation:
      'You can keep working: changes are kept on this device and sent when you reconnect.',
  },
  error: {
    label: 'Sync error',
    color: 'red',
    Icon: IconAlertTriangle,
    explanation: 'Changes are kept on this device, but the server is not taking them right now.',
  },
};

const emptyFailed: ReadonlyMap<string, string> = new Map();

/**
 * The shell's sync status: online, syncing, offline or in error (with the reason on hover),
 * opening a "This device" panel with the last sync time and the changes waiting to go out.
 */
export function SyncIndicator() {
  const engine = useSyncEngine();
  const state = useObservable(engine?.state$, null);
  const lastSyncedAt = useObservable(engine?.lastSyncedAt$, null);
  const pending = useObservable(engine?.pendingChanges$, 0);
  const failed = useObservable(engine?.failed$, emptyFailed);
  const [opened, setOpened] = useState(false);

  const startError = useSyncStartError();
  const kind = state?.kind ?? (startError ? 'error' : 'starting');
  const look = looks[kind];
  const reason = state?.kind === 'error' ? state.reason : state ? null : startError;
  const tooltip = reason ? `${look.explanation} ${reason}` : look.explanation;

  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      position="bottom-end"
      width={320}
      shadow="md"
      withArrow
      trapFocus
      returnFocus
    >
      <Popover.Target>
        <Tooltip label={tooltip} multiline w={280} withArrow disabled={opened}>
          <UnstyledButton
            onClick={() => setOpened((open) => !open)}
            aria-label={`Sync status: ${look.label}${reason ? `. ${reason}` : ''}${
              pending > 0 ? `. ${pendingLabel(pending)}` : ''
            }`}
            aria-haspopup="dialog"
            aria-expanded={opened}
            data-sync-state={kind}
          >
            <Badge
              size="lg"
              variant="light"
              color={look.color}
              tt="none"
              fw={600}
              leftSection={<look.Icon size={14} stroke={1.8} />}
              style={{ cursor: 'pointer' }}
            >
              {look.label}
              {pending > 0 && (
                <Text span inherit fw={500} aria-hidden>
                  {' '}
                  · {pending} pending
                </Text>
              )}
            </Badge>
          </UnstyledButton>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        <div role="dialog" aria-label="This device">
          <ThisDevicePanel
            look={look}
            reason={reason}
            lastSyncedAt={lastSyncedAt}
            pending={pending}
            failed={failed}
            onRetry={engine && kind !== 'offline' ? () => engine.retry() : undefined}
          />
        </div>
      </Popover.Dropdown>
    </Popover>
  );
}

function pendingLabel(count: number): string {
  return count === 1 ? '1 change waiting to sync' : `${count} changes waiting to sync`;
}

/** What this device knows about its sync: when it last caught up and what it still holds. */
export function ThisDevicePanel({
  look,
  reason,
  lastSyncedAt,
  pending,
  failed,
  onRetry,
}: {
  look: Look;
  reason: string | null;
  lastSyncedAt: string | null;
  pending: number;
  failed: ReadonlyMap<string, string>;
  onRetry: (() => void) | undefined;
}) {
  const now = useNow();
  const rows: [string, string, string | undefined][] = [
    [
      'Last synced',
      lastSyncedAt ? formatRelative(lastSyncedAt, now) : 'Not yet',
      lastSyncedAt ? formatDateTime(lastSyncedAt) : undefined,
    ],
    ['Changes waiting to sync', String(pending), undefined],
  ];
  if (failed.size > 0) rows.push(['Refused by the server', String(failed.size), undefined]);

  return (
    <Stack gap="sm">
      <Group gap="xs" wrap="nowrap">
        <IconDeviceLaptop size={20} stroke={1.5} aria-hidden />
        <Text fw={700}>This device</Text>
        <Badge size="sm" variant="light" color={look.color} tt="none" ml="auto">
          {look.label}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed">
        {look.explanation}
      </Text>
      {reason && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle />} p="xs" role="alert">
          {reason}
        </Alert>
      )}
      <Divider />
      <Stack gap={6} component="dl" m={0}>
        {rows.map(([label, value, title]) => (
          <Group key={label} justify="space-between" wrap="nowrap">
            <Text component="dt" size="sm" c="dimmed">
              {label}
            </Text>
            <Text
              component="dd"
              m={0}
              size="sm"
              fw={600}
              title={title}
              aria-label={`${label}: ${value}`}
            >
              {value}
            </Text>
          </Group>
        ))}
      </Stack>
      {[...failed.values()].slice(0, 3).map((why, index) => (
        <Text key={index} size="xs" c="red">
          {why}
        </Text>
      ))}
      <Group justify="flex-end">
        <Button
          size="xs"
          variant="light"
          leftSection={<IconRefresh size={14} />}
          onClick={onRetry}
          disabled={!onRetry}
        >
          Sync now
        </Button>
      </Group>
    </Stack>
  );
}

/** The current time, moving every 30 s so "2 minutes ago" stays true while the panel is open. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), 30_000, { autoInvoke: true });
  return now;
}

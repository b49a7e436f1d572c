import { Badge, Text, Tooltip } from '@mantine/core';
import { IconKeyOff } from '@tabler/icons-react';
import { useSessionStore } from './session-store.ts';

const explanation =
  'This computer has no keychain MegiLance can use, so your sign-in is kept in memory only: ' +
  'you will need to sign in again after MegiLance restarts.';

/** Shown only when the host could not reach the OS keychain. */
export function KeychainNotice({ variant }: { variant: 'badge' | 'text' }) {
  const keychain = useSessionStore((state) => state.appInfo?.keychain);
  if (keychain !== 'memory') return null;
  if (variant === 'text') {
    return (
      <Text size="xs" c="dimmed" ta="center">
        {explanation}
      </Text>
    );
  }
  return (
    <Tooltip label={explanation} multiline w={280} withArrow>
      <Badge
        variant="outline"
        color="gray"
        tt="none"
        fw={500}
        leftSection={<IconKeyOff size={12} />}
        tabIndex={0}
        aria-label={explanation}
        visibleFrom="sm"
      >
        Not saved after restart
      </Badge>
    </Tooltip>
  );
}

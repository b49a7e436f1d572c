import { AppShell, Avatar, Badge, Burger, Button, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconLogout } from '@tabler/icons-react';
import { Outlet, useRouterState } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { readableError } from '../../api/problems.ts';
import { BrandMark } from '../../ui/BrandMark.tsx';
import { ColorSchemeMenu } from '../../ui/ColorSchemeMenu.tsx';
import { NavLinkLink } from '../../ui/links.tsx';
import { SyncProvider } from '../../sync/SyncProvider.tsx';
import { useDeliveryReceipts, useUnreadCounts } from '../messages/messages-data.ts';
import { refreshCurrentUser } from '../session/account-api.ts';
import { KeychainNotice } from '../session/KeychainNotice.tsx';
import { VerifyEmailBanner } from '../session/VerifyEmailBanner.tsx';
import { roleLabels } from '../session/roles.ts';
import { signOut, useSessionStore } from '../session/session-store.ts';
import { SyncIndicator } from '../sync-status/SyncIndicator.tsx';
import { useTimeHandOff } from '../time/hand-off.ts';
import { navItems } from './nav-items.ts';

/**
 * The signed-in window: header with who you are and how sync is going, navigation on the
 * left, the area on the right. Everything inside works on this user's device database.
 */
export function AppLayout() {
  return (
    <SyncProvider>
      <SignedInShell />
    </SyncProvider>
  );
}

function SignedInShell() {
  const [navbarOpened, { toggle: toggleNavbar, close: closeNavbar }] = useDisclosure(false);
  const pathname = useRouterState({ select: (state) => state.location.pathname });

  useEffect(() => {
    // The user restored at start may be stale if another device edited the profile.
    refreshCurrentUser().catch(() => {
      // Offline or server busy: the restored profile is good enough to work with.
    });
  }, []);

  // Messages reaching this device are marked delivered whichever screen is open.
  useDeliveryReceipts();
  // The tracker's time reaches the synced time entries whichever screen is open.
  useTimeHandOff();
  const unread = useUnreadCounts().total;

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !navbarOpened } }}
      padding="xl"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navbarOpened}
              onClick={toggleNavbar}
              hiddenFrom="sm"
              size="sm"
              aria-label={navbarOpened ? 'Close navigation' : 'Open navigation'}
            />
            <BrandMark />
          </Group>
          <Group gap="sm" wrap="nowrap">
            <SyncIndicator />
            <KeychainNotice variant="badge" />
            <CurrentUser />
            <ColorSchemeMenu />
            <SignOutButton />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <Stack gap={2}>
          {navItems.map(({ to, label, Icon }) => (
            <NavLinkLink
              key={to}
              to={to}
              label={label}
              leftSection={<Icon size={18} stroke={1.6} />}
              rightSection={
                to === '/messages' && unread > 0 ? (
                  <Badge
                    size="sm"
                    circle={unread < 10}
                    aria-label={unread === 1 ? '1 unread message' : `${unread} unread messages`}
                    data-testid="messages-unread-total"
                  >
                    {unread > 99 ? '99+' : unread}
                  </Badge>
                ) : null
              }
              active={to === '/' ? pathname === '/' : pathname.startsWith(to)}
              onClick={closeNavbar}
              styles={{ root: { borderRadius: 'var(--mantine-radius-md)' } }}
            />
          ))}
        </Stack>
      </AppShell.Navbar>

      <AppShell.Main>
        <VerifyEmailBanner />
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

function CurrentUser() {
  const user = useSessionStore((state) => state.user);
  if (!user) return null;
  return (
    <Group gap="xs" wrap="nowrap" aria-label="Signed in as">
      <Avatar name={user.name} color="initials" radius="xl" size={34} />
      <Stack gap={0} visibleFrom="xs">
        <Text size="sm" fw={600} lh={1.2} data-testid="current-user-name">
          {user.name}
        </Text>
        <Badge size="xs" variant="light" radius="sm" w="fit-content">
          {roleLabels[user.role]}
        </Badge>
      </Stack>
    </Group>
  );
}

function SignOutButton() {
  const [busy, setBusy] = useState(false);
  const onClick = async () => {
    setBusy(true);
    try {
      await signOut();
    } catch (error) {
      notifications.show({
        color: 'yellow',
        title: 'Signed out on this device only',
        message: readableError(error),
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      variant="default"
      leftSection={<IconLogout size={16} />}
      onClick={onClick}
      loading={busy}
    >
      Sign out
    </Button>
  );
}

import { Group, Stack } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { Outlet, useRouterState } from '@tanstack/react-router';
import { ButtonLink } from '../../ui/links.tsx';
import { useSessionStore } from '../session/session-store.ts';
import { marketplaceSections } from './marketplace-sections.ts';

/**
 * The Marketplace area: its own small navigation (what there is to do depends on whether you
 * hire or work), then the screen. The marketplace is online only: the server answers.
 */
export function MarketplaceLayout() {
  const role = useSessionStore((state) => state.user?.role);
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const sections = marketplaceSections.filter((section) => !role || section.roles.includes(role));
  return (
    <Stack gap="lg" maw={1180}>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group component="nav" aria-label="Marketplace" gap={4}>
          {sections.map(({ to, label, Icon, isActive }) => (
            <ButtonLink
              key={to}
              to={to}
              size="sm"
              variant={isActive(pathname) ? 'light' : 'subtle'}
              color={isActive(pathname) ? undefined : 'gray'}
              leftSection={<Icon size={16} />}
              aria-current={isActive(pathname) ? 'page' : undefined}
            >
              {label}
            </ButtonLink>
          ))}
        </Group>
        {role === 'client' && (
          <ButtonLink to="/marketplace/projects/new" size="sm" leftSection={<IconPlus size={16} />}>
            Post a project
          </ButtonLink>
        )}
      </Group>
      <Outlet />
    </Stack>
  );
}

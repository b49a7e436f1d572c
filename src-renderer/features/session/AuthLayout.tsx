import { Box, Center, Group, Paper, Stack, Text } from '@mantine/core';
import { Outlet } from '@tanstack/react-router';
import { BrandMark } from '../../ui/BrandMark.tsx';
import { ColorSchemeMenu } from '../../ui/ColorSchemeMenu.tsx';
import { KeychainNotice } from './KeychainNotice.tsx';

/** Sign-in and sign-up: one card in the middle of the window. */
export function AuthLayout() {
  return (
    <Box
      mih="100vh"
      style={{
        background:
          'linear-gradient(160deg, var(--mantine-color-indigo-light) 0%, var(--mantine-color-body) 55%)',
      }}
    >
      <Group justify="flex-end" p="md">
        <ColorSchemeMenu />
      </Group>
      <Center px="md" pb="xl">
        <Stack w="100%" maw={440} gap="lg">
          <Stack align="center" gap={6}>
            <BrandMark size="lg" />
            <Text c="dimmed" size="sm">
              Your freelance work, contracts and pay in one place.
            </Text>
          </Stack>
          <Paper withBorder shadow="md" radius="lg" p="xl">
            <Outlet />
          </Paper>
          <KeychainNotice variant="text" />
        </Stack>
      </Center>
    </Box>
  );
}

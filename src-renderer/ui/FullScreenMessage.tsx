import { Center, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { BrandMark } from './BrandMark.tsx';

/** The whole window for one message: starting up, or why we could not. */
export function FullScreenMessage({ children }: { children: ReactNode }) {
  return (
    <Center mih="100vh" p="md">
      <Stack align="center" gap="lg" maw={420} ta="center">
        <BrandMark size="lg" />
        {children}
      </Stack>
    </Center>
  );
}

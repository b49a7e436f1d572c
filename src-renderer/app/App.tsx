import { Button, Loader, Text } from '@mantine/core';
import { RouterProvider } from '@tanstack/react-router';
import { bootstrap, useSessionStore } from '../features/session/session-store.ts';
import { FullScreenMessage } from '../ui/FullScreenMessage.tsx';
import { router } from './router.tsx';

/** Routes only start once we know whether a session was restored, so guards never guess. */
export function App() {
  const phase = useSessionStore((state) => state.phase);
  const bootError = useSessionStore((state) => state.bootError);

  if (phase === 'booting') {
    return (
      <FullScreenMessage>
        <Loader aria-label="Opening MegiLance" />
      </FullScreenMessage>
    );
  }
  if (phase === 'bootFailed') {
    return (
      <FullScreenMessage>
        <Text fw={600}>MegiLance could not start</Text>
        <Text c="dimmed" size="sm" role="alert">
          {bootError}
        </Text>
        <Button onClick={() => void bootstrap()}>Try again</Button>
      </FullScreenMessage>
    );
  }
  return <RouterProvider router={router} />;
}

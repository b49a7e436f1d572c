import { Alert, Button, Group, Text } from '@mantine/core';
import { IconMailExclamation } from '@tabler/icons-react';
import { useState } from 'react';
import { readableError } from '../../api/problems.ts';
import { refreshCurrentUser, resendVerificationEmail } from './account-api.ts';
import { useSessionStore } from './session-store.ts';

type Status = { kind: 'idle' } | { kind: 'busy' } | { kind: 'said'; text: string; error: boolean };

/**
 * Shown while the signed-in user has not confirmed their email address: the link is in the
 * mail sent at sign-up; "Resend" mails a new one (the older link stops working), and "I have
 * confirmed it" asks the server again once they followed it in their browser.
 */
export function VerifyEmailBanner() {
  const user = useSessionStore((state) => state.user);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  if (!user || user.emailVerified) return null;

  const run = async (action: () => Promise<string | null>) => {
    setStatus({ kind: 'busy' });
    try {
      const text = await action();
      setStatus(text ? { kind: 'said', text, error: false } : { kind: 'idle' });
    } catch (error) {
      setStatus({ kind: 'said', text: readableError(error), error: true });
    }
  };

  return (
    <Alert
      color="yellow"
      icon={<IconMailExclamation size={18} />}
      title="Confirm your email address"
      // A standing notice, not an urgent alert: screen readers meet it as a named region.
      role="region"
      aria-label="Confirm your email address"
      mb="lg"
      data-testid="verify-email-banner"
    >
      <Text size="sm">
        We sent a link to <strong>{user.email}</strong>. Open it to confirm this address is yours.
      </Text>
      <Group gap="sm" mt="sm">
        <Button
          size="xs"
          variant="light"
          loading={status.kind === 'busy'}
          onClick={() =>
            void run(async () => {
              await resendVerificationEmail();
              return `A new link is on its way to ${user.email}. Earlier links no longer work.`;
            })
          }
        >
          Resend email
        </Button>
        <Button
          size="xs"
          variant="subtle"
          disabled={status.kind === 'busy'}
          onClick={() =>
            void run(async () => {
              const fresh = await refreshCurrentUser();
              return fresh.emailVerified
                ? null
                : 'Not confirmed yet. Open the link in the newest email we sent.';
            })
          }
        >
          I have confirmed it
        </Button>
      </Group>
      {status.kind === 'said' ? (
        <Text size="sm" mt="xs" c={status.error ? 'red' : undefined} role="status">
          {status.text}
        </Text>
      ) : null}
    </Alert>
  );
}

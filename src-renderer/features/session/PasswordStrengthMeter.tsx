import { List, Progress, Stack, Text } from '@mantine/core';
import { useDeferredValue, useMemo } from 'react';
import {
  MIN_PASSWORD_SCORE,
  passwordStrength,
  type PasswordContext,
  type PasswordStrength,
} from '../../../shared/accounts/password-strength.ts';

const labels = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;
const colors = ['red', 'red', 'orange', 'teal', 'green'] as const;

/**
 * The server's own zxcvbn check, run as the person types: the same score decides whether the
 * password is accepted, so the meter never promises what the server then refuses.
 */
export function usePasswordStrength(
  password: string,
  context: PasswordContext,
): PasswordStrength | null {
  // Typing stays responsive: the check runs on the deferred value, a render behind.
  const deferred = useDeferredValue(password);
  const { email, name } = context;
  return useMemo(
    () => (deferred ? passwordStrength(deferred, { email, name }) : null),
    [deferred, email, name],
  );
}

/** A form error for a password the server would refuse as too weak, or null. */
export function weakPasswordError(password: string, context: PasswordContext): string | null {
  if (password.length < 10) return null;
  return passwordStrength(password, context).acceptable
    ? null
    : 'Too easy to guess: see the advice below';
}

export function PasswordStrengthMeter({ strength }: { strength: PasswordStrength | null }) {
  if (!strength) return null;
  const advice = [strength.warning, ...strength.suggestions].filter((line): line is string =>
    Boolean(line),
  );
  return (
    <Stack gap={4} aria-live="polite" data-testid="password-strength">
      <Progress
        value={((strength.score + 1) / 5) * 100}
        color={colors[strength.score]}
        size="sm"
        aria-label="Password strength"
      />
      <Text size="xs" c={strength.acceptable ? 'dimmed' : colors[strength.score]}>
        {labels[strength.score]}
        {strength.acceptable ? '' : ` (at least “${labels[MIN_PASSWORD_SCORE]}” needed)`}
      </Text>
      {!strength.acceptable && advice.length > 0 && (
        <List size="xs" c="dimmed" spacing={2}>
          {advice.map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

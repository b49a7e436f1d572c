import { List, Progress, Stack, Text } from '@mantine/core';
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import type * as StrengthChecks from '../../../shared/accounts/password-strength.ts';
import type {
  PasswordContext,
  PasswordStrength,
} from '../../../shared/accounts/password-strength.ts';

const labels = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;
const colors = ['red', 'red', 'orange', 'teal', 'green'] as const;

type StrengthModule = typeof StrengthChecks;

// zxcvbn's dictionaries are most of a megabyte: loaded when a password form first shows,
// not with the app.
let loaded: StrengthModule | null = null;
let loading: Promise<StrengthModule> | null = null;
function loadStrengthModule(): Promise<StrengthModule> {
  loading ??= import('../../../shared/accounts/password-strength.ts').then((module) => {
    loaded = module;
    return module;
  });
  return loading;
}

/**
 * The server's own zxcvbn check, run as the person types: the same score decides whether the
 * password is accepted, so the meter never promises what the server then refuses.
 */
export function usePasswordStrength(
  password: string,
  context: PasswordContext,
): PasswordStrength | null {
  const [module, setModule] = useState<StrengthModule | null>(loaded);
  useEffect(() => {
    if (!module) void loadStrengthModule().then(setModule);
  }, [module]);
  // Typing stays responsive: the check runs on the deferred value, a render behind.
  const deferred = useDeferredValue(password);
  const { email, name } = context;
  return useMemo(
    () => (deferred && module ? module.passwordStrength(deferred, { email, name }) : null),
    [deferred, email, name, module],
  );
}

/**
 * A form error for a password the server would refuse as too weak, or null. Until the checker
 * has loaded there is no verdict here; the server applies the same rule either way.
 */
export function weakPasswordError(password: string, context: PasswordContext): string | null {
  if (password.length < 10 || !loaded) return null;
  return loaded.passwordStrength(password, context).acceptable
    ? null
    : 'Too easy to guess: see the advice below';
}

export function PasswordStrengthMeter({ strength }: { strength: PasswordStrength | null }) {
  if (!strength || !loaded) return null;
  const needed = labels[loaded.MIN_PASSWORD_SCORE];
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
        {strength.acceptable ? '' : ` (at least “${needed}” needed)`}
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

import { Alert, Button, Group, Paper, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { changePasswordInputSchema } from '../../../shared/accounts/auth.ts';
import { ProblemError, problemTypes } from '../../../shared/api/problem.ts';
import { applyProblemToForm, validateWith } from '../../ui/forms.ts';
import { changePassword } from '../session/account-api.ts';
import {
  PasswordStrengthMeter,
  usePasswordStrength,
  weakPasswordError,
} from '../session/PasswordStrengthMeter.tsx';
import { useSessionStore } from '../session/session-store.ts';

type PasswordValues = { currentPassword: string; newPassword: string; confirmPassword: string };

const fields = new Set(['currentPassword', 'newPassword']);
const validateInput = validateWith<PasswordValues>(
  changePasswordInputSchema,
  ({ currentPassword, newPassword }) => ({ currentPassword, newPassword }),
  { currentPassword: 'Enter your current password' },
);

export function PasswordTab() {
  const [formError, setFormError] = useState<string | null>(null);
  const user = useSessionStore((state) => state.user);
  const context = { email: user?.email, name: user?.name };
  const form = useForm<PasswordValues>({
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
    validate: (values) => {
      const errors = validateInput(values);
      const weak = weakPasswordError(values.newPassword, context);
      if (weak && !errors.newPassword) errors.newPassword = weak;
      if (values.confirmPassword !== values.newPassword) {
        errors.confirmPassword = 'The two new passwords are different';
      }
      return errors;
    },
  });

  const strength = usePasswordStrength(form.values.newPassword, context);

  const submit = form.onSubmit(async ({ currentPassword, newPassword }) => {
    setFormError(null);
    try {
      await changePassword({ currentPassword, newPassword });
      form.reset();
      notifications.show({
        color: 'teal',
        title: 'Password changed',
        message: 'Your other devices were signed out and need the new password.',
      });
    } catch (error) {
      if (error instanceof ProblemError && error.problem.type === problemTypes.invalidCredentials) {
        form.setFieldError('currentPassword', 'This is not your current password');
        return;
      }
      setFormError(
        applyProblemToForm(error, form.setFieldError, (property) =>
          fields.has(property) ? property : undefined,
        ),
      );
    }
  });

  return (
    <Paper withBorder radius="md" p="lg" maw={520}>
      <form onSubmit={submit} noValidate aria-label="Change password">
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Changing your password signs out every other device. This one stays signed in.
          </Text>
          {formError && (
            <Alert
              color="red"
              icon={<IconAlertCircle />}
              role="alert"
              title="Could not change the password"
            >
              {formError}
            </Alert>
          )}
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label="New password"
            description="At least 10 characters."
            autoComplete="new-password"
            required
            {...form.getInputProps('newPassword')}
          />
          <PasswordStrengthMeter strength={strength} />
          <PasswordInput
            label="Repeat the new password"
            autoComplete="new-password"
            required
            {...form.getInputProps('confirmPassword')}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={form.submitting}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

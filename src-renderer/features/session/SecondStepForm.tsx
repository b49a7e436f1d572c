import { Alert, Anchor, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconShieldLock } from '@tabler/icons-react';
import { useState } from 'react';
import {
  backupCodeSchema,
  totpCodeSchema,
  type TwoFactorChallenge,
} from '../../../shared/accounts/two-factor.ts';
import { ProblemError, problemTypes } from '../../../shared/api/problem.ts';
import { readableError } from '../../api/problems.ts';
import { sentence } from '../../ui/forms.ts';
import { completeSignIn } from './session-store.ts';

type Method = 'totp' | 'backup_code';

/**
 * The second sign-in step of an account with two-factor authentication: the code from the
 * authenticator app, or one of the backup codes. A dead challenge (expired, used up) sends the
 * person back to the password step with the reason.
 */
export function SecondStepForm({
  challenge,
  onSignedIn,
  onRestart,
}: {
  challenge: TwoFactorChallenge;
  onSignedIn: () => Promise<void>;
  onRestart: (reason: string | null) => void;
}) {
  const [method, setMethod] = useState<Method>('totp');
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ code: string }>({
    initialValues: { code: '' },
    validate: {
      code: (value) => {
        const result = (method === 'totp' ? totpCodeSchema : backupCodeSchema).safeParse(value);
        return result.success ? null : sentence(result.error.issues[0]?.message ?? 'is not valid');
      },
    },
  });

  const submit = form.onSubmit(async ({ code }) => {
    setFormError(null);
    try {
      await completeSignIn(
        method === 'totp'
          ? { challengeToken: challenge.challengeToken, code }
          : { challengeToken: challenge.challengeToken, backupCode: code },
      );
      await onSignedIn();
    } catch (error) {
      if (
        error instanceof ProblemError &&
        error.problem.type === problemTypes.twoFactorChallengeInvalid
      ) {
        onRestart(readableError(error));
        return;
      }
      form.setFieldValue('code', '');
      setFormError(readableError(error));
    }
  });

  const switchTo = (next: Method) => {
    setMethod(next);
    setFormError(null);
    form.setValues({ code: '' });
    form.clearErrors();
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="second-step-title">
      <Stack gap="md">
        <div>
          <Title id="second-step-title" order={1} fz={24}>
            Two-factor authentication
          </Title>
          <Text c="dimmed" size="sm">
            {method === 'totp'
              ? 'Enter the 6-digit code your authenticator app shows for MegiLance.'
              : 'Enter one of the backup codes you saved when you turned on two-factor authentication. Each works once.'}
          </Text>
        </div>
        {formError && (
          <Alert color="red" icon={<IconAlertCircle />} role="alert" title="Could not sign in">
            {formError}
          </Alert>
        )}
        {method === 'totp' ? (
          <TextInput
            key="totp"
            label="Authentication code"
            inputMode="numeric"
            autoComplete="one-time-code"
            placeholder="123456"
            maxLength={7}
            leftSection={<IconShieldLock size={16} />}
            required
            data-autofocus
            {...form.getInputProps('code')}
          />
        ) : (
          <TextInput
            key="backup"
            label="Backup code"
            autoComplete="off"
            placeholder="xxxx-xxxx-xxxx"
            maxLength={40}
            required
            {...form.getInputProps('code')}
          />
        )}
        <Button type="submit" fullWidth loading={form.submitting}>
          Verify and sign in
        </Button>
        <Group justify="space-between">
          {challenge.methods.includes('backup_code') && (
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => switchTo(method === 'totp' ? 'backup_code' : 'totp')}
            >
              {method === 'totp' ? 'Use a backup code instead' : 'Use the authenticator app'}
            </Anchor>
          )}
          <Anchor component="button" type="button" size="sm" onClick={() => onRestart(null)}>
            Back to sign in
          </Anchor>
        </Group>
      </Stack>
    </form>
  );
}

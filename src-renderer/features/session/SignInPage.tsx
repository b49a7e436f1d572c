import { Alert, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconInfoCircle } from '@tabler/icons-react';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { loginInputSchema } from '../../../shared/accounts/auth.ts';
import type { TwoFactorChallenge } from '../../../shared/accounts/two-factor.ts';
import { applyProblemToForm, validateWith } from '../../ui/forms.ts';
import { AnchorLink } from '../../ui/links.tsx';
import { safeRedirect } from './redirect.ts';
import { ForgotPassword } from './ForgotPassword.tsx';
import { SecondStepForm } from './SecondStepForm.tsx';
import { dismissEndedReason, signIn, useSessionStore } from './session-store.ts';

type SignInValues = { email: string; password: string };

const fields = new Set(['email', 'password']);

export function SignInPage() {
  const navigate = useNavigate();
  const { redirect } = useSearch({ from: '/_auth/sign-in' });
  const endedReason = useSessionStore((state) => state.endedReason);
  const [formError, setFormError] = useState<string | null>(null);
  // Set when the password was right and the account asks for a second factor.
  const [challenge, setChallenge] = useState<TwoFactorChallenge | null>(null);
  const form = useForm<SignInValues>({
    initialValues: { email: '', password: '' },
    validate: validateWith(loginInputSchema.omit({ deviceName: true }), (values) => values, {
      email: 'Enter the email address you signed up with',
      password: 'Enter your password',
    }),
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const secondStep = await signIn(values);
      if (secondStep) {
        setChallenge(secondStep);
        return;
      }
      await navigate({ href: safeRedirect(redirect), replace: true });
    } catch (error) {
      setFormError(
        applyProblemToForm(error, form.setFieldError, (property) =>
          fields.has(property) ? property : undefined,
        ),
      );
    }
  });

  if (challenge) {
    return (
      <SecondStepForm
        challenge={challenge}
        onSignedIn={() => navigate({ href: safeRedirect(redirect), replace: true })}
        onRestart={(reason) => {
          setChallenge(null);
          form.setFieldValue('password', '');
          setFormError(reason);
        }}
      />
    );
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="sign-in-title">
      <Stack gap="md">
        <div>
          <Title id="sign-in-title" order={1} fz={24}>
            Sign in
          </Title>
          <Text c="dimmed" size="sm">
            Welcome back. Sign in to pick up where you left off.
          </Text>
        </div>
        {endedReason && !formError && (
          <Alert
            color="blue"
            icon={<IconInfoCircle />}
            withCloseButton
            closeButtonLabel="Dismiss"
            onClose={dismissEndedReason}
          >
            {endedReason}
          </Alert>
        )}
        {formError && (
          <Alert color="red" icon={<IconAlertCircle />} role="alert" title="Could not sign in">
            {formError}
          </Alert>
        )}
        <TextInput
          label="Email"
          type="email"
          autoComplete="email"
          required
          {...form.getInputProps('email')}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          {...form.getInputProps('password')}
        />
        <ForgotPassword email={form.values.email} />
        <Button type="submit" fullWidth loading={form.submitting} mt="xs">
          Sign in
        </Button>
        <Text size="sm" ta="center">
          New to MegiLance? <AnchorLink to="/sign-up">Create an account</AnchorLink>
        </Text>
      </Stack>
    </form>
  );
}

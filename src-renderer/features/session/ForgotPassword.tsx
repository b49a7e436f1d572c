import { Alert, Anchor, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertCircle, IconMailForward } from '@tabler/icons-react';
import { useState } from 'react';
import { passwordResetRequestInputSchema } from '../../../shared/accounts/email-links.ts';
import { readableError } from '../../api/problems.ts';
import { validateWith } from '../../ui/forms.ts';
import { requestPasswordReset } from './account-api.ts';

/**
 * "Forgot password?" on the sign-in page: asks the server to mail a reset link. The link opens
 * a page of the server in the browser, where the new password is chosen; then one signs in
 * here with it. The answer is the same whether or not the address has an account.
 */
export function ForgotPassword({ email }: { email: string }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<{ email: string }>({
    initialValues: { email: '' },
    validate: validateWith(passwordResetRequestInputSchema, (values) => values, {
      email: 'Enter the email address you signed up with',
    }),
  });

  const start = () => {
    form.setValues({ email });
    setSent(null);
    setError(null);
    open();
  };

  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      setSent((await requestPasswordReset(values.email)).message);
    } catch (failure) {
      setError(readableError(failure));
    }
  });

  return (
    <>
      <Group justify="flex-end" mt={-8}>
        <Anchor component="button" type="button" size="sm" onClick={start}>
          Forgot password?
        </Anchor>
      </Group>
      <Modal opened={opened} onClose={close} title="Reset your password" centered>
        {sent ? (
          <Stack gap="md">
            <Alert color="green" icon={<IconMailForward />} role="status">
              {sent}
            </Alert>
            <Text size="sm">
              Open the link in that email to choose a new password, then sign in here with it.
            </Text>
            <Button onClick={close}>Back to sign in</Button>
          </Stack>
        ) : (
          <form
            // The modal sits inside the sign-in form in React's tree: keep its submit to itself.
            onSubmit={(event) => {
              event.stopPropagation();
              submit(event);
            }}
            noValidate
            aria-label="Reset your password"
          >
            <Stack gap="md">
              <Text size="sm">We will email you a link to choose a new password.</Text>
              {error && (
                <Alert color="red" icon={<IconAlertCircle />} role="alert">
                  {error}
                </Alert>
              )}
              <TextInput
                label="Email"
                type="email"
                autoComplete="email"
                required
                data-autofocus
                {...form.getInputProps('email')}
              />
              <Button type="submit" loading={form.submitting}>
                Send reset link
              </Button>
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}

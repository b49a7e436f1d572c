import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Image,
  Modal,
  Paper,
  PasswordInput,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import {
  IconAlertCircle,
  IconCheck,
  IconCopy,
  IconDownload,
  IconShieldCheck,
  IconShieldOff,
} from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import {
  disableTwoFactorInputSchema,
  totpCodeSchema,
  type TwoFactorSetup,
  type TwoFactorStatus,
} from '../../../shared/accounts/two-factor.ts';
import { ProblemError } from '../../../shared/api/problem.ts';
import { readableError } from '../../api/problems.ts';
import { formatDateTime } from '../../ui/format.ts';
import { sentence, validateWith } from '../../ui/forms.ts';
import {
  confirmTwoFactor,
  disableTwoFactor,
  getTwoFactorStatus,
  regenerateBackupCodes,
  startTwoFactorSetup,
} from './two-factor-api.ts';

/**
 * Settings → Security: two-factor authentication. Turning it on shows the QR code and the
 * secret, takes effect with a confirming code, then shows the ten backup codes once.
 */
export function SecurityTab() {
  const [status, setStatus] = useState<TwoFactorStatus | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [backupCodes, setBackupCodes] = useState<string[] | null>(null);
  const [dialog, setDialog] = useState<'regenerate' | 'disable' | null>(null);
  const [starting, setStarting] = useState(false);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      setStatus(await getTwoFactorStatus());
    } catch (error) {
      setLoadError(readableError(error));
    }
  }, []);

  useEffect(() => {
    let live = true;
    getTwoFactorStatus().then(
      (loaded) => live && setStatus(loaded),
      (error: unknown) => live && setLoadError(readableError(error)),
    );
    return () => {
      live = false;
    };
  }, []);

  const start = async () => {
    setStarting(true);
    try {
      setSetup(await startTwoFactorSetup());
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not start', message: readableError(error) });
    } finally {
      setStarting(false);
    }
  };

  const showCodes = async (codes: string[]) => {
    setBackupCodes(codes);
    setSetup(null);
    setDialog(null);
    await load();
  };

  return (
    <Stack gap="lg" maw={640}>
      <div>
        <Title order={2} fz={20}>
          Two-factor authentication
        </Title>
        <Text c="dimmed" size="sm">
          Besides your password, signing in asks for a code from an authenticator app on your phone
          (such as Aegis, Google Authenticator or 1Password), so a stolen password alone is not
          enough.
        </Text>
      </div>
      {loadError && (
        <Alert color="red" icon={<IconAlertCircle />} role="alert" title="Could not load">
          {loadError}{' '}
          <Button variant="subtle" size="compact-sm" onClick={() => void load()}>
            Try again
          </Button>
        </Alert>
      )}
      {!status && !loadError && <Skeleton height={96} />}

      {backupCodes && <BackupCodesPanel codes={backupCodes} onDone={() => setBackupCodes(null)} />}

      {status && !backupCodes && setup && (
        <EnrolPanel setup={setup} onConfirmed={showCodes} onCancel={() => setSetup(null)} />
      )}

      {status && !backupCodes && !setup && !status.enabled && (
        <Paper withBorder p="lg" radius="md">
          <Group justify="space-between" align="center">
            <Group gap="sm">
              <IconShieldOff aria-hidden />
              <div>
                <Text fw={600}>Off</Text>
                <Text size="sm" c="dimmed">
                  Your password alone signs in to this account.
                </Text>
              </div>
            </Group>
            <Button onClick={() => void start()} loading={starting}>
              Turn on two-factor authentication
            </Button>
          </Group>
        </Paper>
      )}

      {status?.enabled && !backupCodes && (
        <Paper withBorder p="lg" radius="md">
          <Stack gap="md">
            <Group gap="sm">
              <IconShieldCheck aria-hidden color="var(--mantine-color-teal-6)" />
              <div>
                <Group gap="xs">
                  <Text fw={600}>On</Text>
                  <Badge color="teal" variant="light">
                    Authenticator app
                  </Badge>
                </Group>
                {status.enabledAt && (
                  <Text size="sm" c="dimmed">
                    Since {formatDateTime(status.enabledAt)}
                  </Text>
                )}
              </div>
            </Group>
            <Text size="sm" aria-label="Backup codes left">
              {status.backupCodesLeft === 1
                ? '1 backup code left.'
                : `${status.backupCodesLeft} backup codes left.`}
              {status.backupCodesLeft <= 3 && ' Make new ones before you run out.'}
            </Text>
            <Group>
              <Button variant="default" onClick={() => setDialog('regenerate')}>
                New backup codes
              </Button>
              <Button color="red" variant="light" onClick={() => setDialog('disable')}>
                Turn off
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}

      <RegenerateDialog
        opened={dialog === 'regenerate'}
        onClose={() => setDialog(null)}
        onDone={showCodes}
      />
      <DisableDialog
        opened={dialog === 'disable'}
        onClose={() => setDialog(null)}
        onDone={async () => {
          setDialog(null);
          notifications.show({
            color: 'teal',
            title: 'Two-factor authentication is off',
            message: 'Your password alone now signs in to this account.',
          });
          await load();
        }}
      />
    </Stack>
  );
}

const codeOf = {
  code: (value: string) => {
    const result = totpCodeSchema.safeParse(value);
    return result.success ? null : sentence(result.error.issues[0]?.message ?? 'is not valid');
  },
};

/** The server's own words for these problems are written for people (tries left, reuse …). */
function problemText(error: unknown): string {
  if (error instanceof ProblemError && error.problem.status < 500 && error.problem.detail) {
    return error.problem.detail;
  }
  return readableError(error);
}

function EnrolPanel({
  setup,
  onConfirmed,
  onCancel,
}: {
  setup: TwoFactorSetup;
  onConfirmed: (codes: string[]) => Promise<void>;
  onCancel: () => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ code: string }>({ initialValues: { code: '' }, validate: codeOf });
  const submit = form.onSubmit(async ({ code }) => {
    setFormError(null);
    try {
      const { backupCodes } = await confirmTwoFactor(code);
      await onConfirmed(backupCodes);
    } catch (error) {
      setFormError(problemText(error));
    }
  });
  return (
    <Paper withBorder p="lg" radius="md">
      <form onSubmit={submit} noValidate aria-label="Set up two-factor authentication">
        <Stack gap="md">
          <Text fw={600}>1. Scan this QR code with your authenticator app</Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
            <Image
              src={setup.qrCodeDataUrl}
              alt="QR code for your authenticator app"
              w={200}
              h={200}
            />
            <Stack gap="xs">
              <Text size="sm">Cannot scan it? Type this secret into the app instead:</Text>
              {/* In groups of four, as apps show it; they ignore the spaces. */}
              <Code block aria-label="Secret key" fz="md" style={{ whiteSpace: 'normal' }}>
                {setup.secret.replace(/(.{4})(?=.)/g, '$1 ')}
              </Code>
              <CopyButton value={setup.secret}>
                {({ copied, copy }) => (
                  <Button
                    variant="subtle"
                    size="compact-sm"
                    leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                    onClick={copy}
                  >
                    {copied ? 'Copied' : 'Copy secret'}
                  </Button>
                )}
              </CopyButton>
              <Text size="xs" c="dimmed">
                Time-based, 6 digits, every 30 seconds.
              </Text>
            </Stack>
          </SimpleGrid>
          <Text fw={600}>2. Enter the code the app shows</Text>
          {formError && (
            <Alert color="red" icon={<IconAlertCircle />} role="alert">
              {formError}
            </Alert>
          )}
          <TextInput
            label="Authentication code"
            inputMode="numeric"
            autoComplete="one-time-code"
            placeholder="123456"
            maxLength={7}
            required
            w={200}
            {...form.getInputProps('code')}
          />
          <Group>
            <Button type="submit" loading={form.submitting}>
              Turn on
            </Button>
            <Button variant="default" onClick={onCancel} disabled={form.submitting}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** The codes, once: after this panel closes only their hashes exist. */
function BackupCodesPanel({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const text = `MegiLance backup codes (each works once)\n\n${codes.join('\n')}\n`;
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'megilance-backup-codes.txt';
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <Paper withBorder p="lg" radius="md" aria-label="Your backup codes">
      <Stack gap="md">
        <Alert color="yellow" icon={<IconAlertCircle />} title="Save your backup codes now">
          If you lose your phone, each of these codes signs you in once. This is the only time they
          are shown.
        </Alert>
        <SimpleGrid cols={2} spacing="xs" role="list" aria-label="Backup codes">
          {codes.map((code) => (
            <Code key={code} fz="md" role="listitem">
              {code}
            </Code>
          ))}
        </SimpleGrid>
        <Group>
          <CopyButton value={codes.join('\n')}>
            {({ copied, copy }) => (
              <Button
                variant="default"
                leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                onClick={copy}
              >
                {copied ? 'Copied' : 'Copy codes'}
              </Button>
            )}
          </CopyButton>
          <Button variant="default" leftSection={<IconDownload size={16} />} onClick={download}>
            Download
          </Button>
          <Button onClick={onDone}>I have saved them</Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function RegenerateDialog({
  opened,
  onClose,
  onDone,
}: {
  opened: boolean;
  onClose: () => void;
  onDone: (codes: string[]) => Promise<void>;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ code: string }>({ initialValues: { code: '' }, validate: codeOf });
  const close = () => {
    form.reset();
    setFormError(null);
    onClose();
  };
  const submit = form.onSubmit(async ({ code }) => {
    setFormError(null);
    try {
      const { backupCodes } = await regenerateBackupCodes(code);
      form.reset();
      await onDone(backupCodes);
    } catch (error) {
      setFormError(problemText(error));
    }
  });
  return (
    <Modal opened={opened} onClose={close} title="New backup codes" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm">
            Your current backup codes stop working. Enter a code from your authenticator app.
          </Text>
          {formError && (
            <Alert color="red" icon={<IconAlertCircle />} role="alert">
              {formError}
            </Alert>
          )}
          <TextInput
            label="Authentication code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            required
            data-autofocus
            {...form.getInputProps('code')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={form.submitting}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Make new codes
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DisableDialog({
  opened,
  onClose,
  onDone,
}: {
  opened: boolean;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ password: string; code: string }>({
    initialValues: { password: '', code: '' },
    validate: validateWith(
      disableTwoFactorInputSchema,
      (values: { password: string; code: string }) => values,
      { password: 'Enter your password' },
    ),
  });
  const close = () => {
    form.reset();
    setFormError(null);
    onClose();
  };
  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await disableTwoFactor(disableTwoFactorInputSchema.parse(values));
      form.reset();
      await onDone();
    } catch (error) {
      setFormError(problemText(error));
    }
  });
  return (
    <Modal opened={opened} onClose={close} title="Turn off two-factor authentication" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm">
            Your password alone will sign in to this account again. Confirm with your password and a
            code from your authenticator app.
          </Text>
          {formError && (
            <Alert color="red" icon={<IconAlertCircle />} role="alert">
              {formError}
            </Alert>
          )}
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            data-autofocus
            {...form.getInputProps('password')}
          />
          <TextInput
            label="Authentication code"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            required
            {...form.getInputProps('code')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={form.submitting}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={form.submitting}>
              Turn off
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

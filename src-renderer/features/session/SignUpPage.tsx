import {
  Alert,
  Button,
  Group,
  PasswordInput,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { problemTypes, ProblemError } from '../../../shared/api/problem.ts';
import { registerInputSchema } from '../../../shared/accounts/auth.ts';
import { readableProblem } from '../../api/problems.ts';
import { applyProblemToForm, validateWith } from '../../ui/forms.ts';
import { AnchorLink } from '../../ui/links.tsx';
import {
  PasswordStrengthMeter,
  usePasswordStrength,
  weakPasswordError,
} from './PasswordStrengthMeter.tsx';
import { signUp } from './session-store.ts';

type SignUpValues = {
  name: string;
  email: string;
  password: string;
  role: '' | 'client' | 'freelancer';
};

const fields = new Set(['name', 'email', 'password', 'role']);

const roles = [
  {
    value: 'freelancer',
    title: 'Freelancer',
    description: 'I do the work: track my time, keep my contracts and send invoices.',
  },
  {
    value: 'client',
    title: 'Client',
    description: 'I hire freelancers: post projects, approve time and pay for work.',
  },
] as const;

const validateInput = validateWith<SignUpValues>(
  registerInputSchema.omit({ deviceName: true }),
  (values) => values,
  { role: 'Choose how you will use MegiLance' },
);

export function SignUpPage() {
  const navigate = useNavigate();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<SignUpValues>({
    initialValues: { name: '', email: '', password: '', role: '' },
    validate: (values) => {
      const errors = validateInput(values);
      const weak = weakPasswordError(values.password, values);
      if (weak && !errors.password) errors.password = weak;
      return errors;
    },
  });
  const strength = usePasswordStrength(form.values.password, form.values);

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    if (values.role === '') return;
    try {
      await signUp({ ...values, role: values.role });
      await navigate({ to: '/', replace: true });
    } catch (error) {
      if (error instanceof ProblemError && error.problem.type === problemTypes.emailTaken) {
        form.setFieldError('email', readableProblem(error.problem));
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
    <form onSubmit={submit} noValidate aria-labelledby="sign-up-title">
      <Stack gap="md">
        <div>
          <Title id="sign-up-title" order={1} fz={24}>
            Create your account
          </Title>
          <Text c="dimmed" size="sm">
            One account for the desktop app and every device you use.
          </Text>
        </div>
        {formError && (
          <Alert
            color="red"
            icon={<IconAlertCircle />}
            role="alert"
            title="Could not create the account"
          >
            {formError}
          </Alert>
        )}
        <Radio.Group {...form.getInputProps('role')} label="I am joining as" required>
          <SimpleGrid cols={2} spacing="sm" mt={6}>
            {roles.map((role) => (
              <Radio.Card key={role.value} value={role.value} radius="md" p="sm">
                <Group wrap="nowrap" align="flex-start" gap="xs">
                  <Radio.Indicator mt={2} />
                  <div>
                    <Text fw={600} size="sm">
                      {role.title}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {role.description}
                    </Text>
                  </div>
                </Group>
              </Radio.Card>
            ))}
          </SimpleGrid>
        </Radio.Group>
        <TextInput label="Full name" autoComplete="name" required {...form.getInputProps('name')} />
        <TextInput
          label="Email"
          type="email"
          autoComplete="email"
          required
          {...form.getInputProps('email')}
        />
        <PasswordInput
          label="Password"
          description="At least 10 characters. A short sentence is easy to remember."
          autoComplete="new-password"
          required
          {...form.getInputProps('password')}
        />
        <PasswordStrengthMeter strength={strength} />
        <Button type="submit" fullWidth loading={form.submitting} mt="xs">
          Create account
        </Button>
        <Text size="sm" ta="center">
          Already have an account? <AnchorLink to="/sign-in">Sign in</AnchorLink>
        </Text>
      </Stack>
    </form>
  );
}

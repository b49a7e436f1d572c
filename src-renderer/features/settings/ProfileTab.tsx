import {
  Alert,
  Anchor,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { User } from '../../../shared/accounts/user.ts';
import { applyProblemToForm } from '../../ui/forms.ts';
import { knownCountries } from '../../ui/format.ts';
import { AnchorLink } from '../../ui/links.tsx';
import { updateProfile } from '../session/account-api.ts';
import { useSessionStore } from '../session/session-store.ts';
import {
  parseRate,
  profileFieldFor,
  profileInputOf,
  profileValuesOf,
  validateProfile,
  type ProfileValues,
} from './profile-form.ts';
import { RateFields } from './RateFields.tsx';
import { SaveOrDiscard } from '../../ui/SaveOrDiscard.tsx';

export function ProfileTab() {
  const user = useSessionStore((state) => state.user);
  if (!user) return null;
  // A new `updatedAt` (saved here or refreshed from the server) starts the form from that profile.
  return <ProfileForm key={user.updatedAt} user={user} />;
}

const deviceTimezone = Intl.DateTimeFormat().resolvedOptions().timeZone;

function ProfileForm({ user }: { user: User }) {
  const [formError, setFormError] = useState<string | null>(null);
  const countries = useMemo(() => knownCountries(), []);
  const timezones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);
  // A freelancer's headline, about text and rate are edited with the rest of their marketplace
  // profile (Freelancer profile tab), never in two places.
  const freelancer = user.role === 'freelancer';
  const form = useForm<ProfileValues>({
    initialValues: profileValuesOf(user),
    validate: (values) => validateProfile(values, freelancer),
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const rate = parseRate(values);
    if (!rate.ok) return;
    try {
      await updateProfile(profileInputOf(values, rate.rate, freelancer));
      notifications.show({
        color: 'teal',
        title: 'Profile saved',
        message: 'Your profile is up to date.',
      });
    } catch (error) {
      setFormError(applyProblemToForm(error, form.setFieldError, profileFieldFor));
    }
  });

  return (
    <Paper withBorder radius="md" p="lg" maw={760}>
      <form onSubmit={submit} noValidate aria-label="Profile">
        <Stack gap="md">
          {formError && (
            <Alert
              color="red"
              icon={<IconAlertCircle />}
              role="alert"
              title="Could not save the profile"
            >
              {formError}
            </Alert>
          )}
          {freelancer ? (
            <>
              <TextInput
                label="Name"
                autoComplete="name"
                required
                {...form.getInputProps('name')}
              />
              <Text size="sm" c="dimmed">
                Your headline, about text, hourly rate, skills and portfolio are on your{' '}
                <AnchorLink to="/settings/$tab" params={{ tab: 'freelancer-profile' }} inherit>
                  Freelancer profile
                </AnchorLink>
                .
              </Text>
            </>
          ) : (
            <>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  label="Name"
                  autoComplete="name"
                  required
                  {...form.getInputProps('name')}
                />
                <TextInput
                  label="Headline"
                  placeholder="Senior React developer for fintech teams"
                  maxLength={140}
                  {...form.getInputProps('headline')}
                />
              </SimpleGrid>
              <Textarea
                label="About you"
                description="What you do, for whom, and how you like to work."
                autosize
                minRows={3}
                maxRows={10}
                maxLength={5000}
                {...form.getInputProps('bio')}
              />
            </>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Country"
              description="Where you work from."
              placeholder="Choose a country"
              data={countries}
              searchable
              clearable
              nothingFoundMessage="No country by that name"
              {...form.getInputProps('country')}
            />
            <Select
              label="Time zone"
              placeholder="Choose a time zone"
              data={timezones}
              searchable
              clearable
              limit={50}
              nothingFoundMessage="No time zone by that name"
              description={
                form.values.timezone === deviceTimezone ? (
                  'The same as this device.'
                ) : (
                  <>
                    This device uses {deviceTimezone}.{' '}
                    <Anchor
                      component="button"
                      type="button"
                      inherit
                      onClick={() => form.setFieldValue('timezone', deviceTimezone)}
                    >
                      Use it
                    </Anchor>
                  </>
                )
              }
              {...form.getInputProps('timezone')}
            />
          </SimpleGrid>
          {!freelancer && (
            <RateFields
              amount={form.getInputProps('rateAmount')}
              currency={form.getInputProps('rateCurrency')}
            />
          )}
          <SaveOrDiscard
            dirty={form.isDirty()}
            submitting={form.submitting}
            onDiscard={form.reset}
            saveLabel="Save profile"
          />
        </Stack>
      </form>
    </Paper>
  );
}

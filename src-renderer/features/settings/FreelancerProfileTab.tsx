import { Alert, Divider, Group, Paper, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconExternalLink } from '@tabler/icons-react';
import { useState } from 'react';
import type { FreelancerProfile } from '../../../shared/marketplace/profiles.ts';
import { AnchorLink } from '../../ui/links.tsx';
import { applyServerErrors } from '../marketplace/form-problems.ts';
import { LoadError, PageLoader } from '../marketplace/ListStates.tsx';
import { useRemote } from '../marketplace/use-remote.ts';
import { useSessionStore } from '../session/session-store.ts';
import { fetchOwnProfile, saveFreelancerProfile } from './freelancer-profile-api.ts';
import {
  buildFreelancerProfileInput,
  freelancerProfileFieldFor,
  freelancerProfileValuesOf,
  validateFreelancerProfile,
  type FreelancerProfileValues,
} from './freelancer-profile-form.ts';
import { PortfolioEditor } from './PortfolioEditor.tsx';
import { RateFields } from './RateFields.tsx';
import { SkillsEditor } from './SkillsEditor.tsx';
import { SaveOrDiscard } from '../../ui/SaveOrDiscard.tsx';

/**
 * What clients read about a freelancer in the marketplace: headline, about text, rate and
 * skills (saved together) and the portfolio (each piece saved on its own). Name, country and
 * time zone stay on the Profile tab.
 */
export function FreelancerProfileTab() {
  const user = useSessionStore((state) => state.user);
  const freelancer = user?.role === 'freelancer' ? user : null;
  const profile = useRemote(freelancer ? `own-profile:${freelancer.id}` : null, () =>
    fetchOwnProfile(freelancer?.id ?? ''),
  );
  if (!user) return null;
  if (!freelancer) {
    return (
      <Alert color="yellow" title="Only freelancers have a marketplace profile" maw={640}>
        Your name, country and time zone are on the{' '}
        <AnchorLink to="/settings/$tab" params={{ tab: 'profile' }}>
          Profile
        </AnchorLink>{' '}
        tab.
      </Alert>
    );
  }
  if (!profile.data) {
    return profile.error ? (
      <LoadError
        title="Could not load your freelancer profile"
        error={profile.error}
        onRetry={profile.reload}
      />
    ) : (
      <PageLoader label="Loading your freelancer profile" />
    );
  }
  return (
    <Stack gap="lg" maw={860}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Text size="sm" c="dimmed">
          This is what clients see when they find you in the marketplace. Your name, country and
          time zone are on the{' '}
          <AnchorLink to="/settings/$tab" params={{ tab: 'profile' }} inherit>
            Profile
          </AnchorLink>{' '}
          tab.
        </Text>
        <AnchorLink
          to="/marketplace/freelancers/$freelancerId"
          params={{ freelancerId: freelancer.id }}
          size="sm"
          style={{ whiteSpace: 'nowrap' }}
        >
          <Group gap={4} wrap="nowrap" component="span">
            View public profile
            <IconExternalLink size={14} aria-hidden />
          </Group>
        </AnchorLink>
      </Group>
      {/* A saved profile starts the form again from what the server kept. */}
      <DetailsForm
        key={profile.data.updatedAt}
        profile={profile.data}
        defaultCurrency={user.hourlyRate?.currency ?? 'USD'}
        onSaved={profile.replace}
      />
      <Divider />
      <PortfolioEditor initial={profile.data.portfolio} />
    </Stack>
  );
}

function DetailsForm({
  profile,
  defaultCurrency,
  onSaved,
}: {
  profile: FreelancerProfile;
  defaultCurrency: string;
  onSaved: (profile: FreelancerProfile) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<FreelancerProfileValues>({
    initialValues: freelancerProfileValuesOf(profile, defaultCurrency),
    validate: validateFreelancerProfile,
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const built = buildFreelancerProfileInput(values);
    if (!built.ok) {
      form.setErrors(built.errors);
      return;
    }
    try {
      const saved = await saveFreelancerProfile(built.input);
      notifications.show({
        color: 'teal',
        title: 'Profile saved',
        message: 'Clients see your freelancer profile as it is now.',
      });
      onSaved(saved);
    } catch (error) {
      setFormError(
        applyServerErrors(
          error,
          form.setFieldError,
          freelancerProfileFieldFor,
          values.rateCurrency,
        ),
      );
    }
  });

  return (
    <Paper withBorder radius="md" p="lg">
      <form onSubmit={submit} noValidate aria-label="Freelancer profile">
        <Stack gap="md">
          {formError !== null && (
            <Alert
              color="red"
              icon={<IconAlertCircle />}
              role="alert"
              title="Could not save the profile"
            >
              {formError}
            </Alert>
          )}
          <TextInput
            label="Headline"
            description="One line clients read first, under your name."
            placeholder="Senior React developer for fintech teams"
            maxLength={140}
            {...form.getInputProps('headline')}
          />
          <Textarea
            label="About you"
            description="What you do, for whom, and how you like to work."
            autosize
            minRows={3}
            maxRows={10}
            maxLength={5000}
            {...form.getInputProps('bio')}
          />
          <RateFields
            amount={form.getInputProps('rateAmount')}
            currency={form.getInputProps('rateCurrency')}
          />
          <SkillsEditor form={form} />
          {Object.keys(form.errors).length > 0 && formError === null && (
            <Text size="sm" c="red" role="alert">
              Some fields need attention.
            </Text>
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

import {
  Avatar,
  Badge,
  Card,
  Group,
  List,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconCheck, IconCircleDashed, IconUserEdit } from '@tabler/icons-react';
import type { User } from '../../../shared/accounts/user.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import { countryName, formatDate } from '../../ui/format.ts';
import { AnchorLink, ButtonLink } from '../../ui/links.tsx';
import { useSessionStore } from '../session/session-store.ts';
import { roleLabels } from '../session/roles.ts';

export function DashboardPage() {
  const user = useSessionStore((state) => state.user);
  if (!user) return null;
  const firstName = user.name.split(/\s+/)[0] ?? user.name;
  return (
    <Stack gap="xl" maw={960}>
      <div>
        <Title order={1} fz={30}>
          {greeting()}, {firstName}
        </Title>
        <Text c="dimmed">
          {user.role === 'client'
            ? 'This is where you will follow the work you hire for.'
            : 'This is where you will run your freelance work.'}
        </Text>
      </div>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <ProfileSummary user={user} />
        <ProfileChecklist user={user} />
      </SimpleGrid>
    </Stack>
  );
}

function greeting(): string {
  const hour = new Date().getHours();
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}

function ProfileSummary({ user }: { user: User }) {
  const rows: [string, string][] = [
    ['Email', user.email],
    ['Hourly rate', user.hourlyRate ? `${formatMoney(user.hourlyRate)} / hour` : 'Not set'],
    ['Country', user.country ? countryName(user.country) : 'Not set'],
    ['Time zone', user.timezone ?? 'Not set'],
    ['Member since', formatDate(user.createdAt)],
  ];
  return (
    <Card withBorder radius="md" padding="lg" aria-labelledby="profile-summary-title">
      <Group wrap="nowrap" mb="md">
        <Avatar name={user.name} color="initials" size={56} radius="xl" />
        <div>
          <Group gap="xs">
            <Text id="profile-summary-title" fw={700} fz="lg">
              {user.name}
            </Text>
            <Badge variant="light">{roleLabels[user.role]}</Badge>
          </Group>
          <Text c={user.headline ? undefined : 'dimmed'} size="sm">
            {user.headline ?? 'No headline yet'}
          </Text>
        </div>
      </Group>
      <Stack gap={6}>
        {rows.map(([label, value]) => (
          <Group key={label} justify="space-between" wrap="nowrap" gap="md">
            <Text size="sm" c="dimmed">
              {label}
            </Text>
            <Text size="sm" ta="right" c={value === 'Not set' ? 'dimmed' : undefined} truncate>
              {value}
            </Text>
          </Group>
        ))}
      </Stack>
      {user.bio && (
        <Text size="sm" mt="md" style={{ whiteSpace: 'pre-line' }} lineClamp={4}>
          {user.bio}
        </Text>
      )}
    </Card>
  );
}

function ProfileChecklist({ user }: { user: User }) {
  const steps = [
    { label: 'Create your account', done: true },
    { label: 'Write a headline people see first', done: Boolean(user.headline) },
    { label: 'Tell people about yourself', done: Boolean(user.bio) },
    { label: 'Set your country and time zone', done: Boolean(user.country && user.timezone) },
    ...(user.role === 'freelancer'
      ? [{ label: 'Set your hourly rate', done: Boolean(user.hourlyRate) }]
      : []),
  ];
  const remaining = steps.filter((step) => !step.done).length;
  return (
    <Card withBorder radius="md" padding="lg">
      <Text fw={700} fz="lg">
        {remaining === 0 ? 'Your profile is complete' : 'Finish your profile'}
      </Text>
      <Text size="sm" c="dimmed" mb="md">
        {remaining === 0
          ? 'Everything people look for is filled in.'
          : `${remaining} of ${steps.length} steps left. A complete profile is what clients read first.`}
      </Text>
      <List spacing="xs" size="sm" center mb="lg">
        {steps.map((step) => (
          <List.Item
            key={step.label}
            icon={
              <ThemeIcon
                size={20}
                radius="xl"
                variant={step.done ? 'filled' : 'light'}
                color={step.done ? 'teal' : 'gray'}
                aria-hidden
              >
                {step.done ? <IconCheck size={12} /> : <IconCircleDashed size={12} />}
              </ThemeIcon>
            }
          >
            <Text
              size="sm"
              td={step.done ? 'line-through' : undefined}
              c={step.done ? 'dimmed' : undefined}
            >
              {step.label}
              <VisuallyHidden>{step.done ? ' (done)' : ' (to do)'}</VisuallyHidden>
            </Text>
          </List.Item>
        ))}
      </List>
      <Group justify="space-between">
        {/* A freelancer's headline, about text and rate are on their marketplace profile. */}
        <ButtonLink
          to="/settings/$tab"
          params={{ tab: user.role === 'freelancer' ? 'freelancer-profile' : 'profile' }}
          variant="light"
          leftSection={<IconUserEdit size={16} />}
        >
          Edit profile
        </ButtonLink>
        <AnchorLink to="/settings/$tab" params={{ tab: 'sessions' }} size="sm">
          Devices signed in
        </AnchorLink>
      </Group>
    </Card>
  );
}

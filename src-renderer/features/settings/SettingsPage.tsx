import { Stack, Tabs, Text, Title } from '@mantine/core';
import {
  IconBriefcase,
  IconCreditCard,
  IconDevices,
  IconLock,
  IconShieldLock,
  IconUser,
} from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { PaymentsSettings } from '../money/PaymentsSettings.tsx';
import { useSessionStore } from '../session/session-store.ts';
import { FreelancerProfileTab } from './FreelancerProfileTab.tsx';
import { PasswordTab } from './PasswordTab.tsx';
import { ProfileTab } from './ProfileTab.tsx';
import { SecurityTab } from './SecurityTab.tsx';
import { SessionsTab } from './SessionsTab.tsx';
import { isSettingsTab, type SettingsTab } from './settings-tabs.ts';

/** Account settings; each tab has its own address (`/settings/sessions`) so it can be linked. */
export function SettingsPage({ tab }: { tab: SettingsTab }) {
  const navigate = useNavigate();
  // Only freelancers have a marketplace profile; the tab says so to anyone who links to it.
  const freelancer = useSessionStore((state) => state.user?.role === 'freelancer');
  return (
    <Stack gap="lg" maw={960}>
      <div>
        <Title order={1} fz={30}>
          Settings
        </Title>
        <Text c="dimmed">
          {freelancer
            ? 'Your profile, what clients see in the marketplace, how you are paid, your password, two-factor authentication and the devices signed in to your account.'
            : 'Your profile, how you pay, your password, two-factor authentication and the devices signed in to your account.'}
        </Text>
      </div>
      <Tabs
        value={tab}
        onChange={(next) => {
          if (next && isSettingsTab(next)) {
            void navigate({ to: '/settings/$tab', params: { tab: next } });
          }
        }}
        keepMounted={false}
      >
        <Tabs.List mb="lg">
          <Tabs.Tab value="profile" leftSection={<IconUser size={16} />}>
            Profile
          </Tabs.Tab>
          {(freelancer || tab === 'freelancer-profile') && (
            <Tabs.Tab value="freelancer-profile" leftSection={<IconBriefcase size={16} />}>
              Freelancer profile
            </Tabs.Tab>
          )}
          <Tabs.Tab value="payments" leftSection={<IconCreditCard size={16} />}>
            Payments
          </Tabs.Tab>
          <Tabs.Tab value="password" leftSection={<IconLock size={16} />}>
            Password
          </Tabs.Tab>
          <Tabs.Tab value="security" leftSection={<IconShieldLock size={16} />}>
            Security
          </Tabs.Tab>
          <Tabs.Tab value="sessions" leftSection={<IconDevices size={16} />}>
            Sessions
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="profile">
          <ProfileTab />
        </Tabs.Panel>
        <Tabs.Panel value="freelancer-profile">
          <FreelancerProfileTab />
        </Tabs.Panel>
        <Tabs.Panel value="payments">
          <PaymentsSettings />
        </Tabs.Panel>
        <Tabs.Panel value="password">
          <PasswordTab />
        </Tabs.Panel>
        <Tabs.Panel value="security">
          <SecurityTab />
        </Tabs.Panel>
        <Tabs.Panel value="sessions">
          <SessionsTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

export const settingsTabs = [
  'profile',
  'freelancer-profile',
  'payments',
  'password',
  'security',
  'sessions',
] as const;
export type SettingsTab = (typeof settingsTabs)[number];

export function isSettingsTab(value: string): value is SettingsTab {
  return (settingsTabs as readonly string[]).includes(value);
}

import { Badge, Group, List, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconHammer } from '@tabler/icons-react';
import type { ComponentType } from 'react';

export type NotBuiltYetProps = {
  area: string;
  Icon: ComponentType<{ size?: number; stroke?: number }>;
  /** What this area will let people do, in plain words. */
  coming: readonly string[];
};

/** The honest page for an area that does not exist yet: no sample data, no pretend numbers. */
export function NotBuiltYet({ area, Icon, coming }: NotBuiltYetProps) {
  return (
    <Stack gap="lg" maw={720}>
      <Group gap="sm">
        <ThemeIcon size={40} radius="md" variant="light" aria-hidden>
          <Icon size={22} stroke={1.6} />
        </ThemeIcon>
        <Title order={1} fz={28}>
          {area}
        </Title>
        <Badge variant="light" color="yellow" leftSection={<IconHammer size={12} />}>
          Not built yet
        </Badge>
      </Group>
      <Paper withBorder p="lg" radius="md">
        <Text fw={600} mb="xs">
          {area} is not built yet.
        </Text>
        <Text c="dimmed" size="sm" mb="md">
          Nothing on this page is real data, so nothing is shown. When this area arrives it will let
          you:
        </Text>
        <List spacing="xs" size="sm">
          {coming.map((item) => (
            <List.Item key={item}>{item}</List.Item>
          ))}
        </List>
      </Paper>
    </Stack>
  );
}

import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconBriefcase2 } from '@tabler/icons-react';

export function BrandMark({ size = 'md' }: { size?: 'md' | 'lg' }) {
  const large = size === 'lg';
  return (
    <Group gap={8} wrap="nowrap">
      <ThemeIcon
        size={large ? 40 : 30}
        radius="md"
        variant="gradient"
        gradient={{ from: 'indigo.6', to: 'cyan.5', deg: 135 }}
        aria-hidden
      >
        <IconBriefcase2 size={large ? 22 : 18} stroke={1.8} />
      </ThemeIcon>
      <Text fw={700} fz={large ? 24 : 18} lh={1} style={{ letterSpacing: '-0.01em' }}>
        MegiLance
      </Text>
    </Group>
  );
}

import { Button, Group, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** "Previous day · Saturday 14 November 2026 · Next day": stepping through days or weeks. */
export function PeriodStepper(props: {
  unit: 'day' | 'week';
  title: string;
  testId: string;
  onStep: (by: -1 | 1) => void;
  /** The period shown is the current one: nothing after it has happened yet. */
  atLatest: boolean;
  children?: ReactNode;
}) {
  return (
    <Group gap="xs">
      <Button
        variant="default"
        leftSection={<IconChevronLeft size={16} />}
        onClick={() => props.onStep(-1)}
      >
        Previous {props.unit}
      </Button>
      <Text fw={600} miw={220} ta="center" data-testid={props.testId}>
        {props.title}
      </Text>
      <Button
        variant="default"
        rightSection={<IconChevronRight size={16} />}
        onClick={() => props.onStep(1)}
        disabled={props.atLatest}
      >
        Next {props.unit}
      </Button>
      {props.children}
    </Group>
  );
}

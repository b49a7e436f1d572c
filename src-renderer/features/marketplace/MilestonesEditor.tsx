import { ActionIcon, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { formatMoney } from '../../../shared/money/money.ts';
import { MAX_MILESTONES } from '../../../shared/marketplace/proposals.ts';
import { newMilestoneRow, plannedTotal, type MilestoneRow } from './milestone-plan.ts';

/**
 * A list of milestones (title, amount, optional due date) to add to and remove from, with the
 * planned total against what it must add up to. Errors are the form's, keyed
 * `milestones.<n>.<field>`, plus `milestones` for the list as a whole.
 */
export function MilestonesEditor({
  rows,
  onChange,
  currency,
  totalMinor,
  errors,
  legend,
}: {
  rows: MilestoneRow[];
  onChange: (rows: MilestoneRow[]) => void;
  currency: string;
  /** What the amounts must add up to, when known. */
  totalMinor: number | null;
  errors: Record<string, ReactNode>;
  legend: string;
}) {
  const planned = plannedTotal(rows, currency);
  const set = (index: number, patch: Partial<MilestoneRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const listError = errors.milestones;

  return (
    <Stack gap="xs" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
      <Text component="legend" size="sm" fw={500}>
        {legend}
      </Text>
      {rows.map((row, index) => (
        <Group
          key={row.key}
          align="flex-start"
          gap="xs"
          wrap="nowrap"
          role="group"
          aria-label={`Milestone ${index + 1}`}
        >
          <TextInput
            label={`Milestone ${index + 1} title`}
            placeholder="Design approved"
            style={{ flex: 2 }}
            maxLength={200}
            value={row.title}
            onChange={(event) => set(index, { title: event.currentTarget.value })}
            error={errors[`milestones.${index}.title`]}
          />
          <TextInput
            label={`Milestone ${index + 1} amount`}
            inputMode="decimal"
            placeholder="500.00"
            rightSection={
              <Text size="xs" c="dimmed">
                {currency}
              </Text>
            }
            rightSectionWidth={44}
            style={{ flex: 1 }}
            value={row.amount}
            onChange={(event) => set(index, { amount: event.currentTarget.value })}
            error={errors[`milestones.${index}.amount`]}
          />
          <TextInput
            type="date"
            label={`Milestone ${index + 1} due`}
            style={{ flex: 1 }}
            value={row.dueDate}
            onChange={(event) => set(index, { dueDate: event.currentTarget.value })}
            error={errors[`milestones.${index}.dueDate`]}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            mt={26}
            size="lg"
            aria-label={`Remove milestone ${index + 1}`}
            disabled={rows.length <= 1}
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      ))}
      <Group justify="space-between">
        <Button
          variant="subtle"
          size="xs"
          leftSection={<IconPlus size={14} />}
          disabled={rows.length >= MAX_MILESTONES}
          onClick={() => onChange([...rows, newMilestoneRow()])}
        >
          Add a milestone
        </Button>
        <Text size="sm" c={totalMinor !== null && planned !== totalMinor ? 'orange' : 'dimmed'}>
          Planned {formatMoney({ amountMinor: planned, currency })}
          {totalMinor !== null && ` of ${formatMoney({ amountMinor: totalMinor, currency })}`}
        </Text>
      </Group>
      {listError && (
        <Text size="sm" c="red" role="alert" id="milestones-error">
          {listError}
        </Text>
      )}
    </Stack>
  );
}

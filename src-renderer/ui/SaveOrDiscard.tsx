import { Button, Group } from '@mantine/core';

/** A form's closing row: discard the edits or save them, both idle until something changed. */
export function SaveOrDiscard({
  dirty,
  submitting,
  onDiscard,
  saveLabel,
}: {
  dirty: boolean;
  submitting: boolean;
  onDiscard: () => void;
  saveLabel: string;
}) {
  return (
    <Group justify="flex-end" mt="xs">
      <Button variant="default" onClick={onDiscard} disabled={!dirty}>
        Discard changes
      </Button>
      <Button type="submit" loading={submitting} disabled={!dirty}>
        {saveLabel}
      </Button>
    </Group>
  );
}

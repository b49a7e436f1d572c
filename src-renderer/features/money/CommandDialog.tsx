import { Button, Group, Modal, Stack } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { readableError } from '../../api/problems.ts';
import { DismissibleAlert } from '../../ui/DismissibleAlert.tsx';

/**
 * A money command's dialog: its fields, a submit button, and the server's refusal in words,
 * kept until dismissed. `onSubmit` returns false when the fields need attention (nothing was
 * sent); it throws what the server (or the network) said.
 */
export function CommandDialog(props: {
  opened: boolean;
  title: string;
  submitLabel: string;
  /** The refusal's heading: "The milestone was not funded". */
  failureTitle: string;
  color?: string;
  submitDisabled?: boolean;
  onClose: () => void;
  onSubmit: () => Promise<boolean>;
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      if (await props.onSubmit()) props.onClose();
    } catch (error) {
      setFailure(readableError(error));
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    if (busy) return;
    setFailure(null);
    props.onClose();
  };

  return (
    <Modal opened={props.opened} onClose={close} title={props.title} centered size="md">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="md">
          {props.children}
          {failure && (
            <DismissibleAlert title={props.failureTitle} onDismiss={() => setFailure(null)}>
              {failure}
            </DismissibleAlert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={busy}
              color={props.color}
              disabled={props.submitDisabled}
            >
              {props.submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

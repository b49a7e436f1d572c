import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** Why something failed, announced at once and kept until the person dismisses it. */
export function DismissibleAlert({
  title,
  compact = false,
  onDismiss,
  children,
}: {
  title?: string;
  /** Less padding, for a narrow place (a composer, a form's file list). */
  compact?: boolean;
  onDismiss: () => void;
  children: ReactNode;
}) {
  return (
    <Alert
      color="red"
      icon={<IconAlertCircle />}
      role="alert"
      title={title}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onDismiss}
      py={compact ? 6 : undefined}
    >
      {children}
    </Alert>
  );
}

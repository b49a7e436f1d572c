import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconStar, IconStarFilled } from '@tabler/icons-react';
import { useState } from 'react';
import { readableError } from '../../api/problems.ts';

/**
 * A star that keeps something among your favorites. It is a toggle button (`aria-pressed`),
 * changed only once the server has taken the change.
 */
export function FavoriteButton({
  favorite,
  what,
  onToggle,
}: {
  /** null while it is not known yet. */
  favorite: boolean | null;
  /** "this project", "Ada Lovelace": what the button's name says it keeps. */
  what: string;
  onToggle: (favorite: boolean) => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const toggle = async () => {
    if (favorite === null) return;
    setBusy(true);
    try {
      await onToggle(!favorite);
    } catch (error) {
      notifications.show({
        color: 'red',
        title: favorite ? 'Could not remove the favorite' : 'Could not add the favorite',
        message: readableError(error),
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      variant={favorite ? 'light' : 'default'}
      color={favorite ? 'yellow' : undefined}
      leftSection={favorite ? <IconStarFilled size={16} /> : <IconStar size={16} />}
      aria-pressed={favorite ?? undefined}
      aria-label={`Favorite ${what}`}
      loading={busy}
      disabled={favorite === null}
      onClick={() => void toggle()}
    >
      {favorite ? 'Favorite' : 'Add to favorites'}
    </Button>
  );
}

import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconUserCheck, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { readableError } from '../../api/problems.ts';
import { useSessionStore } from '../session/session-store.ts';
import { fetchFollowStats, followUser, unfollowUser } from './marketplace-api.ts';
import { countText } from './marketplace-format.ts';
import { useRemote } from './use-remote.ts';

/**
 * Follow or unfollow a client or freelancer, beside how many people follow them. Following a
 * client brings their new open projects to the Marketplace home. The button changes only once
 * the server has taken the change; nobody follows themselves, so it is absent on your own.
 */
export function FollowControl({
  userId,
  name,
  following,
  showFollowing = false,
}: {
  userId: string;
  /** Whom the button follows, for its accessible name ("Follow Grace Hopper"). */
  name: string;
  /** Whether I follow them, when an answer already said so (shown before the counts arrive). */
  following?: boolean;
  /** Also say how many people they follow. */
  showFollowing?: boolean;
}) {
  const me = useSessionStore((state) => state.user?.id);
  const stats = useRemote(`follow-stats:${userId}`, () => fetchFollowStats(userId));
  const [busy, setBusy] = useState(false);
  const followed = stats.data?.followedByMe ?? following ?? null;

  const toggle = async () => {
    if (followed === null) return;
    const next = !followed;
    setBusy(true);
    try {
      if (next) await followUser(userId);
      else await unfollowUser(userId);
      // What the server now holds for me at once; the counts are then read again.
      if (stats.data) {
        stats.replace({
          ...stats.data,
          followedByMe: next,
          followers: Math.max(0, stats.data.followers + (next ? 1 : -1)),
        });
      }
      stats.reload();
    } catch (error) {
      notifications.show({
        color: 'red',
        title: next ? `Could not follow ${name}` : `Could not unfollow ${name}`,
        message: readableError(error),
      });
    } finally {
      setBusy(false);
    }
  };

  const counts = stats.data
    ? [
        countText(stats.data.followers, 'follower', 'followers'),
        ...(showFollowing ? [`follows ${stats.data.following}`] : []),
      ].join(' · ')
    : stats.error
      ? 'Followers unknown'
      : '…';

  return (
    <Group gap="sm" wrap="nowrap">
      {me !== userId && (
        <Button
          size="xs"
          variant={followed ? 'light' : 'default'}
          leftSection={followed ? <IconUserCheck size={14} /> : <IconUserPlus size={14} />}
          aria-label={`${followed ? 'Unfollow' : 'Follow'} ${name}`}
          loading={busy}
          disabled={followed === null}
          onClick={() => void toggle()}
        >
          {followed ? 'Unfollow' : 'Follow'}
        </Button>
      )}
      <Text size="sm" c="dimmed" aria-live="polite" data-testid="follow-counts">
        {counts}
      </Text>
    </Group>
  );
}

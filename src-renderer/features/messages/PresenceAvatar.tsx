import { Avatar, Indicator, VisuallyHidden } from '@mantine/core';

/** A person's initials with a presence dot: green when one of their devices is connected. */
export function PresenceAvatar({
  name,
  online,
  size = 40,
}: {
  name: string;
  /** undefined: presence unknown (a group, or not reported yet): no dot. */
  online: boolean | undefined;
  size?: number;
}) {
  return (
    <Indicator
      disabled={online === undefined}
      color={online ? 'teal' : 'gray'}
      position="bottom-end"
      offset={size / 7}
      size={Math.max(9, Math.round(size / 4))}
      withBorder
      data-presence={online === undefined ? 'unknown' : online ? 'online' : 'offline'}
    >
      <Avatar name={name} color="initials" radius="xl" size={size} aria-hidden />
      {online !== undefined && <VisuallyHidden>{online ? '(online)' : '(offline)'}</VisuallyHidden>}
    </Indicator>
  );
}

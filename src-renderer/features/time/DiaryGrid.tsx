import {
  Badge,
  Box,
  Button,
  Checkbox,
  Group,
  Image,
  Loader,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { IconPhotoOff } from '@tabler/icons-react';
import { format } from 'date-fns';
import { weekOf } from '../../../shared/time/slots.ts';
import type { DiaryRow, DiaryScreenshot, DiarySlot } from './diary-model.ts';
import { slotActivity, slotSpan } from './diary-model.ts';
import { entryStatusColors, entryStatusLabels, slotKey, type SlotKey } from './review-model.ts';
import { useScreenshotImage } from './screenshot-images.ts';

export interface DiaryGridProps {
  rows: DiaryRow[];
  role: 'client' | 'freelancer';
  /** Client: slots chosen for a dispute. */
  selected: ReadonlySet<SlotKey>;
  onToggle: (slot: DiarySlot) => void;
  onOpen: (shot: DiaryScreenshot) => void;
  onBlur: (shot: DiaryScreenshot) => void;
  onDelete: (shot: DiaryScreenshot) => void;
  busyShot: string | null;
  /** Weeks (Mondays, UTC) the client approved: their time is final, nothing in them changes. */
  approvedWeeks: ReadonlySet<string>;
}

/** The day's hours that hold something, six slots each. */
export function DiaryGrid(props: DiaryGridProps) {
  return (
    <Stack gap="md" role="list" aria-label="Work diary">
      {props.rows.map((row) => (
        <Box key={row.start} role="listitem" aria-label={`Hour ${row.label}`}>
          <Text size="sm" fw={600} mb={6}>
            {row.label}
          </Text>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="xs">
            {row.slots.map((slot) => (
              <SlotCell key={slot.start} slot={slot} {...props} />
            ))}
          </SimpleGrid>
        </Box>
      ))}
    </Stack>
  );
}

function SlotCell({
  slot,
  role,
  selected,
  onToggle,
  onOpen,
  onBlur,
  onDelete,
  busyShot,
  approvedWeeks,
}: { slot: DiarySlot } & DiaryGridProps) {
  const segment = slot.tracked?.segment ?? null;
  const final = approvedWeeks.has(weekOf(slot.start));
  const empty = !segment && slot.manualEntryIds.length === 0 && slot.screenshots.length === 0;
  const activity = segment ? slotActivity(segment) : null;
  const key = slot.tracked ? slotKey(slot.tracked.entryId, slot.tracked.segment.start) : null;
  const disputable = role === 'client' && key !== null && !segment?.removed && !final;
  return (
    <Paper
      withBorder
      radius="sm"
      p={6}
      data-testid="diary-slot"
      aria-label={`Slot ${slotSpan(slot.start)}`}
      bg={empty ? 'var(--mantine-color-default-hover)' : undefined}
      style={{ opacity: segment?.removed ? 0.6 : 1 }}
    >
      <Stack gap={4}>
        <Group justify="space-between" gap={4} wrap="nowrap">
          <Text size="xs" c="dimmed">
            {slot.label}
          </Text>
          {disputable && key && (
            <Checkbox
              size="xs"
              aria-label={`Select ${slotSpan(slot.start)} for a dispute`}
              checked={selected.has(key)}
              onChange={() => onToggle(slot)}
            />
          )}
        </Group>
        {slot.screenshots.length > 0 ? (
          slot.screenshots.map((shot) => (
            <ShotThumb
              key={shot.id}
              shot={shot}
              role={role}
              final={final}
              busy={busyShot === shot.id}
              onOpen={onOpen}
              onBlur={onBlur}
              onDelete={onDelete}
            />
          ))
        ) : segment || slot.manualEntryIds.length > 0 ? (
          <Box h={54} style={{ display: 'grid', placeItems: 'center' }}>
            <Text size="xs" c="dimmed">
              No screenshot
            </Text>
          </Box>
        ) : null}
        {segment && (
          <>
            {segment.removed ? (
              <Badge size="xs" color="gray" variant="outline">
                Time removed
              </Badge>
            ) : activity === null ? (
              <Text size="xs" c="dimmed">
                Activity unavailable
              </Text>
            ) : (
              <Group gap={4} wrap="nowrap" aria-label={`Activity ${activity}%`}>
                <Progress value={activity} size="sm" style={{ flex: 1 }} aria-hidden />
                <Text size="xs">{activity}%</Text>
              </Group>
            )}
            {segment.memo && (
              <Text size="xs" lineClamp={2} title={segment.memo}>
                {segment.memo}
              </Text>
            )}
          </>
        )}
        <Group gap={4}>
          {slot.manualEntryIds.length > 0 && (
            <Badge size="xs" color="orange" variant="light">
              Manual
            </Badge>
          )}
          {slot.tracked && !segment?.removed && (
            <Badge size="xs" variant="light" color={entryStatusColors[slot.tracked.status]}>
              {entryStatusLabels[slot.tracked.status]}
            </Badge>
          )}
          {slot.dispute && (
            <Badge
              size="xs"
              variant={slot.dispute.status === 'open' ? 'filled' : 'outline'}
              color={slot.dispute.status === 'open' ? 'red' : 'gray'}
            >
              {slot.dispute.status === 'open' ? 'In dispute' : 'Dispute withdrawn'}
            </Badge>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function ShotThumb({
  shot,
  role,
  final,
  busy,
  onOpen,
  onBlur,
  onDelete,
}: {
  shot: DiaryScreenshot;
  role: 'client' | 'freelancer';
  final: boolean;
  busy: boolean;
  onOpen: (shot: DiaryScreenshot) => void;
  onBlur: (shot: DiaryScreenshot) => void;
  onDelete: (shot: DiaryScreenshot) => void;
}) {
  const image = useScreenshotImage(shot, 'thumbnail');
  const taken = format(shot.takenAt, 'HH:mm');
  return (
    <Stack gap={2}>
      <UnstyledButton
        onClick={() => onOpen(shot)}
        aria-label={`Open the screenshot taken at ${taken}`}
        data-testid="screenshot-thumbnail"
      >
        {'url' in image ? (
          <Image
            src={image.url}
            alt={`Screenshot taken at ${taken}`}
            radius="xs"
            h={54}
            fit="cover"
          />
        ) : (
          <Box h={54} style={{ display: 'grid', placeItems: 'center' }}>
            {'loading' in image ? (
              <Loader size="xs" aria-label="Loading the screenshot" />
            ) : (
              <Group gap={4} c="dimmed" title={image.failed}>
                <IconPhotoOff size={16} aria-hidden />
                <Text size="xs">Image unavailable</Text>
              </Group>
            )}
          </Box>
        )}
      </UnstyledButton>
      {shot.blurred && (
        <Badge size="xs" variant="outline" color="gray">
          Blurred
        </Badge>
      )}
      {role === 'freelancer' && shot.state === 'pending' && shot.shareAt !== null && (
        <Text size="xs" c="dimmed">
          Private until {format(shot.shareAt, 'HH:mm')}
        </Text>
      )}
      {role === 'freelancer' && !final && (
        <Group gap={4}>
          {shot.state === 'pending' && !shot.blurred && (
            <Button size="compact-xs" variant="default" loading={busy} onClick={() => onBlur(shot)}>
              Blur
            </Button>
          )}
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            disabled={busy}
            onClick={() => onDelete(shot)}
          >
            Delete
          </Button>
        </Group>
      )}
    </Stack>
  );
}

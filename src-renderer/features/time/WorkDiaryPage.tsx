import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { format } from 'date-fns';
import { useEffect, useMemo, useState } from 'react';
import type { ContractDocument, TimeEntryDocument } from '../../../shared/sync/documents.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import { dayStart, weekOf } from '../../../shared/time/slots.ts';
import { readableError } from '../../api/problems.ts';
import type { MegilanceDatabase } from '../../sync/engine.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { ButtonLink } from '../../ui/links.tsx';
import { ContractTimeFrame } from './ContractTimeFrame.tsx';
import { DiaryGrid } from './DiaryGrid.tsx';
import {
  buildDiaryDay,
  diaryScreenshots,
  localDate,
  localDayBounds,
  longDate,
  shiftDate,
  utcDaysOf,
  type DiaryScreenshot,
  type DiarySlot,
} from './diary-model.ts';
import { requestHandOff } from './hand-off-requests.ts';
import { ManualTimeForm } from './ManualTimeForm.tsx';
import { PeriodStepper } from './PeriodStepper.tsx';
import { ReviewPanel } from './ReviewPanel.tsx';
import { slotKey, type SlotKey } from './review-model.ts';
import { blurScreenshot, deleteScreenshot } from './screenshot-actions.ts';
import { ScreenshotViewer } from './ScreenshotViewer.tsx';
import {
  useLocalScreenshots,
  useScreenshotDocuments,
  useTimeEntries,
  useTimeReviews,
} from './time-data.ts';
import { hoursText } from './time-model.ts';
import { useMinuteClock } from './use-tracker.ts';
import { buildTimesheet, weekDays } from './timesheet-model.ts';
import { WorkLog } from './WorkLogEditor.tsx';

/**
 * A contract's work diary for one day, for both parties: what was tracked in each 10-minute
 * slot with its screenshots and activity, manual time, the day's work log, and the week's
 * review. Days are the viewer's own; reviews go by the UTC week the day falls in.
 */
export function WorkDiaryPage({
  contractId,
  day,
}: {
  contractId: string;
  day?: string | undefined;
}) {
  const now = useMinuteClock();
  const today = localDate(now);
  const date = day && localDayBounds(day) ? day : today;
  return (
    <ContractTimeFrame contractId={contractId} what="work diary">
      {(contract, engine) => (
        <Diary
          key={`${contractId}:${date}`}
          db={engine.db}
          me={engine.userId}
          contract={contract}
          date={date}
          today={today}
          now={now}
        />
      )}
    </ContractTimeFrame>
  );
}

function Diary({
  db,
  me,
  contract,
  date,
  today,
  now,
}: {
  db: MegilanceDatabase;
  me: string;
  contract: ContractDocument;
  date: string;
  today: string;
  now: number;
}) {
  const navigate = useNavigate();
  const role = contract.client.id === me ? 'client' : 'freelancer';
  // `date` was checked by the page.
  const bounds = localDayBounds(date) ?? { from: 0, to: 1 };
  const utcDays = utcDaysOf(bounds);
  const week = weekOf(Math.floor((bounds.from + bounds.to) / 2));
  const days = weekDays(week);
  const first = [utcDays[0] ?? week, days[0] ?? week].sort()[0] ?? week;
  const last = [utcDays.at(-1) ?? week, days[6] ?? week].sort()[1] ?? week;

  const [version, setVersion] = useState(0);
  const [showEmpty, setShowEmpty] = useState(false);
  const [selected, setSelected] = useState<
    ReadonlyMap<SlotKey, { entryId: string; start: string }>
  >(new Map());
  const [viewing, setViewing] = useState<DiaryScreenshot | null>(null);
  const [deleting, setDeleting] = useState<DiaryScreenshot | null>(null);
  const [busyShot, setBusyShot] = useState<string | null>(null);

  useEffect(() => {
    if (role === 'freelancer') requestHandOff();
  }, [role]);

  const entries = useTimeEntries(contract.id, first, last);
  const recorded = useScreenshotDocuments(contract.id, bounds.from, bounds.to);
  const local = useLocalScreenshots(
    role === 'freelancer',
    contract.id,
    bounds.from,
    bounds.to,
    version,
  );
  const reviews = useTimeReviews(contract.id, weekOf(bounds.from), weekOf(bounds.to - 1));

  const diary = useMemo(
    () =>
      entries && recorded && reviews
        ? buildDiaryDay({
            date,
            entries: entries.filter((entry) => entry.freelancerId === contract.freelancer.id),
            screenshots: diaryScreenshots(local.shots, recorded),
            reviews,
          })
        : null,
    [date, entries, recorded, reviews, local.shots, contract.freelancer.id],
  );
  const sheet = useMemo(
    () =>
      entries && reviews
        ? buildTimesheet({
            week,
            currency: contract.currency,
            priced: contract.type === 'hourly',
            entries,
            reviews,
          })
        : null,
    [entries, reviews, week, contract.currency, contract.type],
  );
  const manualToday = (entries ?? []).filter(
    (entry) =>
      entry.kind === 'manual' &&
      entry.manual &&
      Date.parse(entry.manual.from) < bounds.to &&
      Date.parse(entry.manual.to) > bounds.from,
  );

  const go = (next: string) =>
    void navigate({
      to: '/contracts/$contractId/diary',
      params: { contractId: contract.id },
      search: { day: next },
    });

  const toggle = (slot: DiarySlot) => {
    if (!slot.tracked) return;
    const key = slotKey(slot.tracked.entryId, slot.tracked.segment.start);
    setSelected((old) => {
      const next = new Map(old);
      if (next.has(key)) next.delete(key);
      else
        next.set(key, {
          entryId: slot.tracked?.entryId ?? '',
          start: slot.tracked?.segment.start ?? '',
        });
      return next;
    });
  };

  const act = async (shot: DiaryScreenshot, action: () => Promise<void>, done: string) => {
    setBusyShot(shot.id);
    try {
      await action();
      notifications.show({ color: 'teal', message: done });
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'The screenshot was not changed',
        message: readableError(error),
      });
    } finally {
      setBusyShot(null);
      setVersion((v) => v + 1);
    }
  };

  const rows = diary ? diary.rows.filter((row) => showEmpty || row.busy) : [];
  const approvedWeeks = new Set(
    (reviews ?? []).filter((review) => review.kind === 'approval').map((review) => review.week),
  );

  return (
    <>
      <Stack gap={4}>
        <Title order={1} fz={28}>
          Work diary
        </Title>
        <Text c="dimmed">
          {contract.projectTitle} ·{' '}
          {role === 'client' ? `${contract.freelancer.name}’s time` : `for ${contract.client.name}`}
        </Text>
      </Stack>

      <Group justify="space-between">
        <PeriodStepper
          unit="day"
          title={longDate(date)}
          testId="diary-date"
          onStep={(by) => go(shiftDate(date, by))}
          atLatest={date >= today}
        >
          {date !== today && (
            <Button variant="subtle" onClick={() => go(today)}>
              Today
            </Button>
          )}
        </PeriodStepper>
        <ButtonLink
          variant="light"
          to="/contracts/$contractId/timesheet"
          params={{ contractId: contract.id }}
          search={{ week }}
        >
          Timesheet for this week
        </ButtonLink>
      </Group>

      <Card withBorder radius="md" padding="md">
        {diary === null || sheet === null ? (
          <Skeleton h={40} />
        ) : (
          <Group gap="xl">
            <Stat
              label="This day"
              value={hoursText(diary.trackedMs + diary.manualMs)}
              testId="day-total"
            />
            <Stat label="Tracked" value={hoursText(diary.trackedMs)} />
            <Stat label="Manual" value={hoursText(diary.manualMs)} />
            <Stat
              label="Activity"
              value={diary.activity === null ? 'Unavailable' : `${diary.activity}%`}
            />
            <Stat
              label="This week (UTC)"
              value={hoursText(sheet.total.trackedMs + sheet.total.manualMs)}
              testId="week-total"
            />
            {sheet.priced && (
              <Stat
                label="Week amount"
                value={formatMoney({
                  amountMinor: sheet.total.amountMinor,
                  currency: sheet.currency,
                })}
              />
            )}
          </Group>
        )}
      </Card>

      {role === 'freelancer' && local.unavailable && contract.screenshotsPerSlot > 0 && (
        <Alert
          color="gray"
          icon={<IconInfoCircle />}
          title="Screenshots on this machine are unavailable"
        >
          {local.unavailable}
        </Alert>
      )}

      <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="diary-slots">
        <Group justify="space-between" mb="sm">
          <Title order={2} fz="lg" id="diary-slots">
            Slots
          </Title>
          <Switch
            label="Show empty hours"
            checked={showEmpty}
            onChange={(event) => setShowEmpty(event.currentTarget.checked)}
          />
        </Group>
        {diary === null ? (
          <Skeleton h={200} />
        ) : rows.length === 0 ? (
          <Text c="dimmed">No time recorded on this day.</Text>
        ) : (
          <DiaryGrid
            rows={rows}
            role={role}
            selected={new Set(selected.keys())}
            onToggle={toggle}
            onOpen={setViewing}
            onBlur={(shot) => void act(shot, () => blurScreenshot(shot), 'Screenshot blurred.')}
            onDelete={setDeleting}
            busyShot={busyShot}
            approvedWeeks={approvedWeeks}
          />
        )}
      </Card>

      {manualToday.length > 0 && (
        <ManualEntries
          entries={manualToday}
          db={db}
          editable={(entry) =>
            role === 'freelancer' && !approvedWeeks.has(weekOf(dayStart(entry.day)))
          }
        />
      )}

      {sheet && reviews && (
        <ReviewPanel
          db={db}
          contractId={contract.id}
          role={role}
          me={me}
          week={week}
          weekBilledMs={sheet.total.trackedMs + sheet.total.manualMs}
          reviews={reviews}
          selected={[...selected.values()]}
          onDisputed={() => setSelected(new Map())}
          weekOver={week < weekOf(now)}
        />
      )}

      {role === 'freelancer' &&
        contract.manualTimeAllowed &&
        contract.status === 'active' &&
        // An approved week's time is final.
        !approvedWeeks.has(week) && (
          <ManualTimeForm db={db} contract={contract} me={me} date={date} entries={entries ?? []} />
        )}

      <WorkLog
        db={db}
        contractId={contract.id}
        freelancerId={contract.freelancer.id}
        day={date}
        editable={role === 'freelancer'}
      />

      <ScreenshotViewer shot={viewing} onClose={() => setViewing(null)} />
      <ConfirmDialog
        opened={deleting !== null}
        title="Delete this screenshot?"
        confirmLabel="Delete screenshot and its time"
        busy={deleting !== null && busyShot === deleting.id}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          const shot = deleting;
          if (!shot) return;
          void act(
            shot,
            () => deleteScreenshot(db, shot),
            'Screenshot deleted; its slot no longer counts.',
          ).then(() => setDeleting(null));
        }}
      >
        {deleting
          ? `The screenshot taken at ${format(deleting.takenAt, 'HH:mm')} is deleted${deleting.state === 'shared' ? ' for the client too' : ''}, and the time of its 10-minute slot (${format(deleting.slot, 'HH:mm')}) is removed: it is no longer billed. This cannot be undone.`
          : ''}
      </ConfirmDialog>
    </>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

function ManualEntries({
  entries,
  db,
  editable,
}: {
  entries: TimeEntryDocument[];
  db: MegilanceDatabase;
  editable: (entry: TimeEntryDocument) => boolean;
}) {
  const remove = async (id: string) => {
    try {
      const doc = await db.timeEntries.findOne(id).exec();
      await doc?.remove();
    } catch (error) {
      notifications.show({ color: 'red', title: 'Not removed', message: readableError(error) });
    }
  };
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="manual-entries">
      <Title order={2} fz="lg" id="manual-entries" mb="sm">
        Manual time
      </Title>
      <Table aria-label="Manual time">
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.id}>
              <Table.Td>
                <Badge size="sm" color="orange" variant="light">
                  Manual
                </Badge>
              </Table.Td>
              <Table.Td>
                {entry.manual &&
                  `${format(Date.parse(entry.manual.from), 'HH:mm')}–${format(Date.parse(entry.manual.to), 'HH:mm')}`}
              </Table.Td>
              <Table.Td>{hoursText(entry.billedMs)}</Table.Td>
              <Table.Td>{entry.memo}</Table.Td>
              <Table.Td>
                {editable(entry) && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => void remove(entry.id)}
                  >
                    Remove
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Progress,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertCircle, IconPlayerPlay, IconPlayerStop, IconRefresh } from '@tabler/icons-react';
import { useCallback, useMemo, useState } from 'react';
import type { IpcResult } from '../../../shared/ipc/contract.ts';
import type { TrackerStatusView } from '../../../shared/ipc/tracker.ts';
import type { ContractDocument } from '../../../shared/sync/documents.ts';
import { megilance } from '../../platform/megilance.ts';
import { AnchorLink } from '../../ui/links.tsx';
import { useContracts } from '../contracts/contracts-data.ts';
import { contractStatusLabels } from '../contracts/contracts-model.ts';
import { useSessionStore } from '../session/session-store.ts';
import {
  billedByContract,
  canTrack,
  clockText,
  hoursText,
  localDay,
  myFreelanceContracts,
  screenshotsText,
  stopReasonTexts,
  utcWeekStart,
} from './time-model.ts';
import { requestHandOff } from './hand-off-requests.ts';
import { useBrowserTrackerNotices } from './desktop-notices.ts';
import { useNow, useTrackerSegments, useTrackerStatus } from './use-tracker.ts';

const timeOfDay = (at: number) =>
  new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * Time: the tracker that runs in the desktop host's main process, driven from here. Closing
 * or reloading this screen does not stop it; the screen asks for its status every second.
 */
export function TimePage() {
  const me = useSessionStore((state) => state.user?.id ?? '');
  const contracts = useContracts();
  const { status, error, apply } = useTrackerStatus();
  const now = useNow();
  const [chosen, setChosen] = useState<string | null>(null);
  const [memo, setMemo] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());

  const mine = useMemo(
    () => (contracts ? myFreelanceContracts(contracts, me) : null),
    [contracts, me],
  );
  const byId = useMemo(() => new Map((mine ?? []).map((c) => [c.id, c])), [mine]);
  const running = status?.running ?? null;
  const selected = chosen ? (byId.get(chosen) ?? null) : null;

  const day = localDay(now);
  const week = utcWeekStart(now);
  // Refetch segments when the running entry bills more, starts or stops (the poll drives it).
  const version = `${running?.entryId ?? 'none'}:${running?.billedMs ?? 0}:${status?.questions.length ?? 0}`;
  const today = useTrackerSegments(day.from, day.to, version);
  const thisWeek = useTrackerSegments(week, week + 7 * 86_400_000, version);
  const weekTotals = useMemo(() => billedByContract(thisWeek ?? []), [thisWeek]);

  const act = async (call: () => Promise<IpcResult<TrackerStatusView>>) => {
    setRefusal(apply(await call()));
    // Started, stopped or answered: the synced time entries follow at once.
    requestHandOff();
  };
  const startInput = (contract: ContractDocument) => ({
    contractId: contract.id,
    memo: memo.trim(),
    weeklyHourLimit: contract.type === 'hourly' ? contract.weeklyHourLimit : null,
    screenshotsPerSlot: contract.screenshotsPerSlot,
    // The tray and the start/stop shortcut name the contract with it.
    contractTitle: contract.projectTitle,
  });
  const nameOf = useCallback(
    (contractId: string) => byId.get(contractId)?.projectTitle ?? 'A contract',
    [byId],
  );
  useBrowserTrackerNotices(status, nameOf);
  const question = status?.questions[0] ?? null;
  const recovered = (status?.recovered ?? []).filter((entry) => !dismissed.has(entry.entryId));

  return (
    <Stack gap="lg" maw={960}>
      <div>
        <Title order={1} fz={28}>
          Time
        </Title>
        <Text c="dimmed">
          Track time against your active contracts. The timer runs in the desktop app, not in this
          window, so it keeps going when you close or reload it.
        </Text>
      </div>

      {error && (
        <Alert color="red" icon={<IconAlertCircle />} title="The tracker cannot be reached">
          {error}
        </Alert>
      )}

      {recovered.map((entry) => (
        <Alert
          key={entry.entryId}
          color="yellow"
          icon={<IconRefresh />}
          title="Recovered an interrupted timer"
          withCloseButton
          onClose={() => setDismissed((old) => new Set([...old, entry.entryId]))}
        >
          The app stopped while a timer was running on {nameOf(entry.contractId)}. It was kept up to{' '}
          {timeOfDay(entry.stoppedAt)}, the last moment it was seen running:{' '}
          {hoursText(entry.billedMs)} tracked.
        </Alert>
      ))}

      {status?.lastAutoStop && !running && (
        <Alert color="yellow" icon={<IconAlertCircle />} title="The timer stopped on its own">
          It stopped at {timeOfDay(status.lastAutoStop.at)} because{' '}
          {stopReasonTexts[status.lastAutoStop.reason] ?? status.lastAutoStop.reason}.
        </Alert>
      )}

      {status?.limitWarnings.at(-1) && running && (
        <Alert color="orange" icon={<IconAlertCircle />} title="Weekly limit close">
          {hoursText(status.limitWarnings.at(-1)?.remainingMs ?? 0)} left this week on{' '}
          {nameOf(status.limitWarnings.at(-1)?.contractId ?? '')}; the timer stops at the limit.
        </Alert>
      )}

      <Paper withBorder p="lg" radius="md">
        {status === null || mine === null ? (
          <Skeleton h={120} />
        ) : (
          <Stack gap="md">
            <Group justify="space-between" align="center">
              <div>
                <Text size="sm" c="dimmed">
                  {running ? `Tracking ${nameOf(running.contractId)}` : 'No timer running'}
                </Text>
                <Text
                  fz={40}
                  fw={700}
                  ff="monospace"
                  aria-label="Elapsed time"
                  data-testid="elapsed"
                >
                  {clockText(running ? now - running.startedAt : 0)}
                </Text>
                {running?.idle && (
                  <Badge color="gray">Away: idle time waits for your answer when you return</Badge>
                )}
              </div>
              {running && (
                <Button
                  color="red"
                  leftSection={<IconPlayerStop size={18} />}
                  onClick={() => void act(() => megilance().tracker.stop())}
                >
                  Stop
                </Button>
              )}
            </Group>

            {mine.length === 0 ? (
              <Text>
                You have no contracts as a freelancer yet. Time is tracked against a contract.
              </Text>
            ) : (
              <>
                <Select
                  label="Contract"
                  placeholder="Choose a contract"
                  data={mine.map((contract) => ({
                    value: contract.id,
                    label: canTrack(contract)
                      ? contract.projectTitle
                      : `${contract.projectTitle} (${contractStatusLabels[contract.status]})`,
                  }))}
                  value={chosen}
                  onChange={setChosen}
                  allowDeselect={false}
                />
                {selected && (
                  <Text size="sm">
                    {selected.screenshotsPerSlot === 0
                      ? 'No screenshots on this contract.'
                      : `${screenshotsText(selected.screenshotsPerSlot)}; each stays private to you for ten minutes, to blur or delete.`}{' '}
                    <AnchorLink
                      to="/contracts/$contractId/diary"
                      params={{ contractId: selected.id }}
                    >
                      Open the work diary
                    </AnchorLink>
                  </Text>
                )}
                {selected && !canTrack(selected) && (
                  <Text c="red" size="sm">
                    This contract is {contractStatusLabels[selected.status].toLowerCase()}: time can
                    only be tracked on active contracts.
                  </Text>
                )}
                <Group align="end">
                  <TextInput
                    label="Memo"
                    placeholder="What are you working on?"
                    maxLength={500}
                    value={memo}
                    onChange={(event) => setMemo(event.currentTarget.value)}
                    style={{ flex: 1 }}
                  />
                  {running && (
                    <Button
                      variant="default"
                      onClick={() =>
                        void act(() => megilance().tracker.setMemo({ memo: memo.trim() }))
                      }
                    >
                      Update memo
                    </Button>
                  )}
                  <Button
                    leftSection={<IconPlayerPlay size={18} />}
                    disabled={
                      !selected || !canTrack(selected) || running?.contractId === selected.id
                    }
                    onClick={() => {
                      if (!selected) return;
                      void act(() =>
                        running
                          ? megilance().tracker.switch(startInput(selected))
                          : megilance().tracker.start(startInput(selected)),
                      );
                    }}
                  >
                    {running ? 'Switch to this contract' : 'Start'}
                  </Button>
                </Group>
              </>
            )}
            {refusal && (
              <Text c="red" role="alert">
                {refusal}
              </Text>
            )}
          </Stack>
        )}
      </Paper>

      <Paper withBorder p="lg" radius="md">
        <Title order={2} fz={20} mb="sm">
          Today
        </Title>
        {status && !status.activityAvailable && (
          <Text size="sm" c="dimmed" mb="sm">
            Activity unavailable: this host cannot read keyboard and mouse idle time, so no activity
            is recorded. The desktop app records it.
          </Text>
        )}
        {today === null ? (
          <Skeleton h={60} />
        ) : today.length === 0 ? (
          <Text c="dimmed">No time tracked today.</Text>
        ) : (
          <Table aria-label="Today's segments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Slot</Table.Th>
                <Table.Th>Contract</Table.Th>
                <Table.Th>Tracked</Table.Th>
                <Table.Th>Activity</Table.Th>
                <Table.Th>Memo</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {today.map((segment) => (
                <Table.Tr key={segment.id} data-testid="segment">
                  <Table.Td>
                    {timeOfDay(segment.start)}–{timeOfDay(segment.end)}
                  </Table.Td>
                  <Table.Td>{nameOf(segment.contractId)}</Table.Td>
                  <Table.Td>{clockText(segment.billedMs)}</Table.Td>
                  <Table.Td>
                    {segment.activity === null ? (
                      <Text size="sm" c="dimmed">
                        Activity unavailable
                      </Text>
                    ) : (
                      <Group gap="xs" wrap="nowrap">
                        <Progress value={segment.activity} w={80} aria-hidden />
                        <Text size="sm">{segment.activity}%</Text>
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td>{segment.memo}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      <Paper withBorder p="lg" radius="md">
        <Title order={2} fz={20} mb="sm">
          This week
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          Weeks run from Monday 00:00 UTC, as weekly hour limits are counted.
        </Text>
        {weekTotals.size === 0 ? (
          <Text c="dimmed">No time tracked this week.</Text>
        ) : (
          <Table aria-label="This week's totals">
            <Table.Tbody>
              {[...weekTotals].map(([contractId, billed]) => {
                const limit = byId.get(contractId)?.weeklyHourLimit ?? null;
                return (
                  <Table.Tr key={contractId}>
                    <Table.Td>{nameOf(contractId)}</Table.Td>
                    <Table.Td>{hoursText(billed)}</Table.Td>
                    <Table.Td>{limit === null ? 'No weekly limit' : `Limit ${limit} h`}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      <IdleQuestion
        question={question}
        contracts={(mine ?? []).filter(canTrack)}
        nameOf={nameOf}
        onAnswer={(stretchId, answer) =>
          void act(() => megilance().tracker.answerIdle({ stretchId, answer }))
        }
      />
    </Stack>
  );
}

type Answer =
  { choice: 'keep' } | { choice: 'discard' } | { choice: 'reassign'; contractId: string };

function IdleQuestion({
  question,
  contracts,
  nameOf,
  onAnswer,
}: {
  question: TrackerStatusView['questions'][number] | null;
  contracts: ContractDocument[];
  nameOf: (contractId: string) => string;
  onAnswer: (stretchId: string, answer: Answer) => void;
}) {
  const [target, setTarget] = useState<string | null>(null);
  const others = contracts.filter((contract) => contract.id !== question?.contractId);
  return (
    <Modal
      opened={question !== null}
      onClose={() => {}}
      withCloseButton={false}
      title="You were away"
    >
      {question && (
        <Stack>
          <Text>
            No keyboard or mouse input from {timeOfDay(question.from)} to {timeOfDay(question.to)} (
            {hoursText(question.ms)}) while tracking {nameOf(question.contractId)}. Until you
            answer, that time is not billed.
          </Text>
          <Group>
            <Button onClick={() => onAnswer(question.stretchId, { choice: 'keep' })}>
              Keep it
            </Button>
            <Button
              color="red"
              variant="light"
              onClick={() => onAnswer(question.stretchId, { choice: 'discard' })}
            >
              Discard it
            </Button>
          </Group>
          {others.length > 0 && (
            <Group align="end">
              <Select
                label="Or give it to another contract"
                data={others.map((contract) => ({
                  value: contract.id,
                  label: contract.projectTitle,
                }))}
                value={target}
                onChange={setTarget}
                style={{ flex: 1 }}
              />
              <Button
                variant="default"
                disabled={!target}
                onClick={() =>
                  target && onAnswer(question.stretchId, { choice: 'reassign', contractId: target })
                }
              >
                Reassign
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Modal>
  );
}

import '@mantine/charts/styles.css';
import { BarChart, LineChart } from '@mantine/charts';
import {
  Button,
  Card,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useMemo } from 'react';
import { formatMoney } from '../../../shared/money/money.ts';
import type { ContractDocument } from '../../../shared/sync/documents.ts';
import { dayStart, isWeekName, weekOf } from '../../../shared/time/slots.ts';
import { AnchorLink } from '../../ui/links.tsx';
import { ContractTimeFrame } from './ContractTimeFrame.tsx';
import { PeriodStepper } from './PeriodStepper.tsx';
import { weekRange } from './ReviewPanel.tsx';
import { useTimeEntries, useTimeReviews } from './time-data.ts';
import { hoursText } from './time-model.ts';
import { useMinuteClock } from './use-tracker.ts';
import {
  buildTimesheet,
  dayActivity,
  shiftWeek,
  timesheetCsv,
  timesheetFileName,
  type Timesheet,
} from './timesheet-model.ts';

const dayName = (day: string) =>
  new Date(dayStart(day)).toLocaleDateString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
const hours = (ms: number) => Math.round((ms / 3_600_000) * 100) / 100;

/**
 * A contract's timesheet for a week (Monday 00:00 UTC onwards, as clients approve time): per
 * day the tracked, manual, approved and disputed hours and their amount, charts of hours and
 * activity, and a CSV export.
 */
export function TimesheetPage({
  contractId,
  week,
}: {
  contractId: string;
  week?: string | undefined;
}) {
  const now = useMinuteClock();
  const shown = week && isWeekName(week) ? week : weekOf(now);
  return (
    <ContractTimeFrame contractId={contractId} what="timesheet">
      {(contract) => <Sheet contract={contract} week={shown} thisWeek={weekOf(now)} />}
    </ContractTimeFrame>
  );
}

function Sheet({
  contract,
  week,
  thisWeek,
}: {
  contract: ContractDocument;
  week: string;
  thisWeek: string;
}) {
  const navigate = useNavigate();
  const entries = useTimeEntries(contract.id, week, shiftWeek(week, 1));
  const reviews = useTimeReviews(contract.id, week, week);
  const sheet = useMemo(
    () =>
      entries && reviews
        ? buildTimesheet({
            week,
            currency: contract.currency,
            priced: contract.type === 'hourly',
            entries: entries.filter((e) => e.freelancerId === contract.freelancer.id),
            reviews,
          })
        : null,
    [entries, reviews, week, contract],
  );
  const go = (next: string) =>
    void navigate({
      to: '/contracts/$contractId/timesheet',
      params: { contractId: contract.id },
      search: { week: next },
    });

  const download = () => {
    if (!sheet) return;
    const blob = new Blob([timesheetCsv(sheet, contract.projectTitle)], {
      type: 'text/csv;charset=utf-8',
    });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = timesheetFileName(contract.projectTitle, week);
    link.click();
    // After the click has handed the URL to the download.
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <>
      <Stack gap={4}>
        <Title order={1} fz={28}>
          Timesheet
        </Title>
        <Text c="dimmed">
          {contract.projectTitle} · {contract.freelancer.name} · weeks run from Monday 00:00 UTC
        </Text>
      </Stack>
      <Group justify="space-between">
        <PeriodStepper
          unit="week"
          title={weekRange(week)}
          testId="timesheet-week"
          onStep={(by) => go(shiftWeek(week, by))}
          atLatest={week >= thisWeek}
        />
        <Group gap="xs">
          <AnchorLink
            to="/contracts/$contractId/diary"
            params={{ contractId: contract.id }}
            search={{ day: week }}
            size="sm"
          >
            Open the work diary
          </AnchorLink>
          <Button leftSection={<IconDownload size={16} />} onClick={download} disabled={!sheet}>
            Export CSV
          </Button>
        </Group>
      </Group>
      {sheet === null ? <Skeleton h={300} /> : <SheetBody sheet={sheet} />}
    </>
  );
}

function SheetBody({ sheet }: { sheet: Timesheet }) {
  const money = (amountMinor: number) => formatMoney({ amountMinor, currency: sheet.currency });
  const chartData = sheet.days.map((day) => ({
    day: dayName(day.day),
    Tracked: hours(day.trackedMs),
    Manual: hours(day.manualMs),
    Activity: dayActivity(day),
  }));
  const measured = sheet.days.some((day) => dayActivity(day) !== null);
  return (
    <>
      <Card withBorder radius="md" padding="lg">
        <Table.ScrollContainer minWidth={720}>
          <Table aria-label="Timesheet" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Day (UTC)</Table.Th>
                <Table.Th ta="right">Tracked</Table.Th>
                <Table.Th ta="right">Manual</Table.Th>
                <Table.Th ta="right">Approved</Table.Th>
                <Table.Th ta="right">Disputed</Table.Th>
                <Table.Th ta="right">Activity</Table.Th>
                {sheet.priced && <Table.Th ta="right">Amount</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sheet.days.map((day) => (
                <Table.Tr key={day.day} data-testid="timesheet-day">
                  <Table.Td>{dayName(day.day)}</Table.Td>
                  <Table.Td ta="right">{hoursText(day.trackedMs)}</Table.Td>
                  <Table.Td ta="right">{hoursText(day.manualMs)}</Table.Td>
                  <Table.Td ta="right">{hoursText(day.approvedMs)}</Table.Td>
                  <Table.Td ta="right">{hoursText(day.disputedMs)}</Table.Td>
                  <Table.Td ta="right">
                    {dayActivity(day) === null ? '—' : `${dayActivity(day)}%`}
                  </Table.Td>
                  {sheet.priced && <Table.Td ta="right">{money(day.amountMinor)}</Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr data-testid="timesheet-total">
                <Table.Th>Total</Table.Th>
                <Table.Th ta="right">{hoursText(sheet.total.trackedMs)}</Table.Th>
                <Table.Th ta="right">{hoursText(sheet.total.manualMs)}</Table.Th>
                <Table.Th ta="right">{hoursText(sheet.total.approvedMs)}</Table.Th>
                <Table.Th ta="right">{hoursText(sheet.total.disputedMs)}</Table.Th>
                <Table.Th ta="right">
                  {dayActivity(sheet.total) === null ? '—' : `${dayActivity(sheet.total)}%`}
                </Table.Th>
                {sheet.priced && <Table.Th ta="right">{money(sheet.total.amountMinor)}</Table.Th>}
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="hours-chart">
          <Title order={2} fz="lg" id="hours-chart" mb="sm">
            Hours per day
          </Title>
          <BarChart
            h={220}
            data={chartData}
            dataKey="day"
            type="stacked"
            unit=" h"
            series={[
              { name: 'Tracked', color: 'blue.6' },
              { name: 'Manual', color: 'orange.6' },
            ]}
          />
        </Card>
        <Card
          withBorder
          radius="md"
          padding="lg"
          component="section"
          aria-labelledby="activity-chart"
        >
          <Title order={2} fz="lg" id="activity-chart" mb="sm">
            Activity
          </Title>
          {measured ? (
            <LineChart
              h={220}
              data={chartData}
              dataKey="day"
              unit="%"
              yAxisProps={{ domain: [0, 100] }}
              connectNulls={false}
              series={[{ name: 'Activity', color: 'teal.6' }]}
            />
          ) : (
            <Text c="dimmed" size="sm">
              Activity unavailable: no keyboard and mouse activity was measured this week (the
              desktop app measures it; other hosts cannot).
            </Text>
          )}
        </Card>
      </SimpleGrid>
    </>
  );
}

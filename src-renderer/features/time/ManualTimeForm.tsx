import { Button, Card, Group, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { ContractDocument, TimeEntryDocument } from '../../../shared/sync/documents.ts';
import { readableError } from '../../api/problems.ts';
import type { MegilanceDatabase } from '../../sync/engine.ts';
import { longDate } from './diary-model.ts';
import {
  checkManualTime,
  manualEntryDocument,
  maxManualMemo,
  type ManualTimeErrors,
} from './manual-time-model.ts';
import { hoursText } from './time-model.ts';

/** Adds a stretch of manual time to the diary's day (where the contract allows it). */
export function ManualTimeForm(props: {
  db: MegilanceDatabase;
  contract: ContractDocument;
  me: string;
  date: string;
  /** The contract's entries around this day, to refuse overlaps. */
  entries: readonly TimeEntryDocument[];
}) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [memo, setMemo] = useState('');
  const [errors, setErrors] = useState<ManualTimeErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setFailure(null);
    const checked = checkManualTime(
      { date: props.date, from, to, memo },
      { now: Date.now(), entries: props.entries },
    );
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const entry = manualEntryDocument({
        contract: props.contract,
        freelancerId: props.me,
        from: checked.from,
        to: checked.to,
        memo: checked.memo,
        now: new Date().toISOString(),
      });
      await props.db.timeEntries.insert(entry);
      setFrom('');
      setTo('');
      setMemo('');
      notifications.show({
        color: 'teal',
        title: 'Manual time added',
        message: `${hoursText(entry.billedMs)} on ${longDate(props.date)}, flagged as manual for the client.`,
      });
    } catch (error) {
      setFailure(readableError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="manual-time">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Title order={2} fz="lg" id="manual-time">
            Add manual time
          </Title>
          <Text size="sm" c="dimmed">
            For work the tracker could not see (a call, work away from this computer). Manual time
            has no screenshots or activity and is shown to the client as manual.
          </Text>
          <Group align="start" grow>
            <TextInput
              type="time"
              label="From"
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
              error={errors.from}
            />
            <TextInput
              type="time"
              label="To"
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              error={errors.to}
            />
          </Group>
          <Textarea
            label="What did you work on?"
            autosize
            minRows={2}
            maxLength={maxManualMemo}
            value={memo}
            onChange={(e) => setMemo(e.currentTarget.value)}
            error={errors.memo}
          />
          {failure && (
            <Text c="red" size="sm" role="alert">
              {failure}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={busy}>
              Add manual time
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

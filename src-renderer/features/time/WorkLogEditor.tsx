import { Button, Card, Group, Skeleton, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import type { WorkLogDocument } from '../../../shared/sync/documents.ts';
import { readableError } from '../../api/problems.ts';
import type { MegilanceDatabase } from '../../sync/engine.ts';
import { useWorkLog } from './time-data.ts';
import {
  emptyWorkLog,
  maxWorkLogField,
  workLogDocument,
  workLogProblems,
  type WorkLogFields,
} from './work-log-model.ts';

const labels: Record<keyof WorkLogFields, string> = {
  tasksDone: 'Tasks done',
  blockers: 'Blockers',
  notes: 'Notes',
};

/** The day's work log: the freelancer writes it, the client reads it. */
export function WorkLog(props: {
  db: MegilanceDatabase;
  contractId: string;
  freelancerId: string;
  day: string;
  editable: boolean;
}) {
  const log = useWorkLog(props.contractId, props.freelancerId, props.day);
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="work-log">
      <Title order={2} fz="lg" id="work-log" mb="sm">
        Work log
      </Title>
      {log === undefined ? (
        <Skeleton h={80} />
      ) : props.editable ? (
        // Remounted when another device's edit arrives, so the form shows it.
        <WorkLogForm key={log?.updatedAt ?? 'new'} {...props} log={log} />
      ) : log === null ? (
        <Text size="sm" c="dimmed">
          No work log for this day.
        </Text>
      ) : (
        <Stack gap="xs">
          {(Object.keys(labels) as Array<keyof WorkLogFields>).map((key) =>
            log[key] ? (
              <div key={key}>
                <Text size="sm" fw={600}>
                  {labels[key]}
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {log[key]}
                </Text>
              </div>
            ) : null,
          )}
        </Stack>
      )}
    </Card>
  );
}

function WorkLogForm(props: {
  db: MegilanceDatabase;
  contractId: string;
  freelancerId: string;
  day: string;
  log: WorkLogDocument | null;
}) {
  const [fields, setFields] = useState<WorkLogFields>(
    props.log
      ? { tasksDone: props.log.tasksDone, blockers: props.log.blockers, notes: props.log.notes }
      : emptyWorkLog,
  );
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problems = workLogProblems(fields);

  const save = async () => {
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    setStatus(null);
    try {
      const next = workLogDocument(props.log, {
        contractId: props.contractId,
        freelancerId: props.freelancerId,
        day: props.day,
        fields,
        now: new Date().toISOString(),
      });
      if (!next) setStatus('Nothing to save.');
      else if (props.log) {
        const doc = await props.db.workLogs.findOne(next.id).exec();
        await doc?.incrementalPatch({
          tasksDone: next.tasksDone,
          blockers: next.blockers,
          notes: next.notes,
          updatedAt: next.updatedAt,
        });
      } else await props.db.workLogs.insert(next);
    } catch (error) {
      setStatus(readableError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <Stack gap="sm">
        {(Object.keys(labels) as Array<keyof WorkLogFields>).map((key) => (
          <Textarea
            key={key}
            label={labels[key]}
            autosize
            minRows={2}
            maxLength={maxWorkLogField + 1}
            value={fields[key]}
            error={problems[key]}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setFields((old) => ({ ...old, [key]: value }));
            }}
          />
        ))}
        {status && (
          <Text size="sm" c="dimmed" role="status">
            {status}
          </Text>
        )}
        <Group>
          <Button type="submit" variant="default" loading={busy}>
            Save work log
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

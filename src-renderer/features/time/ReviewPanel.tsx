import { Alert, Badge, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { format } from 'date-fns';
import { useState } from 'react';
import type { TimeReviewDocument } from '../../../shared/sync/documents.ts';
import { dayMs, dayStart } from '../../../shared/time/slots.ts';
import type { MegilanceDatabase } from '../../sync/engine.ts';
import { readableError } from '../../api/problems.ts';
import { slotSpan } from './diary-model.ts';
import {
  approvalDocument,
  disputeDocuments,
  disputeProblem,
  maxReasonLength,
  weekApproval,
} from './review-model.ts';
import { hoursText } from './time-model.ts';

const nowIso = () => new Date().toISOString();

/** `16–22 Nov 2026 (UTC)` */
export function weekRange(week: string): string {
  const start = dayStart(week);
  const utc = (at: number) =>
    new Date(at).toLocaleDateString(undefined, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
  return `${utc(start)} – ${utc(start + 6 * dayMs)}`;
}

/**
 * The week's review: the client approves it or disputes chosen slots with a reason; both see
 * the disputes, a withdrawn one greyed, and the freelancer's answer, which the freelancer
 * writes here.
 */
export function ReviewPanel(props: {
  db: MegilanceDatabase;
  contractId: string;
  role: 'client' | 'freelancer';
  me: string;
  week: string;
  weekBilledMs: number;
  reviews: readonly TimeReviewDocument[];
  selected: ReadonlyArray<{ entryId: string; start: string }>;
  onDisputed: () => void;
  /** The week has ended (server rule: a week is approved once it is over). */
  weekOver: boolean;
}) {
  const { db, contractId, role, me, week, reviews } = props;
  const approval = weekApproval(reviews, contractId, week);
  const disputes = reviews.filter((review) => review.kind === 'dispute' && review.week === week);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const attempt = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      return true;
    } catch (error) {
      setProblem(readableError(error));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const approve = () =>
    attempt(() =>
      db.timeReviews.insert(approvalDocument({ contractId, week, reviewerId: me, now: nowIso() })),
    );

  const dispute = async () => {
    const why = disputeProblem(props.selected.length, reason);
    if (why) {
      setProblem(why);
      return;
    }
    const docs = disputeDocuments({
      contractId,
      slots: props.selected,
      reason,
      reviewerId: me,
      now: nowIso(),
    });
    if (await attempt(() => db.timeReviews.bulkInsert(docs))) {
      setReason('');
      props.onDisputed();
    }
  };

  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="week-review">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} fz="lg" id="week-review">
            Week of {weekRange(week)}
          </Title>
          <Text size="sm" c="dimmed">
            {hoursText(props.weekBilledMs)} recorded this week
          </Text>
        </Group>

        {approval ? (
          <Alert
            color="teal"
            icon={<IconCircleCheck />}
            title="Week approved"
            data-testid="week-approved"
          >
            {role === 'client' ? 'You' : 'The client'} approved this week’s time on{' '}
            {format(Date.parse(approval.createdAt), 'd MMM yyyy, HH:mm')}
            {disputes.some((d) => d.status === 'open') ? ', except the slots in dispute.' : '.'}
          </Alert>
        ) : role === 'client' ? (
          <Group>
            <Button
              onClick={() => void approve()}
              loading={busy}
              disabled={props.weekBilledMs === 0 || !props.weekOver}
            >
              Approve week
            </Button>
            <Text size="sm" c="dimmed">
              {props.weekBilledMs === 0
                ? 'Nothing recorded this week yet.'
                : props.weekOver
                  ? 'Approves all of this week’s time except slots you dispute.'
                  : 'A week can be approved once it is over (Monday 00:00 UTC). Disputes can be raised now.'}
            </Text>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            The client has not approved this week yet.
          </Text>
        )}

        {role === 'client' && !approval && (
          <Stack gap="xs">
            <Text size="sm">
              {props.selected.length === 0
                ? 'To dispute time, select slots in the diary.'
                : `${props.selected.length} slot${props.selected.length === 1 ? '' : 's'} selected: ${props.selected
                    .map((slot) => slotSpan(Date.parse(slot.start)))
                    .join(', ')}`}
            </Text>
            <Textarea
              label="Reason for the dispute"
              placeholder="What is wrong with this time?"
              maxLength={maxReasonLength}
              autosize
              minRows={2}
              value={reason}
              onChange={(event) => setReason(event.currentTarget.value)}
            />
            <Group>
              <Button color="red" variant="light" onClick={() => void dispute()} loading={busy}>
                Dispute selected slots
              </Button>
            </Group>
          </Stack>
        )}

        {problem && (
          <Text c="red" size="sm" role="alert">
            {problem}
          </Text>
        )}

        {disputes.length > 0 && (
          <Stack gap="xs" aria-label="Disputes">
            <Title order={3} fz="md">
              Disputes
            </Title>
            {disputes.map((review) => (
              <DisputeCard key={review.id} review={review} role={role} db={db} />
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

function DisputeCard({
  review,
  role,
  db,
}: {
  review: TimeReviewDocument;
  role: 'client' | 'freelancer';
  db: MegilanceDatabase;
}) {
  const [response, setResponse] = useState(review.response);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = review.status === 'open';

  const change = async (patch: Partial<Pick<TimeReviewDocument, 'status' | 'response'>>) => {
    setBusy(true);
    setProblem(null);
    try {
      const doc = await db.timeReviews.findOne(review.id).exec();
      await doc?.incrementalPatch({ ...patch, updatedAt: nowIso() });
    } catch (error) {
      setProblem(readableError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      withBorder
      radius="sm"
      padding="sm"
      data-testid="dispute"
      style={{ opacity: open ? 1 : 0.7 }}
    >
      <Stack gap={6}>
        <Group justify="space-between">
          <Text size="sm" fw={600}>
            {review.slots.length} slot{review.slots.length === 1 ? '' : 's'}:{' '}
            {review.slots.map((slot) => slotSpan(Date.parse(slot.start))).join(', ')}
          </Text>
          <Badge color={open ? 'red' : 'gray'} variant={open ? 'light' : 'outline'}>
            {open ? 'Open' : 'Withdrawn'}
          </Badge>
        </Group>
        <Text size="sm">“{review.reason}”</Text>
        {review.response && (
          <Text size="sm" c="dimmed">
            Freelancer’s response: {review.response}
          </Text>
        )}
        {role === 'client' && open && (
          <Group>
            <Button
              size="xs"
              variant="default"
              loading={busy}
              onClick={() => void change({ status: 'withdrawn' })}
            >
              Withdraw dispute
            </Button>
          </Group>
        )}
        {role === 'freelancer' && open && (
          <Group align="end">
            <Textarea
              label="Your response"
              maxLength={maxReasonLength}
              autosize
              minRows={1}
              value={response}
              onChange={(event) => setResponse(event.currentTarget.value)}
              style={{ flex: 1 }}
            />
            <Button
              size="sm"
              variant="default"
              loading={busy}
              disabled={response.trim() === review.response || response.trim() === ''}
              onClick={() => void change({ response: response.trim() })}
            >
              Send response
            </Button>
          </Group>
        )}
        {problem && (
          <Text c="red" size="sm" role="alert">
            {problem}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

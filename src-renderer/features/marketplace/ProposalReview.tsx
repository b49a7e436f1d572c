import {
  Badge,
  Button,
  Group,
  Paper,
  ScrollArea,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInbox } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import type { Contract } from '../../../shared/marketplace/contracts.ts';
import type { Project } from '../../../shared/marketplace/projects.ts';
import {
  openProposalStatuses,
  proposalTransitions,
  type Proposal,
} from '../../../shared/marketplace/proposals.ts';
import { readableError } from '../../api/problems.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { formatDateTime, formatRelative } from '../../ui/format.ts';
import { AcceptDialog } from './AcceptDialog.tsx';
import { Empty, LoadError, LoadingBlock } from './ListStates.tsx';
import { decideProposal, listProjectProposals } from './marketplace-api.ts';
import {
  bidText,
  countText,
  durationText,
  proposalStatusColors,
  proposalStatusLabels,
} from './marketplace-format.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import { PersonName } from './people.tsx';
import { ratingText } from './ReviewsSection.tsx';
import { RichText } from './RichText.tsx';
import { usePagedList } from './use-paged-list.ts';

type Filter = 'open' | 'shortlisted' | 'all';

const isOpen = (proposal: Proposal) => openProposalStatuses.includes(proposal.status);
const nameOf = (proposal: Proposal) => proposal.freelancer.name;

/**
 * The client's review of a project's proposals, side by side: each proposal a column with who
 * sent it (headline, public rating, jobs done, usual rate: all in the proposal's answer), its
 * bid, duration, plan and cover letter, and what may still be decided on it.
 */
export function ProposalReview({
  project,
  liveProposalCount,
  onAccepted,
}: {
  project: Project;
  /** The project's count as the server announces it (null: not heard yet). */
  liveProposalCount: number | null;
  onAccepted: (contract: Contract) => void;
}) {
  const proposals = usePagedList(`review:${project.id}`, (cursor) =>
    listProjectProposals(project.id, cursor),
  );
  // A proposal arrived or was withdrawn while the page is open: show the list as it is now.
  const countSeen = useRef(liveProposalCount);
  const { reload } = proposals;
  useEffect(() => {
    const seen = countSeen.current;
    countSeen.current = liveProposalCount;
    if (seen !== null && liveProposalCount !== null && seen !== liveProposalCount) reload();
  }, [liveProposalCount, reload]);
  const [filter, setFilter] = useState<Filter>('open');
  const [accepting, setAccepting] = useState<Proposal | null>(null);
  const [rejecting, setRejecting] = useState<Proposal | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const all = proposals.items ?? [];
  const counts = {
    open: all.filter(isOpen).length,
    shortlisted: all.filter((p) => p.status === 'shortlisted').length,
    all: all.length,
  };
  const shown = all.filter((proposal) =>
    filter === 'all'
      ? true
      : filter === 'open'
        ? isOpen(proposal)
        : proposal.status === 'shortlisted',
  );
  const decide = async (proposal: Proposal, decision: 'shortlist' | 'reject') => {
    setBusy(proposal.id);
    try {
      proposals.update(await decideProposal(proposal.id, decision));
      notifications.show({
        color: decision === 'shortlist' ? 'blue' : 'gray',
        title: decision === 'shortlist' ? 'Shortlisted' : 'Proposal turned down',
        message: `${nameOf(proposal)}’s proposal is ${decision === 'shortlist' ? 'on your shortlist' : 'rejected'}.`,
      });
      setRejecting(null);
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'Could not decide',
        message: readableError(error),
      });
      // Someone (or another device) may have decided first: show where things stand.
      proposals.reload();
    } finally {
      setBusy(null);
    }
  };

  const canAccept = project.status === 'open';

  return (
    <Stack gap="sm" component="section" aria-labelledby="proposal-review-heading">
      <Group justify="space-between" align="flex-end">
        <Title order={2} fz={20} id="proposal-review-heading">
          Proposals
        </Title>
        {all.length > 0 && (
          <SegmentedControl
            size="xs"
            aria-label="Show proposals"
            value={filter}
            onChange={(value) => setFilter(value)}
            data={[
              { value: 'open', label: `Open (${counts.open})` },
              { value: 'shortlisted', label: `Shortlisted (${counts.shortlisted})` },
              { value: 'all', label: `All (${counts.all})` },
            ]}
          />
        )}
      </Group>
      {proposals.items === undefined ? (
        proposals.error ? (
          <LoadError
            title="Could not load the proposals"
            error={proposals.error}
            onRetry={proposals.reload}
          />
        ) : (
          <LoadingBlock label="Loading proposals" rows={2} />
        )
      ) : shown.length === 0 ? (
        <Empty
          icon={<IconInbox size={28} />}
          title={all.length === 0 ? 'No proposals yet' : 'None here'}
          description={
            all.length === 0
              ? project.status === 'draft'
                ? 'Publish the project and freelancers can propose.'
                : 'Freelancers’ proposals appear here as they arrive.'
              : 'Choose another view above to see the others.'
          }
        />
      ) : (
        <Paper withBorder radius="md">
          <ScrollArea type="auto">
            <Table
              aria-label="Proposals side by side"
              withColumnBorders
              verticalSpacing="sm"
              style={{ minWidth: 260 + shown.length * 280 }}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={140}>
                    <Text size="xs" c="dimmed">
                      Freelancer
                    </Text>
                  </Table.Th>
                  {shown.map((proposal) => (
                    <Table.Th key={proposal.id} w={280} scope="col">
                      <PersonName userId={proposal.freelancer.id} name={nameOf(proposal)} />
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                <Row label="Status">
                  {shown.map((proposal) => (
                    <Table.Td key={proposal.id}>
                      <Badge variant="light" color={proposalStatusColors[proposal.status]}>
                        {proposalStatusLabels[proposal.status]}
                      </Badge>
                    </Table.Td>
                  ))}
                </Row>
                <Row label="Headline">
                  {shown.map(({ id, freelancer }) => (
                    <Table.Td key={id}>
                      <Text size="sm" c={freelancer.headline ? undefined : 'dimmed'}>
                        {freelancer.headline ?? 'No headline'}
                      </Text>
                    </Table.Td>
                  ))}
                </Row>
                <Row label="Rating">
                  {shown.map(({ id, freelancer: { stats } }) => (
                    <Table.Td key={id}>
                      <Text size="sm">
                        {ratingText({ average: stats.rating, count: stats.reviewCount })}
                      </Text>
                    </Table.Td>
                  ))}
                </Row>
                <Row label="Jobs done">
                  {shown.map(({ id, freelancer: { stats } }) => (
                    <Table.Td key={id}>
                      <Text size="sm">{countText(stats.jobsDone, 'job', 'jobs')}</Text>
                    </Table.Td>
                  ))}
                </Row>
                <Row label="Usual rate">
                  {shown.map(({ id, freelancer }) => (
                    <Table.Td key={id}>
                      <Text size="sm" c={freelancer.hourlyRate ? undefined : 'dimmed'}>
                        {freelancer.hourlyRate
                          ? `${formatMoney(freelancer.hourlyRate)} per hour`
                          : 'Not given'}
                      </Text>
                    </Table.Td>
                  ))}
                </Row>
                <Row label={project.budget.type === 'fixed' ? 'Price' : 'Rate'}>
                  {shown.map((proposal) => (
                    <Table.Td key={proposal.id}>
                      <Text fw={600}>{bidText(proposal.bid)}</Text>
                    </Table.Td>
                  ))}
                </Row>
                <Row label="Duration">
                  {shown.map((proposal) => (
                    <Table.Td key={proposal.id}>{durationText(proposal.durationDays)}</Table.Td>
                  ))}
                </Row>
                {project.budget.type === 'fixed' && (
                  <Row label="Milestones">
                    {shown.map((proposal) => (
                      <Table.Td key={proposal.id}>
                        {proposal.milestonePlan ? (
                          <Stack gap={2}>
                            {proposal.milestonePlan.map((item, index) => (
                              <Text key={index} size="xs">
                                {index + 1}. {item.title}: {formatMoney(item.amount)}
                                {item.dueDate ? ` by ${item.dueDate}` : ''}
                              </Text>
                            ))}
                          </Stack>
                        ) : (
                          <Text size="xs" c="dimmed">
                            No plan: one payment
                          </Text>
                        )}
                      </Table.Td>
                    ))}
                  </Row>
                )}
                <Row label="Sent">
                  {shown.map((proposal) => (
                    <Table.Td key={proposal.id}>
                      <Text size="sm" title={formatDateTime(proposal.createdAt)}>
                        {formatRelative(proposal.createdAt)}
                      </Text>
                    </Table.Td>
                  ))}
                </Row>
                <Row label="Cover letter">
                  {shown.map((proposal) => (
                    <Table.Td key={proposal.id} style={{ verticalAlign: 'top' }}>
                      <ScrollArea.Autosize mah={260} type="auto">
                        <RichText
                          html={proposal.coverLetterHtml}
                          label={`Cover letter from ${nameOf(proposal)}`}
                        />
                      </ScrollArea.Autosize>
                    </Table.Td>
                  ))}
                </Row>
                <Row label="Decide">
                  {shown.map((proposal) => {
                    const next = proposalTransitions[proposal.status];
                    const who = nameOf(proposal);
                    return (
                      <Table.Td key={proposal.id}>
                        {next.length === 0 || (next.length === 1 && next[0] === 'withdrawn') ? (
                          <Text size="xs" c="dimmed">
                            Decided
                          </Text>
                        ) : (
                          <Group gap={6}>
                            {next.includes('accepted') && (
                              <Button
                                size="xs"
                                color="teal"
                                disabled={!canAccept || busy !== null}
                                aria-label={`Accept ${who}’s proposal`}
                                onClick={() => setAccepting(proposal)}
                              >
                                Accept
                              </Button>
                            )}
                            {next.includes('shortlisted') && (
                              <Button
                                size="xs"
                                variant="light"
                                loading={busy === proposal.id}
                                disabled={busy !== null}
                                aria-label={`Shortlist ${who}’s proposal`}
                                onClick={() => void decide(proposal, 'shortlist')}
                              >
                                Shortlist
                              </Button>
                            )}
                            {next.includes('rejected') && (
                              <Button
                                size="xs"
                                variant="subtle"
                                color="red"
                                disabled={busy !== null}
                                aria-label={`Reject ${who}’s proposal`}
                                onClick={() => setRejecting(proposal)}
                              >
                                Reject
                              </Button>
                            )}
                          </Group>
                        )}
                      </Table.Td>
                    );
                  })}
                </Row>
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </Paper>
      )}
      {proposals.hasMore && (
        <Group justify="center">
          <Button variant="default" onClick={proposals.loadMore} loading={proposals.loadingMore}>
            Load more proposals
          </Button>
        </Group>
      )}
      {!canAccept && all.some(isOpen) && (
        <Text size="sm" c="dimmed">
          Only an open project can accept a proposal.
        </Text>
      )}

      {accepting && (
        <AcceptDialog
          project={project}
          proposal={accepting}
          freelancer={nameOf(accepting)}
          openCount={all.filter((p) => p.id !== accepting.id && isOpen(p)).length}
          onClose={() => setAccepting(null)}
          onAccepted={(contract) => {
            setAccepting(null);
            onAccepted(contract);
          }}
        />
      )}
      <ConfirmDialog
        opened={rejecting !== null}
        title={rejecting ? `Reject ${nameOf(rejecting)}’s proposal?` : ''}
        confirmLabel="Reject proposal"
        busy={rejecting !== null && busy === rejecting.id}
        onConfirm={() => rejecting && void decide(rejecting, 'reject')}
        onCancel={() => setRejecting(null)}
      >
        A rejected proposal is final: it cannot be accepted later.
      </ConfirmDialog>
    </Stack>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row">
        <Text size="xs" c="dimmed" fw={600}>
          {label}
        </Text>
      </Table.Th>
      {children}
    </Table.Tr>
  );
}

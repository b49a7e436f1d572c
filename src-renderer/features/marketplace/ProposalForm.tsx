import {
  Alert,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { Project } from '../../../shared/marketplace/projects.ts';
import type { Proposal } from '../../../shared/marketplace/proposals.ts';
import { applyServerErrors } from './form-problems.ts';
import { budgetText } from './marketplace-format.ts';
import { createProposal, updateProposal } from './marketplace-api.ts';
import { MilestonesEditor } from './MilestonesEditor.tsx';
import { parseAmount } from './money-fields.ts';
import {
  buildProposalInput,
  emptyProposal,
  proposalFieldFor,
  proposalValuesOf,
  validateProposal,
  type BidTerms,
  type ProposalValues,
} from './proposal-form.ts';

/**
 * Proposing on a project, or changing your proposal while the client has not decided. The
 * bid is in the project's currency and of its budget type; a fixed bid may carry a milestone
 * plan, which must add up to it (the server checks, and says so at the plan).
 */
export function ProposalForm({
  project,
  proposal,
}: {
  project: Project;
  proposal: Proposal | null;
}) {
  const navigate = useNavigate();
  const [formError, setFormError] = useState<string | null>(null);
  const terms: BidTerms = { type: project.budget.type, currency: project.budget.min.currency };
  const fixed = terms.type === 'fixed';
  const form = useForm<ProposalValues>({
    initialValues: proposal ? proposalValuesOf(proposal) : emptyProposal(),
    validate: (values) => validateProposal(values, terms),
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const built = buildProposalInput(values, terms);
    if (!built.ok) {
      form.setErrors(built.errors);
      return;
    }
    try {
      if (proposal) await updateProposal(proposal.id, built.input);
      else await createProposal(project.id, built.input);
      notifications.show({
        color: 'teal',
        title: proposal ? 'Proposal updated' : 'Proposal sent',
        message: proposal
          ? 'The client sees your changes.'
          : 'The client can read it now. Follow it under Your proposals.',
      });
      void navigate({ to: '/marketplace/projects/$projectId', params: { projectId: project.id } });
    } catch (error) {
      setFormError(applyServerErrors(error, form.setFieldError, proposalFieldFor, terms.currency));
    }
  });

  const amount = parseAmount(form.values.amount, terms.currency);
  const heading = proposal ? 'Edit your proposal' : 'Propose';

  return (
    <Stack gap="md" maw={860}>
      <div>
        <Title order={1} fz={28}>
          {heading}
        </Title>
        <Text c="dimmed">
          On “{project.title}”: {budgetText(project.budget)}
          {fixed ? ', fixed price' : ''}.
        </Text>
      </div>
      <Paper withBorder radius="md" p="lg">
        <form onSubmit={submit} noValidate aria-label={heading}>
          <Stack gap="md">
            {formError !== null && (
              <Alert
                color="red"
                icon={<IconAlertCircle />}
                role="alert"
                title="Could not send the proposal"
              >
                {formError}
              </Alert>
            )}
            <Textarea
              label="Cover letter"
              description="Why you, how you would go about it, questions you have."
              required
              autosize
              minRows={6}
              maxRows={18}
              maxLength={10_000}
              {...form.getInputProps('coverLetter')}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={fixed ? 'Your price' : 'Your hourly rate'}
                description={fixed ? 'For the whole project.' : 'What you charge per hour worked.'}
                inputMode="decimal"
                placeholder={fixed ? '1800.00' : '65.00'}
                required
                rightSection={
                  <Text size="xs" c="dimmed">
                    {terms.currency}
                  </Text>
                }
                rightSectionWidth={44}
                {...form.getInputProps('amount')}
              />
              <TextInput
                label="Duration in days"
                description="How long the work will take you."
                inputMode="numeric"
                placeholder="21"
                required
                {...form.getInputProps('durationDays')}
              />
            </SimpleGrid>
            {fixed && (
              <Switch
                label="Split the price into milestones"
                description="Optional: the client funds and releases each one as it is done."
                {...form.getInputProps('withPlan', { type: 'checkbox' })}
              />
            )}
            {fixed && form.values.withPlan && (
              <MilestonesEditor
                legend="Milestone plan"
                rows={form.values.milestones}
                onChange={(rows) => {
                  form.setFieldValue('milestones', rows);
                  form.clearFieldError('milestones');
                }}
                currency={terms.currency}
                totalMinor={amount.ok ? amount.amountMinor : null}
                errors={form.errors}
              />
            )}
            <Group justify="flex-end" mt="xs">
              <Button
                variant="default"
                onClick={() =>
                  void navigate({
                    to: '/marketplace/projects/$projectId',
                    params: { projectId: project.id },
                  })
                }
              >
                Cancel
              </Button>
              <Button type="submit" loading={form.submitting}>
                {proposal ? 'Save proposal' : 'Send proposal'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}

import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import type { Contract } from '../../../shared/marketplace/contracts.ts';
import type { Project } from '../../../shared/marketplace/projects.ts';
import type { Proposal } from '../../../shared/marketplace/proposals.ts';
import {
  acceptFieldFor,
  acceptValuesOf,
  buildAcceptInput,
  validateAccept,
  type AcceptValues,
} from './accept-form.ts';
import { applyServerErrors } from './form-problems.ts';
import { acceptProposal } from './marketplace-api.ts';
import { bidMoney, bidText, durationText } from './marketplace-format.ts';
import { MilestonesEditor } from './MilestonesEditor.tsx';

/**
 * Accepting a proposal sets the contract's terms: the milestones of a fixed price (they must
 * add up to the bid), or the weekly hour limit and manual time of an hourly one; and whether
 * the other open proposals are turned down at the same moment. The server creates the
 * contract exactly once, however often this is clicked.
 */
export function AcceptDialog({
  project,
  proposal,
  freelancer,
  openCount,
  onClose,
  onAccepted,
}: {
  project: Project;
  proposal: Proposal;
  freelancer: string;
  /** Other pending or shortlisted proposals on the project. */
  openCount: number;
  onClose: () => void;
  onAccepted: (contract: Contract) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<AcceptValues>({
    initialValues: acceptValuesOf(project, proposal),
    validate: (values) => validateAccept(values, proposal),
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const built = buildAcceptInput(values, proposal);
    if (!built.ok) {
      form.setErrors(built.errors);
      return;
    }
    try {
      onAccepted(await acceptProposal(proposal.id, built.input));
    } catch (error) {
      setFormError(
        applyServerErrors(
          error,
          form.setFieldError,
          acceptFieldFor,
          bidMoney(proposal.bid).currency,
        ),
      );
    }
  });

  const fixed = proposal.bid.type === 'fixed';
  return (
    <Modal opened onClose={onClose} title={`Accept ${freelancer}’s proposal`} size="xl" centered>
      <form onSubmit={submit} noValidate aria-label="Contract terms">
        <Stack gap="md">
          <Text size="sm">
            {bidText(proposal.bid)}, {durationText(proposal.durationDays)}. Accepting creates the
            contract for “{project.title}” and puts the project in progress.
          </Text>
          {formError !== null && (
            <Alert color="red" icon={<IconAlertCircle />} role="alert" title="Could not accept">
              {formError}
            </Alert>
          )}
          {fixed ? (
            <MilestonesEditor
              legend="Contract milestones"
              rows={form.values.milestones}
              onChange={(rows) => {
                form.setFieldValue('milestones', rows);
                form.clearFieldError('milestones');
              }}
              currency={proposal.bid.type === 'fixed' ? proposal.bid.amount.currency : ''}
              totalMinor={proposal.bid.type === 'fixed' ? proposal.bid.amount.amountMinor : null}
              errors={form.errors}
            />
          ) : (
            <Group align="flex-start" grow>
              <TextInput
                label="Weekly hour limit"
                description="Leave empty for no limit."
                inputMode="numeric"
                placeholder="No limit"
                {...form.getInputProps('weeklyHourLimit')}
              />
              <Switch
                mt={28}
                label="Allow time logged by hand"
                description="Otherwise only tracked time counts."
                {...form.getInputProps('manualTimeAllowed', { type: 'checkbox' })}
              />
            </Group>
          )}
          {openCount > 0 && (
            <Checkbox
              label={
                openCount === 1
                  ? 'Turn down the other open proposal'
                  : `Turn down the other ${openCount} open proposals`
              }
              description="Their freelancers see that you hired someone else."
              {...form.getInputProps('rejectOthers', { type: 'checkbox' })}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={form.submitting}>
              Cancel
            </Button>
            <Button type="submit" color="teal" loading={form.submitting}>
              Accept and start the contract
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

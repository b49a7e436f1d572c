import {
  Alert,
  Button,
  Group,
  Paper,
  Radio,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useId, useMemo, useState } from 'react';
import type { Project } from '../../../shared/marketplace/projects.ts';
import { editableStatuses } from '../../../shared/marketplace/projects.ts';
import { AnchorLink } from '../../ui/links.tsx';
import { currencyOptions } from '../../ui/money.ts';
import { useSessionStore } from '../session/session-store.ts';
import { categoryOptions, ensureCategories, useCategoryStore } from './category-store.ts';
import { applyServerErrors } from './form-problems.ts';
import { LoadError, PageLoader } from './ListStates.tsx';
import { createProject, fetchProject, updateProject } from './marketplace-api.ts';
import {
  buildProjectInput,
  emptyProject,
  projectFieldFor,
  projectValuesOf,
  updateInputOf,
  validateProject,
  type ProjectValues,
} from './project-form.ts';
import { PendingAttachmentsField, usePendingAttachments } from './PendingAttachments.tsx';
import { useSkillNames } from './skills.ts';
import { useRemote } from './use-remote.ts';

/** Posting a project: clients only (the server says so too). */
export function NewProjectPage() {
  const user = useSessionStore((state) => state.user);
  if (user && user.role !== 'client') {
    return (
      <Alert color="yellow" title="Only clients post projects" role="alert" maw={640}>
        You are signed in as a freelancer. Find projects to propose on under{' '}
        <AnchorLink to="/marketplace/search">Search</AnchorLink>.
      </Alert>
    );
  }
  return <ProjectForm project={null} defaultCurrency={user?.hourlyRate?.currency ?? 'USD'} />;
}

/** Editing your project while it is a draft or open. */
export function EditProjectPage({ projectId }: { projectId: string }) {
  const project = useRemote(`project:${projectId}`, () => fetchProject(projectId));
  const me = useSessionStore((state) => state.user?.id);
  if (!project.data) {
    if (project.error) {
      return (
        <LoadError
          title="Could not open the project"
          error={project.error}
          onRetry={project.reload}
        />
      );
    }
    return <PageLoader label="Loading the project" />;
  }
  if (project.data.client.id !== me) {
    return (
      <Alert color="yellow" title="Not your project" role="alert" maw={640}>
        Only the client who posted a project may edit it.
      </Alert>
    );
  }
  if (!editableStatuses.includes(project.data.status)) {
    return (
      <Alert color="yellow" title="This project can no longer be edited" role="alert" maw={640}>
        Only draft and open projects can be edited.{' '}
        <AnchorLink to="/marketplace/projects/$projectId" params={{ projectId }}>
          Back to the project
        </AnchorLink>
      </Alert>
    );
  }
  return <ProjectForm key={project.data.updatedAt} project={project.data} defaultCurrency="USD" />;
}

const currencies = currencyOptions();

function ProjectForm({
  project,
  defaultCurrency,
}: {
  project: Project | null;
  defaultCurrency: string;
}) {
  const navigate = useNavigate();
  const tree = useCategoryStore((state) => state.tree);
  const categories = useMemo(() => categoryOptions(tree), [tree]);
  const skillNames = useSkillNames();
  // Files picked before the project exists are attached right after it is created.
  const pending = usePendingAttachments();
  const [formError, setFormError] = useState<string | null>(null);
  const budgetTypeLabel = useId();
  useEffect(ensureCategories, []);

  const form = useForm<ProjectValues>({
    initialValues: project ? projectValuesOf(project) : emptyProject(defaultCurrency),
    validate: validateProject,
  });

  const save = (publish: boolean) =>
    form.onSubmit(async (values) => {
      setFormError(null);
      const built = buildProjectInput(values, publish);
      if (!built.ok) {
        form.setErrors(built.errors);
        return;
      }
      if (pending.uploading) {
        setFormError('Wait until the files have finished uploading.');
        return;
      }
      try {
        const saved = project
          ? await updateProject(project.id, updateInputOf(built.input))
          : await createProject(built.input);
        const unattached = project ? [] : await pending.attachTo(saved.id);
        notifications.show({
          color: 'teal',
          title: project ? 'Project saved' : publish ? 'Project published' : 'Draft saved',
          message: project
            ? 'Your changes are saved.'
            : publish
              ? 'Freelancers can find it and send proposals now.'
              : 'Only you can see it until you publish it.',
        });
        if (unattached.length > 0) {
          notifications.show({
            color: 'yellow',
            title: 'Some files were not attached',
            message: `${unattached.join(' ')} Attach them again on the project page.`,
            autoClose: false,
          });
        }
        void navigate({
          to: '/marketplace/projects/$projectId',
          params: { projectId: saved.id },
        });
      } catch (error) {
        setFormError(
          applyServerErrors(error, form.setFieldError, projectFieldFor, form.values.currency),
        );
      }
    });

  const heading = project ? 'Edit project' : 'Post a project';
  const perHour = form.values.budgetType === 'hourly';

  return (
    <Stack gap="md" maw={860}>
      <Title order={1} fz={28}>
        {heading}
      </Title>
      <Paper withBorder radius="md" p="lg">
        <form onSubmit={save(!project)} noValidate aria-label={heading}>
          <Stack gap="md">
            {formError !== null && (
              <Alert
                color="red"
                icon={<IconAlertCircle />}
                role="alert"
                title="Could not save the project"
              >
                {formError}
              </Alert>
            )}
            {Object.keys(form.errors).length > 0 && formError === null && (
              <Text size="sm" c="red" role="alert">
                Some fields need attention.
              </Text>
            )}
            <TextInput
              label="Title"
              description="What you need, in a line: it is what people see first."
              placeholder="Build a desktop time tracker"
              required
              maxLength={120}
              {...form.getInputProps('title')}
            />
            <Textarea
              label="Description"
              description="The work, what done looks like, anything to know. Plain text (blank lines make paragraphs) or simple HTML."
              required
              autosize
              minRows={6}
              maxRows={20}
              maxLength={20_000}
              {...form.getInputProps('description')}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label="Category"
                placeholder="Choose a category"
                required
                data={categories}
                searchable
                nothingFoundMessage="No category by that name"
                {...form.getInputProps('categoryId')}
              />
              <TagsInput
                label="Skills"
                description="Press Enter after each one."
                placeholder="Add a skill"
                data={skillNames}
                maxTags={20}
                {...form.getInputProps('skills')}
              />
            </SimpleGrid>
            <div>
              <Text size="sm" fw={500} id={budgetTypeLabel}>
                Budget type
              </Text>
              <SegmentedControl
                aria-labelledby={budgetTypeLabel}
                data={[
                  { value: 'fixed', label: 'Fixed price' },
                  { value: 'hourly', label: 'Hourly' },
                ]}
                {...form.getInputProps('budgetType')}
              />
              {form.errors.budgetType && (
                <Text size="xs" c="red">
                  {form.errors.budgetType}
                </Text>
              )}
            </div>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput
                label={perHour ? 'Rate from (per hour)' : 'Budget from'}
                inputMode="decimal"
                placeholder="1000.00"
                required
                {...form.getInputProps('budgetMin')}
              />
              <TextInput
                label={perHour ? 'Rate up to (per hour)' : 'Budget up to'}
                inputMode="decimal"
                placeholder="2500.00"
                required
                {...form.getInputProps('budgetMax')}
              />
              <Select
                label="Currency"
                data={currencies}
                searchable
                allowDeselect={false}
                {...form.getInputProps('currency')}
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                type="date"
                label="Deadline"
                description="Optional: when the work must be done."
                {...form.getInputProps('deadline')}
              />
              <TagsInput
                label="Tags"
                description="Optional words that help people find it."
                placeholder="Add a tag"
                maxTags={20}
                {...form.getInputProps('tags')}
              />
            </SimpleGrid>
            {!project && <PendingAttachmentsField pending={pending} />}
            <Radio.Group label="Who can see it" {...form.getInputProps('visibility')}>
              <Group mt={6}>
                <Radio value="public" label="Everyone (listed and searchable)" />
                <Radio value="invite" label="Only people I invite" />
              </Group>
            </Radio.Group>
            <Group justify="flex-end" mt="xs">
              {project ? (
                <>
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
                    Save changes
                  </Button>
                </>
              ) : (
                <>
                  <Button
                    variant="default"
                    loading={form.submitting}
                    disabled={pending.uploading}
                    onClick={() => save(false)()}
                  >
                    Save as draft
                  </Button>
                  <Button type="submit" loading={form.submitting} disabled={pending.uploading}>
                    Publish project
                  </Button>
                </>
              )}
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}

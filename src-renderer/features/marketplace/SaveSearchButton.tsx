import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconBookmark } from '@tabler/icons-react';
import { useState } from 'react';
import { savedSearchNameSchema } from '../../../shared/marketplace/saved-searches.ts';
import { sentence } from '../../ui/forms.ts';
import { applyServerErrors } from './form-problems.ts';
import { saveSearch } from './marketplace-api.ts';
import { savedFiltersOf } from './saved-search-model.ts';
import type { SearchParams } from './search-params.ts';

/** Keeps the current filters under a name, to run again from the Marketplace home. */
export function SaveSearchButton({ params }: { params: SearchParams }) {
  const [opened, dialog] = useDisclosure(false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ name: string }>({
    initialValues: { name: params.q ?? '' },
    validate: {
      name: (value) => {
        const result = savedSearchNameSchema.safeParse(value);
        return result.success ? null : sentence(result.error.issues[0]?.message ?? 'is not valid');
      },
    },
  });

  const close = () => {
    setFormError(null);
    dialog.close();
  };

  const submit = form.onSubmit(async ({ name }) => {
    setFormError(null);
    try {
      await saveSearch(name, savedFiltersOf(params));
      notifications.show({
        color: 'teal',
        title: 'Search saved',
        message: `Run “${name.trim()}” again from the Marketplace home; new projects are marked.`,
      });
      close();
    } catch (error) {
      setFormError(
        applyServerErrors(error, form.setFieldError, ([first]) =>
          first === 'name' ? 'name' : undefined,
        ),
      );
    }
  });

  return (
    <>
      <Button
        variant="default"
        size="xs"
        leftSection={<IconBookmark size={14} />}
        onClick={() => {
          form.setValues({ name: params.q ?? '' });
          dialog.open();
        }}
      >
        Save this search
      </Button>
      <Modal opened={opened} onClose={close} title="Save this search" centered>
        <form onSubmit={submit} noValidate aria-label="Save this search">
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              It keeps the words and filters (all but “Posted”), and tells you which projects are
              new each time you run it.
            </Text>
            {formError !== null && (
              <Alert color="red" icon={<IconAlertCircle />} role="alert" title="Could not save">
                {formError}
              </Alert>
            )}
            <TextInput
              label="Name"
              placeholder="Electron work"
              maxLength={100}
              required
              data-autofocus
              {...form.getInputProps('name')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={form.submitting}>
                Save search
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

import {
  Alert,
  Button,
  Center,
  FileButton,
  Group,
  Image,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconPhoto, IconPhotoX, IconUpload } from '@tabler/icons-react';
import { useId, useRef, useState } from 'react';
import type { CreatePortfolioItemInput } from '../../../shared/marketplace/profiles.ts';
import { readableError } from '../../api/problems.ts';
import { applyServerErrors } from '../marketplace/form-problems.ts';
import { useRemote } from '../marketplace/use-remote.ts';
import { blobUrl, uploadBlob } from '../messages/messages-api.ts';
import {
  imageRefusal,
  portfolioFieldFor,
  portfolioInputOf,
  validatePortfolioItem,
  type PortfolioValues,
} from './portfolio-form.ts';

/**
 * Adds or edits one piece of work. The image is uploaded as soon as it is picked (the item
 * names it by hash, so the bytes must be on the server first); nothing is saved until Save.
 * A refusal puts the server's words at the fields and keeps everything typed.
 */
export function PortfolioItemForm({
  heading,
  submitLabel,
  initialValues,
  onSubmit,
  onCancel,
}: {
  heading: string;
  submitLabel: string;
  initialValues: PortfolioValues;
  onSubmit: (input: CreatePortfolioItemInput) => Promise<void>;
  onCancel: () => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const [uploading, setUploading] = useState<string | null>(null);
  const resetPicker = useRef<() => void>(null);
  const headingId = useId();
  const imageErrorId = useId();
  // The picker's own errors (not an image, upload failed) and the server's go under `image`.
  const form = useForm<PortfolioValues>({
    initialValues,
    validate: validatePortfolioItem,
  });

  const pickImage = async (file: File | null) => {
    resetPicker.current?.();
    if (!file) return;
    form.clearFieldError('image');
    const why = imageRefusal(file);
    if (why) {
      form.setFieldError('image', why);
      return;
    }
    setUploading(file.name);
    try {
      const stored = await uploadBlob(file);
      form.setFieldValue('imageHash', stored.hash);
    } catch (error) {
      form.setFieldError('image', `Could not upload ${file.name}. ${readableError(error)}`);
    } finally {
      setUploading(null);
    }
  };

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await onSubmit(portfolioInputOf(values));
    } catch (error) {
      setFormError(applyServerErrors(error, form.setFieldError, portfolioFieldFor));
    }
  });

  const imageError = form.errors.image ?? form.errors.imageHash;

  return (
    <Paper withBorder radius="md" p="md">
      <form onSubmit={submit} noValidate aria-labelledby={headingId}>
        <Stack gap="sm">
          <Title order={3} fz={16} id={headingId}>
            {heading}
          </Title>
          {formError !== null && (
            <Alert color="red" icon={<IconAlertCircle />} role="alert" title="Could not save">
              {formError}
            </Alert>
          )}
          <TextInput
            label="Title"
            placeholder="Time tracker for a design studio"
            required
            maxLength={120}
            {...form.getInputProps('title')}
          />
          <Textarea
            label="Description"
            description="What you made, for whom, and what came of it. Plain text or simple HTML."
            autosize
            minRows={3}
            maxRows={12}
            maxLength={5000}
            {...form.getInputProps('description')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Link"
              description="Optional: where people can see it (http or https)."
              placeholder="https://"
              inputMode="url"
              maxLength={2000}
              {...form.getInputProps('url')}
            />
            <TextInput
              type="date"
              label="Completed on"
              description="Optional: when you finished it."
              {...form.getInputProps('completedOn')}
            />
          </SimpleGrid>
          <div>
            <Text size="sm" fw={500}>
              Image
            </Text>
            <Text size="xs" c="dimmed" mb={6}>
              Optional: a screenshot or photo of the work (PNG, JPEG, GIF or WebP, up to 25 MB).
            </Text>
            <Group gap="sm" align="center">
              <Thumbnail hash={form.values.imageHash} alt={`Image of ${form.values.title}`} />
              <FileButton
                onChange={(file) => void pickImage(file)}
                accept="image/png,image/jpeg,image/gif,image/webp"
                name="portfolio-image"
                resetRef={resetPicker}
              >
                {(props) => (
                  <Button
                    variant="default"
                    size="xs"
                    leftSection={<IconUpload size={14} />}
                    loading={uploading !== null}
                    aria-describedby={imageError ? imageErrorId : undefined}
                    {...props}
                  >
                    {form.values.imageHash ? 'Replace image' : 'Upload image'}
                  </Button>
                )}
              </FileButton>
              {form.values.imageHash && (
                <Button
                  variant="subtle"
                  color="gray"
                  size="xs"
                  leftSection={<IconPhotoX size={14} />}
                  onClick={() => form.setFieldValue('imageHash', null)}
                >
                  Remove image
                </Button>
              )}
            </Group>
            {uploading !== null && (
              <Text size="xs" c="dimmed" role="status" mt={4}>
                Uploading {uploading}…
              </Text>
            )}
            {imageError && (
              <Text size="xs" c="red" id={imageErrorId} role="alert" mt={4}>
                {imageError}
              </Text>
            )}
          </div>
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting} disabled={uploading !== null}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** A portfolio image, fetched with the bearer token (an `<img src>` cannot send one). */
export function Thumbnail({ hash, alt }: { hash: string | null; alt: string }) {
  const url = useRemote(hash ? `blob:${hash}` : null, () => blobUrl(hash ?? '', ''));
  const frame = { width: 96, height: 72, borderRadius: 6, overflow: 'hidden' } as const;
  if (!hash) {
    return (
      <Center bg="var(--mantine-color-default-hover)" style={frame} aria-hidden>
        <IconPhoto size={24} color="var(--mantine-color-dimmed)" />
      </Center>
    );
  }
  if (!url.data) {
    return (
      <Center bg="var(--mantine-color-default-hover)" style={frame}>
        {url.error ? (
          <IconPhotoX size={24} aria-label={`Could not load the image: ${url.error}`} />
        ) : (
          <Loader size="xs" aria-label="Loading the image" />
        )}
      </Center>
    );
  }
  return <Image src={url.data} alt={alt} w={96} h={72} fit="cover" radius={6} />;
}

import {
  createPortfolioItemInputSchema,
  type CreatePortfolioItemInput,
  type PortfolioItem,
} from '../../../shared/marketplace/profiles.ts';
import { schemaErrors, type FieldFor } from '../marketplace/form-problems.ts';

/** A piece of work as its form edits it: text boxes hold strings, the image its blob hash. */
export type PortfolioValues = {
  title: string;
  description: string;
  url: string;
  /** `YYYY-MM-DD`, or empty for none. */
  completedOn: string;
  imageHash: string | null;
};

export const emptyPortfolioItem = (): PortfolioValues => ({
  title: '',
  description: '',
  url: '',
  completedOn: '',
  imageHash: null,
});

/** `descriptionText` is the stored markup turned back into what was typed (see plain-text.ts). */
export function portfolioValuesOf(item: PortfolioItem, descriptionText: string): PortfolioValues {
  return {
    title: item.title,
    description: descriptionText,
    url: item.url ?? '',
    completedOn: item.completedOn ?? '',
    imageHash: item.imageHash,
  };
}

/**
 * The body for adding an item, and (the same fields) for editing one: empty text means none.
 * Sending every field on edit is simplest, and the server takes any subset.
 */
export function portfolioInputOf(values: PortfolioValues): CreatePortfolioItemInput {
  return {
    title: values.title.trim(),
    description: values.description.trim(),
    url: values.url.trim() === '' ? null : values.url.trim(),
    imageHash: values.imageHash,
    completedOn: values.completedOn === '' ? null : values.completedOn,
  };
}

/** A request body's path → the field showing it; the image's errors go to its picker. */
export const portfolioFieldFor: FieldFor = ([first]) => {
  if (first === 'imageHash') return 'image';
  return first === 'title' || first === 'description' || first === 'url' || first === 'completedOn'
    ? first
    : undefined;
};

/** The server's own checks, before anything is sent (only it knows today's date for sure). */
export function validatePortfolioItem(values: PortfolioValues): Record<string, string> {
  return schemaErrors(createPortfolioItemInputSchema, portfolioInputOf(values), portfolioFieldFor);
}

/** What the blob endpoint takes in one upload (`MAX_BLOB_BYTES` on the server). */
export const maxImageBytes = 25 * 1024 * 1024;

/** Why a picked file cannot be a portfolio image, or null when it can be uploaded. */
export function imageRefusal(file: { name: string; type: string; size: number }): string | null {
  if (!file.type.startsWith('image/')) {
    return `${file.name} is not an image. Pick a PNG, JPEG, GIF or WebP file.`;
  }
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > maxImageBytes) {
    return `${file.name} is larger than 25 MB, the most an image can be.`;
  }
  return null;
}

/**
 * The list after moving one item to `to` (0 = first), renumbered 0…n-1 as the server
 * numbers it, so the screen shows the new order before the answer arrives.
 */
export function moveItem<T extends { id: string; position: number }>(
  items: readonly T[],
  id: string,
  to: number,
): T[] {
  const moved = items.find((item) => item.id === id);
  if (!moved) return [...items];
  const rest = items.filter((item) => item.id !== id);
  rest.splice(Math.max(0, Math.min(to, rest.length)), 0, moved);
  return rest.map((item, position) => (item.position === position ? item : { ...item, position }));
}

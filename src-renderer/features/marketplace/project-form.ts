import {
  createProjectInputSchema,
  type CreateProjectInput,
  type Project,
  type UpdateProjectInput,
} from '../../../shared/marketplace/projects.ts';
import { htmlToPlainText } from './plain-text.ts';
import type { FieldFor } from './form-problems.ts';
import { schemaErrors } from './form-problems.ts';
import { amountText, parseAmount } from './money-fields.ts';

/** The project as the form edits it: text boxes hold strings, pickers a value or null. */
export type ProjectValues = {
  title: string;
  description: string;
  categoryId: string | null;
  skills: string[];
  tags: string[];
  budgetType: 'fixed' | 'hourly';
  budgetMin: string;
  budgetMax: string;
  currency: string;
  /** `YYYY-MM-DD`, or empty for none. */
  deadline: string;
  visibility: 'public' | 'invite';
};

export const emptyProject = (currency: string): ProjectValues => ({
  title: '',
  description: '',
  categoryId: null,
  skills: [],
  tags: [],
  budgetType: 'fixed',
  budgetMin: '',
  budgetMax: '',
  currency,
  deadline: '',
  visibility: 'public',
});

export function projectValuesOf(project: Project): ProjectValues {
  const currency = project.budget.min.currency;
  return {
    title: project.title,
    // The server keeps sanitised markup; the form edits its words and paragraphs.
    description: htmlToPlainText(project.descriptionHtml),
    categoryId: project.category.id,
    skills: project.skills.map((skill) => skill.name),
    tags: project.tags.map((tag) => tag.name),
    budgetType: project.budget.type,
    budgetMin: amountText(project.budget.min.amountMinor, currency),
    budgetMax: amountText(project.budget.max.amountMinor, currency),
    currency,
    deadline: project.deadline ?? '',
    visibility: project.visibility,
  };
}

/** A request body's path → the field showing it. */
export const projectFieldFor: FieldFor = (path) => {
  const [first, second, third] = path;
  if (first === 'budget') {
    if (third === 'currency') return 'currency';
    if (second === 'type') return 'budgetType';
    return second === 'max' ? 'budgetMax' : 'budgetMin';
  }
  return [
    'title',
    'description',
    'categoryId',
    'skills',
    'tags',
    'deadline',
    'visibility',
  ].includes(first ?? '')
    ? first
    : undefined;
};

type Built =
  { ok: true; input: CreateProjectInput } | { ok: false; errors: Record<string, string> };

/** The request body, or why the typed amounts cannot make one. `publish` only on create. */
export function buildProjectInput(values: ProjectValues, publish: boolean): Built {
  const min = parseAmount(values.budgetMin, values.currency);
  const max = parseAmount(values.budgetMax, values.currency);
  if (min.ok && max.ok && min.amountMinor !== null && max.amountMinor !== null) {
    return { ok: true, input: inputOf(values, min.amountMinor, max.amountMinor, publish) };
  }
  const errors: Record<string, string> = {};
  if (!min.ok) errors.budgetMin = min.error;
  else if (min.amountMinor === null) errors.budgetMin = 'Enter the least you would pay';
  if (!max.ok) errors.budgetMax = max.error;
  else if (max.amountMinor === null) errors.budgetMax = 'Enter the most you would pay';
  return { ok: false, errors };
}

function inputOf(
  values: ProjectValues,
  minMinor: number,
  maxMinor: number,
  publish: boolean,
): CreateProjectInput {
  return {
    title: values.title,
    description: values.description,
    categoryId: values.categoryId ?? '',
    skills: values.skills,
    tags: values.tags,
    budget: {
      type: values.budgetType,
      min: { amountMinor: minMinor, currency: values.currency },
      max: { amountMinor: maxMinor, currency: values.currency },
    },
    deadline: values.deadline || null,
    visibility: values.visibility,
    publish,
  };
}

/** On edit: the whole editable body (the server takes any subset; sending all is simplest). */
export function updateInputOf(input: CreateProjectInput): UpdateProjectInput {
  const { publish: _publish, ...fields } = input;
  return fields;
}

/** The checks the server will make on the same body, shown before anything is sent. */
export function validateProject(values: ProjectValues): Record<string, string> {
  const built = buildProjectInput(values, false);
  // Amounts that do not parse are reported as such; the other fields are still checked.
  const input = built.ok ? built.input : inputOf(values, 0, 0, false);
  const errors = schemaErrors(createProjectInputSchema, input, projectFieldFor);
  if (!built.ok) {
    delete errors.budgetMin;
    delete errors.budgetMax;
    Object.assign(errors, built.errors);
  }
  if (!values.categoryId) errors.categoryId = 'Choose a category';
  return errors;
}

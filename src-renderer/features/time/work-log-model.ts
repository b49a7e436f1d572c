import type { WorkLogDocument } from '../../../shared/sync/documents.ts';
import { workLogId } from '../../../shared/time/stable-ids.ts';

/**
 * The freelancer's daily note on a contract: what got done, what is in the way, anything
 * else. One per contract and day (the same id from every device), named by the diary's
 * calendar day as the freelancer lives it.
 */
export type WorkLogFields = Pick<WorkLogDocument, 'tasksDone' | 'blockers' | 'notes'>;

export const maxWorkLogField = 5000;
export const emptyWorkLog: WorkLogFields = { tasksDone: '', blockers: '', notes: '' };

export function workLogProblems(
  fields: WorkLogFields,
): Partial<Record<keyof WorkLogFields, string>> {
  const problems: Partial<Record<keyof WorkLogFields, string>> = {};
  for (const key of ['tasksDone', 'blockers', 'notes'] as const) {
    if (fields[key].length > maxWorkLogField) {
      problems[key] = `Keep it under ${maxWorkLogField} characters (${fields[key].length} now).`;
    }
  }
  return problems;
}

/** The log to store, or null when nothing changed (or there is nothing to keep). */
export function workLogDocument(
  existing: WorkLogDocument | null,
  input: {
    contractId: string;
    freelancerId: string;
    day: string;
    fields: WorkLogFields;
    now: string;
  },
): WorkLogDocument | null {
  const fields: WorkLogFields = {
    tasksDone: input.fields.tasksDone.trim(),
    blockers: input.fields.blockers.trim(),
    notes: input.fields.notes.trim(),
  };
  if (existing) {
    const same =
      existing.tasksDone === fields.tasksDone &&
      existing.blockers === fields.blockers &&
      existing.notes === fields.notes;
    return same ? null : { ...existing, ...fields, updatedAt: input.now };
  }
  if (!fields.tasksDone && !fields.blockers && !fields.notes) return null;
  return {
    id: workLogId(input.contractId, input.freelancerId, input.day),
    updatedAt: input.now,
    contractId: input.contractId,
    freelancerId: input.freelancerId,
    day: input.day,
    ...fields,
    createdAt: input.now,
  };
}

import type { z } from 'zod';
import type { FieldError } from './problem.ts';

/**
 * zod issues → one field error per offending field, located by an RFC 6901 JSON pointer into
 * the input. Server and desktop host answer validation failures in this same shape.
 */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) =>
    // A field the schema does not allow is reported at that field, not at its parent.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          pointer: jsonPointer([...issue.path, key]),
          detail: 'is not a field that can be set here',
        }))
      : [{ pointer: jsonPointer(issue.path), detail: issue.message }],
  );
}

/** RFC 6901: `''` is the whole document, `/a/0` its field `a`'s first item. */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path
    .map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerInputSchema } from '../../shared/accounts/auth.ts';
import { updateProfileInputSchema } from '../../shared/accounts/user.ts';
import { fieldErrors } from '../../shared/api/field-errors.ts';

describe('validation errors as JSON pointers', () => {
  it('points at nested fields and escapes RFC 6901 characters', () => {
    const schema = z.object({ 'a/b': z.object({ 'c~d': z.array(z.int()) }) });
    const result = schema.safeParse({ 'a/b': { 'c~d': [1, 'x'] } });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(fieldErrors(result.error)).toEqual([
        { pointer: '/a~1b/c~0d/1', detail: 'Invalid input: expected number, received string' },
      ]);
    }
  });

  it('reports a field nobody may set at that field', () => {
    const result = updateProfileInputSchema.safeParse({ role: 'admin', email: 'x@y.z' });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(fieldErrors(result.error).map((e) => e.pointer)).toEqual(['/role', '/email']);
    }
  });

  it('normalises emails before checking them', () => {
    const parsed = registerInputSchema.parse({
      email: '  Mixed.Case@Example.ORG ',
      password: 'long enough password',
      name: '  Ada  ',
      role: 'client',
    });
    expect(parsed.email).toBe('mixed.case@example.org');
    expect(parsed.name).toBe('Ada');
  });
});

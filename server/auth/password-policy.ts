import {
  describeWeakPassword,
  passwordStrength,
  type PasswordContext,
} from '../../shared/accounts/password-strength.ts';
import { problemTypes } from '../../shared/api/problem.ts';
import { HttpProblem } from '../http/problem.ts';

/**
 * Refuses a new password zxcvbn scores below 3 (sign-up, change, reset), with zxcvbn's own
 * warning and suggestions, so the person learns what to change rather than only "too weak".
 * Sign-in never calls this: a password set before the policy must still open its account.
 */
export function assertStrongPassword(
  password: string,
  context: PasswordContext,
  pointer = '/password',
): void {
  const strength = passwordStrength(password, context);
  if (strength.acceptable) return;
  const advice = describeWeakPassword(strength);
  throw new HttpProblem(
    422,
    problemTypes.weakPassword,
    'Password too weak',
    `This password is too easy to guess (strength ${strength.score} of 4, at least 3 needed).${
      advice ? ` ${advice}` : ''
    }`,
    {
      errors: [
        { pointer, detail: advice ? `is too easy to guess. ${advice}` : 'is too easy to guess' },
      ],
      extensions: {
        score: strength.score,
        warning: strength.warning,
        suggestions: strength.suggestions,
      },
    },
  );
}

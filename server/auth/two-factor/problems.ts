import { problemTypes } from '../../../shared/api/problem.ts';
import { HttpProblem } from '../../http/problem.ts';

/** The second-factor problems; the field pointer says which input was wrong. */
export const twoFactorProblems = {
  /** `status` 401 on the sign-in step (not signed in yet), 403 on a signed-in change. */
  codeInvalid: (status: 401 | 403, field: 'code' | 'backupCode', detail: string) =>
    new HttpProblem(status, problemTypes.twoFactorCodeInvalid, 'Wrong code', detail, {
      errors: [{ pointer: `/${field}`, detail: 'is not valid' }],
    }),
  codeReused: (status: 401 | 403) =>
    new HttpProblem(
      status,
      problemTypes.twoFactorCodeReused,
      'Code already used',
      'This code was already used. Wait for your authenticator app to show the next one.',
      { errors: [{ pointer: '/code', detail: 'was already used' }] },
    ),
  challengeInvalid: () =>
    new HttpProblem(
      401,
      problemTypes.twoFactorChallengeInvalid,
      'Sign-in step expired',
      'This sign-in attempt has expired or was used up. Sign in again with your password.',
    ),
  alreadyEnabled: () =>
    new HttpProblem(
      409,
      problemTypes.conflict,
      'Two-factor authentication is already on',
      'Turn two-factor authentication off before setting it up again.',
    ),
  notEnabled: () =>
    new HttpProblem(
      409,
      problemTypes.conflict,
      'Two-factor authentication is off',
      'Two-factor authentication is not turned on for this account.',
    ),
  noPendingSetup: () =>
    new HttpProblem(
      409,
      problemTypes.conflict,
      'No setup to confirm',
      'Start the setup first: it issues the secret that the code must come from.',
    ),
};

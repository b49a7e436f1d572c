import { describe, expect, it } from 'vitest';
import {
  MIN_PASSWORD_SCORE,
  describeWeakPassword,
  passwordStrength,
  userInputsOf,
} from '../../shared/accounts/password-strength.ts';
import { problemTypes } from '../../shared/api/problem.ts';
import { readableProblem } from '../../src-renderer/api/problems.ts';

const alice = { email: 'alice.liddell@example.com', name: 'Alice Liddell' };

describe('password strength (zxcvbn)', () => {
  it('accepts long passphrases, including the ones the test fixtures use', () => {
    for (const password of [
      'correct horse battery staple',
      'a long enough password',
      'analytical engine 1843',
      'another long passphrase',
    ]) {
      const strength = passwordStrength(password, alice);
      expect(strength.score).toBeGreaterThanOrEqual(MIN_PASSWORD_SCORE);
      expect(strength.acceptable).toBe(true);
    }
  });

  it('refuses common passwords with zxcvbn feedback', () => {
    const strength = passwordStrength('Password123!');
    expect(strength.acceptable).toBe(false);
    expect(strength.score).toBeLessThan(MIN_PASSWORD_SCORE);
    expect(strength.warning).toMatch(/commonly used password/);
    expect(strength.suggestions.length).toBeGreaterThan(0);
    expect(describeWeakPassword(strength)).toContain(strength.warning);
  });

  it('refuses keyboard walks and repeats', () => {
    expect(passwordStrength('qwertyuiop12').acceptable).toBe(false);
    expect(passwordStrength('aaaaaaaaaaaa').acceptable).toBe(false);
  });

  it('scores a password made of the person’s own email and name as weak', () => {
    expect(passwordStrength('alice.liddell@example.com').acceptable).toBe(true);
    const own = passwordStrength('alice.liddell@example.com', alice);
    expect(own.acceptable).toBe(false);
    expect(own.warning).toMatch(/personal/);
    // The name counts as a known word: it scores lower than the same letters from a stranger.
    expect(passwordStrength('aliceliddell', alice).score).toBeLessThan(
      passwordStrength('aliceliddell').score,
    );
  });

  it('splits the email and name into dictionary words', () => {
    expect(userInputsOf(alice)).toEqual([
      'alice.liddell@example.com',
      'alice',
      'liddell',
      'example',
      'com',
    ]);
    expect(userInputsOf({})).toEqual([]);
  });

  it('always says what would help when a password is too weak', () => {
    for (const password of ['sunshine', 'kittens2020', 'monkey123456', 'aliceliddell']) {
      const strength = passwordStrength(password, alice);
      expect(strength.acceptable).toBe(false);
      expect(describeWeakPassword(strength)).not.toBe('');
    }
  });
});

describe('readable wording of the new problems', () => {
  it('tells a person when to retry after a 429 and what to change in a weak password', () => {
    expect(
      readableProblem({
        type: problemTypes.rateLimited,
        title: 'Too many requests',
        status: 429,
        detail: 'Too many sign-in attempts for this account. Try again in 42 seconds.',
      }),
    ).toBe('Too many sign-in attempts for this account. Try again in 42 seconds.');
    expect(
      readableProblem({ type: problemTypes.rateLimited, title: 'Too many requests', status: 429 }),
    ).toMatch(/Wait a minute/);
    expect(
      readableProblem({
        type: problemTypes.passwordReused,
        title: 'Password used before',
        status: 422,
      }),
    ).toMatch(/last five/);
  });
});

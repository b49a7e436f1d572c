import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';

/** zxcvbn's 0-4 scale; 3 ("safely unguessable") is the least a new password may score. */
export const MIN_PASSWORD_SCORE = 3;

export interface PasswordStrength {
  score: 0 | 1 | 2 | 3 | 4;
  acceptable: boolean;
  /** zxcvbn's English feedback: what is wrong (if anything) and how to do better. */
  warning: string | null;
  suggestions: string[];
}

/** Whatever the person typed about themselves, so a password made of it scores as weak. */
export interface PasswordContext {
  email?: string | null;
  name?: string | null;
}

// Built on first use: the dictionaries are large and most server requests never need them.
let factory: ZxcvbnFactory | undefined;

function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: zxcvbnEn.translations,
    graphs: zxcvbnCommon.adjacencyGraphs,
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    useLevenshteinDistance: false,
  });
  return factory;
}

/** The email whole and in parts, and each word of the name: "alice@example.com" → alice, example. */
export function userInputsOf(context: PasswordContext): string[] {
  const inputs = new Set<string>();
  const email = context.email?.trim().toLowerCase();
  if (email) {
    inputs.add(email);
    for (const part of email.split(/[@.+_-]+/)) if (part.length >= 3) inputs.add(part);
  }
  for (const word of context.name?.trim().toLowerCase().split(/\s+/) ?? []) {
    if (word.length >= 2) inputs.add(word);
  }
  return [...inputs];
}

/**
 * One check for the sign-up form, the change-password form and the server, so the meter a
 * person sees agrees with the answer they get.
 */
export function passwordStrength(
  password: string,
  context: PasswordContext = {},
): PasswordStrength {
  const result = zxcvbn().check(password, userInputsOf(context));
  const acceptable = result.score >= MIN_PASSWORD_SCORE;
  const warning = result.feedback.warning || null;
  const suggestions = [...result.feedback.suggestions];
  // zxcvbn gives no advice on a password it merely scores low: say what would help.
  if (!acceptable && !warning && suggestions.length === 0) {
    suggestions.push('Add another word or two. Uncommon words are better.');
  }
  return { score: result.score, acceptable, warning, suggestions };
}

/** One sentence for a form or a problem detail. */
export function describeWeakPassword(strength: PasswordStrength): string {
  return [strength.warning, ...strength.suggestions]
    .filter((line): line is string => Boolean(line))
    .join(' ');
}

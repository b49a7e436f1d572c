import { useRef } from 'react';
import { ProblemError, problemTypes } from '../../../shared/api/problem.ts';

/**
 * Idempotency keys for money commands. One key stands for one intent of the person (this
 * funding, with this card, of this amount): a request that never got an answer (the network
 * failed) is sent again under the same key, so the server pays at most once. Once the server
 * answered, success or refusal, that answer is stored under the key, so trying again (or
 * changing the amount) is a new intent with a new key.
 */
export type Intent = { key: string; body: string; answered: boolean };

/** The intent to send `body` under: the previous one while it is the same unanswered request. */
export function intentFor(previous: Intent | null, body: string, newKey: () => string): Intent {
  if (previous && !previous.answered && previous.body === body) return previous;
  return { key: newKey(), body, answered: false };
}

/** Whether the server answered: anything but a failure to reach it. */
export function serverAnswered(error: unknown): boolean {
  return !(error instanceof ProblemError && error.problem.type === problemTypes.network);
}

/**
 * A dialog's command runner: `run(body, send)` calls `send` with the key for this intent and
 * remembers whether the server answered it.
 */
export function useIdempotentCommand() {
  const intent = useRef<Intent | null>(null);
  return async function run<T>(body: unknown, send: (key: string) => Promise<T>): Promise<T> {
    const current = intentFor(intent.current, JSON.stringify(body ?? null), () =>
      crypto.randomUUID(),
    );
    intent.current = current;
    try {
      const answer = await send(current.key);
      current.answered = true;
      return answer;
    } catch (error) {
      if (serverAnswered(error)) current.answered = true;
      throw error;
    }
  };
}

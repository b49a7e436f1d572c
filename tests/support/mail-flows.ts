import type { AuthResult } from '../../shared/accounts/auth.ts';
import type { TestServer } from './test-server.ts';
import { client } from './http.ts';
import type { SmtpSink, ReceivedMail } from './smtp-sink.ts';

export const testPassword = 'a long enough password';
let counter = 0;

/** Signs a new person up over HTTP; the mail it causes is still queued. */
export async function signUp(
  server: TestServer,
  name = 'Ada Lovelace',
  role: 'client' | 'freelancer' = 'client',
) {
  counter += 1;
  const email = `mail-${Date.now()}-${counter}@example.com`;
  const answer = await client(server.baseUrl).post<AuthResult>('/auth/register', {
    json: { email, password: testPassword, name, role },
  });
  if (answer.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(answer.body)}`);
  return { email, ...answer.body };
}

/** Runs the worker and returns the mails that reached `to` since `before`. */
export async function deliveredTo(
  server: TestServer,
  sink: SmtpSink,
  to: string,
  subject: string,
): Promise<ReceivedMail[]> {
  await server.email.worker.runOnce();
  return sink.received.filter((mail) => mail.recipients.includes(to) && mail.subject === subject);
}

/** Submits a plain HTML form the way a browser does. */
export function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Test runs make many auth requests from one IP: lift the rate limits out of the way. */
export const roomyLimits = {
  RATE_LIMIT_SIGN_IN: '1000',
  RATE_LIMIT_PASSWORD_RESET: '1000',
  RATE_LIMIT_API: '10000',
};

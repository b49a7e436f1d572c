import { sql } from 'kysely';
import type { AuthResult } from '../../shared/accounts/auth.ts';
import type { Problem } from '../../shared/api/problem.ts';
import type { Category } from '../../shared/marketplace/taxonomy.ts';
import type { Database } from '../../server/db/schema.ts';
import { client } from './http.ts';
import { startTestServer, type Dialect, type TestServer } from './test-server.ts';

/** A success body or a problem: tests read whichever fields the status implies. */
export type Answer<T> = Partial<T> & Partial<Omit<Problem, 'status'>> & { status?: unknown };

export interface Member {
  id: string;
  token: string;
  /** The name they signed up with, as typed. */
  name: string;
}

let counter = 0;
const password = 'a long enough password';

export async function signUpAs(
  server: TestServer,
  role: 'client' | 'freelancer' | 'admin',
  name?: string,
): Promise<Member> {
  counter += 1;
  const email = `${role}-${Date.now()}-${counter}@example.com`;
  const api = client(server.baseUrl);
  const answer = await api.post<AuthResult>('/auth/register', {
    json: {
      email,
      password,
      name: name ?? `${role} ${counter}`,
      role: role === 'admin' ? 'client' : role,
    },
  });
  if (answer.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(answer.body)}`);
  const { user } = answer.body;
  // Stories about proposals and money start from a confirmed address (as after following the
  // mailed link; tests/integration/email-verification.test.ts follows it for real).
  await server.db.kysely
    .updateTable('users')
    .set({ email_verified_at: new Date().toISOString() })
    .where('id', '=', user.id)
    .execute();
  if (role !== 'admin') return { id: user.id, token: answer.body.accessToken, name: user.name };
  // Admins are made, not signed up: promote, then sign in again for a token with the role.
  await server.db.kysely
    .updateTable('users')
    .set({ role: 'admin' })
    .where('id', '=', answer.body.user.id)
    .execute();
  const login = await api.post<AuthResult>('/auth/login', { json: { email, password } });
  return { id: login.body.user.id, token: login.body.accessToken, name: user.name };
}

let slugCounter = 0;
export const uniqueSlug = (label: string) => `${label}-${Date.now()}-${(slugCounter += 1)}`;

export async function createCategory(
  server: TestServer,
  admin: Member,
  fields: Record<string, unknown> = {},
): Promise<Category> {
  const answer = await client(server.baseUrl).post<Category>('/categories', {
    token: admin.token,
    json: { slug: uniqueSlug('cat'), name: 'A category', ...fields },
  });
  if (answer.status !== 201) throw new Error(`category failed: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export function projectInput(categoryId: string, fields: Record<string, unknown> = {}) {
  return {
    title: 'Build a time tracker',
    description: 'We need a desktop time tracker.',
    categoryId,
    skills: ['TypeScript'],
    budget: {
      type: 'fixed',
      min: { amountMinor: 100_000, currency: 'EUR' },
      max: { amountMinor: 250_000, currency: 'EUR' },
    },
    ...fields,
  };
}

/** Tables a snapshot reads, each with the columns that order its rows. */
export type SnapshotTables = Partial<Record<keyof Database, readonly string[]>>;

/** Every row of each table, in a stable order: compared before and after a refused request. */
export async function tableRows(server: TestServer, tables: SnapshotTables) {
  const rows: Record<string, unknown[]> = {};
  for (const [table, orderBy = []] of Object.entries(tables)) {
    const answer = await sql<Record<string, unknown>>`select * from ${sql.table(table)}
      order by ${sql.join(orderBy.map((column) => sql.ref(column)))}`.execute(server.db.kysely);
    rows[table] = answer.rows;
  }
  return rows;
}

const marketplaceTables: SnapshotTables = {
  categories: ['id'],
  skills: ['id'],
  tags: ['id'],
  projects: ['id'],
  project_skills: ['project_id', 'skill_id'],
  project_tags: ['project_id', 'tag_id'],
  project_views: ['project_id', 'viewer_id'],
};

/** Every marketplace row a refused request could have touched, and a suite's own tables. */
export function marketplaceSnapshot(server: TestServer, also: SnapshotTables = {}) {
  return tableRows(server, { ...marketplaceTables, ...also });
}

/**
 * What a marketplace suite starts from: a fresh server on `dialect`, an administrator, a
 * category to post in, and one member for each role asked for, signed up in that order.
 */
export async function marketplaceWorld<R extends string>(
  dialect: Dialect,
  roles: Record<R, 'client' | 'freelancer'>,
) {
  const server = await startTestServer({ dialect });
  try {
    const admin = await signUpAs(server, 'admin');
    const members = {} as Record<R, Member>;
    for (const [key, role] of Object.entries(roles) as Array<[R, 'client' | 'freelancer']>) {
      members[key] = await signUpAs(server, role);
    }
    const category = await createCategory(server, admin, { name: 'Software' });
    return { server, api: client(server.baseUrl), admin, category, ...members };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/**
 * A contract between a client and a freelancer through the real flow: the client posts an
 * open project, the freelancer proposes, the client accepts; `status` then moves it on
 * (`ended` by the client, `paused` by the client) or leaves it active.
 */
/** What a contract is made of, where a test cares: the project's and the proposal's fields. */
export interface ContractTerms {
  project?: Record<string, unknown>;
  proposal?: Record<string, unknown>;
  /** The client's acceptance (`manualTimeAllowed`, `screenshotsPerSlot` …). */
  acceptance?: Record<string, unknown>;
}

/**
 * The client posts, the freelancer proposes, the client accepts, all over REST: the contract's
 * id, moved on to `status` by the client when asked.
 */
export async function contractBetween(
  server: TestServer,
  parties: { client: Member; freelancer: Member; categoryId: string },
  status: 'active' | 'paused' | 'ended' = 'ended',
  terms: ContractTerms = {},
): Promise<string> {
  const api = client(server.baseUrl);
  const project = await api.post<{ id: string }>('/projects', {
    token: parties.client.token,
    json: projectInput(parties.categoryId, { publish: true, ...terms.project }),
  });
  if (project.status !== 201) throw new Error(`project failed: ${JSON.stringify(project.body)}`);
  const proposal = await api.post<{ id: string }>(`/projects/${project.body.id}/proposals`, {
    token: parties.freelancer.token,
    json: {
      coverLetter: 'I can do this.',
      bid: { type: 'fixed', amount: { amountMinor: 150_000, currency: 'EUR' } },
      durationDays: 14,
      ...terms.proposal,
    },
  });
  if (proposal.status !== 201) throw new Error(`proposal failed: ${JSON.stringify(proposal.body)}`);
  const contract = await api.post<{ id: string }>(`/proposals/${proposal.body.id}/accept`, {
    token: parties.client.token,
    json: { rejectOthers: false, ...terms.acceptance },
  });
  if (contract.status !== 201) throw new Error(`accept failed: ${JSON.stringify(contract.body)}`);
  if (status !== 'active') {
    const moved = await api.patch(`/contracts/${contract.body.id}/status`, {
      token: parties.client.token,
      json: { to: status },
    });
    if (moved.status !== 200) throw new Error(`status failed: ${JSON.stringify(moved.body)}`);
  }
  return contract.body.id;
}

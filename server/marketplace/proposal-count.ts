import type { Kysely } from 'kysely';
import type { ProjectProposalsEvent } from '../../shared/marketplace/project-watch.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from 'pino';
import { isPublicProject, type ProjectVisibilityFields } from './project-visibility.ts';

/**
 * The one definition of a project's proposal count (`Project.proposalCount`): its proposals
 * that were not withdrawn. Rejected and accepted ones still count: they were sent.
 */
export async function proposalCountOf(db: Kysely<Database>, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('proposals')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('project_id', '=', projectId)
    .where('status', '!=', 'withdrawn')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Tells the watchers of projects that their proposal count moved on; called after commits. */
export interface ProposalCountPublisher {
  /** The count of `projectId` may have changed: a commit that created or withdrew one. */
  changed(projectId: string): void;
  /** Publishes nothing more, and resolves once what was under way is done (shutdown). */
  close(): Promise<void>;
}

/** Who may hear a count: everyone watching a public project, or only those who may see it. */
export type CountAudience =
  { everyone: true } | { everyone: false; project: ProjectVisibilityFields };

export interface ProposalCountPublisherOptions {
  db: Kysely<Database>;
  /** Hands the event to the live server (absent before it is attached, or without one). */
  publish(event: ProjectProposalsEvent, audience: CountAudience): Promise<void> | undefined;
  logger: Logger;
}

/**
 * Reads the count after the commit (never inside the transaction: on PostgreSQL another
 * commit could land between our read and our emit) and publishes it. Per project at most one
 * read runs at a time; changes that arrive meanwhile cost one more read after it, so the last
 * emit of this instance always reads after its last commit, and a burst of proposals on one
 * project costs two queries, not one per proposal.
 */
export function createProposalCountPublisher(
  options: ProposalCountPublisherOptions,
): ProposalCountPublisher {
  const { db, logger } = options;
  const running = new Map<string, { again: boolean; done: Promise<void> }>();
  let closed = false;

  async function publishOnce(projectId: string): Promise<void> {
    const project = await db
      .selectFrom('projects')
      .select(['client_id', 'visibility', 'status'])
      .where('id', '=', projectId)
      .executeTakeFirst();
    if (!project) return;
    const proposalCount = await proposalCountOf(db, projectId);
    const audience: CountAudience = isPublicProject(project)
      ? { everyone: true }
      : { everyone: false, project };
    await options.publish({ projectId, proposalCount }, audience);
  }

  async function drain(projectId: string, run: { again: boolean }): Promise<void> {
    do {
      run.again = false;
      try {
        await publishOnce(projectId);
      } catch (error) {
        // Best effort: the count is also in every project answer, and in each watch's ack.
        if (!closed) logger.warn({ err: error, projectId }, 'could not publish a proposal count');
      }
    } while (run.again && !closed);
    running.delete(projectId);
  }

  return {
    changed(projectId) {
      if (closed) return;
      const run = running.get(projectId);
      if (run) {
        run.again = true;
        return;
      }
      const next = { again: false, done: Promise.resolve() };
      running.set(projectId, next);
      next.done = drain(projectId, next);
    },
    async close() {
      closed = true;
      await Promise.all([...running.values()].map((run) => run.done));
    },
  };
}

import type { ProjectsTable } from '../db/schema.ts';
import type { AuthContext } from '../http/route.ts';

export type ProjectVisibilityFields = Pick<ProjectsTable, 'client_id' | 'visibility' | 'status'>;

/** Everyone signed in sees a public project once it is published. */
export const isPublicProject = (project: Pick<ProjectsTable, 'visibility' | 'status'>) =>
  project.visibility === 'public' && project.status !== 'draft';

/** Who may see a project: its client, administrators, and everyone if it is public. */
export const canSeeProject = (
  viewer: Pick<AuthContext, 'userId' | 'role'>,
  project: ProjectVisibilityFields,
) => project.client_id === viewer.userId || viewer.role === 'admin' || isPublicProject(project);

import { formatDateTime, formatRelative } from '../../ui/format.ts';
import { ClientLink } from './ClientLink.tsx';
import { HomePanel, PanelProject } from './HomePanel.tsx';
import { listFollowedClientsProjects } from './marketplace-api.ts';
import { budgetText } from './marketplace-format.ts';
import { usePagedList } from './use-paged-list.ts';

/**
 * On the Marketplace home: the open projects of the clients you follow, the most recently
 * published first. Following is what fills it, so when it is empty it says how to.
 */
export function FollowingPanel() {
  const feed = usePagedList('followed-clients-projects', (cursor) =>
    listFollowedClientsProjects(cursor),
  );
  return (
    <HomePanel
      title="From clients you follow"
      list={feed}
      listLabel="Projects from clients you follow"
      empty="Nothing here yet. Follow a client from one of their projects (or their page), and the projects they publish from then on are listed here."
      render={(project) => {
        const posted = project.publishedAt ?? project.createdAt;
        return (
          <PanelProject project={project}>
            {budgetText(project.budget)} · by <ClientLink client={project.client} size="xs" /> ·{' '}
            <span title={formatDateTime(posted)}>{formatRelative(posted)}</span>
          </PanelProject>
        );
      }}
    />
  );
}

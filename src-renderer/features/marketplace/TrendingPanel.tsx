import { HomePanel, PanelProject } from './HomePanel.tsx';
import { listTrendingProjects } from './marketplace-api.ts';
import { budgetText } from './marketplace-format.ts';
import { useRemote } from './use-remote.ts';

/** The open projects most viewed and proposed on this week, on the Marketplace home. */
export function TrendingPanel() {
  const trending = useRemote('trending', () => listTrendingProjects());
  return (
    <HomePanel
      title="Trending this week"
      list={{ items: trending.data?.items, error: trending.error, reload: trending.reload }}
      listLabel="Trending projects"
      empty="Nothing yet: projects appear here as freelancers view and propose on them."
      render={(project) => (
        <PanelProject project={project}>
          {budgetText(project.budget)} · {project.category.name}
        </PanelProject>
      )}
    />
  );
}

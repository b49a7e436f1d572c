import { Alert, Stack, Title } from '@mantine/core';
import { IconBriefcaseOff } from '@tabler/icons-react';
import { AnchorLink, ButtonLink } from '../../ui/links.tsx';
import { useSessionStore } from '../session/session-store.ts';
import { Empty, PagedItems } from './ListStates.tsx';
import { listProjects } from './marketplace-api.ts';
import { ProjectCard } from './ProjectCard.tsx';
import { usePagedList } from './use-paged-list.ts';

/** The client's own projects in every status, drafts included, newest first. */
export function MyProjectsPage() {
  const role = useSessionStore((state) => state.user?.role);
  const projects = usePagedList(role === 'client' ? 'my-projects' : null, (cursor) =>
    listProjects({ mine: true, cursor }),
  );
  if (role !== 'client') {
    return (
      <Alert color="yellow" title="Projects are posted by clients" role="alert" maw={640}>
        As a freelancer you follow your bids under{' '}
        <AnchorLink to="/marketplace/proposals">Your proposals</AnchorLink>.
      </Alert>
    );
  }
  return (
    <Stack gap="md" maw={900}>
      <Title order={1} fz={28}>
        Your projects
      </Title>
      <PagedItems
        list={projects}
        label="Your projects"
        loadingLabel="Loading your projects"
        errorTitle="Could not load your projects"
        empty={
          <Empty
            icon={<IconBriefcaseOff size={28} />}
            title="You have not posted a project yet"
            description="Describe the work, set a budget, and freelancers will propose."
          >
            <ButtonLink to="/marketplace/projects/new">Post a project</ButtonLink>
          </Empty>
        }
        render={(project) => <ProjectCard project={project} showStatus />}
      />
    </Stack>
  );
}

import { createRoute } from '@tanstack/react-router';
import type { appRoute as AppRoute } from '../../app/router.tsx';
import { BrowsePage } from './BrowsePage.tsx';
import { ClientPage } from './ClientPage.tsx';
import { FavoritesPage } from './FavoritesPage.tsx';
import { validateFreelancerSearch } from './freelancer-search-params.ts';
import { FreelancerProfilePage } from './FreelancerProfilePage.tsx';
import { FreelancerSearchPage } from './FreelancerSearchPage.tsx';
import { MarketplaceLayout } from './MarketplaceLayout.tsx';
import { MyProjectsPage } from './MyProjectsPage.tsx';
import { MyProposalsPage } from './MyProposalsPage.tsx';
import { EditProjectPage, NewProjectPage } from './ProjectForm.tsx';
import { ProjectPage } from './ProjectPage.tsx';
import { EditProposalPage, ProposePage } from './ProposePage.tsx';
import { SavedSearchPage } from './SavedSearchPage.tsx';
import { SearchPage } from './SearchPage.tsx';
import { validateSearchParams } from './search-params.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Marketplace's screens under `#/marketplace`, hung under the signed-in area by the app's
 * router. Filters and the chosen category live in the address, so Back restores them.
 */
export function marketplaceRoutes(getParentRoute: () => typeof AppRoute) {
  const marketplace = createRoute({
    getParentRoute,
    path: 'marketplace',
    component: MarketplaceLayout,
  });

  const browse = createRoute({
    getParentRoute: () => marketplace,
    path: '/',
    validateSearch: (search: Record<string, unknown>): { category?: string } =>
      typeof search.category === 'string' && uuid.test(search.category)
        ? { category: search.category }
        : {},
    component: function Browse() {
      const { category } = browse.useSearch();
      return <BrowsePage categoryId={category} />;
    },
  });

  const search = createRoute({
    getParentRoute: () => marketplace,
    path: 'search',
    validateSearch: validateSearchParams,
    component: function Search() {
      return <SearchPage params={search.useSearch()} />;
    },
  });

  const newProject = createRoute({
    getParentRoute: () => marketplace,
    path: 'projects/new',
    component: NewProjectPage,
  });

  const project = createRoute({
    getParentRoute: () => marketplace,
    path: 'projects/$projectId',
    component: function Project() {
      const { projectId } = project.useParams();
      return <ProjectPage key={projectId} projectId={projectId} />;
    },
  });

  const editProject = createRoute({
    getParentRoute: () => marketplace,
    path: 'projects/$projectId/edit',
    component: function EditProject() {
      const { projectId } = editProject.useParams();
      return <EditProjectPage projectId={projectId} />;
    },
  });

  const propose = createRoute({
    getParentRoute: () => marketplace,
    path: 'projects/$projectId/propose',
    component: function Propose() {
      const { projectId } = propose.useParams();
      return <ProposePage projectId={projectId} />;
    },
  });

  const myProjects = createRoute({
    getParentRoute: () => marketplace,
    path: 'my-projects',
    component: MyProjectsPage,
  });

  const myProposals = createRoute({
    getParentRoute: () => marketplace,
    path: 'proposals',
    component: MyProposalsPage,
  });

  const editProposal = createRoute({
    getParentRoute: () => marketplace,
    path: 'proposals/$proposalId/edit',
    component: function EditProposal() {
      const { proposalId } = editProposal.useParams();
      return <EditProposalPage proposalId={proposalId} />;
    },
  });

  const freelancers = createRoute({
    getParentRoute: () => marketplace,
    path: 'freelancers',
    validateSearch: validateFreelancerSearch,
    component: function Freelancers() {
      return <FreelancerSearchPage params={freelancers.useSearch()} />;
    },
  });

  const freelancer = createRoute({
    getParentRoute: () => marketplace,
    path: 'freelancers/$freelancerId',
    component: function Freelancer() {
      const { freelancerId } = freelancer.useParams();
      return <FreelancerProfilePage key={freelancerId} freelancerId={freelancerId} />;
    },
  });

  const clientPage = createRoute({
    getParentRoute: () => marketplace,
    path: 'clients/$clientId',
    component: function Client() {
      const { clientId } = clientPage.useParams();
      return <ClientPage key={clientId} clientId={clientId} />;
    },
  });

  const favorites = createRoute({
    getParentRoute: () => marketplace,
    path: 'favorites',
    component: FavoritesPage,
  });

  const savedSearch = createRoute({
    getParentRoute: () => marketplace,
    path: 'saved/$savedSearchId',
    component: function Saved() {
      const { savedSearchId } = savedSearch.useParams();
      return <SavedSearchPage key={savedSearchId} savedSearchId={savedSearchId} />;
    },
  });

  return marketplace.addChildren([
    browse,
    search,
    newProject,
    project,
    editProject,
    propose,
    myProjects,
    myProposals,
    editProposal,
    freelancers,
    freelancer,
    clientPage,
    favorites,
    savedSearch,
  ]);
}

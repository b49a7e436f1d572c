import { Stack, Text, Title } from '@mantine/core';
import {
  createHashHistory,
  createRootRoute,
  createRoute,
  createRouter,
  notFound,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { AnchorLink } from '../ui/links.tsx';
import { DashboardPage } from '../features/dashboard/DashboardPage.tsx';
import { MessagesPage, NoConversationChosen } from '../features/messages/MessagesPage.tsx';
import { ThreadPane } from '../features/messages/Thread.tsx';
import { AuthLayout } from '../features/session/AuthLayout.tsx';
import { useSessionStore } from '../features/session/session-store.ts';
import { SignInPage } from '../features/session/SignInPage.tsx';
import { SignUpPage } from '../features/session/SignUpPage.tsx';
import { SettingsPage } from '../features/settings/SettingsPage.tsx';
import { isSettingsTab } from '../features/settings/settings-tabs.ts';
import { AppLayout } from '../features/shell/AppLayout.tsx';
import { contractRoutes } from '../features/contracts/routes.tsx';
import { marketplaceRoutes } from '../features/marketplace/routes.tsx';
import { contractTimeRoutes } from '../features/time/routes.tsx';
import { invoiceRoutes } from '../features/invoices/routes.tsx';
import { moneyRoutes } from '../features/money/routes.tsx';
import { TimePage } from '../features/time/TimePage.tsx';

const isSignedIn = () => useSessionStore.getState().phase === 'signedIn';

const rootRoute = createRootRoute({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

/** Sign-in and sign-up: only for people who are not signed in. */
const authRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: '_auth',
  component: AuthLayout,
  beforeLoad: () => {
    if (isSignedIn()) redirect({ to: '/', throw: true });
  },
});

const signInRoute = createRoute({
  getParentRoute: () => authRoute,
  path: 'sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } =>
    typeof search.redirect === 'string' ? { redirect: search.redirect } : {},
  component: SignInPage,
});

const signUpRoute = createRoute({
  getParentRoute: () => authRoute,
  path: 'sign-up',
  component: SignUpPage,
});

/** Everything else needs a session; without one, sign in first and come back. */
export const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: '_app',
  component: AppLayout,
  beforeLoad: ({ location }) => {
    if (!isSignedIn()) {
      redirect({
        to: '/sign-in',
        search: location.href === '/' ? {} : { redirect: location.href },
        throw: true,
      });
    }
  },
});

const dashboardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  component: DashboardPage,
});

const timeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'time',
  component: TimePage,
});

/** Messages: the list stays mounted while threads change beside it (so does the search). */
const messagesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'messages',
  component: MessagesPage,
});

const messagesIndexRoute = createRoute({
  getParentRoute: () => messagesRoute,
  path: '/',
  component: NoConversationChosen,
});

const threadRoute = createRoute({
  getParentRoute: () => messagesRoute,
  path: '$conversationId',
  // `?message=<id>`: a search result, scrolled to and marked in the thread.
  validateSearch: (search: Record<string, unknown>): { message?: string } =>
    typeof search.message === 'string' ? { message: search.message } : {},
  component: function ThreadPage() {
    const { conversationId } = threadRoute.useParams();
    const { message } = threadRoute.useSearch();
    return <ThreadPane conversationId={conversationId} focusMessageId={message} />;
  },
});

const settingsIndexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'settings',
  beforeLoad: () => {
    redirect({ to: '/settings/$tab', params: { tab: 'profile' }, replace: true, throw: true });
  },
});

const settingsTabRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'settings/$tab',
  beforeLoad: ({ params }) => {
    if (!isSettingsTab(params.tab)) notFound({ throw: true });
  },
  component: function SettingsTabPage() {
    const { tab } = settingsTabRoute.useParams();
    return <SettingsPage tab={isSettingsTab(tab) ? tab : 'profile'} />;
  },
});

const routeTree = rootRoute.addChildren([
  authRoute.addChildren([signInRoute, signUpRoute]),
  appRoute.addChildren([
    dashboardRoute,
    timeRoute,
    ...contractRoutes(() => appRoute),
    ...contractTimeRoutes(() => appRoute),
    ...invoiceRoutes(() => appRoute),
    ...moneyRoutes(() => appRoute),
    messagesRoute.addChildren([messagesIndexRoute, threadRoute]),
    marketplaceRoutes(() => appRoute),
    settingsIndexRoute,
    settingsTabRoute,
  ]),
]);

/**
 * Hash history: the address after `#` is ours alone, so routing works the same under
 * `app://megilance/` in Electron and a plain `http://` origin from the browser host,
 * and a reload never asks either of them for a path they do not serve.
 */
export const router = createRouter({
  routeTree,
  history: createHashHistory(),
  defaultPreload: false,
  scrollRestoration: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}

// When a session ends (signed out here, revoked elsewhere, expired), leave the signed-in area.
useSessionStore.subscribe((state, previous) => {
  if (previous.phase === 'signedIn' && state.phase === 'signedOut') {
    // Ended from elsewhere (revoked, expired): come back here after signing in again.
    const here = router.state.location.href;
    void router.navigate({
      to: '/sign-in',
      search: state.endedReason && here !== '/' ? { redirect: here } : {},
      replace: true,
    });
  }
});

function NotFoundPage() {
  return (
    <Stack p="xl" gap="xs">
      <Title order={1} fz={26}>
        There is no page here
      </Title>
      <Text c="dimmed">The address may be from an older version of MegiLance.</Text>
      <AnchorLink to="/">Go to the dashboard</AnchorLink>
    </Stack>
  );
}

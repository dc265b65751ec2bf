import { lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { useSession } from '../auth/session';
import { homeFor } from './navigation';
import { BASE, PATHS } from './paths';
import { PageLoading } from '../ui/states';
const NotFoundPage = lazy(() => import('./NotFoundPage'));

/**
 * Each page is its own chunk, and so are the sign-in page and the signed-in frame: the first route
 * (the sign-in page) loads neither the menu nor any page.
 */
const LoginPage = lazy(() => import('../auth/LoginPage'));
const OidcCallbackPage = lazy(() => import('../auth/OidcCallbackPage'));
const AppShell = lazy(() => import('./AppShell'));
const MyFilePage = lazy(() => import('../pages/my-file/MyFilePage'));
const ReviewQueuePage = lazy(() => import('../pages/queues/ReviewQueuePage'));
const ArchiveQueuePage = lazy(() => import('../pages/queues/ArchiveQueuePage'));
const WorkListPage = lazy(() => import('../pages/work/WorkListPage'));
const ProcessPage = lazy(() => import('../pages/work/ProcessPage'));
const InboxPage = lazy(() => import('../pages/inbox/InboxPage'));
const AuditPage = lazy(() => import('../pages/audit/AuditPage'));
const CaseListPage = lazy(() => import('../pages/cases/CaseListPage'));
const CasePage = lazy(() => import('../pages/cases/CasePage'));
const RulesPage = lazy(() => import('../pages/rules/RulesPage'));
const DraftEntryPage = lazy(() => import('../pages/drafts/DraftEntryPage'));
const RecordKeepingPage = lazy(() => import('../pages/drafts/RecordKeepingPage'));
const GrantsPage = lazy(() => import('../pages/grants/GrantsPage'));
/** ECharts is imported by this page alone: a chunk only leadership loads */
const OverviewPage = lazy(() => import('../pages/overview/OverviewPage'));
const EvidencePage = lazy(() => import('../pages/evidence/EvidencePage'));
const EvidenceDetailPage = lazy(() => import('../pages/evidence/EvidenceDetailPage'));

const Home = () => {
  const session = useSession();
  return <Navigate to={session ? homeFor(session.user) : PATHS.login} replace />;
};

export const router = createBrowserRouter([
  { path: '/', element: <Home /> },
  {
    path: PATHS.login,
    element: (
      <Suspense fallback={<PageLoading />}>
        <LoginPage />
      </Suspense>
    ),
  },
  {
    path: PATHS.callback,
    element: (
      <Suspense fallback={<PageLoading />}>
        <OidcCallbackPage />
      </Suspense>
    ),
  },
  {
    path: BASE,
    element: (
      <Suspense fallback={<PageLoading />}>
        <AppShell />
      </Suspense>
    ),
    children: [
      { index: true, element: <Home /> },
      { path: 'my-file', element: <MyFilePage /> },
      { path: 'review', element: <ReviewQueuePage /> },
      { path: 'archive', element: <ArchiveQueuePage /> },
      { path: 'work', element: <WorkListPage /> },
      { path: 'work/:processId', element: <ProcessPage /> },
      { path: 'inbox', element: <InboxPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: 'cases', element: <CaseListPage /> },
      { path: 'cases/:caseId', element: <CasePage /> },
      { path: 'rules', element: <RulesPage /> },
      { path: 'drafts/new', element: <DraftEntryPage /> },
      { path: 'record-keeping', element: <RecordKeepingPage /> },
      { path: 'grants', element: <GrantsPage /> },
      { path: 'overview', element: <OverviewPage /> },
      { path: 'evidence', element: <EvidencePage /> },
      { path: 'evidence/:evidenceId', element: <EvidenceDetailPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  { path: '*', element: <Home /> },
]);

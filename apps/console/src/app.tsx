import { NavLink, Navigate, Route, Routes } from 'react-router';
import { LoginPage } from './auth/login-page';
import { useSession } from './auth/session';
import { DeadLettersPage } from './deadletters/deadletters-page';
import { InstallPage } from './install/install-page';
import { PipelinePage } from './pipelines/pipeline-page';
import { PipelinesPage } from './pipelines/pipelines-page';
import { RulePage } from './rules/rule-page';
import { RulesPage } from './rules/rules-page';
import { RuntimePage } from './runtimes/runtime-page';
import { RuntimesPage } from './runtimes/runtimes-page';
import { EmptyState } from './shared/states';

const NAV = [
  { to: '/rules', label: 'Rules' },
  { to: '/install', label: 'Install' },
  { to: '/runtimes', label: 'Runtimes' },
  { to: '/pipelines', label: 'Pipelines' },
  { to: '/deadletters', label: 'Dead letters' },
];

/** The shell: a token first, then the navigation and the page of the URL. */
export function App() {
  const { token, logOut } = useSession();
  if (!token) return <LoginPage />;
  return (
    <div className="shell">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">ruleshift</span>
        <nav aria-label="Main">
          {NAV.map((item) => (
            <NavLink key={item.to} to={item.to}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <button type="button" className="link-button" onClick={() => logOut()}>
          Log out
        </button>
      </header>
      <main id="content" className="content" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<Navigate to="/rules" replace />} />
          <Route path="/rules" element={<RulesPage />} />
          <Route path="/rules/:jobId" element={<RulePage />} />
          <Route path="/install" element={<InstallPage />} />
          <Route path="/runtimes" element={<RuntimesPage />} />
          <Route path="/runtimes/:kind/:name" element={<RuntimePage />} />
          <Route path="/pipelines" element={<PipelinesPage />} />
          <Route path="/pipelines/:pipeline" element={<PipelinePage />} />
          <Route path="/deadletters" element={<DeadLettersPage />} />
          <Route
            path="*"
            element={<EmptyState>No page here. Pick one from the navigation above.</EmptyState>}
          />
        </Routes>
      </main>
    </div>
  );
}

/**
 * The console: signed out, the sign-in page; signed in, the pages under /console, each a client of
 * the public API through the session's key.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { createApi } from './api/client.ts';
import { ConsignmentPage } from './pages/consignment.tsx';
import { CataloguePage } from './pages/catalogue.tsx';
import { DashboardPage } from './pages/dashboard.tsx';
import { ManifestsPage } from './pages/manifests.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { NotShippedPage } from './pages/not-shipped.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { loadServices, SessionContext, storedKey, type Session } from './session.tsx';

export const BASE = '/console';

const NAV = [
  { href: BASE, label: 'Dashboard' },
  { href: `${BASE}/consignments`, label: 'Not shipped' },
  { href: `${BASE}/manifests`, label: 'Manifests' },
  { href: `${BASE}/catalogue`, label: 'Catalogue' },
];

export function App() {
  const [problem, setProblem] = useState<unknown>(null);

  const signOut = (message?: string) => {
    storedKey.clear();
    setSession(null);
    setProblem(message ? new Error(message) : null);
  };
  const open = (key: string) => {
    const api = createApi(key, (message) => signOut(`Signed out: ${message}`));
    return { api, services: [], signOut: () => signOut() } satisfies Session;
  };

  /**
   * A reload keeps the tab's session, the key being still in sessionStorage: its pages show at once,
   * and the services' names fill in when they come (a key that stopped working signs out at its
   * first call, with the API's words).
   */
  const [session, setSession] = useState<Session | null>(() => {
    const key = storedKey.get();
    return key ? open(key) : null;
  });
  useEffect(() => {
    if (!session || session.services.length) return;
    loadServices(session.api).then(
      (services) => setSession((s) => (s?.api === session.api ? { ...s, services } : s)),
      () => undefined,
    );
  }, [session?.api]);

  /** Opens a session with a typed key: it must open the subscription's services, or it is refused with the API's words. */
  const signIn = async (key: string) => {
    const opened = open(key);
    const services = await loadServices(opened.api);
    storedKey.set(key);
    setProblem(null);
    setSession({ ...opened, services });
  };

  return (
    <LocationProvider scope={BASE}>
      {session ? (
        <SessionContext.Provider value={session}>
          <Layout>
            <Router>
              <Route path={BASE} component={DashboardPage} />
              <Route path={`${BASE}/consignments`} component={NotShippedPage} />
              <Route path={`${BASE}/consignments/:reference`} component={ConsignmentPage} />
              <Route path={`${BASE}/manifests`} component={ManifestsPage} />
              <Route path={`${BASE}/catalogue`} component={CataloguePage} />
              <Route default component={NotFoundPage} />
            </Router>
          </Layout>
        </SessionContext.Provider>
      ) : (
        <SignInPage onSignIn={signIn} problem={problem} />
      )}
    </LocationProvider>
  );
}

function Layout({ children }: { children: preact.ComponentChildren }) {
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // Moving to another page moves the focus to its content, as a full page load would (not on a filter's change of query).
  useEffect(() => {
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [path]);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={BASE}>
          Switchyard
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => {
              const current = item.href === BASE ? path === BASE || path === `${BASE}/` : path.startsWith(item.href);
              return (
                <li key={item.href}>
                  <a href={item.href} aria-current={current ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              );
            })}
            <li>
              <a href="/docs" target="_blank" rel="noopener">
                API reference
              </a>
            </li>
          </ul>
        </nav>
        <SignOutButton />
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

function SignOutButton() {
  return (
    <SessionContext.Consumer>
      {(session) => (
        <button type="button" class="secondary" onClick={() => session?.signOut()}>
          Sign out
        </button>
      )}
    </SessionContext.Consumer>
  );
}

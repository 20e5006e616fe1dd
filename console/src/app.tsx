/**
 * The console: signed out, the sign-in page; signed in, the pages under /console, each a client of
 * the public API through the session's key.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { createApi, type Api } from './api/client.ts';
import { ErrorMessage } from './components/error-message.tsx';
import { CataloguePage } from './pages/catalogue.tsx';
import { ConsignmentPage } from './pages/consignment.tsx';
import { DashboardPage } from './pages/dashboard.tsx';
import { ManifestsPage } from './pages/manifests.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { NotShippedPage } from './pages/not-shipped.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { BASE, listPath } from './paths.ts';
import { loadServices, SessionContext, storedKey, useSession, type CarrierService, type Session } from './session.tsx';

const NAV = [
  { href: BASE, label: 'Dashboard' },
  { href: listPath(), label: 'Not shipped' },
  { href: `${BASE}/manifests`, label: 'Manifests' },
  { href: `${BASE}/catalogue`, label: 'Catalogue' },
];

interface Open {
  api: Api;
  services: CarrierService[];
  servicesError: unknown;
  /** Bumped to ask for the services again. */
  servicesAsked: number;
}

export function App() {
  const [problem, setProblem] = useState<unknown>(null);
  /** The open session's client, for the 401 hook to tell its own session from a later one. */
  const current = useRef<Api | null>(null);

  const signOut = (message?: string) => {
    storedKey.clear();
    setOpen(null);
    setProblem(message ? new Error(message) : null);
  };
  /** A client for the session: a 401 it hears (the key revoked or rotated meanwhile) ends this session, not a later one. */
  const sessionApi = (key: string): Api => {
    const api: Api = createApi(key, (message) => {
      if (current.current === api) signOut(`Signed out: ${message}`);
    });
    return api;
  };

  // A reload keeps the tab's session, the key being still in sessionStorage: its pages show at once,
  // and the services' names fill in when they come (a key that stopped working signs out at its first call).
  const [open, setOpen] = useState<Open | null>(() => {
    const key = storedKey.get();
    return key ? { api: sessionApi(key), services: [], servicesError: null, servicesAsked: 1 } : null;
  });
  current.current = open?.api ?? null;
  useEffect(() => {
    if (!open || open.services.length) return;
    const api = open.api;
    loadServices(api).then(
      (services) => setOpen((o) => (o?.api === api ? { ...o, services, servicesError: null } : o)),
      (error: unknown) => setOpen((o) => (o?.api === api ? { ...o, servicesError: error } : o)),
    );
  }, [open?.api, open?.servicesAsked]);

  /** Opens a session with a typed key: it must open the subscription's services, or it is refused with the API's words. */
  const signIn = async (key: string) => {
    setProblem(null);
    const services = await loadServices(createApi(key));
    storedKey.set(key);
    setOpen({ api: sessionApi(key), services, servicesError: null, servicesAsked: 0 });
  };

  const session: Session | null = open && {
    api: open.api,
    services: open.services,
    servicesError: open.servicesError,
    reloadServices: () => setOpen((o) => o && { ...o, servicesError: null, servicesAsked: o.servicesAsked + 1 }),
    signOut: () => signOut(),
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

function Layout({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  const session = useSession();
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
        <button type="button" class="secondary" onClick={() => session.signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {session.servicesError ? (
          <div class="services-error">
            <ErrorMessage error={session.servicesError} title="The carrier services could not be read (their names, the service filter and allocation to a service need them)" />
            <button type="button" class="secondary" onClick={() => session.reloadServices()}>
              Read them again
            </button>
          </div>
        ) : null}
        {children}
      </main>
    </>
  );
}

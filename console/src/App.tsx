import { useCallback, useEffect, useState } from 'react';
import type { ComponentType } from 'react';
import { ErrorMessage } from './components/ErrorMessage';
import { ConsoleMeDocument } from './generated/graphql';
import type { ConsoleMeQuery } from './generated/graphql';
import { execute, signOut, whenUnauthenticated } from './lib/api';
import { BASE, match, navigate, useLocation } from './lib/router';
import { AuditPage } from './pages/AuditPage';
import { KeyDetailPage } from './pages/KeyDetailPage';
import { KeysPage } from './pages/KeysPage';
import { SignInPage } from './pages/SignInPage';
import { WebhookPage } from './pages/WebhookPage';
import { WebhooksPage } from './pages/WebhooksPage';

export type Me = ConsoleMeQuery['me'];

export interface PageProps {
  readonly me: Me;
  readonly params: Record<string, string>;
}

interface Route {
  readonly path: string;
  readonly page: ComponentType<PageProps>;
  /** Shown in the navigation under this name. */
  readonly nav?: string;
  /** Offered only to a caller the API allows this action (`me.allowedActions`). */
  readonly needs?: string;
}

/**
 * The console's pages. A new page is one row here and one file in pages/; the
 * navigation follows, offering only what the signed-in agent may do.
 */
const ROUTES: readonly Route[] = [
  { path: '/console', page: KeysPage, nav: 'Keys', needs: 'accesskeys:read' },
  { path: '/console/keys/:id', page: KeyDetailPage, needs: 'accesskeys:read' },
  { path: '/console/audit', page: AuditPage, nav: 'Audit', needs: 'audit:read' },
  { path: '/console/webhooks', page: WebhooksPage, nav: 'Webhooks', needs: 'webhooks:manage' },
  { path: '/console/webhooks/:id', page: WebhookPage, needs: 'webhooks:manage' },
];

const SIGN_IN = `${BASE}sign-in`;

function currentPlace(): string {
  return window.location.pathname + window.location.search;
}

export function App() {
  const location = useLocation();
  const [me, setMe] = useState<Me | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const onSignIn = match(SIGN_IN, location.path) !== null;

  const loadMe = useCallback(async () => {
    setLoadError(null);
    try {
      setMe((await execute(ConsoleMeDocument, {})).me);
    } catch (err) {
      setMe(null);
      setLoadError(err);
    }
  }, []);

  useEffect(() => {
    // A session that ends (expired, signed out elsewhere) sends the user to sign in, and back here afterwards.
    whenUnauthenticated(() => {
      setMe(null);
      if (match(SIGN_IN, window.location.pathname) === null) navigate(`${SIGN_IN}?next=${encodeURIComponent(currentPlace())}`, true);
    });
  }, []);

  useEffect(() => {
    if (!onSignIn && me === null) void loadMe();
  }, [onSignIn, me, loadMe]);

  if (onSignIn) return <SignInPage next={location.search.get('next')} onSignedIn={(who) => setMe(who)} />;
  if (!me) {
    return (
      <main className="page" id="main">
        {loadError ? <ErrorMessage error={loadError} /> : <p aria-live="polite">Loading…</p>}
      </main>
    );
  }

  const allowed = (route: Route) => !route.needs || me.allowedActions.includes(route.needs);
  let page: { route: Route; params: Record<string, string> } | null = null;
  for (const route of ROUTES) {
    const params = match(route.path, location.path);
    if (params) {
      page = { route, params };
      break;
    }
  }
  const Page = page && allowed(page.route) ? page.route.page : null;

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <nav aria-label="Console">
          <span className="brand">Access keys</span>
          <ul>
            {ROUTES.filter((route) => route.nav && allowed(route)).map((route) => (
              <li key={route.path}>
                <a
                  href={route.path}
                  aria-current={page?.route === route ? 'page' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate(route.path);
                  }}
                >
                  {route.nav}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>{me.username}</span>
          <button
            type="button"
            onClick={() =>
              void signOut().then(() => {
                setMe(null);
                navigate(SIGN_IN, true);
              })
            }
          >
            Sign out
          </button>
        </div>
      </header>
      <main className="page" id="main">
        {Page && page ? (
          <Page me={me} params={page.params} />
        ) : page ? (
          <p role="alert">Your account may not use this page.</p>
        ) : (
          <>
            <h1>Not found</h1>
            <p>
              There is no such page. <a href={BASE}>Go to the keys.</a>
            </p>
          </>
        )}
      </main>
    </>
  );
}

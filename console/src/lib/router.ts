import { useEffect, useState } from 'react';

/** Where the console lives; every page is a path under it (the server answers index.html for each). */
export const BASE = '/console/';

export interface Location {
  readonly path: string;
  readonly search: URLSearchParams;
}

const current = (): Location => ({ path: window.location.pathname, search: new URLSearchParams(window.location.search) });

/** Goes to a console path without reloading (`replace` for redirects, so Back skips them). */
export function navigate(to: string, replace = false): void {
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return location;
}

/** Matches a pattern such as `/console/keys/:id` against a path (a trailing slash ignored); the params, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.replace(/\/+$/, '').split('/');
  const got = path.replace(/\/+$/, '').split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

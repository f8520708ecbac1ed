import { useEffect, useState } from 'react';

export { match } from './paths';

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

// Hash routes: #/..., so that GET / is the only page the server serves and
// a link to a connection survives a reload.
import { useEffect, useState } from 'preact/hooks';

export function useRoute(): string {
  const [route, setRoute] = useState(current());
  useEffect(() => {
    const on = () => setRoute(current());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

function current(): string {
  return location.hash.replace(/^#/, '') || '/';
}

export function go(path: string) {
  location.hash = path;
}

/** match returns the route's parameters when path fits pattern ("/connections/:id"). */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const a = path.split('?')[0].split('/');
  if (p.length !== a.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) out[p[i].slice(1)] = decodeURIComponent(a[i]);
    else if (p[i] !== a[i]) return null;
  }
  return out;
}

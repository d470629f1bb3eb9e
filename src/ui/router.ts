/** Hash routes (#/cards/onerway/100002?tenant=…): the server serves one page, and links keep working offline. */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  /** Path segments after "#/": [] for the overview, ['cards', vendor, id] for a card. */
  parts: string[];
  params: URLSearchParams;
}

export function currentRoute(): Route {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, search = ''] = hash.split('?', 2);
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** The href of a route: href(['cards', 'onerway', '1'], { tenant: 'x' }) → "#/cards/onerway/1?tenant=x". */
export function href(parts: string[], params: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')).toString();
  return `#/${parts.map(encodeURIComponent).join('/')}${search ? `?${search}` : ''}`;
}

/** Moves to a route, replacing the history entry (filters typed into a form). */
export function replaceRoute(parts: string[], params: Record<string, string | undefined>): void {
  history.replaceState(null, '', href(parts, params));
  dispatchEvent(new HashChangeEvent('hashchange'));
}

/**
 * Changes some of the current route's params (filters typed into a form), reading the route as it is at
 * the call, not as the last render saw it: two filters changed in quick succession (before the page
 * re-rendered, which a slow answer delays) both stay.
 */
export function changeParams(parts: string[], change: Record<string, string | undefined>, keys: readonly string[]): void {
  const now = currentRoute().params;
  replaceRoute(parts, { ...Object.fromEntries(keys.map((k) => [k, now.get(k) ?? undefined])), ...change });
}

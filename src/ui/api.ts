/**
 * The dashboard's only way to the sandbox: the control plane's public routes, with the admin token (kept
 * in sessionStorage for the tab's life, never in a URL) as a bearer, and the vendors' own routes.
 */
const TOKEN_KEY = 'card-sandbox.admin-token';

export const adminToken = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** A refused call: the control plane's error envelope and its X-Sandbox-Diagnostic header. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly field: string | null,
    message: string,
    readonly diagnostic: string | null,
  ) {
    super(message);
  }
}

let onUnauthenticated: () => void = () => undefined;

/** What to do when a call answers 401 (the token is missing or wrong): show the login prompt. */
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

export function authHeaders(): Record<string, string> {
  const token = adminToken.get();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** Calls a control-plane route (`path` below /__sandbox) and answers its JSON, or throws an ApiError. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/__sandbox${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    if (res.status === 401) onUnauthenticated();
    const error = (json as { error?: { code?: string; field?: string | null; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, error?.code ?? `http_${res.status}`, error?.field ?? null, error?.message ?? text, res.headers.get('x-sandbox-diagnostic'));
  }
  return json as T;
}

export const get = <T>(path: string): Promise<T> => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}): Promise<T> => api<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown): Promise<T> => api<T>('PATCH', path, body);
export const del = <T>(path: string): Promise<T> => api<T>('DELETE', path);

/** A query string from the given non-empty values. */
export function query(values: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A vendor's answer as the page shows it: status, body and the sandbox's diagnostic. */
export interface VendorAnswer {
  status: number;
  body: unknown;
  diagnostic: string | null;
}

/** Sends a request to a vendor's own API (same origin), as a client of that vendor would. */
export async function vendorCall(path: string, headers: Record<string, string>, body: unknown): Promise<VendorAnswer> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Shown as text.
  }
  return { status: res.status, body: parsed, diagnostic: res.headers.get('x-sandbox-diagnostic') };
}

/**
 * CORS for browser clients (`--cors`, off by default): with it, every answer to an allowed origin carries
 * Access-Control-Allow-Origin and the headers a page may read, and a preflight OPTIONS is answered 204
 * before any vendor or the control plane sees it. The `cors` package does the headers; it runs on Node's
 * own request and response, so the vendor dispatcher (which bypasses Express) gets the same treatment.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import { DIAGNOSTIC_HEADER } from './answer.js';

import type { CorsSetting } from './config.js';

type Handle = (req: IncomingMessage, res: ServerResponse) => boolean;

const APPLIED = Symbol('cors applied');

/**
 * `dispatch` behind CORS: answers a preflight itself (true: handled), and otherwise adds the headers once
 * per request and passes the request on. Without a setting, `dispatch` itself.
 */
export function withCors(setting: CorsSetting | undefined, dispatch: Handle): Handle {
  if (setting === undefined) return dispatch;
  const middleware = cors({
    origin: setting === '*' ? '*' : [...setting],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    // No allowedHeaders: the preflight's Access-Control-Request-Headers are reflected, so each vendor's own
    // auth headers (ApiKey, authorization, …) pass without a list to keep in step.
    exposedHeaders: [DIAGNOSTIC_HEADER, 'X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
  return (req, res) => {
    const seen = req as IncomingMessage & { [APPLIED]?: boolean };
    if (!seen[APPLIED]) {
      seen[APPLIED] = true;
      let passed = false;
      // With fixed options the middleware is synchronous: it either ends a preflight or calls next at once.
      middleware(req as Parameters<typeof middleware>[0], res as Parameters<typeof middleware>[1], () => void (passed = true));
      if (!passed) return true;
    }
    return dispatch(req, res);
  };
}

/** Parses `--cors`/SANDBOX_CORS: `*`, or a comma list of origins (scheme://host[:port], no path). */
export function parseCors(value: string): CorsSetting {
  if (value.trim() === '*') return '*';
  const origins = value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length === 0) throw new Error('--cors needs * or a comma list of origins');
  for (const origin of origins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin.replace(/\/$/, ''))
      throw new Error(`--cors origin ${JSON.stringify(origin)} must be scheme://host[:port], as a browser sends it in Origin`);
  }
  return origins.map((o) => o.replace(/\/$/, ''));
}

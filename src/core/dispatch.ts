/**
 * Vendor requests in: which vendor and operation a request target names (each base path, and again
 * under /<slug>), the request id, and the journal's trace; then the pipeline (pipeline.ts) answers it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { maskCardNumbersIn, maskUrl } from './masking.js';
import { runPipeline } from './pipeline.js';
import type { Runtime } from './runtime.js';
import { bodyReader, type VendorRequest } from './request-body.js';
import type { VendorModule } from './vendor.js';

type Handler = (req: VendorRequest, res: ServerResponse, path: string, params: Record<string, string>, badParam?: string) => void;

/**
 * A new request id: a UUID that masking leaves whole. Now and then a UUID's digits, across its dashes,
 * read as a card number (13 to 19 digits that pass the Luhn check), and the id quoted in a diagnostic
 * would come out starred; such a UUID is drawn again.
 */
export function newRequestId(draw: () => string = randomUUID): string {
  for (;;) {
    const id = draw();
    if (maskCardNumbersIn(id) === id) return id;
  }
}

/** The client's X-Request-Id when usable, else a new one; echoed on the answer, and logged with it at level debug (query values masked). */
export function assignRequestId(req: IncomingMessage & { id?: string }, res: ServerResponse, log: Logger): void {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : newRequestId();
  req.id = id;
  res.setHeader('X-Request-Id', id);
  if (log.isLevelEnabled('debug')) {
    const started = performance.now();
    res.on('finish', () => {
      log.debug(
        {
          reqId: id,
          method: req.method,
          url: maskUrl((req as { originalUrl?: string }).originalUrl ?? req.url ?? ''),
          status: res.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        'request',
      );
    });
  }
}

interface Mount {
  /** Base path segments, lower-cased; `:name` captures a segment. */
  segments: string[];
  handler: Handler;
}

/**
 * Serves every vendor's operations at each of its base paths and again under `/<slug>`, on Node's own
 * request and response: vendor traffic never walks Express's router or its request decorations, which
 * cost more than the whole operation (see bench/FINDINGS.md). Answers whether the request was a vendor's.
 * Base paths match as Express's mounts did: segment by segment, case-insensitively, the rest of the path
 * being the operation's path (`/` when nothing is left); the longest base that matches wins.
 */
export function vendorDispatcher(rt: Runtime): (req: IncomingMessage, res: ServerResponse) => boolean {
  const mounts: Mount[] = [];
  for (const vendor of rt.vendors) {
    const handler = vendorHandler(rt, vendor);
    for (const base of vendor.basePaths) {
      for (const path of [base, `/${vendor.slug}${base}`])
        mounts.push({
          segments: path
            .split('/')
            .slice(1)
            .map((s) => (s.startsWith(':') ? s : s.toLowerCase())),
          handler,
        });
    }
  }
  // The longest base first, whatever the vendors' order: Onerway's /api/v1/merchant lies inside Finext's /api/v1.
  mounts.sort((a, b) => b.segments.length - a.segments.length);
  return (req, res) => {
    const pathname = pathOf(req.url ?? '/');
    if (pathname.startsWith('/__sandbox')) return false;
    const parts = pathname.split('/');
    for (const mount of mounts) {
      const match = matchMount(mount.segments, parts);
      if (!match) continue;
      const rest = parts.slice(mount.segments.length + 1).join('/');
      assignRequestId(req, res, rt.log);
      mount.handler(req as VendorRequest, res, rest ? `/${rest}` : '/', match.params, match.badParam);
      return true;
    }
    return false;
  };
}

/**
 * The path of a request target. An absolute-form target (`POST http://host:4010/api/v1/… HTTP/1.1`, as a
 * client sends through a proxy) names its path as Node and Express read it (RFC 9112 §3.2.2: a server
 * must accept it), so it reaches the same operation as the origin form.
 */
export function pathOf(target: string): string {
  let url = target;
  if (!url.startsWith('/') && /^https?:\/\//i.test(url)) {
    const slash = url.indexOf('/', url.indexOf('//') + 2);
    url = slash === -1 ? '/' : url.slice(slash);
  }
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Whether a path's parts (split on `/`) begin with a base path's segments (lower-cased; `:name` captures one). */
export function matchMount(segments: readonly string[], parts: readonly string[]): { params: Record<string, string>; badParam?: string } | undefined {
  // parts[0] is the empty string before the leading slash.
  if (parts.length < segments.length + 1) return undefined;
  const params: Record<string, string> = {};
  let badParam: string | undefined;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i + 1]!;
    if (segment.startsWith(':')) {
      // An empty or undecodable parameter (`//openApi/…`, `/%ZZ/openApi/…`) still names this vendor's
      // path: the vendor refuses it in its own envelope rather than a generic 404 answering.
      const name = segment.slice(1);
      try {
        params[name] = decodeURIComponent(part);
      } catch {
        params[name] = part;
        badParam ??= `the {${name}} segment ${JSON.stringify(part)} is not valid percent-encoding`;
      }
      if (part === '') badParam ??= `the {${name}} segment is empty`;
    } else if (part.toLowerCase() !== segment) {
      return undefined;
    }
  }
  return { params, badParam };
}

function vendorHandler(rt: Runtime, vendor: VendorModule): Handler {
  const operations = new Map(vendor.operations.map((op) => [op.path, op]));
  const readBody = bodyReader(Math.max(rt.config.bodyLimitBytes, vendor.bodyLimitBytes ?? 0));
  return (req, res, rawPath, params, badParam) => {
    const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
    const op = operations.get(path);
    const trace = rt.journal.begin(req, res, vendor.slug, op?.name ?? null);
    runPipeline({ rt, vendor, req, res, trace, path, params, badParam, op, readBody }).catch((error: unknown) => {
      // Answering failed too (the socket is gone): nothing is left to tell the client.
      rt.log.error({ err: error, reqId: req.id }, 'could not answer');
      res.destroy();
    });
  };
}

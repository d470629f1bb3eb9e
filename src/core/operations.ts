/**
 * The request pipeline for one vendor: route → body read → faults → body parse → authenticate → tenant
 * faults → request contract → due jobs → nonce → idempotency → handler (one transaction) → durable
 * commit → (commit_then_drop) → envelope. Every failure on the way becomes the vendor's own error
 * envelope plus an X-Sandbox-Diagnostic header and a log line; nothing escapes as HTML. Every request
 * is traced into the journal (journal.ts) from the route lookup to the answer it got.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { Logger } from 'pino';
import type { Tenant } from './tenants.js';
import { SandboxError } from './errors.js';
import { finishTrace, traceOf } from './journal.js';
import { maskText, maskUrl } from './masking.js';
import { claimNonce } from './nonces.js';
import { runInlineJobs, vendorContext, type InlineJob, type Runtime } from './runtime.js';
import { parseBody, readPlain, type VendorRequest } from './request-body.js';
import type { Operation, VendorModule } from './vendor.js';

export const DIAGNOSTIC_HEADER = 'X-Sandbox-Diagnostic';

type Handler = (req: VendorRequest, res: ServerResponse, path: string, params: Record<string, string>, badParam?: string) => void;

/** The client's X-Request-Id when usable, else a new one; echoed on the answer, and logged with it at level debug (query values masked). */
export function assignRequestId(req: IncomingMessage & { id?: string }, res: ServerResponse, log: Logger): void {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  req.id = id;
  res.setHeader('X-Request-Id', id);
  if (log.isLevelEnabled('debug')) {
    const started = performance.now();
    res.on('finish', () => {
      log.debug({ reqId: id, method: req.method, url: maskUrl((req as { originalUrl?: string }).originalUrl ?? req.url ?? ''), status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10 }, 'request');
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
      for (const path of [base, `/${vendor.slug}${base}`]) mounts.push({ segments: path.split('/').slice(1).map((s) => (s.startsWith(':') ? s : s.toLowerCase())), handler });
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
function pathOf(target: string): string {
  let url = target;
  if (!url.startsWith('/') && /^https?:\/\//i.test(url)) {
    const slash = url.indexOf('/', url.indexOf('//') + 2);
    url = slash === -1 ? '/' : url.slice(slash);
  }
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function matchMount(segments: readonly string[], parts: readonly string[]): { params: Record<string, string>; badParam?: string } | undefined {
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
  const limit = Math.max(rt.config.bodyLimitBytes, vendor.bodyLimitBytes ?? 0);
  // Encoded bodies (gzip, deflate, br) go through body-parser, which inflates them within the limit.
  const readEncoded = express.raw({ type: () => true, limit });
  const fail = (req: VendorRequest, res: ServerResponse) => (err: unknown) => sendError(rt, vendor, req, res, toSandboxError(err, rt, req));
  return (req, res, rawPath, params, badParam) => {
    const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
    const op = operations.get(path);
    const trace = rt.journal.begin(req, res, vendor.slug, op?.name ?? null);
    if (badParam) return fail(req, res)(new SandboxError('route_not_found', { diagnostic: `no ${vendor.title} operation at ${req.method} ${req.url}: ${badParam} (base paths: ${vendor.basePaths.join(', ')})` }));
    if (!op) return fail(req, res)(new SandboxError('route_not_found', { diagnostic: `no ${vendor.title} operation at ${req.method} ${req.url}` }));
    if (req.method !== 'POST') return fail(req, res)(new SandboxError('method_not_allowed', { diagnostic: `${req.method} ${req.url}: only POST is supported` }));
    const reject = (err: SandboxError, status?: number) => sendError(rt, vendor, req, res, err, status);
    const encoding = req.headers['content-encoding'];
    const read = encoding && encoding.toLowerCase() !== 'identity' ? readEncoded : readPlain(limit);
    read(req as never, res as never, (err?: unknown) => {
      if (err) return fail(req, res)(err);
      rt.faults.front(trace, res, reject, () => {
        try {
          const body = parseBody(req);
          const tenant = vendor.authenticate({ headers: req.headers, body, path, params }, rt.store, rt.clock);
          trace.tenantId = tenant.id;
          rt.faults.afterAuth(trace, res, reject, () => void runOperation(rt, vendor, op, req, res, tenant, body).catch(fail(req, res)));
        } catch (error) {
          fail(req, res)(error);
        }
      });
    });
  };
}

async function runOperation(rt: Runtime, vendor: VendorModule, op: Operation, req: VendorRequest, res: ServerResponse, tenant: Tenant, body: Record<string, unknown>): Promise<void> {
  const requestContract = `${vendor.slug}/${op.name}.request`;
  if (rt.contracts.has(requestContract)) rt.contracts.checkRequest(requestContract, body);
  // Whatever has fallen due (a settlement the client expects to have happened) runs first.
  rt.scheduler.runDue();

  if (vendor.nonceField) await claimNonce(rt.store, tenant.id, String(body[vendor.nonceField]), vendor.nonceField, rt.clock.now());

  const keyField = op.idempotencyKey;
  const key = keyField && body[keyField] !== undefined ? String(body[keyField]) : undefined;
  const claim = key && keyField ? await rt.idempotency.claim(tenant.id, key, keyField, op.name, withoutFields(body, vendor.fingerprintIgnores)) : undefined;
  if (claim?.kind === 'replay') {
    sendJson(res, claim.answer.status, claim.answer.body);
    return;
  }
  try {
    const tx = rt.store.begin();
    const now = rt.clock.now();
    const inline: InlineJob[] = [];
    const data = op.handler({ ...vendorContext(rt, vendor, tx, tenant, now, inline), body, headers: req.headers });
    const envelope = vendor.envelope.ok(data);
    checkResponse(rt, `${vendor.slug}/${op.name}.response`, envelope);
    const text = JSON.stringify(envelope);
    runInlineJobs(rt, vendor, tx, tenant, now, inline);
    if (claim && key) rt.idempotency.remember(tx, tenant.id, key, claim.fingerprint, 200, text, now);
    await rt.store.commit(tx);
    rt.scheduler.kick();
    if (rt.faults.dropAfterCommit(res, text)) return;
    sendJson(res, 200, text);
  } finally {
    if (claim?.kind === 'run') claim.release();
  }
}

function withoutFields(body: Record<string, unknown>, fields: readonly string[] = []): Record<string, unknown> {
  if (fields.length === 0) return body;
  return Object.fromEntries(Object.entries(body).filter(([k]) => !fields.includes(k)));
}

/** In strict mode, a response of ours that breaks its contract is a loud internal error. */
function checkResponse(rt: Runtime, id: string, body: unknown): void {
  if (!rt.config.strictContracts || !rt.contracts.has(id)) return;
  const problems = rt.contracts.problems(id, body);
  if (problems.length > 0) {
    throw new SandboxError('internal', { diagnostic: `response broke contract ${id}: ${problems.join('; ')}` });
  }
}

function toSandboxError(err: unknown, rt: Runtime, req: VendorRequest): SandboxError {
  if (err instanceof SandboxError) return err;
  // body-parser's errors carry an HTTP status: 413 too large, 415 unknown encoding or charset, 400 for
  // the rest (aborted, bad length, a gzip body that does not inflate).
  const status = (err as { status?: number } | null)?.status;
  if (status === 413) return new SandboxError('payload_too_large', { diagnostic: `body exceeds the ${(err as { limit?: number }).limit ?? rt.config.bodyLimitBytes}-byte limit` });
  if (status !== undefined && status >= 400 && status < 500) return new SandboxError('malformed_body', { diagnostic: `unreadable body: ${(err as Error).message}` });
  rt.log.error({ err, reqId: req.id }, 'unexpected error');
  return new SandboxError('internal', { diagnostic: `unexpected error (request ${req.id}); see the sandbox log` });
}

/** The vendor's error envelope for `err`; `status` overrides the envelope's HTTP status (faults' 5xx and 429). */
function sendError(rt: Runtime, vendor: VendorModule, req: VendorRequest, res: ServerResponse, err: SandboxError, status?: number): void {
  const rendered = vendor.envelope.error(err);
  const shown = maskText(err.diagnostic);
  const diagnostic = `${err.code}: ${shown}`;
  res.setHeader(DIAGNOSTIC_HEADER, headerSafe(diagnostic));
  const trace = traceOf(res);
  if (trace) trace.diagnostic = diagnostic;
  rt.log.info({ reqId: req.id, vendor: vendor.slug, code: err.code, field: err.field, diagnostic: shown }, 'request rejected');
  sendJson(res, status ?? rendered.status, JSON.stringify(rendered.body));
}

function sendJson(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  finishTrace(res, status, text);
}

/** Header values must be printable ASCII; keep the text readable and bounded. */
export function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 4000);
}

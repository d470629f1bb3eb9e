/**
 * The request pipeline for one vendor: route → body read → faults → body parse → authenticate → tenant
 * faults → request contract → due jobs → nonce → idempotency → handler (one transaction) → durable
 * commit → (commit_then_drop) → envelope. Every failure on the way becomes the vendor's own error
 * envelope plus an X-Sandbox-Diagnostic header and a log line; nothing escapes as HTML. Every request
 * is traced into the journal (journal.ts) from the route lookup to the answer it got.
 */
import express, { type Request, type Response } from 'express';
import type { Tenant } from './tenants.js';
import { SandboxError } from './errors.js';
import { finishTrace, traceOf } from './journal.js';
import { claimNonce } from './nonces.js';
import { runInlineJobs, vendorContext, type InlineJob, type Runtime } from './runtime.js';
import type { Operation, VendorModule } from '../vendors/types.js';

export const DIAGNOSTIC_HEADER = 'X-Sandbox-Diagnostic';

/**
 * Serves a vendor's operations at each of its base paths and again under `/<slug>`. One handler looks
 * the operation up by path (a Map, not a router walk: every request of a vendor passes here).
 */
export function mountVendor(app: express.Express, rt: Runtime, vendor: VendorModule): void {
  const handler = vendorHandler(rt, vendor);
  for (const base of vendor.basePaths) {
    app.use(base, handler);
    app.use(`/${vendor.slug}${base}`, handler);
  }
}

function vendorHandler(rt: Runtime, vendor: VendorModule) {
  const operations = new Map(vendor.operations.map((op) => [op.path, op]));
  const limit = Math.max(rt.config.bodyLimitBytes, vendor.bodyLimitBytes ?? 0);
  const readBody = express.raw({ type: () => true, limit });
  const fail = (req: Request, res: Response) => (err: unknown) => sendError(rt, vendor, req, res, toSandboxError(err, rt, req));
  return (req: Request, res: Response): void => {
    const path = req.path.length > 1 && req.path.endsWith('/') ? req.path.slice(0, -1) : req.path;
    const op = operations.get(path);
    const trace = rt.journal.begin(req, res, vendor.slug, op?.name ?? null);
    if (!op) return fail(req, res)(new SandboxError('route_not_found', { diagnostic: `no ${vendor.title} operation at ${req.method} ${req.originalUrl}` }));
    if (req.method !== 'POST') return fail(req, res)(new SandboxError('method_not_allowed', { diagnostic: `${req.method} ${req.originalUrl}: only POST is supported` }));
    const reject = (err: SandboxError, status?: number) => sendError(rt, vendor, req, res, err, status);
    readBody(req, res, (err?: unknown) => {
      if (err) return fail(req, res)(err);
      rt.faults.front(trace, res, reject, () => {
        try {
          const body = parseBody(req);
          const tenant = vendor.authenticate({ headers: req.headers, body, path, params: req.params as Record<string, string> }, rt.store, rt.clock);
          trace.tenantId = tenant.id;
          rt.faults.afterAuth(trace, res, reject, () => void runOperation(rt, vendor, op, req, res, tenant, body).catch(fail(req, res)));
        } catch (error) {
          fail(req, res)(error);
        }
      });
    });
  };
}

function parseBody(req: Request): Record<string, unknown> {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (!req.is('application/json')) {
    throw new SandboxError('unsupported_media_type', { diagnostic: `Content-Type must be application/json, got ${req.headers['content-type'] ?? 'none'}` });
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new SandboxError('malformed_body', { diagnostic: `body is not valid JSON: ${(error as Error).message}` });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SandboxError('malformed_body', { diagnostic: 'body must be a JSON object' });
  }
  return body as Record<string, unknown>;
}

async function runOperation(rt: Runtime, vendor: VendorModule, op: Operation, req: Request, res: Response, tenant: Tenant, body: Record<string, unknown>): Promise<void> {
  const requestContract = `${vendor.slug}/${op.name}.request`;
  if (rt.contracts.has(requestContract)) rt.contracts.checkRequest(requestContract, body);
  // Whatever has fallen due (a settlement the client expects to have happened) runs first.
  rt.scheduler.runDue();

  if (vendor.nonceField) claimNonce(rt.store, tenant.id, String(body[vendor.nonceField]), vendor.nonceField, rt.clock.now());

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

function toSandboxError(err: unknown, rt: Runtime, req: Request): SandboxError {
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
function sendError(rt: Runtime, vendor: VendorModule, req: Request, res: Response, err: SandboxError, status?: number): void {
  const rendered = vendor.envelope.error(err);
  const diagnostic = `${err.code}: ${err.diagnostic}`;
  res.setHeader(DIAGNOSTIC_HEADER, headerSafe(diagnostic));
  const trace = traceOf(res);
  if (trace) trace.diagnostic = diagnostic;
  rt.log.info({ reqId: req.id, vendor: vendor.slug, code: err.code, field: err.field, diagnostic: err.diagnostic }, 'request rejected');
  sendJson(res, status ?? rendered.status, JSON.stringify(rendered.body));
}

function sendJson(res: Response, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  finishTrace(res, status, text);
}

/** Header values must be printable ASCII; keep the text readable and bounded. */
export function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 4000);
}

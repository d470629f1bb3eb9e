/**
 * Answering a vendor request: the JSON sent, the vendor's error envelope with its X-Sandbox-Diagnostic
 * (masked) and log line, and the mapping of any failure to a SandboxError. Nothing escapes as HTML.
 */
import type { ServerResponse } from 'node:http';
import { Refusal, SandboxError } from './errors.js';
import { finishTrace, traceOf } from './journal.js';
import { maskText } from './masking.js';
import type { VendorRequest } from './request-body.js';
import type { Runtime } from './runtime.js';
import type { VendorModule } from './vendor.js';

export const DIAGNOSTIC_HEADER = 'X-Sandbox-Diagnostic';

export function sendJson(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  finishTrace(res, status, text);
}

/** Answers `err` (anything thrown on the way) in the vendor's error envelope. */
export function sendFailure(rt: Runtime, vendor: VendorModule, req: VendorRequest, res: ServerResponse, err: unknown): void {
  if (err instanceof Refusal) sendError(rt, vendor, req, res, err.error, err.status);
  else sendError(rt, vendor, req, res, toSandboxError(err, rt, req));
}

/** The vendor's error envelope for `err`; `status` overrides the envelope's HTTP status. */
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

function toSandboxError(err: unknown, rt: Runtime, req: VendorRequest): SandboxError {
  if (err instanceof SandboxError) return err;
  // body-parser's errors carry an HTTP status: 413 too large, 415 unknown encoding or charset, 400 for
  // the rest (aborted, bad length, a gzip body that does not inflate).
  const status = (err as { status?: number } | null)?.status;
  if (status === 413)
    return new SandboxError('payload_too_large', {
      diagnostic: `body exceeds the ${(err as { limit?: number }).limit ?? rt.config.bodyLimitBytes}-byte limit`,
    });
  if (status !== undefined && status >= 400 && status < 500)
    return new SandboxError('malformed_body', { diagnostic: `unreadable body: ${(err as Error).message}` });
  rt.log.error({ err, reqId: req.id }, 'unexpected error');
  return new SandboxError('internal', { diagnostic: `unexpected error (request ${req.id}); see the sandbox log` });
}

/** Header values must be printable ASCII; keep the text readable and bounded. */
export function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 4000);
}

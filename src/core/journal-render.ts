/**
 * What every journal shares, whatever keeps its entries: an entry as kept (`JournalRecord`, built from a
 * finished request by `recordOf`), an entry as listed (`JournalView#render`: headers chosen, bodies
 * parsed when whole, everything masked), and the filters of GET /__sandbox/requests over either form.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { MASK, maskHeaders, maskJsonText, maskText, maskValue } from './masking.js';
import type { VendorModule } from './vendor.js';
import type { AppliedFault, JournalEntry } from './wire-types.js';

/** The request headers shown (masked by name) besides the vendors' credential headers (masked whole); everything else is left out. */
const SHOWN_HEADERS = ['content-type', 'content-length', 'user-agent', 'x-request-id', 'authorization', 'x-signature', 'x-timestamp', 'x-sandbox-fault'];

export interface JournalFilter {
  vendor?: string;
  operation?: string;
  tenant?: string;
  code?: string;
  status?: number;
  since?: number;
  until?: number;
  limit?: number;
}

/** An entry as kept: raw and unmasked but for its diagnostic (only `render` shows it). */
export interface JournalRecord {
  seq: number;
  id: string;
  at: number;
  method: string;
  url: string;
  vendor: string;
  operation: string | null;
  tenantId: string | null;
  status: number | null;
  durationMs: number;
  diagnostic: string | null;
  fault: AppliedFault | null;
  headers: IncomingHttpHeaders;
  requestBody: Buffer | null;
  /** The whole body's size when `requestBody` is only its beginning, else null. */
  requestCutFrom: number | null;
  responseText: string | null;
  responseCutFrom: number | null;
  /** The vendor code, read from the answer when first asked for. */
  code?: string | number | null;
}

/** What a finished request leaves for the journal (a RequestTrace). */
export interface FinishedRequest {
  readonly at: number;
  readonly started: number;
  readonly vendor: string;
  readonly operation: string | null;
  readonly tenantId: string | null;
  readonly diagnostic: string | null;
  readonly fault: AppliedFault | null;
  readonly req: { id: string; method?: string; url?: string; originalUrl?: string; headers: IncomingHttpHeaders; body?: unknown };
}

/**
 * The entry kept for a finished request. Cheap on the request path: it holds references to what the
 * request already has (its headers, its raw body, the answer's text), copies only a body that is cut.
 */
export function recordOf(seq: number, trace: FinishedRequest, status: number | null, text: string | null, maxBodyBytes: number): JournalRecord {
  const { req } = trace;
  const raw = Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : null;
  const cutText = text !== null && text.length > maxBodyBytes;
  return {
    seq,
    id: req.id,
    at: trace.at,
    method: req.method ?? 'POST',
    url: req.originalUrl ?? req.url ?? '',
    vendor: trace.vendor,
    operation: trace.operation,
    tenantId: trace.tenantId,
    status,
    durationMs: Math.round((performance.now() - trace.started) * 10) / 10,
    // Masked where it is set (the pipeline's sendError), before the header and the log line get it.
    diagnostic: trace.diagnostic,
    fault: trace.fault,
    headers: req.headers,
    // Copies of cut bodies, so that a kept beginning does not hold a large body in memory.
    requestBody: raw && raw.length > maxBodyBytes ? Buffer.from(raw.subarray(0, maxBodyBytes)) : raw,
    requestCutFrom: raw && raw.length > maxBodyBytes ? raw.length : null,
    responseText: cutText ? Buffer.from(text.slice(0, maxBodyBytes)).toString('utf8') : text,
    responseCutFrom: cutText ? Buffer.byteLength(text) : null,
  };
}

/** How the vendors' entries are shown: their code fields and credential headers. */
export class JournalView {
  readonly #codes: Map<string, RegExp>;
  readonly #shownHeaders: readonly string[];
  readonly #credentialHeaders: ReadonlySet<string>;

  constructor(vendors: readonly VendorModule[]) {
    this.#codes = new Map(vendors.map((v) => [v.slug, new RegExp(`^\\{\\s*"${v.envelope.codeField}"\\s*:\\s*("?)(-?[\\w.]*)\\1`)]));
    this.#credentialHeaders = new Set(vendors.flatMap((v) => v.credentialHeaders ?? []).map((h) => h.toLowerCase()));
    this.#shownHeaders = [...new Set([...SHOWN_HEADERS, ...this.#credentialHeaders])];
  }

  /** An entry as listed: headers chosen, bodies parsed when whole, everything masked. */
  render(r: Readonly<JournalRecord>): JournalEntry {
    const headers: Record<string, string> = {};
    for (const name of this.#shownHeaders) {
      const value = r.headers[name];
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const masked = maskHeaders(headers);
    for (const name of this.#credentialHeaders) if (name in masked) masked[name] = MASK;
    return {
      id: r.id,
      at: r.at,
      method: r.method,
      path: r.url.split('?')[0],
      vendor: r.vendor,
      operation: r.operation,
      tenantId: r.tenantId,
      status: r.status,
      code: this.codeOf(r),
      durationMs: r.durationMs,
      diagnostic: r.diagnostic,
      fault: r.fault,
      request: { headers: masked, body: shownBody(requestText(r), r.requestCutFrom) },
      response: { body: shownBody(r.responseText, r.responseCutFrom) },
    };
  }

  /** The vendor code of the answer (its envelope's code field), or null without an answer. */
  codeOf(r: JournalRecord): string | number | null {
    if (r.code === undefined) {
      const m = r.responseText === null ? null : this.#codes.get(r.vendor)?.exec(r.responseText);
      r.code = m ? (m[1] ? m[2] : Number(m[2])) : null;
    }
    return r.code;
  }

  matches(r: JournalRecord, f: JournalFilter): boolean {
    return fieldsMatch(r, () => this.codeOf(r), f);
  }
}

/** The same filter over an entry as listed (the same answers as `JournalView#matches` on its record). */
export function entryMatches(e: JournalEntry, f: JournalFilter): boolean {
  return fieldsMatch(e, () => e.code, f);
}

/** The fields a filter reads, which a record and an entry share; the code is read last, and only when asked for. */
type Filtered = Pick<JournalEntry, 'vendor' | 'operation' | 'tenantId' | 'status' | 'at'>;

function fieldsMatch(x: Filtered, code: () => string | number | null, f: JournalFilter): boolean {
  return (
    (f.vendor === undefined || x.vendor === f.vendor) &&
    (f.operation === undefined || x.operation === f.operation) &&
    (f.tenant === undefined || x.tenantId === f.tenant) &&
    (f.status === undefined || x.status === f.status) &&
    (f.since === undefined || x.at >= f.since) &&
    (f.until === undefined || x.at <= f.until) &&
    (f.code === undefined || String(code()) === f.code)
  );
}

/** The request body as text (its kept beginning when cut). */
export function requestText(r: Readonly<JournalRecord>): string | null {
  return r.requestBody === null ? null : r.requestBody.toString('utf8');
}

/**
 * A kept body as listed: when whole and JSON, the parsed value masked (keys judged as decoded); else the
 * text through the conservative passes (with a marker when cut).
 */
function shownBody(text: string | null, cutFrom: number | null): unknown {
  if (text === null) return null;
  if (cutFrom !== null) return `${maskUnparsed(text)}…[truncated: ${Buffer.byteLength(text)} of ${cutFrom} bytes kept]`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return maskUnparsed(text);
  }
  const masked = maskValue(parsed);
  return masked === undefined ? maskUnparsed(text) : masked;
}

function maskUnparsed(text: string): string {
  return maskText(maskJsonText(text));
}

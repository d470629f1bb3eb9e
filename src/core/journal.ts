/**
 * The request journal: every vendor request (answered, refused, faulted or dropped) with its outcome,
 * kept in a ring buffer in memory, newest first at GET /__sandbox/requests.
 *
 * Bounded twice: at most `maxEntries` entries (the oldest goes first), and each body kept to its first
 * `maxBodyBytes` bytes, shown with a marker when cut. Cheap on the request path: an entry holds
 * references to what the request already has (its headers, its raw body, the answer's text; a copy only
 * of a body that is cut; a refusal's diagnostic, masked where the pipeline sets it), and everything else (choosing
 * and masking headers, parsing and masking bodies, reading the vendor code) happens when entries are listed.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from './clock.js';
import type { CompiledRule } from './fault-rules.js';
import { MASK, maskHeaders, maskJsonText, maskText, maskValue } from './masking.js';
import type { VendorModule } from './vendor.js';
import type { AppliedFault, JournalEntry } from './wire-types.js';

export type { JournalEntry };

export interface JournalOptions {
  /** Entries kept; 0 keeps none. */
  maxEntries: number;
  /** Bytes of each request and answer body kept. */
  maxBodyBytes: number;
}

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

/** An entry as kept: raw and unmasked but for its diagnostic (only `Journal.render` shows it). */
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

const TRACE = Symbol('card-sandbox.trace');

type TracedResponse = ServerResponse & { [TRACE]?: RequestTrace };

/** One request on its way through the pipeline: what the journal records and the faults consult. */
export class RequestTrace {
  readonly at: number;
  readonly started = performance.now();
  tenantId: string | null = null;
  /** Set by the pipeline when it refuses the request, already masked. */
  diagnostic: string | null = null;
  fault: AppliedFault | null = null;
  /** The request's own X-Sandbox-Fault rule (undefined: not read; null: none). */
  headerRule: CompiledRule | null | undefined = undefined;
  done = false;

  constructor(
    readonly journal: Journal,
    readonly req: IncomingMessage & { id: string; body?: unknown; originalUrl?: string },
    readonly vendor: string,
    readonly operation: string | null,
  ) {
    this.at = journal.clock.now();
  }

  /** Records the outcome once: the answer's status and text, or null for both when nothing was sent. */
  finish(status: number | null, text: string | null): void {
    if (this.done) return;
    this.done = true;
    this.journal.record(this, status, text);
  }
}

export class Journal {
  readonly #ring: Array<JournalRecord | undefined>;
  readonly #codes: Map<string, RegExp>;
  readonly #shownHeaders: readonly string[];
  readonly #credentialHeaders: ReadonlySet<string>;
  #next = 0;
  #seq = 0;
  readonly #tails = new Map<(record: Readonly<JournalRecord>) => void, () => void>();

  constructor(
    vendors: readonly VendorModule[],
    readonly clock: Clock,
    readonly options: JournalOptions,
  ) {
    this.#ring = new Array<JournalRecord | undefined>(Math.max(0, options.maxEntries));
    this.#codes = new Map(vendors.map((v) => [v.slug, new RegExp(`^\\{\\s*"${v.envelope.codeField}"\\s*:\\s*("?)(-?[\\w.]*)\\1`)]));
    this.#credentialHeaders = new Set(vendors.flatMap((v) => v.credentialHeaders ?? []).map((h) => h.toLowerCase()));
    this.#shownHeaders = [...new Set([...SHOWN_HEADERS, ...this.#credentialHeaders])];
  }

  /** Starts tracing a vendor request; the trace rides on the response so that the answer closes it. */
  begin(req: RequestTrace['req'], res: ServerResponse, vendor: string, operation: string | null): RequestTrace {
    const trace = new RequestTrace(this, req, vendor, operation);
    (res as TracedResponse)[TRACE] = trace;
    return trace;
  }

  record(trace: RequestTrace, status: number | null, text: string | null): void {
    if (this.#ring.length === 0) return;
    const { req } = trace;
    const max = this.options.maxBodyBytes;
    const raw = Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : null;
    const cutText = text !== null && text.length > max;
    this.#ring[this.#next] = {
      seq: ++this.#seq,
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
      requestBody: raw && raw.length > max ? Buffer.from(raw.subarray(0, max)) : raw,
      requestCutFrom: raw && raw.length > max ? raw.length : null,
      responseText: cutText ? Buffer.from(text.slice(0, max)).toString('utf8') : text,
      responseCutFrom: cutText ? Buffer.byteLength(text) : null,
    };
    const record = this.#ring[this.#next]!;
    this.#next = (this.#next + 1) % this.#ring.length;
    for (const tail of this.#tails.keys()) tail(record);
  }

  /**
   * Calls `listener` with each entry recorded from now on that matches `filter`, masked as listed, and
   * its sequence number (GET /__sandbox/requests/stream); returns the call that stops it. `end` is
   * called if the sandbox closes first (endTails), so that an open stream does not hold up shutdown.
   */
  tail(filter: JournalFilter, listener: (entry: JournalEntry, seq: number) => void, end: () => void): () => void {
    const tail = (r: Readonly<JournalRecord>) => {
      if (this.#matches(r as JournalRecord, filter)) listener(this.render(r), r.seq);
    };
    this.#tails.set(tail, end);
    return () => void this.#tails.delete(tail);
  }

  /** How many tails are open. */
  get tails(): number {
    return this.#tails.size;
  }

  /** Ends every tail (the sandbox is closing). */
  endTails(): void {
    for (const end of [...this.#tails.values()]) end();
    this.#tails.clear();
  }

  /** Kept entries after sequence number `seq` that match `filter`, oldest first (a tail that reconnects). */
  since(seq: number, filter: JournalFilter): Array<{ entry: JournalEntry; seq: number }> {
    const out: Array<{ entry: JournalEntry; seq: number }> = [];
    for (const r of this.#newestFirst()) {
      if (r.seq <= seq) break;
      if (this.#matches(r, filter)) out.push({ entry: this.render(r), seq: r.seq });
    }
    return out.reverse();
  }

  /** Entries newest first, filtered, masked. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    return [...this.entries(filter)];
  }

  /** The same, one at a time (a long journal is listed without holding every entry). */
  *entries(filter: JournalFilter = {}): Generator<JournalEntry> {
    let left = filter.limit ?? Infinity;
    for (const record of this.#newestFirst()) {
      if (left <= 0) return;
      if (!this.#matches(record, filter)) continue;
      left--;
      yield this.render(record);
    }
  }

  /** Entries as kept, newest first (unmasked: show them through `render`). */
  records(): Iterable<Readonly<JournalRecord>> {
    return this.#newestFirst();
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

  clear(): number {
    const removed = this.#ring.filter(Boolean).length;
    this.#ring.fill(undefined);
    this.#next = 0;
    return removed;
  }

  *#newestFirst(): Generator<JournalRecord> {
    const n = this.#ring.length;
    // As of the first step: a listing read over several turns stops where newer entries overwrote older ones.
    const [next, seq] = [this.#next, this.#seq];
    for (let i = 1; i <= n; i++) {
      const record = this.#ring[(next - i + n) % n];
      if (!record || record.seq > seq) return;
      yield record;
    }
  }

  #matches(r: JournalRecord, f: JournalFilter): boolean {
    return (
      (f.vendor === undefined || r.vendor === f.vendor) &&
      (f.operation === undefined || r.operation === f.operation) &&
      (f.tenant === undefined || r.tenantId === f.tenant) &&
      (f.status === undefined || r.status === f.status) &&
      (f.since === undefined || r.at >= f.since) &&
      (f.until === undefined || r.at <= f.until) &&
      (f.code === undefined || String(this.codeOf(r)) === f.code)
    );
  }
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

/** Closes the trace riding on `res` (wherever the pipeline sends an answer). */
export function finishTrace(res: ServerResponse, status: number | null, text: string | null): void {
  (res as TracedResponse)[TRACE]?.finish(status, text);
}

export function traceOf(res: ServerResponse): RequestTrace | undefined {
  return (res as TracedResponse)[TRACE];
}

/**
 * The request journal: every vendor request (answered, refused, faulted or dropped) with its outcome,
 * newest first at GET /__sandbox/requests. `Journal` is what the runtime needs of one; the file store's
 * sandbox keeps it in memory (`MemoryJournal`, a ring buffer), the PostgreSQL store's in a table shared
 * by every replica (src/store-pg/journal.ts).
 *
 * Bounded twice: at most `maxEntries` entries (the oldest goes first), and each body kept to its first
 * `maxBodyBytes` bytes, shown with a marker when cut. Cheap on the request path: an entry holds
 * references to what the request already has (journal-render.ts `recordOf`), and everything else
 * (choosing and masking headers, parsing and masking bodies, reading the vendor code) happens when
 * entries are listed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from './clock.js';
import type { CompiledRule } from './fault-rules.js';
import { JournalView, recordOf, requestText, type JournalFilter, type JournalRecord } from './journal-render.js';
import type { VendorModule } from './vendor.js';
import type { AppliedFault, JournalEntry } from './wire-types.js';

export type { JournalEntry, JournalFilter, JournalRecord };
export { requestText };

export interface JournalOptions {
  /** Entries kept; 0 keeps none. */
  maxEntries: number;
  /** Bytes of each request and answer body kept. */
  maxBodyBytes: number;
}

/** A live tail of the journal (GET /__sandbox/requests/stream). */
export interface TailHandlers {
  /** A client's Last-Event-ID: the kept entries after it come first. Without it, entries recorded from now on. */
  after?: number;
  /** Called once the tail is in place, before its first entry (the stream's opening line). */
  opened: () => void;
  /** Each entry that matches, masked as listed, with its sequence number (the event's id). */
  send: (entry: JournalEntry, seq: number) => void;
  /** The journal closes first (endTails), so that an open stream does not hold up shutdown. */
  end: () => void;
}

export interface Journal {
  readonly clock: Clock;
  /** Starts tracing a vendor request; the trace rides on the response so that the answer closes it. */
  begin(req: RequestTrace['req'], res: ServerResponse, vendor: string, operation: string | null): RequestTrace;
  /** Keeps a finished request; never fails or waits (the request's answer does not depend on it). */
  record(trace: RequestTrace, status: number | null, text: string | null): void;
  /** Entries newest first, filtered, masked; a long journal is listed without holding every entry. */
  entries(filter?: JournalFilter): Iterable<JournalEntry> | AsyncIterable<JournalEntry>;
  /** Calls `handlers.send` with each entry that matches `filter`; returns the call that stops it. */
  tail(filter: JournalFilter, handlers: TailHandlers): () => void;
  /** How many tails are open. */
  readonly tails: number;
  /** Ends every tail (the sandbox is closing). */
  endTails(): void;
  /** Empties the journal; resolves with the number of entries removed. */
  clear(): Promise<number>;
  /**
   * A card timeline's requests: the entries of `vendor` and `tenantId` whose request or answer `mentions`
   * the card (given each body's text, and where it was cut, or null when whole), newest first, with a
   * number that orders them (higher is later).
   */
  cardRequests(vendor: string, tenantId: string, mentions: Mentions): Promise<Array<{ seq: number; entry: JournalEntry }>>;
  render(r: Readonly<JournalRecord>): JournalEntry;
  /** Writes what is pending and lets go of what the journal holds open. */
  close(): Promise<void>;
}

/** Whether a body (its text, and where it was cut, or null when whole) names what is looked for. */
export type Mentions = (text: string | null, cutFrom: number | null) => boolean;

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
    readonly journal: Pick<Journal, 'clock' | 'record'>,
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

/** A trace for `journal`, riding on `res`. */
export function beginTrace(journal: Journal, req: RequestTrace['req'], res: ServerResponse, vendor: string, operation: string | null): RequestTrace {
  const trace = new RequestTrace(journal, req, vendor, operation);
  (res as TracedResponse)[TRACE] = trace;
  return trace;
}

/** The journal of one process, in memory: a ring buffer of the newest `maxEntries` entries. */
export class MemoryJournal implements Journal {
  readonly #ring: Array<JournalRecord | undefined>;
  readonly #view: JournalView;
  #next = 0;
  #seq = 0;
  readonly #tails = new Map<(record: Readonly<JournalRecord>) => void, () => void>();

  constructor(
    vendors: readonly VendorModule[],
    readonly clock: Clock,
    readonly options: JournalOptions,
  ) {
    this.#ring = new Array<JournalRecord | undefined>(Math.max(0, options.maxEntries));
    this.#view = new JournalView(vendors);
  }

  begin(req: RequestTrace['req'], res: ServerResponse, vendor: string, operation: string | null): RequestTrace {
    return beginTrace(this, req, res, vendor, operation);
  }

  record(trace: RequestTrace, status: number | null, text: string | null): void {
    if (this.#ring.length === 0) return;
    const record = recordOf(++this.#seq, trace, status, text, this.options.maxBodyBytes);
    this.#ring[this.#next] = record;
    this.#next = (this.#next + 1) % this.#ring.length;
    for (const tail of this.#tails.keys()) tail(record);
  }

  tail(filter: JournalFilter, { after, opened, send, end }: TailHandlers): () => void {
    const tail = (r: Readonly<JournalRecord>) => {
      if (this.#view.matches(r as JournalRecord, filter)) send(this.render(r), r.seq);
    };
    this.#tails.set(tail, end);
    opened();
    if (after !== undefined) for (const { entry, seq } of this.since(after, filter)) send(entry, seq);
    return () => void this.#tails.delete(tail);
  }

  get tails(): number {
    return this.#tails.size;
  }

  endTails(): void {
    for (const end of [...this.#tails.values()]) end();
    this.#tails.clear();
  }

  /** Kept entries after sequence number `seq` that match `filter`, oldest first (a tail that reconnects). */
  since(seq: number, filter: JournalFilter): Array<{ entry: JournalEntry; seq: number }> {
    const out: Array<{ entry: JournalEntry; seq: number }> = [];
    for (const r of this.#newestFirst()) {
      if (r.seq <= seq) break;
      if (this.#view.matches(r, filter)) out.push({ entry: this.render(r), seq: r.seq });
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
      if (!this.#view.matches(record, filter)) continue;
      left--;
      yield this.render(record);
    }
  }

  async cardRequests(vendor: string, tenantId: string, mentions: Mentions): Promise<Array<{ seq: number; entry: JournalEntry }>> {
    const out: Array<{ seq: number; entry: JournalEntry }> = [];
    for (const r of this.#newestFirst()) {
      if (r.vendor !== vendor || r.tenantId !== tenantId) continue;
      if (mentions(requestText(r), r.requestCutFrom) || mentions(r.responseText, r.responseCutFrom)) out.push({ seq: r.seq, entry: this.render(r) });
    }
    return out;
  }

  render(r: Readonly<JournalRecord>): JournalEntry {
    return this.#view.render(r);
  }

  clear(): Promise<number> {
    const removed = this.#ring.filter(Boolean).length;
    this.#ring.fill(undefined);
    this.#next = 0;
    return Promise.resolve(removed);
  }

  close(): Promise<void> {
    return Promise.resolve();
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
}

/** Closes the trace riding on `res` (wherever the pipeline sends an answer). */
export function finishTrace(res: ServerResponse, status: number | null, text: string | null): void {
  (res as TracedResponse)[TRACE]?.finish(status, text);
}

export function traceOf(res: ServerResponse): RequestTrace | undefined {
  return (res as TracedResponse)[TRACE];
}

/**
 * GET /__sandbox/requests: the request journal, newest first, filtered by vendor, operation, tenant,
 * vendor code, HTTP status and time (sandbox ms), bodies masked, streamed (a journal of many entries is
 * never held as one answer). DELETE clears it.
 *
 * GET /__sandbox/requests/stream: a live tail as server-sent events, one `request` event per new entry
 * that matches the same filters, masked as the listing shows it, its `id` the entry's sequence number (a
 * client that reconnects with Last-Event-ID first gets the kept entries it missed). A comment line every
 * `heartbeat` seconds (15 unless given) keeps proxies from closing an idle stream; `limit` ends the
 * stream after that many events. It ends when the client goes, and a client too slow to read is cut off
 * rather than buffered without bound. On the PostgreSQL store the journal is every replica's, and the
 * ids are the shared table's sequence numbers, so a Last-Event-ID means the same entry on any replica.
 */
import type { Request, Response, Router } from 'express';
import { SandboxError } from '../core/errors.js';
import type { JournalFilter } from '../core/journal.js';
import type { Runtime } from '../core/runtime.js';
import { jsonList, jsonListAsync, sendJsonPieces } from './stream.js';

const DEFAULT_LIMIT = 100;
const FILTERS = ['vendor', 'operation', 'tenant', 'code', 'status', 'since', 'until', 'limit'];
const STREAM_FILTERS = [...FILTERS, 'heartbeat'];
const HEARTBEAT_S = 15;
/** Bytes a tail may have waiting for a slow client before it is cut off. */
const STREAM_BACKLOG = 1024 * 1024;

export function requestRoutes(router: Router, rt: Runtime): void {
  router.get('/requests', async (req, res) => {
    const entries = rt.journal.entries(journalFilter(req, rt));
    await sendJsonPieces(res, Symbol.asyncIterator in entries ? jsonListAsync('requests', entries) : jsonList('requests', entries));
  });
  router.get('/requests/stream', (req, res) => tail(req, res, rt));
  router.delete('/requests', async (_req, res) => void res.json({ status: 'ok', removed: await rt.journal.clear() }));
}

function tail(req: Request, res: Response, rt: Runtime): void {
  const { limit, ...filter } = journalFilter(req, rt, STREAM_FILTERS, undefined);
  const heartbeat = positive(req.query.heartbeat, 'heartbeat', 3600) ?? HEARTBEAT_S;
  const lastEventId = req.get('last-event-id');
  const after = lastEventId !== undefined && /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : undefined;
  let left = limit ?? Infinity;

  res.status(200).set({
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // The stream is the connection's last answer: once it ends (limit, shutdown) the socket goes too.
    connection: 'close',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();

  // The connection goes with the stream (a closing server would otherwise wait for a half-closed one).
  const socket = req.socket;
  // The tail may end while it is being set up (a replay that reaches `limit`).
  let stopped = false;
  let untail = (): void => undefined;
  let beat: NodeJS.Timeout | undefined;
  const stop = () => {
    stopped = true;
    untail();
    clearInterval(beat);
    if (!res.writableEnded) res.end();
    socket.destroySoon();
  };
  const send = (entry: unknown, seq: number) => {
    if (left <= 0 || res.writableEnded) return;
    if (res.writableLength > STREAM_BACKLOG) {
      rt.log.warn({ reqId: req.id }, 'request stream cut off: the client reads too slowly');
      res.destroy();
      return;
    }
    res.write(`id: ${seq}\nevent: request\ndata: ${JSON.stringify(entry)}\n\n`);
    if (--left <= 0) stop();
  };
  // The opening line once the tail is in place (on PostgreSQL, once it knows where the table ends), then the entries.
  const opened = () => void res.write(`: tailing the request journal\nretry: 1000\n\n`);
  untail = rt.journal.tail(filter, { after, opened, send, end: stop });
  if (stopped) return untail();
  beat = setInterval(() => res.write(`: heartbeat ${rt.clock.now()}\n\n`), heartbeat * 1000);
  beat.unref();
  res.on('close', stop);
}

function positive(value: unknown, field: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,7}$/.test(value) || Number(value) < 1 || Number(value) > max)
    throw new SandboxError('invalid_param', { field, diagnostic: `${field} must be an integer from 1 to ${max} (seconds); got ${JSON.stringify(value)}` });
  return Number(value);
}

function journalFilter(req: Request, rt: Runtime, known = FILTERS, defaultLimit: number | undefined = DEFAULT_LIMIT): JournalFilter {
  const query = req.query as Record<string, unknown>;
  const unknown = Object.keys(query).find((k) => !known.includes(k));
  if (unknown) throw new SandboxError('invalid_param', { field: unknown, diagnostic: `unknown filter ${unknown}; filters are ${known.join(', ')}` });
  const text = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '')
      throw new SandboxError('invalid_param', { field: name, diagnostic: `${name} must be given once, as a non-empty value` });
    return value;
  };
  const int = (name: string, min: number): number | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value)))
      throw new SandboxError('invalid_param', { field: name, diagnostic: `${name} must be an integer ≥ ${min}; got ${JSON.stringify(value)}` });
    return Number(value);
  };
  const vendor = text('vendor');
  if (vendor !== undefined && !rt.vendors.some((v) => v.slug === vendor)) {
    throw new SandboxError('invalid_param', { field: 'vendor', diagnostic: `vendor must be one of ${rt.vendors.map((v) => v.slug).join(', ')}` });
  }
  return {
    vendor,
    operation: text('operation'),
    tenant: text('tenant'),
    code: text('code'),
    status: int('status', 100),
    since: int('since', 0),
    until: int('until', 0),
    limit: int('limit', 1) ?? defaultLimit,
  };
}

/**
 * GET /__sandbox/requests: the request journal, newest first, filtered by vendor, operation, tenant,
 * vendor code, HTTP status and time (sandbox ms), bodies masked, streamed (a journal of many entries is
 * never held as one answer). DELETE clears it.
 */
import type { Request, Router } from 'express';
import { SandboxError } from '../core/errors.js';
import type { JournalFilter } from '../core/journal.js';
import type { Runtime } from '../core/runtime.js';
import { jsonList, sendJsonPieces } from './stream.js';

const DEFAULT_LIMIT = 100;
const FILTERS = ['vendor', 'operation', 'tenant', 'code', 'status', 'since', 'until', 'limit'];

export function requestRoutes(router: Router, rt: Runtime): void {
  router.get('/requests', async (req, res) => sendJsonPieces(res, jsonList('requests', rt.journal.entries(journalFilter(req, rt)))));
  router.delete('/requests', (_req, res) => void res.json({ status: 'ok', removed: rt.journal.clear() }));
}

function journalFilter(req: Request, rt: Runtime): JournalFilter {
  const query = req.query as Record<string, unknown>;
  const unknown = Object.keys(query).find((k) => !FILTERS.includes(k));
  if (unknown) throw new SandboxError('invalid_param', { field: unknown, diagnostic: `unknown filter ${unknown}; filters are ${FILTERS.join(', ')}` });
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
    limit: int('limit', 1) ?? DEFAULT_LIMIT,
  };
}

/**
 * The control plane under /__sandbox: plain JSON for tests, CI and QA (never a vendor envelope).
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { SandboxError, type CanonicalCode } from '../core/errors.js';
import { DIAGNOSTIC_HEADER, headerSafe } from '../core/operations.js';
import { loadScenario, readScenario } from '../core/scenario.js';
import { vendorBySlug, type Runtime } from '../core/runtime.js';
import { checkSettings } from '../core/settings.js';
import { getTenant, listTenants, TENANTS, type Tenant } from '../core/tenants.js';
import { requireAdminToken } from './auth.js';
import { outcomeRoutes } from './outcomes.js';
import { simulateRoute } from './simulate.js';

const STATUS: Partial<Record<CanonicalCode, number>> = {
  invalid_param: 400,
  malformed_body: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unauthenticated: 401,
  route_not_found: 404,
  resource_not_found: 404,
  card_not_found: 404,
  invalid_state: 409,
  duplicate_resource: 409,
};

export function controlPlane(rt: Runtime): Router {
  const router = express.Router({ caseSensitive: true });
  const started = Date.now();

  // Open even with an admin token, for health checks.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', uptimeMs: Date.now() - started, vendors: rt.vendors.map((v) => v.slug), clock: rt.clock.toJSON(), store: rt.store.inMemory ? ':memory:' : rt.store.path });
  });
  if (rt.config.adminToken) router.use(requireAdminToken(rt.config.adminToken));
  router.use(express.json({ limit: rt.config.bodyLimitBytes }));

  router.get('/clock', (_req, res) => void res.json(rt.clock.toJSON()));
  router.post('/clock', async (req, res) => {
    const body = objectBody(req);
    if (body.mode === 'system') {
      rt.clock.useSystem();
      rt.scheduler.runDue();
    } else if (body.now !== undefined) {
      rt.clock.freeze(integer(body.now, 'now'));
      rt.scheduler.runDue();
    } else if (body.advanceMs !== undefined) {
      if (rt.clock.mode !== 'frozen') throw new SandboxError('invalid_state', { diagnostic: 'freeze the clock first ({"now": <ms>} or {"mode":"frozen"}); a system clock cannot be advanced' });
      await rt.scheduler.advance(integer(body.advanceMs, 'advanceMs'));
    } else if (body.mode === 'frozen') {
      rt.clock.freeze();
    } else {
      throw new SandboxError('invalid_param', { field: 'body', diagnostic: 'send {"now": <ms>}, {"advanceMs": <ms>}, {"mode": "frozen"} or {"mode": "system"}' });
    }
    res.json(rt.clock.toJSON());
  });

  router.post('/reset', async (req, res) => {
    const name = typeof objectBody(req).scenario === 'string' ? (objectBody(req).scenario as string) : 'default';
    await rt.scheduler.idle();
    let scenario;
    try {
      scenario = readScenario(name);
    } catch {
      throw new SandboxError('resource_not_found', { field: 'scenario', diagnostic: `no scenario ${JSON.stringify(name)} under fixtures/` });
    }
    await loadScenario(rt.store, scenario);
    rt.scheduler.invalidate();
    res.json({ status: 'ok', scenario: scenario.name });
  });

  router.get('/tenants', (_req, res) => void res.json({ tenants: listTenants(rt.store) }));
  router.patch('/tenants/:id', async (req, res) => {
    const tenant = getTenant(rt.store, String(req.params.id));
    if (!tenant) throw new SandboxError('resource_not_found', { diagnostic: `no tenant ${req.params.id}` });
    const body = objectBody(req);
    const next: Tenant = { ...tenant };
    if ('webhookUrl' in body) next.webhookUrl = url(body.webhookUrl, 'webhookUrl');
    if ('webhookUrls' in body) next.webhookUrls = urlMap(body.webhookUrls);
    if ('credentials' in body) next.credentials = { ...tenant.credentials, ...stringMap(body.credentials, 'credentials') };
    if ('settings' in body) {
      const settings = objectOf(body.settings, 'settings');
      checkSettings(vendorBySlug(rt, tenant.vendor)?.settings ?? {}, settings);
      next.settings = { ...tenant.settings, ...settings };
    }
    const tx = rt.store.begin();
    tx.put(TENANTS, next);
    await rt.store.commit(tx);
    res.json(next);
  });

  router.get('/webhooks', (req, res) => {
    const { tenant, event, state } = req.query;
    const deliveries = rt.webhooks.list().filter((d) => (!tenant || d.tenantId === tenant) && (!event || d.event === event) && (!state || d.state === state));
    res.json({ deliveries });
  });

  router.post('/simulate/:action', simulateRoute(rt));
  outcomeRoutes(router, rt);
  for (const vendor of rt.vendors) {
    if (!vendor.control) continue;
    const sub = express.Router({ caseSensitive: true });
    vendor.control(sub, rt);
    router.use(`/${vendor.slug}`, sub);
  }

  router.use((req) => {
    throw new SandboxError('route_not_found', { diagnostic: `no control-plane route ${req.method} ${req.originalUrl}` });
  });
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const type = (err as { type?: string } | null)?.type;
    let e: SandboxError;
    if (err instanceof SandboxError) e = err;
    else if (type === 'entity.parse.failed') e = new SandboxError('malformed_body', { diagnostic: (err as Error).message });
    else if (type === 'entity.too.large') e = new SandboxError('payload_too_large', { diagnostic: (err as Error).message });
    else {
      rt.log.error({ err, reqId: req.id }, 'control plane error');
      e = new SandboxError('internal', { diagnostic: `unexpected error (request ${req.id}); see the sandbox log` });
    }
    res.setHeader(DIAGNOSTIC_HEADER, headerSafe(`${e.code}: ${e.diagnostic}`));
    res.status(STATUS[e.code] ?? (e.code === 'internal' ? 500 : 400)).json({ error: { code: e.code, field: e.field ?? null, message: e.diagnostic } });
  });
  return router;
}

function objectBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined) return {};
  return objectOf(body, 'body');
}

function objectOf(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SandboxError('invalid_param', { field, diagnostic: `${field} must be a JSON object` });
  return value as Record<string, unknown>;
}

export function integer(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new SandboxError('invalid_param', { field, diagnostic: `${field} must be a non-negative integer (ms)` });
  return value;
}

function url(value: unknown, field: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !/^https?:\/\/[^\s]+$/.test(value)) throw new SandboxError('invalid_param', { field, diagnostic: `${field} must be an http(s) URL or null` });
  return value;
}

function stringMap(value: unknown, field: string): Record<string, string> {
  const entries = Object.entries(objectOf(value, field));
  const bad = entries.find(([, v]) => typeof v !== 'string' || v === '');
  if (bad) throw new SandboxError('invalid_param', { field: `${field}.${bad[0]}`, diagnostic: `${field}.${bad[0]} must be a non-empty string` });
  return Object.fromEntries(entries) as Record<string, string>;
}

function urlMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [event, u] of Object.entries(objectOf(value, 'webhookUrls'))) {
    const parsed = url(u, `webhookUrls.${event}`);
    if (parsed) out[event] = parsed;
  }
  return out;
}

/**
 * The control plane under /__sandbox: plain JSON for tests, CI and QA (never a vendor envelope).
 */
import { basename } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { SandboxError, type CanonicalCode } from '../core/errors.js';
import { checkJsonDepth } from '../core/json-depth.js';
import { withoutDirectories } from '../core/masking.js';
import { DIAGNOSTIC_HEADER, headerSafe } from '../core/answer.js';
import type { Runtime } from '../core/runtime.js';
import type { Ran } from '../core/scheduler.js';
import { docsPageRoutes } from '../docs-page/index.js';
import { requireAdminToken } from './auth.js';
import { integer, objectBody } from './body.js';
import { cardRoutes } from './cards.js';
import { collectionRoutes } from './collections.js';
import { faultRoutes } from './faults.js';
import { requestRoutes } from './requests.js';
import { openapiRoutes } from './openapi.js';
import { outcomeRoutes } from './outcomes.js';
import { PACK_BODY_LIMIT, scenarioRoutes } from './scenarios.js';
import { simulateRoute } from './simulate.js';
import { tenantRoutes } from './tenants.js';
import { timelineRoutes } from './timeline.js';
import { uiRoutes } from './ui.js';
import { webhookRoutes } from './webhooks.js';

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
  // It names no absolute path: the store by its file name, a failure with paths cut to their file names.
  // The store checks itself first: the PostgreSQL store pings its database (health.ts, cached for a second).
  router.get('/health', async (_req, res) => {
    const checked = await rt.store.check();
    const failure = checked === undefined ? undefined : withoutDirectories(checked);
    if (failure) res.status(503).setHeader(DIAGNOSTIC_HEADER, headerSafe(`store_failed: ${failure}`));
    res.json({
      status: failure ? 'failing' : 'ok',
      uptimeMs: Date.now() - started,
      vendors: rt.vendors.map((v) => v.slug),
      clock: rt.clock.toJSON(),
      store: rt.store.inMemory ? ':memory:' : basename(rt.store.path),
      ...(failure ? { storeFailure: failure } : {}),
    });
  });
  // The docs page asks for the token itself; its calls to the rest of the control plane carry it.
  docsPageRoutes(router, rt);
  // The dashboard's files are open too: the page asks for the token and sends it itself.
  uiRoutes(router);
  if (rt.config.adminToken) router.use(requireAdminToken(rt.config.adminToken));
  // A body nested past MAX_JSON_DEPTH is refused before it is parsed (verify sees the raw bytes).
  const verify = (_req: unknown, _res: unknown, raw: Buffer) => checkJsonDepth(raw);
  router.use('/scenarios', express.json({ limit: PACK_BODY_LIMIT, verify }));
  router.use(express.json({ limit: rt.config.bodyLimitBytes, verify }));
  router.use(sharedState(rt));

  router.get('/clock', (_req, res) => void res.json(rt.clock.toJSON()));
  router.post('/clock', async (req, res) => {
    const body = objectBody(req);
    let ran: Ran[] = [];
    if (body.mode === 'system') {
      rt.clock.useSystem();
      ran = await rt.scheduler.settleDue();
    } else if (body.now !== undefined) {
      rt.clock.freeze(integer(body.now, 'now'));
      ran = await rt.scheduler.settleDue();
    } else if (body.advanceMs !== undefined) {
      if (rt.clock.mode !== 'frozen')
        throw new SandboxError('invalid_state', {
          diagnostic: 'freeze the clock first ({"now": <ms>} or {"mode":"frozen"}); a system clock cannot be advanced',
        });
      ran = await rt.scheduler.advance(integer(body.advanceMs, 'advanceMs'));
    } else if (body.mode === 'frozen') {
      rt.clock.freeze();
    } else {
      throw new SandboxError('invalid_param', {
        field: 'body',
        diagnostic: 'send {"now": <ms>}, {"advanceMs": <ms>}, {"mode": "frozen"} or {"mode": "system"}',
      });
    }
    // What fell due and ran, in order (settlements, webhook attempts, expiries): the clock view shows it.
    res.json({ ...rt.clock.toJSON(), ran });
  });

  scenarioRoutes(router, rt);
  tenantRoutes(router, rt);

  webhookRoutes(router, rt);

  router.post('/simulate/:action', simulateRoute(rt));
  requestRoutes(router, rt);
  timelineRoutes(router, rt);
  cardRoutes(router, rt);
  faultRoutes(router, rt);
  outcomeRoutes(router, rt);
  openapiRoutes(router, rt);
  collectionRoutes(router, rt);

  router.use((req) => {
    throw new SandboxError('route_not_found', { diagnostic: `no control-plane route ${req.method} ${req.originalUrl}` });
  });
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const type = (err as { type?: string } | null)?.type;
    let e: SandboxError;
    if (err instanceof SandboxError) e = err;
    else if (type === 'entity.parse.failed') e = new SandboxError('malformed_body', { diagnostic: (err as Error).message });
    else if (type === 'entity.too.large') e = new SandboxError('payload_too_large', { diagnostic: (err as Error).message });
    // The router's own decoding of a route parameter (`/tenants/%ZZ`): the client's mistake, not ours.
    else if (err instanceof URIError)
      e = new SandboxError('invalid_param', {
        field: 'path',
        diagnostic: `${err.message}: a route parameter must be valid percent-encoding (${req.method} ${req.originalUrl})`,
      });
    else {
      rt.log.error({ err, reqId: req.id }, 'control plane error');
      e = new SandboxError('internal', { diagnostic: `unexpected error (request ${req.id}); see the sandbox log` });
    }
    res.setHeader(DIAGNOSTIC_HEADER, headerSafe(`${e.code}: ${e.diagnostic}`));
    // A store that refuses changes is unavailable, as health says (503), rather than broken.
    res
      .status(STATUS[e.code] ?? (e.code === 'internal' ? (rt.store.failure ? 503 : 500) : 400))
      .json({ error: { code: e.code, field: e.field ?? null, message: e.diagnostic } });
  });
  return router;
}

/**
 * Where replicas share one database (src/store-pg/shared.ts): each call starts from every replica's
 * clock, fault rules and tenants, and a call that changes something publishes this replica's clock and
 * rules before its answer goes out, so that the next request to any replica sees them. Nothing to do on
 * the file store.
 */
function sharedState(rt: Runtime) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    await rt.shared.sync();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const send = res.json.bind(res);
      res.json = (body: unknown) => {
        rt.shared.publish().then(
          () => send(body),
          (error: unknown) => next(error),
        );
        return res;
      };
    }
    next();
  };
}

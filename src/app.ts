/**
 * createApp: core middleware, the control plane, one mount per vendor, and a JSON 404 for the rest.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import { controlPlane } from './control/index.js';
import { mountVendor } from './core/operations.js';
import type { Runtime } from './core/runtime.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      id: string;
    }
  }
}

export function createApp(rt: Runtime): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    const given = req.headers['x-request-id'];
    req.id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    if (rt.log.isLevelEnabled('debug')) {
      const started = performance.now();
      res.on('finish', () => {
        rt.log.debug({ reqId: req.id, method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10 }, 'request');
      });
    }
    next();
  });
  app.use('/__sandbox', controlPlane(rt));
  for (const vendor of rt.vendors) mountVendor(app, rt, vendor);
  app.use((req, res) => {
    res.status(404).json({ error: { code: 'route_not_found', message: `no vendor or control-plane route at ${req.method} ${req.originalUrl}`, vendors: rt.vendors.map((v) => ({ slug: v.slug, basePaths: v.basePaths })) } });
  });
  return app;
}

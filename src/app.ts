/**
 * createApp: the vendors' dispatcher first, then request ids, the control plane, and a JSON 404 for
 * the rest. A server made by createSandbox hands vendor requests to the dispatcher before Express sees
 * them; the app serves them through the same dispatcher when it is used on its own (supertest).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { controlPlane } from './control/index.js';
import { DIAGNOSTIC_HEADER, headerSafe } from './core/answer.js';
import { assignRequestId } from './core/dispatch.js';
import type { Runtime } from './core/runtime.js';

declare global {
  namespace Express {
    interface Request {
      id: string;
    }
  }
}

export function createApp(rt: Runtime, dispatchVendor: (req: IncomingMessage, res: ServerResponse) => boolean): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    if (dispatchVendor(req, res)) return;
    assignRequestId(req, res, rt.log);
    next();
  });
  app.use('/__sandbox', controlPlane(rt));
  app.use((req, res) => {
    const message = `no vendor or control-plane route at ${req.method} ${req.originalUrl}`;
    const bases = rt.vendors.flatMap((v) => v.basePaths.map((base) => `${base} (${v.slug})`)).join(', ');
    res.setHeader(DIAGNOSTIC_HEADER, headerSafe(`route_not_found: ${message}; vendor base paths: ${bases}; control plane: /__sandbox`));
    res.status(404).json({ error: { code: 'route_not_found', message, vendors: rt.vendors.map((v) => ({ slug: v.slug, basePaths: v.basePaths })) } });
  });
  return app;
}

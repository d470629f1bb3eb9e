/**
 * GET /__sandbox/openapi lists the OpenAPI documents; GET /__sandbox/openapi/<vendor> serves one, built
 * from the registry as openapi/<slug>.json is (src/openapi/document.ts), with this sandbox's own URL as
 * the servers' origin so that a client tries requests against it.
 */
import type { Request, Router } from 'express';
import { SandboxError } from '../core/errors.js';
import type { Runtime } from '../core/runtime.js';
import { vendorDocument } from '../openapi/document.js';

export function openapiRoutes(router: Router, rt: Runtime): void {
  router.get('/openapi', (req, res) => {
    res.json({
      documents: rt.vendors.map((v) => ({ vendor: v.slug, title: v.title, url: `${originOf(req)}/__sandbox/openapi/${v.slug}` })),
    });
  });
  router.get('/openapi/:vendor', (req, res) => {
    const vendor = rt.vendors.find((v) => v.slug === req.params.vendor);
    if (!vendor)
      throw new SandboxError('resource_not_found', {
        field: 'vendor',
        diagnostic: `no vendor ${req.params.vendor}; vendors are ${rt.vendors.map((v) => v.slug).join(', ')}`,
      });
    res.json(vendorDocument(vendor, originOf(req)));
  });
}

function originOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/**
 * GET /__sandbox/openapi lists the OpenAPI documents; GET /__sandbox/openapi/<vendor> serves one, built
 * from the registry as openapi/<slug>.json is (src/openapi/document.ts), with this sandbox's own URL as
 * the servers' origin so that a client tries requests against it.
 */
import type { Request, Router } from 'express';
import { SandboxError } from '../core/errors.js';
import type { Runtime } from '../core/runtime.js';
import { CONTROL_PLANE, controlDocument } from '../openapi/control.js';
import { DEFAULT_SERVER, committedDocument, vendorDocument } from '../openapi/document.js';
import { VENDORS } from '../vendors/index.js';

const VENDORS_OF_PACKAGE = new Set(VENDORS);

export function openapiRoutes(router: Router, rt: Runtime): void {
  router.get('/openapi', (req, res) => {
    res.json({
      documents: [
        ...rt.vendors.map((v) => ({ vendor: v.slug, title: v.title, url: `${originOf(req)}/__sandbox/openapi/${v.slug}` })),
        { vendor: CONTROL_PLANE, title: 'card-sandbox control plane', url: `${originOf(req)}/__sandbox/openapi/${CONTROL_PLANE}` },
      ],
    });
  });
  router.get('/openapi/:vendor', (req, res) => {
    if (req.params.vendor === CONTROL_PLANE) {
      res.json(controlDocument(originOf(req)));
      return;
    }
    const vendor = rt.vendors.find((v) => v.slug === req.params.vendor);
    if (!vendor)
      throw new SandboxError('resource_not_found', {
        field: 'vendor',
        diagnostic: `no vendor ${req.params.vendor}; documents are ${[...rt.vendors.map((v) => v.slug), CONTROL_PLANE].join(', ')}`,
      });
    // The package's own vendors: the committed document (what the package ships); another: built now.
    const committed = VENDORS_OF_PACKAGE.has(vendor) ? committedDocument(vendor.slug) : undefined;
    const origin = originOf(req);
    const document = committed
      ? { ...committed, servers: (committed.servers as Array<{ url: string }>).map((s) => ({ ...s, url: s.url.replace(DEFAULT_SERVER, origin) })) }
      : vendorDocument(vendor, { server: origin });
    res.json(document);
  });
}

export function originOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

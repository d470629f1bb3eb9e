/**
 * GET /__sandbox/collections lists the Postman collections; GET /__sandbox/collections/<vendor> serves
 * one, as committed under collections/ (src/collections/), with this sandbox's own URL as its `baseUrl`
 * variable, ready to import into Postman or run with newman.
 */
import type { Router } from 'express';
import { committedCollection } from '../collections/index.js';
import { SandboxError } from '../core/errors.js';
import type { Runtime } from '../core/runtime.js';
import { originOf } from './openapi.js';

export function collectionRoutes(router: Router, rt: Runtime): void {
  // Only the vendors that have a committed collection (a vendor registered by a consumer has none).
  const served = () => rt.vendors.filter((v) => committedCollection(v.slug) !== undefined);
  router.get('/collections', (req, res) => {
    res.json({
      collections: served().map((v) => ({ vendor: v.slug, title: v.title, url: `${originOf(req)}/__sandbox/collections/${v.slug}` })),
    });
  });
  router.get('/collections/:vendor', (req, res) => {
    const vendor = rt.vendors.find((v) => v.slug === req.params.vendor);
    const collection = vendor ? committedCollection(vendor.slug, originOf(req)) : undefined;
    if (!collection)
      throw new SandboxError('resource_not_found', {
        field: 'vendor',
        diagnostic: `no collection for ${req.params.vendor}; collections are ${
          served()
            .map((v) => v.slug)
            .join(', ') || 'none'
        }`,
      });
    res.setHeader('Content-Disposition', `inline; filename="${vendor!.slug}.postman_collection.json"`);
    res.json(collection);
  });
}

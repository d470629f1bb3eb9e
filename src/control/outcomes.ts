/**
 * Outcomes on demand. GET /__sandbox/magic-values lists every request value that forces an outcome, as
 * each vendor declares it; GET /__sandbox/outcomes lists what can be forced; POST /__sandbox/outcomes
 * `{"vendor", "kind", "id", "outcome", "tenant"?}` settles a pending record now with that outcome,
 * through the vendor's own `outcomes` hook.
 */
import type { Request, Response, Router } from 'express';
import { SandboxError } from '../core/errors.js';
import { publicMagic } from '../core/magic.js';
import { inTenant, vendorBySlug, type Runtime } from '../core/runtime.js';
import { getTenant, listTenants } from '../core/tenants.js';

export function outcomeRoutes(router: Router, rt: Runtime): void {
  router.get('/magic-values', (_req, res) => {
    res.json({ vendors: Object.fromEntries(rt.vendors.map((v) => [v.slug, v.magicValues.map(publicMagic)])) });
  });

  router.get('/outcomes', (_req, res) => {
    const kinds = rt.vendors.map((v) => [v.slug, Object.entries(v.outcomes ?? {}).map(([kind, k]) => ({ kind, id: k.id, outcomes: k.outcomes }))]);
    res.json({ vendors: Object.fromEntries(kinds) });
  });

  router.post('/outcomes', async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const vendor = vendorBySlug(rt, String(body.vendor));
    if (!vendor) throw invalid('vendor', `vendor must be one of ${rt.vendors.map((v) => v.slug).join(', ')}`);
    const kinds = vendor.outcomes ?? {};
    const kind = Object.hasOwn(kinds, String(body.kind)) ? kinds[String(body.kind)] : undefined;
    if (!kind) throw invalid('kind', Object.keys(kinds).length ? `${vendor.slug} kind must be one of ${Object.keys(kinds).join(', ')}` : `${vendor.slug} has nothing whose outcome can be forced`);
    if (typeof body.outcome !== 'string' || !kind.outcomes.includes(body.outcome)) throw invalid('outcome', `outcome of a ${vendor.slug} ${String(body.kind)} must be one of ${kind.outcomes.join(', ')}`);
    if ((typeof body.id !== 'string' && typeof body.id !== 'number') || String(body.id) === '') throw invalid('id', `id must be the record's ${kind.id}`);
    if (body.tenant !== undefined && typeof body.tenant !== 'string') throw invalid('tenant', 'tenant must be a tenant id');
    const id = String(body.id);

    const owners = listTenants(rt.store).filter((t) => t.vendor === vendor.slug && (body.tenant === undefined || t.id === body.tenant) && rt.store.get(kind.collection, t.id, id));
    if (owners.length === 0) {
      const where = body.tenant === undefined ? '' : ` of tenant ${String(body.tenant)}`;
      throw new SandboxError('resource_not_found', { field: 'id', diagnostic: `no ${vendor.slug} ${String(body.kind)} with ${kind.id} ${id}${where}` });
    }
    if (owners.length > 1) throw invalid('tenant', `several ${vendor.slug} tenants have a ${String(body.kind)} ${id} (${owners.map((t) => t.id).join(', ')}); name one with "tenant"`);

    const tenant = getTenant(rt.store, owners[0].id)!;
    const record = await inTenant(rt, vendor, tenant, (ctx) => kind.force(ctx, ctx.tx.get(kind.collection, tenant.id, id), body.outcome as string));
    res.json({ vendor: vendor.slug, kind: body.kind, id, tenant: tenant.id, outcome: body.outcome, record });
  });
}

function invalid(field: string, diagnostic: string): SandboxError {
  return new SandboxError('invalid_param', { field, diagnostic });
}

/**
 * Outcomes on demand. GET /__sandbox/magic-values lists every request value that forces an outcome, as
 * each vendor declares it; GET /__sandbox/outcomes lists what can be forced; POST /__sandbox/outcomes
 * `{"vendor", "kind", "id", "outcome", "tenant"?}` settles a pending record now with that outcome,
 * through the vendor's own `outcomes` hook; POST /__sandbox/<vendor>/<kind>/<id> `{"outcome", "tenant"?}`
 * does the same for one record and answers it as the vendor shows it.
 */
import type { NextFunction, Request, Response, Router } from 'express';
import { SandboxError } from '../core/errors.js';
import { publicMagic } from '../core/magic.js';
import { inTenant, vendorBySlug, type Runtime } from '../core/runtime.js';
import { getTenant, listTenants } from '../core/tenants.js';
import type { PendingKind, VendorModule } from '../core/vendor.js';

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
    if ((typeof body.id !== 'string' && typeof body.id !== 'number') || String(body.id) === '')
      throw invalid('id', `id must be the record's ${kindOf(vendor, body.kind)[1].id}`);
    const forced = await force(rt, vendor, body.kind, String(body.id), body);
    res.json({ vendor: vendor.slug, kind: body.kind, id: forced.id, tenant: forced.tenant, outcome: body.outcome, record: forced.record });
  });

  // The same for one record, answering it as the vendor shows it: POST /__sandbox/finext/kyc/lili12 {"outcome": "rejected"}.
  router.post('/:vendor/:kind/:id', async (req: Request, res: Response, next: NextFunction) => {
    const vendor = vendorBySlug(rt, String(req.params.vendor));
    if (!vendor) return next();
    res.json((await force(rt, vendor, req.params.kind, String(req.params.id), (req.body ?? {}) as Record<string, unknown>)).record);
  });
}

function kindOf(vendor: VendorModule, name: unknown): [string, PendingKind] {
  const kinds = vendor.outcomes ?? {};
  const kind = Object.hasOwn(kinds, String(name)) ? kinds[String(name)] : undefined;
  if (!kind)
    throw invalid(
      'kind',
      Object.keys(kinds).length
        ? `${vendor.slug} kind must be one of ${Object.keys(kinds).join(', ')}`
        : `${vendor.slug} has nothing whose outcome can be forced`,
    );
  return [String(name), kind];
}

/** Settles the one record `id` of `kind` now with `body.outcome`, in the tenant that holds it (or `body.tenant`). */
async function force(
  rt: Runtime,
  vendor: VendorModule,
  kindName: unknown,
  id: string,
  body: Record<string, unknown>,
): Promise<{ id: string; tenant: string; record: unknown }> {
  const [name, kind] = kindOf(vendor, kindName);
  if (typeof body.outcome !== 'string' || !kind.outcomes.includes(body.outcome))
    throw invalid('outcome', `outcome of a ${vendor.slug} ${name} must be one of ${kind.outcomes.join(', ')}`);
  if (body.tenant !== undefined && typeof body.tenant !== 'string') throw invalid('tenant', 'tenant must be a tenant id');
  const fields: Record<string, string> = {};
  for (const field of kind.fields ?? []) {
    if (body[field] === undefined) continue;
    if (typeof body[field] !== 'string') throw invalid(field, `${field} must be a string`);
    fields[field] = body[field];
  }

  const candidates = listTenants(rt.store).filter((t) => t.vendor === vendor.slug && (body.tenant === undefined || t.id === body.tenant));
  const held = await Promise.all(candidates.map((t) => rt.store.lookup(kind.collection, t.id, id)));
  const owners = candidates.filter((_t, i) => held[i] !== undefined);
  if (owners.length === 0) {
    const where = body.tenant === undefined ? '' : ` of tenant ${String(body.tenant)}`;
    throw new SandboxError('resource_not_found', { field: 'id', diagnostic: `no ${vendor.slug} ${name} with ${kind.id} ${id}${where}` });
  }
  if (owners.length > 1) {
    throw new SandboxError('duplicate_resource', {
      field: 'tenant',
      diagnostic: `merchants ${owners.map((t) => t.id).join(', ')} each have a ${vendor.slug} ${name} ${id}; name one with "tenant"`,
    });
  }
  const tenant = getTenant(rt.store, owners[0].id)!;
  const record = await inTenant(rt, vendor, tenant, (ctx) => kind.force(ctx, ctx.tx.get(kind.collection, tenant.id, id), body.outcome as string, fields));
  return { id, tenant: tenant.id, record };
}

function invalid(field: string, diagnostic: string): SandboxError {
  return new SandboxError('invalid_param', { field, diagnostic });
}

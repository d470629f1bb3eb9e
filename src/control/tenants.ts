/**
 * Merchants on the control plane:
 *   GET    /tenants        every merchant: vendor, credentials, webhook URLs, settings; and each vendor's
 *                          settings (rule, default, meaning), so a client can show what it may change
 *   POST   /tenants        {"vendor", "scenario"? (default "default"), "name"?} → 201, a new merchant with
 *                          fresh credentials and its own copy of the pack's first merchant of that vendor
 *   PATCH  /tenants/:id    webhook URLs, credentials and settings (merged; settings checked per vendor)
 *   DELETE /tenants/:id    the merchant and every record it owns
 * Parallel CI pipelines each create a merchant, so none sees another's records.
 */
import type { Router } from 'express';
import { SandboxError } from '../core/errors.js';
import { GLOBAL, randomHex } from '../core/ids.js';
import { vendorBySlug, type Runtime } from '../core/runtime.js';
import { checkSettings } from '../core/settings.js';
import { copyTenantRecords, deleteTenant } from '../core/tenant-data.js';
import { credentialClash, getTenant, listTenants, TENANTS, type Tenant } from '../core/tenants.js';
import type { VendorModule } from '../core/vendor.js';
import { objectBody, objectOf, onlyFields, optionalString, stringMap, url, urlMap } from './body.js';
import { namedScenario, vendorTemplate } from './scenarios.js';

export function tenantRoutes(router: Router, rt: Runtime): void {
  router.get(
    '/tenants',
    (_req, res) => void res.json({ tenants: listTenants(rt.store), settings: Object.fromEntries(rt.vendors.map((v) => [v.slug, v.settings])) }),
  );

  router.post('/tenants', async (req, res) => {
    const body = objectBody(req);
    onlyFields(body, ['vendor', 'scenario', 'name']);
    const vendor = vendorBySlug(rt, String(body.vendor));
    if (!vendor) throw new SandboxError('invalid_param', { field: 'vendor', diagnostic: `vendor must be one of ${rt.vendors.map((v) => v.slug).join(', ')}` });
    const name = optionalString(body.name, 'name');
    const pack = await namedScenario(rt, body.scenario ?? 'default', 'scenario');
    const template = vendorTemplate(pack, vendor.slug, 'scenario');
    const id = newTenantId(rt, vendor);
    const tenant: Tenant = { ...template, id, tenantId: id, name: name ?? `${vendor.title} merchant ${id}`, credentials: newCredentials(rt, vendor) };
    await rt.store.run(GLOBAL, (tx) => copyTenantRecords(tx, rt.scheduler, rt.clock.now(), pack, template.id, tenant));
    rt.scheduler.invalidate();
    rt.scheduler.kick();
    res.status(201).location(`/__sandbox/tenants/${id}`).json(tenant);
  });

  router.patch('/tenants/:id', async (req, res) => {
    const tenant = getTenant(rt.store, String(req.params.id));
    if (!tenant) throw new SandboxError('resource_not_found', { diagnostic: `no tenant ${req.params.id}` });
    const body = objectBody(req);
    const next: Tenant = { ...tenant };
    if ('webhookUrl' in body) next.webhookUrl = url(body.webhookUrl, 'webhookUrl');
    if ('webhookUrls' in body) next.webhookUrls = urlMap(body.webhookUrls);
    if ('credentials' in body) {
      next.credentials = { ...tenant.credentials, ...stringMap(body.credentials, 'credentials') };
      const keys = vendorBySlug(rt, tenant.vendor)?.credentialKeys ?? [];
      const clash = credentialClash(listTenants(rt.store), next, keys);
      if (clash)
        throw new SandboxError('duplicate_resource', {
          field: 'credentials',
          diagnostic: `tenant ${clash.id} already has ${keys.map((k) => `${k}=${next.credentials[k]}`).join(' and ')}: requests could not tell the two apart`,
        });
    }
    if ('settings' in body) {
      const settings = objectOf(body.settings, 'settings');
      checkSettings(vendorBySlug(rt, tenant.vendor)?.settings ?? {}, settings);
      next.settings = { ...tenant.settings, ...settings };
    }
    await rt.store.run(GLOBAL, (tx) => tx.put(TENANTS, next));
    res.json(next);
  });

  router.delete('/tenants/:id', async (req, res) => {
    const id = String(req.params.id);
    if (!getTenant(rt.store, id))
      throw new SandboxError('resource_not_found', { field: 'id', diagnostic: `no tenant ${id} (GET /__sandbox/tenants lists them)` });
    await rt.scheduler.idle();
    const removed = await deleteTenant(rt.store, id);
    rt.scheduler.invalidate();
    res.json({ status: 'ok', id, removed });
  });
}

function newTenantId(rt: Runtime, vendor: VendorModule): string {
  for (;;) {
    const id = `${vendor.slug}-${randomHex(4)}`;
    if (!getTenant(rt.store, id)) return id;
  }
}

/** The vendor's fresh credentials, none of whose values another merchant of the vendor already uses. */
function newCredentials(rt: Runtime, vendor: VendorModule): Record<string, string> {
  const others = listTenants(rt.store).filter((t) => t.vendor === vendor.slug);
  for (let attempt = 0; attempt < 10; attempt++) {
    const credentials = vendor.newCredentials();
    if (!others.some((t) => Object.entries(credentials).some(([field, value]) => t.credentials[field] === value))) return credentials;
  }
  throw new SandboxError('internal', { diagnostic: `could not draw ${vendor.slug} credentials that no merchant uses yet` });
}

/**
 * `ApiKey: <merchant key>` [DOC]; there is no request signature. The older docs' header name
 * `X-ONERWAY-APIKEY` is accepted too. A missing or unknown key is HTTP 401; no diagnostic shows any part
 * of a key.
 */
import { SandboxError } from '../../core/errors.js';
import { findTenantBy, type Tenant } from '../../core/tenants.js';
import type { VendorModule } from '../../core/vendor.js';
import { SLUG, settingsOf } from './model.js';

export const authenticate: VendorModule['authenticate'] = (req, store) => {
  const header = req.headers['apikey'] ?? req.headers['x-onerway-apikey'];
  const key = Array.isArray(header) ? header[0] : header;
  if (!key) throw new SandboxError('unauthenticated', { diagnostic: 'missing ApiKey header' });
  const tenant: Tenant | undefined = findTenantBy(store, SLUG, 'apiKey', key);
  if (!tenant)
    throw new SandboxError('unauthenticated', {
      diagnostic: `ApiKey sent (${key.length} characters) belongs to no Onerway merchant (GET /__sandbox/tenants lists them)`,
    });
  if (settingsOf(tenant).status !== 'ACTIVE')
    throw new SandboxError('merchant_inactive', { diagnostic: `merchant ${tenant.id} is ${settingsOf(tenant).status}` });
  return tenant;
};

/**
 * Credentials in the body [SEED]: `customer_id` (long), `app_id` (long), `key` (the app's key).
 * INFERRED: no request signature; the triplet must match one merchant (a diagnostic never shows the
 * key). The version segment of `/{version}/openApi/…` must be v<digits>.
 */
import { SandboxError, invalidParam } from '../../core/errors.js';
import { shownValue } from '../../core/masking.js';
import { listTenants } from '../../core/tenants.js';
import type { VendorModule } from '../../core/vendor.js';
import { VERSION } from './inferred.js';
import { SLUG } from './model.js';

export const authenticate: VendorModule['authenticate'] = (req, store) => {
  if (!VERSION.test(req.params.version ?? '')) {
    throw new SandboxError('route_not_found', {
      diagnostic: `version segment ${JSON.stringify(req.params.version)} is not v<digits> (e.g. /v1/openApi/card/freeze)`,
    });
  }
  const customerId = longField(req.body, 'customer_id');
  const appId = longField(req.body, 'app_id');
  const key = req.body.key;
  if (typeof key !== 'string' || key === '') throw invalidParam('key', 'is required');
  const tenant = listTenants(store).find((t) => t.vendor === SLUG && t.credentials.customer_id === customerId && t.credentials.app_id === appId);
  if (!tenant || tenant.credentials.key !== key) {
    throw new SandboxError('unauthenticated', {
      diagnostic: tenant
        ? `key does not match app ${appId} of customer ${customerId}`
        : `no merchant with customer_id ${customerId} and app_id ${appId} (GET /__sandbox/tenants lists them)`,
    });
  }
  return tenant;
};

function longField(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if ((typeof value === 'number' && Number.isSafeInteger(value) && value > 0) || (typeof value === 'string' && /^\d{1,18}$/.test(value))) return String(value);
  throw invalidParam(field, 'must be a long', `${field}=${shownValue(value)} is not a positive integer`);
}

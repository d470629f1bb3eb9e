/**
 * /__sandbox/finext: decide a KYC review. `POST /__sandbox/finext/kyc/<username>` with
 * `{"outcome": "approved" | "resubmit" | "rejected", "reason"?, "tenant"?}` settles a submitted review
 * now, or decides the next review of an account that has not been submitted yet.
 */
import type { Router } from 'express';
import { SandboxError } from '../../core/errors.js';
import { inTenant, type Runtime } from '../../core/runtime.js';
import { getTenant, listTenants } from '../../core/tenants.js';
import type { VendorModule } from '../types.js';
import { ACCOUNTS, SLUG, type Account } from './model.js';
import { REVIEW_OUTCOMES, forceKyc, renderReview } from './operations/kyc.js';

export function control(vendor: () => VendorModule) {
  return (router: Router, rt: Runtime): void => {
    router.post('/kyc/:username', async (req, res) => {
      const body = (req.body ?? {}) as { outcome?: string; reason?: unknown; tenant?: unknown };
      if (!Object.hasOwn(REVIEW_OUTCOMES, String(body.outcome))) throw new SandboxError('invalid_param', { field: 'outcome', diagnostic: 'outcome must be approved, resubmit or rejected' });
      const username = String(req.params.username);
      const owners = listTenants(rt.store).filter((t) => t.vendor === SLUG && (body.tenant === undefined || t.id === body.tenant) && rt.store.get(ACCOUNTS, t.id, username));
      if (owners.length !== 1) {
        throw new SandboxError(owners.length ? 'duplicate_resource' : 'resource_not_found', { field: owners.length ? 'tenant' : 'username', diagnostic: owners.length ? `merchants ${owners.map((t) => t.id).join(', ')} each have an account ${username}; name one with "tenant"` : `no Finext account ${username}` });
      }
      const tenant = getTenant(rt.store, owners[0].id)!;
      const reason = typeof body.reason === 'string' ? body.reason : '';
      const account = await inTenant(rt, vendor(), tenant, (ctx) => forceKyc(ctx, ctx.tx.get<Account>(ACCOUNTS, tenant.id, username)!, String(body.outcome), reason));
      res.json(renderReview(account));
    });
  };
}

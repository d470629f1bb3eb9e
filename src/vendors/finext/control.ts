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
import { KYC_STATUS } from './machines/kyc.js';
import { ACCOUNTS, SLUG, type Account } from './model.js';
import { decideKyc } from './operations/kyc.js';

const OUTCOMES = { approved: 'APPROVE', resubmit: 'ASK_RESUBMIT', rejected: 'REJECT' } as const;

export function control(vendor: () => VendorModule) {
  return (router: Router, rt: Runtime): void => {
    router.post('/kyc/:username', async (req, res) => {
      const body = (req.body ?? {}) as { outcome?: string; reason?: unknown; tenant?: unknown };
      const outcome = OUTCOMES[body.outcome as keyof typeof OUTCOMES];
      if (!outcome) throw new SandboxError('invalid_param', { field: 'outcome', diagnostic: 'outcome must be approved, resubmit or rejected' });
      const username = String(req.params.username);
      const owners = listTenants(rt.store).filter((t) => t.vendor === SLUG && (body.tenant === undefined || t.id === body.tenant) && rt.store.get(ACCOUNTS, t.id, username));
      if (owners.length !== 1) {
        throw new SandboxError(owners.length ? 'invalid_param' : 'resource_not_found', { field: owners.length ? 'tenant' : 'username', diagnostic: owners.length ? `several merchants have an account ${username}; name one with "tenant"` : `no Finext account ${username}` });
      }
      const tenant = getTenant(rt.store, owners[0].id)!;
      const reason = typeof body.reason === 'string' ? body.reason : '';
      const account = await inTenant(rt, vendor(), tenant, (ctx) => {
        const current = ctx.tx.get<Account>(ACCOUNTS, tenant.id, username)!;
        if (current.kycState === 'SUBMITTED') return decideKyc(ctx, current, outcome, reason);
        if (current.kycState !== 'NONE' && current.kycState !== 'RESUBMIT') {
          throw new SandboxError('invalid_state', { diagnostic: `account ${username} is already decided (kyc_status ${KYC_STATUS[current.kycState]})` });
        }
        const next = { ...current, reviewOutcome: outcome, reviewReason: reason };
        ctx.tx.put(ACCOUNTS, next);
        return next;
      });
      res.json({ username, kyc_status: KYC_STATUS[account.kycState], kyc_reject_reason: account.kycRejectReason, next_review: account.reviewOutcome });
    });
  };
}

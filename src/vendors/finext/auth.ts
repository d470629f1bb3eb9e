/**
 * Finext authentication [DOC]: an `authorization` header (format unpublished: INFERRED opaque token,
 * required, optionally pinned per merchant), `api_key` naming the merchant, a 13-digit ms `timestamp`
 * within ±30 s of the sandbox clock (window per merchant, or off), a 20–64 character `request_id`
 * (single use: the core's nonce check), and the MD5 `sign` in the operation's form.
 */
import { SandboxError, invalidParam } from '../../core/errors.js';
import { shownValue } from '../../core/masking.js';
import { findTenantBy } from '../../core/tenants.js';
import type { VendorModule } from '../../core/vendor.js';
import { SLUG, settingsOf } from './model.js';
import { sameDigest, sign, signMismatch, type SignForm } from './sign.js';

/** Which form signs which operation (by path under the base). The top-up adds `amount`; no-user has no username. */
export const SIGN_FORM_BY_PATH: Record<string, SignForm> = {
  '/card/topup': 'topup',
  // INFERRED: the docs give no form for this one; it has no username, so the webhooks' form.
  '/card/getAllTransactionsOfCards': 'none',
  '/card/createTransaction': 'none',
};

export const authenticate: VendorModule['authenticate'] = (req, store, clock) => {
  const given = req.headers.authorization;
  const header = Array.isArray(given) ? given[0] : given;
  if (!header) throw new SandboxError('unauthenticated', { detail: 'authorization header is required', diagnostic: 'missing authorization header' });
  const body = req.body;
  const apiKey = stringField(body, 'api_key');
  const tenant = findTenantBy(store, SLUG, 'api_key', apiKey);
  if (!tenant)
    throw new SandboxError('unauthenticated', {
      detail: 'api_key is invalid',
      diagnostic: `the api_key sent (${apiKey.length} characters) belongs to no Finext merchant (GET /__sandbox/tenants lists them)`,
    });
  const pinned = tenant.credentials.authorization;
  if (pinned && !sameDigest(pinned, header))
    throw new SandboxError('unauthenticated', {
      detail: 'authorization is invalid',
      diagnostic: `merchant ${tenant.id} pins its authorization header; the value sent differs`,
    });

  const timestamp = typeof body.timestamp === 'string' || typeof body.timestamp === 'number' ? String(body.timestamp) : '';
  if (!/^\d{13}$/.test(timestamp))
    throw invalidParam('timestamp', 'must be a 13-digit millisecond timestamp', `timestamp=${shownValue(body.timestamp)} is not 13 digits`);
  const requestId = stringField(body, 'request_id');
  if (requestId.length < 20 || requestId.length > 64)
    throw invalidParam('request_id', 'must be 20 to 64 characters', `request_id has ${requestId.length} characters; 20 to 64 are allowed`);
  const window = settingsOf(tenant).timestampWindowMs;
  const skew = Number(timestamp) - clock.now();
  if (window !== null && Math.abs(skew) > window) {
    throw new SandboxError('stale_timestamp', {
      diagnostic: `timestamp ${timestamp} is ${skew} ms from the sandbox clock ${clock.now()} (${skew > 0 ? 'ahead' : 'behind'}); the window is +/-${window} ms`,
    });
  }

  const form = SIGN_FORM_BY_PATH[req.path] ?? 'user';
  const values: Record<string, string> = { api_key: apiKey, timestamp, request_id: requestId, secret: tenant.credentials.secret ?? '' };
  if (form !== 'none') values.username = stringField(body, 'username');
  if (form === 'topup') values.amount = stringField(body, 'amount');
  const received = stringField(body, 'sign');
  if (!sameDigest(sign(form, values), received)) throw new SandboxError('invalid_signature', { diagnostic: signMismatch(form, values, received) });
  return tenant;
};

/** A required string field; any other shape (a number, an object nested however deep) is a parameter error. */
function stringField(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value === undefined || value === null || value === '')
    throw invalidParam(field, 'is required', `${field} must be a non-empty string, got ${shownValue(value)}`);
  if (typeof value !== 'string') throw invalidParam(field, 'must be a string', `${field} must be a non-empty string, got ${shownValue(value)}`);
  return value;
}

/**
 * Fakebank's request signature: `x-fake-key` names the merchant, `x-fake-timestamp` is the time in ms
 * (within 5 minutes of the sandbox clock), and `x-fake-signature` = hex HMAC-SHA256(secret,
 * timestamp + "." + path). The same HMAC signs its webhooks (over timestamp + "." + body).
 */
import { timingSafeEqual } from 'node:crypto';
import { SandboxError } from '../../src/core/errors.js';
import { findTenantBy } from '../../src/core/tenants.js';
import type { VendorModule } from '../../src/core/vendor.js';
import { hmacSha256Hex } from '../../src/core/webhooks.js';
import { SLUG } from './model.js';

export const WINDOW_MS = 5 * 60_000;
export const REQUEST_HEADERS = ['x-fake-key', 'x-fake-timestamp', 'x-fake-signature'] as const;

export function hmac(secret: string, timestamp: string, payload: string): string {
  return hmacSha256Hex(secret, `${timestamp}.${payload}`);
}

/** The three headers a client sends for `path` (the operation's path under the base) at `now`. */
export function signRequest(key: string, secret: string, path: string, now: number): Record<string, string> {
  const timestamp = String(now);
  return { 'x-fake-key': key, 'x-fake-timestamp': timestamp, 'x-fake-signature': hmac(secret, timestamp, path) };
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export const authenticate: VendorModule['authenticate'] = (req, store, clock) => {
  const [key, timestamp, signature] = REQUEST_HEADERS.map((h) => header(req.headers[h]));
  if (!key) throw new SandboxError('unauthenticated', { diagnostic: 'missing x-fake-key header' });
  const tenant = findTenantBy(store, SLUG, 'key', key);
  if (!tenant) throw new SandboxError('unauthenticated', { diagnostic: 'x-fake-key belongs to no Fakebank merchant' });
  const skew = Number(timestamp) - clock.now();
  if (!timestamp || !/^\d{13}$/.test(timestamp) || Math.abs(skew) > WINDOW_MS) {
    throw new SandboxError('stale_timestamp', {
      diagnostic: `x-fake-timestamp must be ms within ${WINDOW_MS} ms of the sandbox clock; skew ${Number.isFinite(skew) ? skew : '?'} ms`,
    });
  }
  const expected = Buffer.from(hmac(tenant.credentials.secret ?? '', timestamp, req.path));
  const received = Buffer.from(signature ?? '');
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    throw new SandboxError('invalid_signature', { diagnostic: `x-fake-signature must be hex HMAC-SHA256(secret, "${timestamp}.${req.path}")` });
  }
  return tenant;
};

/**
 * Finext's `sign` [DOC]: lowercase hex MD5 of a plain concatenation, in three forms. Fields not in the
 * form (card_id, pin, kit_number, …) are not signed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type SignForm = 'user' | 'topup' | 'none';

export const SIGN_FIELDS: Record<SignForm, readonly string[]> = {
  user: ['api_key', 'username', 'timestamp', 'secret', 'request_id'],
  topup: ['api_key', 'username', 'timestamp', 'secret', 'request_id', 'amount'],
  none: ['api_key', 'timestamp', 'secret', 'request_id'],
};

export function signString(form: SignForm, values: Record<string, string>): string {
  return SIGN_FIELDS[form].map((f) => values[f] ?? '').join('');
}

export function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

export function sign(form: SignForm, values: Record<string, string>): string {
  return md5(signString(form, values));
}

/** Constant-time comparison of two secrets or digests. */
export function sameDigest(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The string-to-sign with the secret masked, for diagnostics. */
export function maskedSignString(form: SignForm, values: Record<string, string>): string {
  const secret = values.secret ?? '';
  const masked = secret.length > 8 ? `****${secret.slice(-4)}` : '****';
  return SIGN_FIELDS[form].map((f) => (f === 'secret' ? `<secret ${masked}>` : values[f] ?? '')).join('');
}

/**
 * Finext's `sign` [DOC]: lowercase hex MD5 of a plain concatenation, in three forms. Fields not in the
 * form (card_id, pin, kit_number, …) are not signed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { shownValue } from '../../core/masking.js';

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

const FORM_NAMES: Record<SignForm, string> = { user: 'user form', topup: 'top-up form', none: 'no-user form' };

/**
 * A wrong sign's diagnostic: the form expected, its field order, the string to sign with the api_key and
 * the secret as placeholders, and the sign received. Never the expected digest nor any character of the
 * secret: with either, anyone who knows an api_key could sign any request.
 */
export function signMismatch(form: SignForm, values: Record<string, string>, received: string): string {
  const text = SIGN_FIELDS[form].map((f) => (f === 'secret' ? '<secret>' : f === 'api_key' ? '<api_key>' : shortened(values[f] ?? ''))).join('');
  return `sign mismatch: this operation is signed in the ${FORM_NAMES[form]}, MD5(${SIGN_FIELDS[form].join(' + ')}), here MD5("${text}") with <api_key> the api_key sent and <secret> the merchant's secret; received ${shownValue(received)}`;
}

function shortened(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…(${value.length} characters)` : value;
}

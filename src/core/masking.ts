/**
 * Masks what the request journal must never show: secrets, keys, signatures, passwords, PINs, CVV/CVC
 * (replaced by `****`) and card numbers (all but the last 4 digits starred). A value is masked by its key
 * name (`key`, `api_key`, `sign`, `cvv`, `cardNo`, …, any case or separator), and any other value that
 * is a card number by its shape: 13 to 19 digits (spaces or dashes allowed between them), unless its key
 * names a time (`timestamp`, `createTime`, `created_at`: 13-digit milliseconds look like card numbers).
 *
 * It works on JSON text rather than parsed values, so that a body the journal cut short is masked too,
 * and so that the journal stores raw text and masks only what somebody lists.
 */

type KeyKind = 'secret' | 'card' | 'time' | 'other';

export const MASK = '****';

const SECRET_NAMES = new Set(['key', 'sign', 'pin', 'pincode', 'newpin', 'oldpin', 'pinblock', 'pwd', 'cvn', 'auth', 'authorization', 'appkey', 'proxyauthorization']);
const SECRET_PARTS = ['secret', 'password', 'passwd', 'passcode', 'signature', 'apikey', 'token', 'cvv', 'cvc', 'privatekey', 'accesskey', 'cookie'];
const CARD_NAMES = new Set(['cardno', 'cardnumber', 'pan', 'primaryaccountnumber', 'fullcardnumber', 'cardnum']);
const PAN_SHAPE = /^\d(?:[ -]?\d){12,18}$/;

const kinds = new Map<string, KeyKind>();

/** What a key (or header) name says about its value; cached, as bodies repeat the same few keys. */
export function keyKind(name: string): KeyKind {
  let kind = kinds.get(name);
  if (kind === undefined) {
    kind = classify(name.toLowerCase().replace(/[^a-z0-9]/g, ''));
    if (kinds.size < 10_000) kinds.set(name, kind);
  }
  return kind;
}

function classify(n: string): KeyKind {
  if (SECRET_NAMES.has(n) || SECRET_PARTS.some((p) => n.includes(p))) return 'secret';
  if (CARD_NAMES.has(n)) return 'card';
  if (n.includes('time') || n.includes('date') || n.endsWith('at') || n === 'since' || n === 'until') return 'time';
  return 'other';
}

/** All digits but the last four starred; separators kept. */
export function maskCardNumber(value: string): string {
  const digits = value.replace(/\D/g, '').length;
  let seen = 0;
  return value.replace(/\d/g, (d) => (++seen > digits - 4 ? d : '*'));
}

/** The masked form of a scalar under `key`, or undefined when it stays as it is. */
export function maskScalar(key: string, value: string): string | undefined {
  const kind = keyKind(key);
  if (kind === 'secret') return value === '' ? undefined : MASK;
  if (kind === 'card') return /\d/.test(value) && !value.includes('*') ? maskCardNumber(value) : undefined;
  if (kind === 'other' && PAN_SHAPE.test(value)) return maskCardNumber(value);
  return undefined;
}

/**
 * Tokens of JSON text: a string (possibly cut off at the end of the text, `"…` with no closing quote),
 * with the colon that makes it a key; or a number.
 */
const TOKEN = /"((?:[^"\\]|\\[\s\S]?)*)("?)(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/**
 * Masks JSON text (whole or cut short). Each value is judged by the nearest key before it, so array
 * items count as their array's key; after a nested object closes this can over-mask, never under-mask.
 * A value the cut went through cannot show its true last 4 digits, so a masked one is masked whole, and
 * any other loses its runs of 6 or more digits (the start of a card number).
 */
export function maskJsonText(text: string): string {
  let key = '';
  return text.replace(TOKEN, (token: string, str: string | undefined, close: string, colon: string | undefined, num: string | undefined, offset: number) => {
    if (str !== undefined && colon) {
      key = str;
      return token;
    }
    const value = str ?? num!;
    const cut = str === undefined ? offset + token.length === text.length : close === '';
    const masked = maskScalar(key, value);
    if (cut) return `"${masked !== undefined ? MASK : value.replace(/\d{6,}/g, (d) => '*'.repeat(d.length))}"`;
    return masked === undefined ? token : `"${masked}"`;
  });
}

/** Masks header values by header name (ApiKey, Authorization, x-signature, …). */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = maskScalar(name, value) ?? value;
  return out;
}

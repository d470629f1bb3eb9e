/**
 * Masks what the request journal, a diagnostic or a log line must never show: secrets, keys, signatures,
 * passwords, PINs, CVV/CVC (replaced by `****`) and card numbers (all but the last 4 digits starred).
 *
 * A body is masked after parsing, on the parsed value, so a key is judged by its decoded name
 * (`"\u0063vv"` is `cvv`), in any case and with any separators, and a value under a secret key is masked
 * whole whatever it holds. A card number is masked by its key (`cardNo`, `pan`, …) or, under any key and
 * inside any text, by its shape: a run of 13 to 19 digits (spaces or dashes allowed between them) that
 * passes the Luhn check, does not start with 0, and, at 13 digits, starts with 4 (the 13-digit Visa:
 * other 13-digit numbers are millisecond times, which stay visible). Text that does not parse (a body
 * the journal cut short, a body that is not JSON) and free text (diagnostics) get a conservative text pass.
 */

type KeyKind = 'secret' | 'card' | 'other';

export const MASK = '****';

const SECRET_NAMES = new Set([
  'key',
  'sign',
  'pin',
  'pincode',
  'newpin',
  'oldpin',
  'pinblock',
  'pwd',
  'cvn',
  'auth',
  'authorization',
  'appkey',
  'proxyauthorization',
]);
const SECRET_PARTS = ['secret', 'password', 'passwd', 'passcode', 'signature', 'apikey', 'token', 'cvv', 'cvc', 'privatekey', 'accesskey', 'cookie'];
const CARD_NAMES = new Set(['cardno', 'cardnumber', 'pan', 'primaryaccountnumber', 'fullcardnumber', 'cardnum']);
/** A candidate card number inside text; `isCardNumber` decides. */
const DIGIT_RUN = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;
/** Parsed bodies nested deeper than this are shown as masked text (rendering them would exhaust the stack). */
export const MAX_DEPTH = 64;

const kinds = new Map<string, KeyKind>();

/** What a key (or header) name says about its value; cached, as bodies repeat the same few keys. */
export function keyKind(name: string): KeyKind {
  let kind = kinds.get(name);
  if (kind === undefined) {
    kind = classify(
      name
        .normalize('NFKC')
        .toLowerCase()
        .replace(/[^a-z0-9]/g, ''),
    );
    if (kinds.size < 10_000) kinds.set(name, kind);
  }
  return kind;
}

function classify(n: string): KeyKind {
  if (SECRET_NAMES.has(n) || SECRET_PARTS.some((p) => n.includes(p))) return 'secret';
  if (CARD_NAMES.has(n)) return 'card';
  return 'other';
}

/** Whether a run of digits (separators allowed) has a card number's shape and check digit. */
export function isCardNumber(run: string): boolean {
  const digits = run.replace(/\D/g, '');
  if (digits.length < 13 || digits.length > 19 || digits[0] === '0') return false;
  if (digits.length === 13 && digits[0] !== '4') return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** A card number as the vendors show it in their answers: the first six digits (the BIN), ******, the last four. */
export function binAndLast4(pan: string): string {
  return `${pan.slice(0, 6)}******${pan.slice(-4)}`;
}

/** All digits but the last four starred; separators kept (the journal's and the logs' masking). */
export function maskCardNumber(value: string): string {
  const digits = value.replace(/\D/g, '').length;
  let seen = 0;
  return value.replace(/\d/g, (d) => (++seen > digits - 4 ? d : '*'));
}

/** Every card number inside `text` masked. */
export function maskCardNumbersIn(text: string): string {
  return text.replace(DIGIT_RUN, (run) => (isCardNumber(run) ? maskCardNumber(run) : run));
}

/** The masked form of a scalar under `key` (the value itself when nothing is to be hidden). */
export function maskScalar(key: string, value: string): string {
  const kind = keyKind(key);
  if (kind === 'secret') return value === '' ? value : MASK;
  if (kind === 'card') return maskCardNumber(value);
  return maskCardNumbersIn(value);
}

class TooDeep extends Error {}

/**
 * A masked copy of a parsed JSON value, or undefined when it nests deeper than MAX_DEPTH. Array items
 * count as their array's key; a secret key's value is masked whole, objects and arrays included.
 */
export function maskValue(value: unknown): unknown {
  try {
    return maskUnder('other', value, 0);
  } catch (error) {
    if (error instanceof TooDeep) return undefined;
    throw error;
  }
}

function maskUnder(kind: KeyKind, value: unknown, depth: number): unknown {
  if (value === null || value === '') return value;
  if (kind === 'secret') return MASK;
  if (typeof value === 'string') return kind === 'card' ? maskCardNumber(value) : maskCardNumbersIn(value);
  if (typeof value === 'number') return maskNumber(kind, value);
  if (typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) return value.map((item) => maskUnder(kind, item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty, so that a key named __proto__ stays a key (as JSON.parse made it).
    Object.defineProperty(out, key, { value: maskUnder(keyKind(key), item, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function maskNumber(kind: KeyKind, value: number): number | string {
  if (!Number.isInteger(value) || Math.abs(value) >= 1e21) return value;
  const digits = String(Math.abs(value));
  if (kind === 'card') return maskCardNumber(digits);
  if (digits.length < 13 || digits.length > 19) return value;
  // Past 2^53 the digits are not those sent, so the check digit cannot be trusted: masked all the same.
  return !Number.isSafeInteger(value) || isCardNumber(digits) ? maskCardNumber(digits) : value;
}

/**
 * Tokens of JSON text: a string (possibly cut off at the end of the text, `"…` with no closing quote),
 * with the colon that makes it a key; or a number.
 */
const TOKEN = /"((?:[^"\\]|\\[\s\S]?)*)("?)(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
const ESCAPE = /\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g;
const SIMPLE: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** The characters a JSON string's escapes stand for; a broken escape (where a cut fell) is kept as is. */
function unescape(text: string): string {
  return text.includes('\\')
    ? text.replace(ESCAPE, (_m, hex: string | undefined, c: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : SIMPLE[c!]))
    : text;
}

/**
 * Masks JSON text that could not be parsed (cut short by the journal's bound, or malformed): the
 * conservative pass. Keys and strings are judged by what their escapes stand for. Each value is judged
 * by the nearest key before it, so array items count as their array's key; after a nested object closes
 * this can over-mask, never under-mask. A value the cut went through cannot show its true last 4 digits,
 * so a masked one is masked whole, and any other loses its runs of 6 or more digits (the start of a card
 * number).
 */
export function maskJsonText(text: string): string {
  let key = '';
  return text.replace(TOKEN, (token: string, str: string | undefined, close: string, colon: string | undefined, num: string | undefined, offset: number) => {
    if (str !== undefined && colon) {
      key = unescape(str);
      return token;
    }
    const value = str === undefined ? num! : unescape(str);
    const cut = str === undefined ? offset + token.length === text.length : close === '';
    const kind = keyKind(key);
    if (cut) return `"${kind !== 'other' ? MASK : JSON.stringify(value.replace(/\d{6,}/g, (d) => '*'.repeat(d.length))).slice(1, -1)}"`;
    const masked = maskScalar(key, value);
    return masked === value ? token : JSON.stringify(masked);
  });
}

/** `name=value`, `name: value` or `"name":"value"` inside free text. */
const NAMED = /(?<![\w.-])([A-Za-z_][\w.-]*)("?[ \t]*[=:][ \t]*)("(?:[^"\\]|\\.)*"?|[^\s&,;)"]+)/g;

/** What a diagnostic writes where a value goes (`key=value`, `token=<token>`): nothing to hide. */
const PLACEHOLDER = /^(?:value|"value"|<[^>]*>|\.\.\.|…)$/;

/**
 * Masks free text (a diagnostic, a body that is not JSON): a value named by a secret or card key
 * (`cvv=123`, `"pin":"1234"`) and every card number, whatever names it.
 */
export function maskText(text: string): string {
  const named = text.replace(NAMED, (whole: string, name: string, sep: string, value: string) => {
    const kind = keyKind(name);
    if (kind === 'other' || PLACEHOLDER.test(value)) return whole;
    const quoted = value.startsWith('"');
    const inner = quoted ? unescape(value.slice(1, value.endsWith('"') && value.length > 1 ? -1 : undefined)) : value;
    const masked = kind === 'secret' ? MASK : maskCardNumber(inner);
    return `${name}${sep}${quoted ? JSON.stringify(masked) : masked}`;
  });
  return maskCardNumbersIn(named);
}

/** Masks header values by header name (ApiKey, Authorization, x-signature, …), and card numbers in any. */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = maskScalar(name, value);
  return out;
}

/** A URL fit for a log line: its userinfo and every query value masked (they carry tokens). */
export function maskUrl(url: string): string {
  const hash = url.indexOf('#');
  const bare = hash === -1 ? url : url.slice(0, hash);
  const q = bare.indexOf('?');
  const [base, query] = q === -1 ? [bare, null] : [bare.slice(0, q), bare.slice(q + 1)];
  const shown = base.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, `$1${MASK}@`);
  if (query === null) return shown;
  return `${shown}?${query
    .split('&')
    .map((pair) => (pair.includes('=') ? `${pair.slice(0, pair.indexOf('='))}=${MASK}` : pair && MASK))
    .join('&')}`;
}

/**
 * How a diagnostic shows a value a client sent: a scalar JSON-quoted and cut to `max` characters, an
 * object or array by its kind only (never walked: it may nest thousands of levels deep).
 */
export function shownValue(value: unknown, max = 64): string {
  if (value === undefined) return 'nothing';
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value.length > max ? `${JSON.stringify(value.slice(0, max))}… (${value.length} characters)` : JSON.stringify(value);
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value;
}

/** Text with every absolute path cut to its last segment (`/srv/data/sandbox.json` → `sandbox.json`). */
export function withoutDirectories(text: string): string {
  return text.replace(/(?<![\w.~-])(?:[A-Za-z]:)?[\\/](?:[^\s'"`()<>,;:\\/]+[\\/])*(?=[^\s'"`()<>,;:\\/])/g, '');
}

/** Every URL inside `text` (an error message, say) masked as `maskUrl` does. */
export function maskUrlsIn(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, maskUrl);
}

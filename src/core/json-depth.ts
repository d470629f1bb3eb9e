/**
 * A bound on JSON nesting, checked on the raw bytes before anything parses or walks them: every later
 * step (authentication, fingerprints, masking, the journal) may then recurse over a body safely. A
 * 5,000-level field costs a scan that stops at level MAX_JSON_DEPTH + 1.
 */
import { SandboxError } from './errors.js';

/** Deepest nesting of objects and arrays a body may have; the deepest of any vendor's requests or packs is 6. */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x7b, 0x5b]);
const CLOSE = new Set([0x7d, 0x5d]);

/**
 * Throws `invalid_param`, naming the top-level field it happened under, when `raw` (JSON text, valid or
 * not) nests deeper than `max` levels. Strings are skipped, escapes included.
 */
export function checkJsonDepth(raw: Uint8Array, max: number = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  let stringStart = -1;
  // The last string closed at depth 1: in an object, the key whose value is being read.
  let key: [number, number] | undefined;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) {
        inString = false;
        if (depth === 1) key = [stringStart, i + 1];
      }
    } else if (byte === QUOTE) {
      inString = true;
      stringStart = i;
    } else if (OPEN.has(byte)) {
      if (++depth > max) throw tooDeep(raw, key, max);
    } else if (CLOSE.has(byte)) {
      depth--;
    }
  }
}

function tooDeep(raw: Uint8Array, key: [number, number] | undefined, max: number): SandboxError {
  const field = key ? keyName(raw.subarray(key[0], key[1])) : 'body';
  return new SandboxError('invalid_param', {
    field,
    detail: `${field} nests deeper than ${max} levels`,
    diagnostic: `${field === 'body' ? 'the body' : field} nests objects or arrays deeper than ${max} levels; the sandbox refuses deeper JSON before reading it`,
  });
}

function keyName(quoted: Uint8Array): string {
  try {
    const name = JSON.parse(Buffer.from(quoted).toString('utf8')) as string;
    return name.length > 64 ? `${name.slice(0, 64)}…` : name;
  } catch {
    return 'body';
  }
}

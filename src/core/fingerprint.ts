/**
 * A stable digest of a JSON value, independent of key order (idempotency fingerprints). It walks the
 * value with a stack of its own and hashes as it goes, so no nesting depth can overflow the call stack
 * and no size builds one big string.
 */
import { createHash } from 'node:crypto';

/** Text to hash as is (punctuation, a key), as opposed to a value still to be walked. */
class Raw {
  constructor(readonly text: string) {}
}

const FLUSH_AT = 64 * 1024;

/** SHA-256 of the value's canonical JSON: keys sorted, no spaces, `undefined` and functions as null. */
export function canonicalDigest(value: unknown): Buffer {
  const hash = createHash('sha256');
  let pending = '';
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof Raw) pending += item.text;
    else if (Array.isArray(item)) {
      stack.push(new Raw(']'));
      for (let i = item.length - 1; i >= 0; i--) stack.push(item[i], ...(i > 0 ? [new Raw(',')] : []));
      pending += '[';
    } else if (item && typeof item === 'object') {
      const entries = Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      stack.push(new Raw('}'));
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, v] = entries[i]!;
        stack.push(v, new Raw(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`));
      }
      pending += '{';
    } else pending += JSON.stringify(item) ?? 'null';
    if (pending.length >= FLUSH_AT) {
      hash.update(pending);
      pending = '';
    }
  }
  hash.update(pending);
  return hash.digest();
}

/**
 * Magic values: request values that force an outcome in the sandbox (a failed settlement, a rejected
 * review). Each vendor declares them next to the code that honours them, and that code matches requests
 * against the same declaration, so the list at GET /__sandbox/magic-values cannot drift from behaviour.
 */

import type { MagicValue } from './wire-types.js';

export type { MagicValue };

const PATTERNS = new WeakMap<MagicValue, RegExp>();

/** Whether `actual` is the magic value (its pattern, `*` being any characters). */
export function isMagic(magic: MagicValue, actual: string | number | null | undefined): boolean {
  if (actual === null || actual === undefined) return false;
  let pattern = PATTERNS.get(magic);
  if (!pattern) {
    const source = magic.value
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    PATTERNS.set(magic, (pattern = new RegExp(`^${source}$`, magic.anyCase ? 'is' : 's')));
  }
  return pattern.test(String(actual));
}

/** The declaration in words, for remarks and diagnostics: "ends with _FAIL", "contains REJECT". */
export function describeMagic(magic: MagicValue): string {
  const { value } = magic;
  const inner = value.replace(/^\*|\*$/g, '');
  if (inner.includes('*')) return `matches ${value}`;
  if (value.startsWith('*') && value.endsWith('*') && value.length > 1) return `contains ${inner}`;
  if (value.startsWith('*')) return `ends with ${inner}`;
  if (value.endsWith('*')) return `starts with ${inner}`;
  return `is ${value}`;
}

/** The public form of a declaration (what GET /__sandbox/magic-values lists). */
export function publicMagic({ operation, field, value, outcome, description }: MagicValue): Omit<MagicValue, 'anyCase'> {
  return { operation, field, value, outcome, description };
}

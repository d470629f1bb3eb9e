/**
 * A vendor's merchant settings (PATCH /__sandbox/tenants/<id> {"settings": …}), declared once: each
 * one's rule, default and meaning. The control plane checks changes against the rules (refusing what
 * would silently misbehave), the vendor reads a tenant's settings over the defaults, and the docs list
 * them from the same declaration.
 */
import { SandboxError } from './errors.js';
import type { Tenant } from './tenants.js';

export type SettingRule = (
  { type: 'integer'; min?: number; max?: number; nullable?: boolean; default: number | null } | { type: 'enum'; values: readonly string[]; default: string }
) & {
  /** What it does, for the docs (INFERRED or [DOC] where that matters). */
  doc: string;
};

type ValueOf<R> = R extends { type: 'enum'; values: readonly (infer V)[] } ? V : R extends { nullable: true } ? number | null : number;

export interface Settings<T> {
  rules: Record<string, SettingRule>;
  defaults: Readonly<T>;
  /** The tenant's settings over the defaults. */
  of(tenant: Tenant): T;
}

export function defineSettings<const D extends Record<string, SettingRule>>(declared: D): Settings<{ -readonly [K in keyof D]: ValueOf<D[K]> }> {
  type T = { -readonly [K in keyof D]: ValueOf<D[K]> };
  const defaults = Object.freeze(Object.fromEntries(Object.entries(declared).map(([name, rule]) => [name, rule.default]))) as T;
  return { rules: declared, defaults, of: (tenant) => ({ ...defaults, ...(tenant.settings as Partial<T>) }) };
}

export function checkSettings(rules: Record<string, SettingRule>, settings: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(settings)) {
    // Own names only: `toString`, `constructor` or `__proto__` are no more a setting than any other unknown name.
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    const field = `settings.${key}`;
    if (!rule)
      throw new SandboxError('invalid_param', { field, diagnostic: `${field} is not a setting of this vendor; known: ${Object.keys(rules).join(', ')}` });
    if (rule.type === 'enum') {
      if (!rule.values.includes(value as string))
        throw new SandboxError('invalid_param', { field, diagnostic: `${field} must be one of ${rule.values.join(', ')}` });
    } else if (!(value === null && rule.nullable)) {
      const ok = typeof value === 'number' && Number.isSafeInteger(value) && value >= (rule.min ?? 0) && value <= (rule.max ?? Number.MAX_SAFE_INTEGER);
      if (!ok)
        throw new SandboxError('invalid_param', {
          field,
          diagnostic: `${field} must be an integer from ${rule.min ?? 0}${rule.max === undefined ? '' : ` to ${rule.max}`}${rule.nullable ? ', or null' : ''}`,
        });
    }
  }
}

/** Rules for a vendor's merchant settings, so that PATCH /__sandbox/tenants refuses what would silently misbehave. */
import { SandboxError } from './errors.js';

export type SettingRule =
  | { type: 'integer'; min?: number; max?: number; nullable?: boolean }
  | { type: 'enum'; values: readonly string[] };

export function checkSettings(rules: Record<string, SettingRule>, settings: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(settings)) {
    // Own names only: `toString`, `constructor` or `__proto__` are no more a setting than any other unknown name.
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    const field = `settings.${key}`;
    if (!rule) throw new SandboxError('invalid_param', { field, diagnostic: `${field} is not a setting of this vendor; known: ${Object.keys(rules).join(', ')}` });
    if (rule.type === 'enum') {
      if (!rule.values.includes(value as string)) throw new SandboxError('invalid_param', { field, diagnostic: `${field} must be one of ${rule.values.join(', ')}` });
    } else if (!(value === null && rule.nullable)) {
      const ok = typeof value === 'number' && Number.isSafeInteger(value) && value >= (rule.min ?? 0) && value <= (rule.max ?? Number.MAX_SAFE_INTEGER);
      if (!ok) throw new SandboxError('invalid_param', { field, diagnostic: `${field} must be an integer from ${rule.min ?? 0}${rule.max === undefined ? '' : ` to ${rule.max}`}${rule.nullable ? ', or null' : ''}` });
    }
  }
}

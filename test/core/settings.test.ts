/** Merchant settings are declared once per vendor: rule, default and meaning together. */
import { describe, expect, it } from 'vitest';
import { checkSettings, defineSettings } from '../../src/core/settings.js';
import type { Tenant } from '../../src/core/tenants.js';
import { VENDORS } from '../../src/vendors/index.js';

describe('defineSettings', () => {
  it("gives the defaults, and a tenant's settings over them", () => {
    const s = defineSettings({
      delayMs: { type: 'integer', default: 0, doc: 'a delay' },
      mode: { type: 'enum', values: ['a', 'b'], default: 'a', doc: 'a mode' },
    });
    expect(s.defaults).toEqual({ delayMs: 0, mode: 'a' });
    expect(s.of({ settings: { mode: 'b' } } as unknown as Tenant)).toEqual({ delayMs: 0, mode: 'b' });
    expect(() => checkSettings(s.rules, { mode: 'c' })).toThrow(/settings.mode must be one of a, b/);
  });

  it.each(VENDORS.map((v) => [v.slug, v] as const))('%s: every setting has a meaning and a default its own rule accepts', (_slug, vendor) => {
    expect(Object.keys(vendor.settings).length).toBeGreaterThan(0);
    for (const [name, rule] of Object.entries(vendor.settings)) {
      expect(rule.doc.length, name).toBeGreaterThan(5);
      expect(() => checkSettings(vendor.settings, { [name]: rule.default }), name).not.toThrow();
    }
  });
});

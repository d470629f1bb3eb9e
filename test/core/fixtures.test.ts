import { describe, expect, it } from 'vitest';
import { buildScenario, readScenario } from '../../src/core/scenario.js';
import { VENDORS } from '../../src/vendors/index.js';

describe('the default scenario', () => {
  it('is exactly what the vendors\' seed code generates (run `npm run fixtures` after changing it)', async () => {
    const generated = JSON.parse(JSON.stringify(await buildScenario(VENDORS)));
    expect(readScenario('default')).toEqual(generated);
  });

  it('generates the same records on every run', async () => {
    expect(await buildScenario(VENDORS)).toEqual(await buildScenario(VENDORS));
  });

  it('has a tenant record for every tenant id its records use', () => {
    const { collections } = readScenario('default');
    const tenants = new Set(collections._tenants.map((t) => t.id));
    const owners = new Set(Object.entries(collections).flatMap(([c, rs]) => (c === '_counters' ? [] : rs.map((r) => r.tenantId))));
    expect([...owners].filter((o) => !tenants.has(o))).toEqual([]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKS, packText } from '../../scripts/generate-fixtures.js';
import { checkScenario } from '../../src/core/scenario-check.js';
import { buildScenario, readScenario, SCENARIOS_DIR } from '../../src/core/scenario.js';
import { VENDORS } from '../../src/vendors/index.js';
import { REGISTERED } from '../helpers/registry.js';
import { makeSandbox } from '../helpers/sandbox.js';

const names = Object.keys(PACKS);

describe('the scenario packs', () => {
  it('are exactly the files under fixtures/scenarios/, one per builder', () => {
    expect(readdirSync(SCENARIOS_DIR).sort()).toEqual(names.map((n) => `${n}.json`).sort());
  });

  it.each(names)('%s.json is exactly what its builder generates (run `npm run fixtures` after changing it)', async (name) => {
    expect(readFileSync(resolve(SCENARIOS_DIR, `${name}.json`), 'utf8')).toBe(packText(await PACKS[name]()));
  });

  it.each(names)('%s generates the same records on every run', async (name) => {
    expect(await PACKS[name]()).toEqual(await PACKS[name]());
  });

  it.each(names)('%s passes the pack schema and its own references (tenants, ids, vendors)', async (name) => {
    const sb = await makeSandbox();
    await expect(checkScenario(readScenario(name), sb.runtime)).resolves.toBeTruthy();
  });

  it.each(names)('%s has a one-line description named after the file', (name) => {
    const pack = readScenario(name);
    expect(pack.name).toBe(name);
    expect(pack.description).toMatch(/^[^\n]{10,200}$/);
  });

  it.each(['default', 'empty'] as const)(
    '%s, built for every registered vendor (the fake one too), passes the pack checks with merchants of each',
    async (name) => {
      const sb = await makeSandbox({ vendors: REGISTERED });
      const pack = await checkScenario(await buildScenario(REGISTERED, name), sb.runtime);
      expect(new Set((pack.collections._tenants as unknown as Array<{ vendor: string }>).map((t) => t.vendor))).toEqual(new Set(REGISTERED.map((v) => v.slug)));
      expect(pack).toEqual(await buildScenario(REGISTERED, name));
    },
  );

  it('empty, built for every registered vendor, keeps every merchant of default with its credentials', async () => {
    const [full, empty] = [await buildScenario(REGISTERED, 'default'), await buildScenario(REGISTERED, 'empty')];
    expect(empty.collections._tenants).toEqual(full.collections._tenants);
  });

  it('empty keeps every merchant of default with its credentials and no record beyond merchants, money and catalogues', async () => {
    const [full, empty] = [await buildScenario(VENDORS, 'default'), await buildScenario(VENDORS, 'empty')];
    expect(empty.collections._tenants).toEqual(full.collections._tenants);
    expect(Object.keys(empty.collections).sort()).toEqual([
      '_accounts',
      '_counters',
      '_entries',
      '_tenants',
      'onerway.products',
      'openapi-cn.bins',
      'openapi-cn.wallets',
    ]);
  });
});

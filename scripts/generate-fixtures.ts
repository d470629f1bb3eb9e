/**
 * Regenerates fixtures/scenarios/<name>.json for every pack builder below (deterministic: seeded faker,
 * fixed date). `npm run fixtures` writes them; test/core/fixtures.test.ts fails when one is stale.
 * A new pack is one entry in PACKS.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildScenario, SCENARIOS_DIR, type Scenario } from '../src/core/scenario.js';
import { VENDORS } from '../src/vendors/index.js';
import { buildShowcase } from './showcase.js';

export const PACKS: Record<string, () => Promise<Scenario>> = {
  default: () => buildScenario(VENDORS, 'default'),
  empty: () => buildScenario(VENDORS, 'empty'),
  showcase: buildShowcase,
};

/** A pack as checked in: two-space JSON and a final newline. */
export function packText(scenario: Scenario): string {
  return JSON.stringify(scenario, null, 2) + '\n';
}

if (process.argv[1] === import.meta.filename) {
  for (const [name, build] of Object.entries(PACKS)) {
    const file = resolve(SCENARIOS_DIR, `${name}.json`);
    writeFileSync(file, packText(await build()));
    console.log(`wrote ${file}`);
  }
}

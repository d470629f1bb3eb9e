/** Regenerates fixtures/default.json from the vendors' seed code (deterministic: seeded faker, fixed date). */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildScenario, FIXTURES_DIR } from '../src/core/scenario.js';
import { VENDORS } from '../src/vendors/index.js';

const scenario = await buildScenario(VENDORS);
const file = resolve(FIXTURES_DIR, 'default.json');
writeFileSync(file, JSON.stringify(scenario, null, 2) + '\n');
console.log(`wrote ${file}`);

/**
 * Writes openapi/<slug>.json, one OpenAPI 3.1 document per registered vendor, from the operation
 * registry and contracts the sandbox runs on (src/openapi/document.ts). `npm run openapi` writes them;
 * test/openapi/openapi.test.ts fails when one is stale.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONTROL_PLANE, controlDocument } from '../src/openapi/control.js';
import { openapiText } from '../src/openapi/document.js';
import { VENDORS } from '../src/vendors/index.js';

const DIR = resolve(import.meta.dirname, '../openapi');

for (const vendor of VENDORS) {
  const file = join(DIR, `${vendor.slug}.json`);
  writeFileSync(file, openapiText(vendor));
  console.log(`wrote ${file}`);
}
const control = join(DIR, `${CONTROL_PLANE}.json`);
writeFileSync(control, `${JSON.stringify(controlDocument(), null, 2)}\n`);
console.log(`wrote ${control}`);

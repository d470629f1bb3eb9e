/**
 * Writes collections/<slug>.postman_collection.json, a Postman collection (v2.1) per vendor, from the
 * committed OpenAPI documents (run `npm run openapi` first) and the default scenario's merchants
 * (src/collections/). test/collections/generated.test.ts fails when one is stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { COLLECTED, collectionFile, collectionText } from '../src/collections/index.js';

for (const vendor of COLLECTED) {
  const file = collectionFile(vendor.slug);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, collectionText(vendor));
  console.log(`wrote ${file}`);
}

/**
 * The Postman collections, one per vendor with a `postman` profile (src/vendors/<slug>/postman.ts): built from the committed OpenAPI document
 * (openapi/<slug>.json) and the default scenario's merchant of that vendor (its credentials become the
 * collection's variables), written by `npm run collections` to collections/<slug>.postman_collection.json
 * and served at /__sandbox/collections with the serving sandbox as `baseUrl`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SERVER, PACKAGE_ROOT, committedDocument } from '../openapi/document.js';
import type { Schema } from '../openapi/schemas.js';
import type { VendorModule } from '../core/vendor.js';
import { VENDORS } from '../vendors/index.js';
import { postmanCollection } from './postman.js';

export { operationIds } from './postman.js';

/** The vendors with a collection: those whose module has a `postman` profile. */
export const COLLECTED: ReadonlyArray<VendorModule & Required<Pick<VendorModule, 'postman'>>> = VENDORS.filter(
  (v): v is VendorModule & Required<Pick<VendorModule, 'postman'>> => v.postman !== undefined,
);

export const collectionFile = (slug: string, root = PACKAGE_ROOT) => join(root, 'collections', `${slug}.postman_collection.json`);

/** The credentials of the default scenario's merchant of `slug` (`<slug>-default`, else its first), as the sandbox starts with them. */
export function defaultCredentials(slug: string, root = PACKAGE_ROOT): Record<string, string> {
  const pack = JSON.parse(readFileSync(join(root, 'fixtures', 'scenarios', 'default.json'), 'utf8')) as {
    collections: { _tenants: Array<{ id: string; vendor: string; credentials: Record<string, string> }> };
  };
  const tenants = pack.collections._tenants.filter((t) => t.vendor === slug);
  const tenant = tenants.find((t) => t.id === `${slug}-default`) ?? tenants[0];
  if (!tenant) throw new Error(`the default scenario has no ${slug} merchant`);
  return tenant.credentials;
}

/** The collection as committed: two-space JSON and a final newline. */
export function collectionText(vendor: (typeof COLLECTED)[number], root = PACKAGE_ROOT): string {
  const doc = committedDocument(vendor.slug, root);
  if (!doc) throw new Error(`no openapi/${vendor.slug}.json: run npm run openapi first`);
  const collection = postmanCollection(doc, vendor.slug, vendor.postman, { credentials: defaultCredentials(vendor.slug, root), baseUrl: DEFAULT_SERVER });
  return `${JSON.stringify(collection, null, 2)}\n`;
}

/** The committed collection of `slug`, its `baseUrl` variable set to `baseUrl` when given; undefined when there is none. */
export function committedCollection(slug: string, baseUrl?: string, root = PACKAGE_ROOT): Schema | undefined {
  const file = collectionFile(slug, root);
  if (!existsSync(file)) return undefined;
  const collection = JSON.parse(readFileSync(file, 'utf8')) as Schema & { variable: Array<{ key: string; value: string }> };
  if (baseUrl) collection.variable = collection.variable.map((v) => (v.key === 'baseUrl' ? { ...v, value: baseUrl } : v));
  return collection;
}

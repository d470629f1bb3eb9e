/**
 * A vendor's JSON Schemas (draft-07, contracts/<slug>/) as OpenAPI 3.1 components: each file becomes a
 * component named by its contract name (`createCard.request`), `common`'s definitions become components
 * of their own name, and every `$ref` is rewritten to point inside the document. `$schema` and `$id` are
 * dropped, so nothing resolves against the files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACTS_DIR } from '../core/contracts.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Schema = { [key: string]: Json };

export interface VendorSchemas {
  /** Every component, by name. */
  components: Record<string, Schema>;
  /** Contract names that are files (not common definitions): `createCard.request`, `webhook.cardStatus`, … */
  contracts: Set<string>;
}

/** Reads `<slug>`'s contracts from its folder (the package's contracts/<slug>, or the vendor's own). */
export function vendorSchemas(slug: string, dir = join(CONTRACTS_DIR, slug)): VendorSchemas {
  const files = new Map<string, Schema>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()) {
    const schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Schema;
    const id = String(schema.$id ?? '');
    if (!id.startsWith(`${slug}/`)) throw new Error(`${file}: $id ${id} is not under ${slug}/`);
    files.set(id.slice(slug.length + 1), schema);
  }
  const components: Record<string, Schema> = {};
  const contracts = new Set<string>();
  const common = files.get('common');
  files.delete('common');
  for (const [name, definition] of Object.entries((common?.definitions ?? {}) as Record<string, Schema>)) components[name] = rewrite(definition) as Schema;
  for (const [name, schema] of files) {
    if (name in components) throw new Error(`${slug}: contract ${name} has the name of a common definition`);
    const { $schema: _s, $id: _i, ...rest } = schema;
    components[name] = rewrite(rest) as Schema;
    contracts.add(name);
  }
  return { components, contracts };
}

export const componentRef = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

function rewrite(value: Json): Json {
  if (Array.isArray(value)) return value.map(rewrite);
  if (value === null || typeof value !== 'object') return value;
  const out: Schema = {};
  for (const [key, v] of Object.entries(value)) out[key] = key === '$ref' && typeof v === 'string' ? refOf(v) : rewrite(v);
  return out;
}

/** `common#/definitions/x` and common's own `#/definitions/x` → the component x; `name#/ptr` → inside component name. */
function refOf(ref: string): string {
  const [file = '', pointer = ''] = ref.split('#');
  const definition = /^\/definitions\/([^/]+)$/.exec(pointer);
  if ((file === 'common' || file === '') && definition) return `#/components/schemas/${definition[1]}`;
  if (file === '' || file === 'common') throw new Error(`cannot map $ref ${ref}`);
  return `#/components/schemas/${file}${pointer}`;
}

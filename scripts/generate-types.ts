/**
 * Generates src/vendors/<slug>/contract-types.ts from contracts/<slug>/*.schema.json, so that the
 * TypeScript types of requests, responses and webhooks come from the schemas (one source of truth).
 * `npm run contracts:types` writes them; test/core/contract-types.test.ts fails when they are stale.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

const ROOT = resolve(import.meta.dirname, '..');

type Schema = Record<string, unknown>;

function pascal(name: string): string {
  return name.replace(/(^|[.\-_/])(\w)/g, (_m, _sep, c: string) => c.toUpperCase());
}

/** Rewrites refs to point inside one document (see localRef) and drops ids, so one document holds all. */
function localize(node: unknown, names: Map<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => localize(n, names));
  if (!node || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$id' || k === '$schema' || k === 'title') continue;
    if (k === '$ref' && typeof v === 'string') out.$ref = localRef(v, names);
    else out[k] = localize(v, names);
  }
  return out;
}

/** `common#/definitions/x` → `#/definitions/X`; `<schema>#/pointer` (a sibling schema) → `#/definitions/<Schema>/pointer`. */
function localRef(ref: string, names: Map<string, string>): string {
  const common = /^common#\/definitions\/(\w+)$/.exec(ref);
  if (common) return `#/definitions/${names.get(common[1])}`;
  const sibling = /^([\w.]+)#(\/.*)$/.exec(ref);
  if (sibling) return `#/definitions/${pascal(sibling[1])}${sibling[2]}`;
  throw new Error(`unsupported $ref ${ref}`);
}

export async function generateTypes(slug: string): Promise<string> {
  const dir = join(ROOT, 'contracts', slug);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort();
  const common = files.includes('common.schema.json')
    ? (JSON.parse(readFileSync(join(dir, 'common.schema.json'), 'utf8')) as { definitions: Schema })
    : { definitions: {} };
  const names = new Map(Object.keys(common.definitions).map((k) => [k, pascal(k)]));
  const definitions: Schema = {};
  for (const [k, v] of Object.entries(common.definitions)) definitions[names.get(k)!] = { ...(localize(v, names) as Schema), title: names.get(k) };
  for (const file of files.filter((f) => f !== 'common.schema.json')) {
    const name = pascal(file.replace('.schema.json', ''));
    definitions[name] = { ...(localize(JSON.parse(readFileSync(join(dir, file), 'utf8')), names) as Schema), title: name };
  }
  const root = { title: `${pascal(slug)}Contracts`, type: 'object', additionalProperties: false, properties: {}, definitions } as JSONSchema;
  const ts = await compile(root, `${pascal(slug)}Contracts`, {
    bannerComment: `/* Generated from contracts/${slug}/ by \`npm run contracts:types\`. Do not edit by hand. */`,
    unreachableDefinitions: true,
    additionalProperties: false,
    strictIndexSignatures: true,
  });
  // The root is only a container for the definitions.
  return ts.replace(/export interface \w+Contracts \{\s*\}\n?/, '');
}

// contracts/sandbox (the control plane's own schemas) has no vendor folder to write types into.
const SLUGS = readdirSync(join(ROOT, 'contracts'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'src', 'vendors', d.name)))
  .map((d) => d.name);

if (process.argv[1] === import.meta.filename) {
  for (const slug of SLUGS) {
    const file = join(ROOT, 'src', 'vendors', slug, 'contract-types.ts');
    writeFileSync(file, await generateTypes(slug));
    console.log(`wrote ${file}`);
  }
}

/**
 * Rewrites the parts of README.md and docs/ that restate code, from the code: each region between
 * `<!-- generated:<kind>[:<vendor>] -->` and `<!-- /generated -->`. `npm run docs` writes them;
 * test/docs/generated.test.ts fails when one is stale. Kinds:
 *   magic-values            every vendor's magic values (what GET /__sandbox/magic-values lists)
 *   settings                every vendor's merchant settings: rule, default and meaning
 *   error-codes:<vendor>    how the vendor's envelope answers each canonical error
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CANONICAL_CODES, SandboxError } from '../src/core/errors.js';
import type { SettingRule } from '../src/core/settings.js';
import type { VendorModule } from '../src/core/vendor.js';
import { VENDORS } from '../src/vendors/index.js';

const ROOT = resolve(import.meta.dirname, '..');

const REGION = /(<!-- generated:([\w-]+)(?::([\w-]+))? -->\n)([^]*?)(<!-- \/generated -->)/g;

/** Table cells: code in backticks, pipes escaped. */
const code = (s: string) => `\`${s.replace(/\|/g, '\\|')}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function magicValues(vendors: readonly VendorModule[]): string {
  const rows = vendors.flatMap((v) =>
    v.magicValues.map((m) => `| ${code(v.slug)} | ${code(m.operation)} | ${code(m.field)} | ${code(m.value)} | ${cell(m.outcome)} | ${cell(m.description)} |`),
  );
  return ['| vendor | operation | field | value | outcome | |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

function rule(r: SettingRule): string {
  if (r.type === 'enum') return `one of ${r.values.map(code).join(', ')}`;
  const range = r.max === undefined ? `an integer ≥ ${r.min ?? 0}` : `an integer from ${r.min ?? 0} to ${r.max}`;
  return r.nullable ? `${range}, or \`null\`` : range;
}

function settings(vendors: readonly VendorModule[]): string {
  const rows = vendors.flatMap((v) =>
    Object.entries(v.settings).map(
      ([name, r]) => `| ${code(v.slug)} | ${code(name)} | ${rule(r)} | ${code(JSON.stringify(r.default))} | ${r.doc.replace(/\|/g, '\\|')} |`,
    ),
  );
  return ['| vendor | setting | value | default | what it does |', '|---|---|---|---|---|', ...rows].join('\n');
}

function errorCodes(vendor: VendorModule): string {
  const rows = CANONICAL_CODES.map((c) => {
    const { status, body } = vendor.envelope.error(new SandboxError(c));
    return `| ${code(c)} | ${status} | ${code(JSON.stringify(body))} |`;
  });
  return ['| sandbox error | HTTP | body |', '|---|---|---|', ...rows].join('\n');
}

function render(kind: string, arg: string | undefined, vendors: readonly VendorModule[]): string {
  if (kind === 'magic-values' && !arg) return magicValues(vendors);
  if (kind === 'settings' && !arg) return settings(vendors);
  const vendor = vendors.find((v) => v.slug === arg);
  if (kind === 'error-codes' && vendor) return errorCodes(vendor);
  throw new Error(`unknown generated region ${kind}${arg ? `:${arg}` : ''}`);
}

/** The markdown with every generated region rewritten. */
export function regenerate(markdown: string, vendors: readonly VendorModule[] = VENDORS): string {
  return markdown.replace(
    REGION,
    (_all, open: string, kind: string, arg: string | undefined, _old, close: string) => `${open}${render(kind, arg, vendors)}\n${close}`,
  );
}

/** The kinds of the generated regions in `markdown`, as written (`error-codes:onerway`). */
export function regions(markdown: string): string[] {
  return [...markdown.matchAll(REGION)].map((m) => (m[3] ? `${m[2]}:${m[3]}` : m[2]));
}

/** README.md and every page under docs/, paths relative to the root. */
export function docFiles(root: string = ROOT): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
  return [
    'README.md',
    ...walk(join(root, 'docs'))
      .map((f) => relative(root, f))
      .sort(),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const file of docFiles(ROOT)) {
    const path = join(ROOT, file);
    const before = readFileSync(path, 'utf8');
    const after = regenerate(before);
    if (after !== before) {
      writeFileSync(path, after);
      console.log(`rewrote ${file}`);
    }
  }
}

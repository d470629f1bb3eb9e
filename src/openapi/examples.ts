/**
 * Request examples for the OpenAPI documents, from the vendor pages: every `curl … localhost:4010<path> … -d '<json>'`
 * in docs/vendors/*.md whose path is one of the vendor's operations and whose body its request contract
 * accepts (only those pages, so that an example added elsewhere does not make the documents stale). Those examples are run by test/docs/examples.test.ts, so each is known to be answered as
 * documented. The docs are not in the package: an installed sandbox serves the committed documents.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Contracts } from '../core/contracts.js';
import type { VendorModule } from '../core/vendor.js';

export interface RequestExample {
  summary: string;
  value: unknown;
}

const CURL = /localhost:4010(\/[^\s'"|]+)[^\n]*?\s-d\s'(\{[^']*\})'/g;

/** The examples of each operation (by name), first seen first, each body once. */
export function docExamples(root: string, vendor: VendorModule, contracts: Contracts): Map<string, RequestExample[]> {
  const out = new Map<string, RequestExample[]>();
  for (const file of markdownFiles(root)) {
    const text = readFileSync(file, 'utf8').replace(/\\\n\s*/g, ' ');
    for (const [, path, json] of text.matchAll(CURL)) {
      const op = operationAt(vendor, path!);
      if (!op) continue;
      let value: unknown;
      try {
        value = JSON.parse(json!);
      } catch {
        continue;
      }
      const id = `${vendor.slug}/${op.name}.request`;
      if (!contracts.has(id) || contracts.problems(id, value).length > 0) continue;
      const list = out.get(op.name) ?? [];
      if (list.some((e) => JSON.stringify(e.value) === JSON.stringify(value))) continue;
      list.push({ summary: `from ${relative(root, file).split('\\').join('/')}`, value });
      out.set(op.name, list);
    }
  }
  return out;
}

function markdownFiles(root: string): string[] {
  const pages = join(root, 'docs', 'vendors');
  if (!existsSync(pages)) return [];
  return readdirSync(pages)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join(pages, f));
}

/** The operation a request path names: a base path (or `/<slug>` + base), then the operation's path, as the dispatcher matches them. */
function operationAt(vendor: VendorModule, path: string): VendorModule['operations'][number] | undefined {
  const parts = path.split('?')[0]!.toLowerCase().split('/');
  for (const base of vendor.basePaths.flatMap((b) => [b, `/${vendor.slug}${b}`])) {
    const segments = base.toLowerCase().split('/');
    if (parts.length <= segments.length || !segments.every((s, i) => s.startsWith(':') || s === parts[i])) continue;
    const rest = `/${parts.slice(segments.length).join('/')}`;
    const op = vendor.operations.find((o) => o.path.toLowerCase() === rest);
    if (op) return op;
  }
  return undefined;
}

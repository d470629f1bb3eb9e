/**
 * The picture of imports: src/core depends on nothing outside src/core (vendors plug into its port,
 * src/core/vendor.ts), and no module of src/ imports itself back through others (type imports count:
 * a cycle of types is still a cycle of knowledge).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|mts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

/** Each source file's relative imports (static, dynamic and re-exports), as files under src/. */
function graph(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map(
      (m) => m[1] ?? m[2]!,
    );
    out.set(
      rel(file),
      specifiers.map((s) => rel(resolve(dirname(file), s).replace(/\.js$/, existing(resolve(dirname(file), s))))),
    );
  }
  return out;
}

/** `x.js` is written for `x.ts` (or `x.mjs` as is). */
function existing(path: string): string {
  if (path.endsWith('.mjs')) return '.mjs';
  return '.ts';
}

const rel = (file: string) => relative(SRC, file).split('\\').join('/');

function cycles(g: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of g.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...g.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

describe('the import graph of src/', () => {
  const g = graph();

  it('reads every file and resolves every relative import to a file that exists', () => {
    expect(g.size).toBeGreaterThan(50);
    const missing = [...g].flatMap(([from, tos]) => tos.filter((to) => !g.has(to)).map((to) => `${from} → ${to}`));
    expect(missing).toEqual([]);
  });

  it('has no arrow from src/core to anything outside it', () => {
    const leaks = [...g]
      .filter(([from]) => from.startsWith('core/'))
      .flatMap(([from, tos]) => tos.filter((to) => !to.startsWith('core/')).map((to) => `${from} → ${to}`));
    expect(leaks).toEqual([]);
  });

  it('has no cycle', () => {
    expect(cycles(g).map((c) => c.join(' → '))).toEqual([]);
  });
});

/**
 * docs/adding-a-vendor.md quotes the fake vendor's code: every code block is marked, just above it, as
 * "not run: quoted from <file>", and that file must still contain the block as written, so the guide
 * cannot drift from the code it teaches.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeBlocks } from './markdown.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FILE = 'docs/adding-a-vendor.md';
const QUOTES = codeBlocks(FILE, readFileSync(resolve(ROOT, FILE), 'utf8')).map((b) => ({
  source: /^not run: quoted from (\S+),/.exec(b.note ?? '')?.[1],
  code: b.text,
  line: b.line,
}));

describe('docs/adding-a-vendor.md', () => {
  it('names the file of every code block it shows', () => {
    expect(QUOTES.length).toBeGreaterThanOrEqual(10);
    expect(QUOTES.filter((q) => !q.source).map((q) => `${FILE}:${q.line}`)).toEqual([]);
  });

  it.each(QUOTES.filter((q) => q.source).map((q) => [q.source!, q.code] as const))('quotes %s as it is', (source, code) => {
    expect(readFileSync(resolve(ROOT, source), 'utf8')).toContain(code);
  });
});

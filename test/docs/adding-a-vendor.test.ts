/**
 * docs/adding-a-vendor.md quotes the fake vendor's code: every code block names its file just above it
 * ("from `path`:"), and that file must still contain the block as written, so the guide cannot drift
 * from the code it teaches.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DOC = readFileSync(resolve(ROOT, 'docs/adding-a-vendor.md'), 'utf8');

/** Each fenced block with the text before it (since the previous block). */
function blocks(text: string): Array<{ before: string; code: string }> {
  const out: Array<{ before: string; code: string }> = [];
  const fence = /```\w*\n([\s\S]*?)\n```/g;
  let last = 0;
  for (const m of text.matchAll(fence)) {
    out.push({ before: text.slice(last, m.index), code: m[1]! });
    last = m.index + m[0].length;
  }
  return out;
}

const QUOTES = blocks(DOC).map(({ before, code }) => ({ source: /from\s+`([^`]+)`:\s*$/i.exec(before)?.[1], code }));

describe('docs/adding-a-vendor.md', () => {
  it('names the file of every code block it shows', () => {
    expect(QUOTES.length).toBeGreaterThanOrEqual(10);
    expect(QUOTES.filter((q) => !q.source).map((q) => q.code.split('\n')[0])).toEqual([]);
  });

  it.each(QUOTES.filter((q) => q.source).map((q) => [q.source!, q.code] as const))('quotes %s as it is', (source, code) => {
    expect(readFileSync(resolve(ROOT, source), 'utf8')).toContain(code);
  });
});

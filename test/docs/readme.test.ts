/** The README stays a first screen, and every link between the pages leads somewhere. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docFiles } from '../../scripts/generate-docs.js';

const ROOT = resolve(import.meta.dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The README without the sections that wait to be moved to docs/ (marked above their heading). */
function ownText(markdown: string): { text: string; pending: string[] } {
  const pending: string[] = [];
  const kept: string[] = [];
  let skipping = false;
  let armed = false;
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    if (!inCode && /^#{1,2} /.test(line)) {
      skipping = armed;
      armed = false;
      if (skipping) pending.push(line);
    }
    if (/<!-- not run until moved: .+ -->/.test(line)) {
      armed = true;
      continue;
    }
    if (!skipping) kept.push(line);
  }
  return { text: kept.join('\n'), pending };
}

/** GitHub's anchor for a heading. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

describe('the README', () => {
  it('is at most 10 KB, not counting sections waiting to move to docs/', () => {
    const { text, pending } = ownText(README);
    if (pending.length > 0) console.log(`README sections not counted (they move to docs/): ${pending.join('; ')}`);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(10 * 1024);
  });

  it('opens with the two commands', () => {
    const firstBlock = /```sh\n([^]*?)```/.exec(README)?.[1] ?? '';
    expect(firstBlock).toMatch(/^npm ci && npm start\b.*\nnpm ci && npm test\b/);
  });
});

describe('links between the pages', () => {
  const pages = docFiles(ROOT).map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));
  const anchors = new Map(pages.map((p) => [p.file, new Set([...p.text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1])))]));

  // A section waiting to move keeps its links as they were; they are fixed when it moves.
  it.each(pages.map((p) => [p.file, p.text]))('%s links only to files and headings that exist', (file, text) => {
    const broken: string[] = [];
    const prose = ownText(text).text.replace(/```[^]*?```/g, '');
    for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [path, hash] = target.split('#');
      const resolved = path ? join(dirname(file), path) : file;
      if (!existsSync(join(ROOT, resolved))) broken.push(`${target}: no such file`);
      else if (hash && resolved.endsWith('.md') && !anchors.get(resolved)?.has(hash)) broken.push(`${target}: no such heading`);
    }
    expect(broken).toEqual([]);
  });
});

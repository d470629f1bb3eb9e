/** The parts of the docs that restate code are generated from it (`npm run docs`) and kept current. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docFiles, regenerate, regions } from '../../scripts/generate-docs.js';
import { VENDORS } from '../../src/vendors/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const pages = docFiles(ROOT).map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));

describe('generated parts of the docs', () => {
  it.each(pages.filter((p) => regions(p.text).length > 0).map((p) => [p.file, p.text]))('%s is current (run `npm run docs`)', (_file, text) => {
    expect(text).toBe(regenerate(text));
  });

  it('the magic values and the settings are generated, and each vendor page has its error table', () => {
    const all = pages.flatMap((p) => regions(p.text));
    expect(all).toContain('magic-values');
    expect(all).toContain('settings');
    const vendorPages = pages.filter((p) => p.file.startsWith('docs/vendors/'));
    expect(vendorPages.length).toBeGreaterThan(0);
    for (const page of vendorPages) {
      const slug = page.file.replace(/^docs\/vendors\/|\.md$/g, '');
      expect(
        VENDORS.map((v) => v.slug),
        `${page.file} is a registered vendor's page`,
      ).toContain(slug);
      expect(regions(page.text), page.file).toContain(`error-codes:${slug}`);
    }
  });

  it('a stale region is found: the check can fail', () => {
    const stale = '<!-- generated:magic-values -->\n| old table |\n<!-- /generated -->';
    expect(regenerate(stale)).not.toBe(stale);
    expect(regenerate(regenerate(stale))).toBe(regenerate(stale));
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTypes } from '../../scripts/generate-types.js';
import { VENDORS } from '../../src/vendors/index.js';

describe('contract types', () => {
  it.each(VENDORS.map((v) => [v.slug]))('src/vendors/%s/contract-types.ts matches contracts/ (run `npm run contracts:types`)', async (slug) => {
    const file = resolve(import.meta.dirname, '../../src/vendors', slug, 'contract-types.ts');
    expect(readFileSync(file, 'utf8')).toBe(await generateTypes(slug));
  });
});

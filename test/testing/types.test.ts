/**
 * `card-sandbox/types/<vendor>` and `card-sandbox/testing`: the package exports them, one types module per
 * vendor, and a vendor's types describe the bodies its contracts do.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { DepositRequest, GetCardholderResponse } from '../../src/types/onerway.js';
import type { BalanceRequest } from '../../src/types/finext.js';
import type { CardDetailRequest } from '../../src/types/openapi-cn.js';
import { validate } from '../../src/testing/index.js';
import { VENDORS } from '../../src/vendors/index.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, { types: string; default: string }> };

describe('exported types', () => {
  it('maps ./testing and ./types/* to dist, with a types module per vendor', () => {
    expect(pkg.exports['./testing']).toEqual({ types: './dist/testing/index.d.ts', default: './dist/testing/index.js' });
    expect(pkg.exports['./types/*']).toEqual({ types: './dist/types/*.d.ts', default: './dist/types/*.js' });
    for (const vendor of VENDORS) expect(existsSync(new URL(`../../src/types/${vendor.slug}.ts`, import.meta.url)), vendor.slug).toBe(true);
  });

  it("a typed body is one the vendor's contract accepts", () => {
    const deposit: DepositRequest = { clientRequestId: 'DEP_1', cardId: 100001, amount: 10 };
    expect(validate('onerway', 'deposit', 'request', deposit)).toEqual([]);
    expectTypeOf<DepositRequest>().toHaveProperty('cardId');
    expectTypeOf<GetCardholderResponse>().toHaveProperty('respCode');
    expectTypeOf<BalanceRequest>().toHaveProperty('kit_number');
    expectTypeOf<CardDetailRequest>().toHaveProperty('card_id');
  });
});

/**
 * The dashboard signs Finext requests in the browser (src/ui/vendor-calls.ts): its sign forms and digest
 * must be the server's (src/vendors/finext/sign.ts), form for form, or its buttons would meet "sign error".
 */
import { describe, expect, it } from 'vitest';
import { FINEXT_FORMS, finextSign } from '../../src/ui/vendor-calls.js';
import { SIGN_FIELDS, sign, type SignForm } from '../../src/vendors/finext/sign.js';

const VALUES = { api_key: 'k-1', username: 'lili12', timestamp: '1772323200000', secret: 's-1', request_id: 'r'.repeat(32), amount: '12.50' };

describe("the dashboard's Finext signing", () => {
  it('has exactly the forms the server checks, each with the same fields in the same order', () => {
    expect(FINEXT_FORMS).toEqual(SIGN_FIELDS);
  });

  it.each(Object.keys(SIGN_FIELDS) as SignForm[])('signs the %s form as the server does', (form) => {
    expect(finextSign(form, VALUES)).toBe(sign(form, VALUES));
  });
});

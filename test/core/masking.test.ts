/** The journal's masking rules (src/core/masking.ts), on JSON text whole and cut short. */
import { describe, expect, it } from 'vitest';
import { maskHeaders, maskJsonText } from '../../src/core/masking.js';

const masked = (value: unknown) => JSON.parse(maskJsonText(JSON.stringify(value)));

describe('masking', () => {
  it.each([
    ['key', 'k'], ['api_key', 'k'], ['apiKey', 'k'], ['X-API-KEY', 'k'], ['secret', 's'], ['webhookSecret', 's'], ['sign', 'x'],
    ['signature', 'x'], ['password', 'p'], ['newPassword', 'p'], ['pin', '1234'], ['pinCode', '1234'], ['cvv', '123'], ['cvv2', '123'],
    ['CVC', '123'], ['access_token', 't'], ['authorization', 'Bearer t'],
  ])('masks the value of %s', (key, value) => {
    expect(masked({ [key]: value, other: 'kept' })).toEqual({ [key]: '****', other: 'kept' });
  });

  it.each([
    ['cardNo', '4111111111111111', '************1111'],
    ['card_number', '5316 5800 1234 5678', '**** **** **** 5678'],
    ['pan', 4111111111111111, '************1111'],
    ['anything', '4000056655665556', '************5556'],
    ['list', ['4000056655665556', 'x'], ['************5556', 'x']],
  ])('shows only the last 4 digits of a card number under %s', (key, value, shown) => {
    expect(masked({ [key]: value })).toEqual({ [key]: shown });
  });

  it.each([
    ['timestamp', '1772323200000'], ['createTime', 1772323200000], ['created_at', 1772323200000], ['start_time', '0000000000000'],
    ['cardId', 100001], ['kit_number', '2000000001'], ['maskCardNo', '411111******1111'], ['clientRequestId', 'REQ_1772323200000_1'],
    ['authCode', '123456'],
  ])('keeps %s as it is', (key, value) => {
    expect(masked({ [key]: value })).toEqual({ [key]: value });
  });

  it('keeps escaped quotes and nested objects intact', () => {
    const body = { note: 'say "hi"', card: { cardNo: '4111111111111111', holder: { name: 'A "B" C' } }, key: 'k\\"x' };
    expect(masked(body)).toEqual({ note: 'say "hi"', card: { cardNo: '************1111', holder: { name: 'A "B" C' } }, key: '****' });
  });

  it('masks text that was cut inside a secret, inside a card number, or after a key', () => {
    expect(maskJsonText('{"a":1,"key":"0408ab79')).toBe('{"a":1,"key":"****"');
    expect(maskJsonText('{"note":"4111111111')).toBe('{"note":"**********"');
    expect(maskJsonText('{"cardNo":"41111111')).toBe('{"cardNo":"****"');
    expect(maskJsonText('{"sign":')).toBe('{"sign":');
  });

  it('masks secret headers by name', () => {
    expect(maskHeaders({ apikey: 'k', 'x-onerway-apikey': 'k', authorization: 'Bearer t', 'x-signature': 'ab', 'content-type': 'application/json' })).toEqual({
      apikey: '****', 'x-onerway-apikey': '****', authorization: '****', 'x-signature': '****', 'content-type': 'application/json',
    });
  });
});

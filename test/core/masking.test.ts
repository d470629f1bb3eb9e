/** The masking rules (src/core/masking.ts): on parsed bodies, on text that does not parse, on free text and URLs. */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, isCardNumber, maskHeaders, maskJsonText, maskText, maskUrl, maskValue, shownValue, withoutDirectories } from '../../src/core/masking.js';

const masked = (value: unknown) => maskValue(JSON.parse(JSON.stringify(value)));
/** The text pass on the same body, read back: it must agree with the parsed pass on flat bodies. */
const maskedText = (value: unknown) => JSON.parse(maskJsonText(JSON.stringify(value)));

describe('masking', () => {
  it.each([
    ['key', 'k'],
    ['api_key', 'k'],
    ['apiKey', 'k'],
    ['X-API-KEY', 'k'],
    ['secret', 's'],
    ['webhookSecret', 's'],
    ['sign', 'x'],
    ['signature', 'x'],
    ['password', 'p'],
    ['newPassword', 'p'],
    ['pin', '1234'],
    ['pinCode', '1234'],
    ['cvv', '123'],
    ['cvv2', '123'],
    ['CVC', '123'],
    ['access_token', 't'],
    ['authorization', 'Bearer t'],
    ['cvv', 123],
    ['ＣＶＶ', '123'],
  ])('masks the value of %s', (key, value) => {
    expect(masked({ [key]: value, other: 'kept' })).toEqual({ [key]: '****', other: 'kept' });
    expect(maskedText({ [key]: value, other: 'kept' })).toEqual({ [key]: '****', other: 'kept' });
  });

  it.each([
    ['cardNo', '4111111111111111', '************1111'],
    ['card_number', '5316 5800 1234 5678', '**** **** **** 5678'],
    ['pan', 4111111111111111, '************1111'],
    ['anything', '4000056655665556', '************5556'],
    ['list', ['4000056655665556', 'x'], ['************5556', 'x']],
    ['timestamp', '4111111111111111', '************1111'],
    ['createdAt', 5555555555554444, '************4444'],
    ['remark', 'card 4111 1111 1111 1111 declined', 'card **** **** **** 1111 declined'],
    ['visa13', '4222222222222', '*********2222'],
  ])('shows only the last 4 digits of a card number under %s', (key, value, shown) => {
    expect(masked({ [key]: value })).toEqual({ [key]: shown });
    expect(maskedText({ [key]: value })).toEqual({ [key]: shown });
  });

  it.each([
    ['timestamp', '1683293970762'],
    ['createTime', 1772323200000],
    ['created_at', 2082619500000],
    ['start_time', '0000000000000'],
    ['cardId', 100001],
    ['kit_number', '2000000001'],
    ['maskCardNo', '411111******1111'],
    ['clientRequestId', 'REQ_1772323200000_1'],
    ['authCode', '123456'],
    ['ref', '4111111111111112'],
    ['amount', 5.001],
  ])('keeps %s as it is', (key, value) => {
    expect(masked({ [key]: value })).toEqual({ [key]: value });
    expect(maskedText({ [key]: value })).toEqual({ [key]: value });
  });

  it("keeps escaped quotes and nested objects intact, masking a secret key's value whole", () => {
    const body = { note: 'say "hi"', card: { cardNo: '4111111111111111', holder: { name: 'A "B" C' } }, key: 'k\\"x', secret: { a: ['b'] } };
    expect(masked(body)).toEqual({ note: 'say "hi"', card: { cardNo: '************1111', holder: { name: 'A "B" C' } }, key: '****', secret: '****' });
  });

  it('judges keys as decoded: unicode escapes in keys and digits do not hide a secret or a card number', () => {
    const raw =
      '{"\\u0063vv":"123","\\u0073ecret":"s3cr3t","\\u0061piKey":"ak-1","note":"\\u0034111111111111111","t":"\\u0034\\u0031\\u0031\\u0031111111111111"}';
    const shown = { cvv: '****', secret: '****', apiKey: '****', note: '************1111', t: '************1111' };
    expect(maskValue(JSON.parse(raw))).toEqual(shown);
    expect(JSON.parse(maskJsonText(raw))).toEqual(shown);
  });

  it('keeps a key named __proto__ as a key', () => {
    expect(JSON.stringify(maskValue(JSON.parse('{"__proto__":{"cvv":"1"},"a":1}')))).toBe('{"__proto__":{"cvv":"****"},"a":1}');
  });

  it(`gives up on a value nested deeper than ${MAX_DEPTH} levels (the journal shows its masked text instead)`, () => {
    expect(maskValue(JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`))).toBeUndefined();
    expect(maskValue(JSON.parse(`${'{"a":'.repeat(MAX_DEPTH - 1)}{"cvv":"1"}${'}'.repeat(MAX_DEPTH - 1)}`))).toBeDefined();
  });

  it('masks text that was cut inside a secret, inside a card number, or after a key', () => {
    expect(maskJsonText('{"a":1,"key":"0408ab79')).toBe('{"a":1,"key":"****"');
    expect(maskJsonText('{"note":"4111111111')).toBe('{"note":"**********"');
    expect(maskJsonText('{"cardNo":"41111111')).toBe('{"cardNo":"****"');
    expect(maskJsonText('{"\\u0070in":"12')).toBe('{"\\u0070in":"****"');
    expect(maskJsonText('{"sign":')).toBe('{"sign":');
  });

  it('masks secret headers by name, and card numbers in any header', () => {
    expect(
      maskHeaders({
        apikey: 'k',
        'x-onerway-apikey': 'k',
        authorization: 'Bearer t',
        'x-signature': 'ab',
        'content-type': 'application/json',
        'x-note': '4111111111111111',
      }),
    ).toEqual({
      apikey: '****',
      'x-onerway-apikey': '****',
      authorization: '****',
      'x-signature': '****',
      'content-type': 'application/json',
      'x-note': '************1111',
    });
  });
});

describe('masking: card numbers by shape', () => {
  const luhnDigit = (body: string) => {
    let sum = 0;
    for (let i = 0; i < body.length; i++) {
      let d = Number(body[body.length - 1 - i]);
      if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    return String((10 - (sum % 10)) % 10);
  };
  const pan = fc
    .tuple(
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 13, max: 17 }).chain((n) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n })),
    )
    .map(([first, rest]) => `${first}${rest}${luhnDigit(`${first}${rest}`)}`);

  it('masks every Luhn-valid 15 to 19 digit number, under any key, escaped or not', () => {
    fc.assert(
      fc.property(pan, fc.constantFrom('timestamp', 'createdAt', 'id', 'note', 'x'), (number, key) => {
        expect(isCardNumber(number)).toBe(true);
        const raw = `{"${key}":"\\u00${number.charCodeAt(0).toString(16)}${number.slice(1)}"}`;
        expect(maskValue(JSON.parse(raw))).toEqual({ [key]: `${'*'.repeat(number.length - 4)}${number.slice(-4)}` });
        expect(JSON.stringify(maskValue({ [key]: `paid with ${number}.` }))).not.toContain(number.slice(0, 6));
      }),
      { seed: 10, numRuns: 300 },
    );
  });

  it('keeps every millisecond time from 2001 to 2096 (13 digits not starting with 4), under any key', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1e12, max: 3_999_999_999_999 }), fc.constantFrom('at', 'ts', 'note', 'id'), (ms, key) => {
        expect(maskValue({ [key]: ms, text: `at ${ms}` })).toEqual({ [key]: ms, text: `at ${ms}` });
      }),
      { seed: 10, numRuns: 300 },
    );
  });

  it('keeps every time in the scenario packs as it is', () => {
    const dir = resolve(import.meta.dirname, '../../fixtures/scenarios');
    let times = 0;
    const walk = (a: unknown, b: unknown, key: string): void => {
      if (a !== null && typeof a === 'object') return Object.entries(a).forEach(([k, v]) => walk(v, (b as Record<string, unknown>)[k], k));
      if (/time|date|_at$|At$|^at$/i.test(key) && /^\d{13}$/.test(String(a))) {
        times++;
        expect(b, key).toBe(a);
      }
    };
    for (const file of readdirSync(dir)) {
      const pack: unknown = JSON.parse(readFileSync(resolve(dir, file), 'utf8'));
      walk(pack, maskValue(pack), '');
    }
    expect(times).toBeGreaterThan(600);
  });
});

describe('masking free text and URLs', () => {
  it.each([
    ['pin="1234" must be 4 digits', 'pin="****" must be 4 digits'],
    ['cvv=123&pan=4111111111111111&note=x', 'cvv=****&pan=************1111&note=x'],
    ['cardId=4111111111111111 is not a long', 'cardId=************1111 is not a long'],
    ['timestamp 1683293970762 is -5 ms from the sandbox clock', 'timestamp 1683293970762 is -5 ms from the sandbox clock'],
    ['{"api_key":"ak","amount":1}', '{"api_key":"****","amount":1}'],
  ])('masks %j', (text, shown) => {
    expect(maskText(text)).toBe(shown);
  });

  it.each([
    ['https://user:pa55@hooks.example.com/in?token=abc&x=1#frag', 'https://****@hooks.example.com/in?token=****&x=****'],
    ['/__sandbox/requests?vendor=onerway&bare', '/__sandbox/requests?vendor=****&****'],
    ['/api/v1/card/topup', '/api/v1/card/topup'],
  ])('masks the userinfo and query values of %s', (url, shown) => {
    expect(maskUrl(url)).toBe(shown);
  });
});

describe('what diagnostics and health show', () => {
  it('shows a sent value by kind when it is a structure, never walking it', () => {
    const nested = JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect([shownValue(nested), shownValue({ a: 1 }), shownValue(undefined), shownValue(null), shownValue(12), shownValue('ab')]).toEqual([
      'an array',
      'an object',
      'nothing',
      'null',
      '12',
      '"ab"',
    ]);
    expect(shownValue('x'.repeat(100))).toBe(`"${'x'.repeat(64)}"… (100 characters)`);
  });

  it.each([
    ['/srv/data/sandbox.json: the log could not be written (EIO)', 'sandbox.json: the log could not be written (EIO)'],
    ["ENOSPC: no space left on device, open '/var/lib/x/sandbox.json.wal.3'", "ENOSPC: no space left on device, open 'sandbox.json.wal.3'"],
    ['./data/sandbox.json: failed', './data/sandbox.json: failed'],
    ['C:\\data\\sandbox.json failed', 'sandbox.json failed'],
  ])('cuts absolute paths to their file name in %j', (text, shown) => {
    expect(withoutDirectories(text)).toBe(shown);
  });
});

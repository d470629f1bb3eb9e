/**
 * Bounds on what a request may carry, on every operation of every registered vendor: nesting depth
 * (refused from the raw bytes, before authentication or anything else walks the body), field lengths
 * and body size. Each refusal is the vendor's own parameter error with a diagnostic naming the field and
 * the limit.
 */
import fc from 'fast-check';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { SandboxError } from '../../src/core/errors.js';
import { MAX_JSON_DEPTH } from '../../src/core/json-depth.js';
import type { VendorModule } from '../../src/core/vendor.js';
import type { Sandbox } from '../../src/sandbox.js';
import { REGISTERED } from '../helpers/registered.js';
import { control, expectContract, makeSandbox as makeAnySandbox } from '../helpers/sandbox.js';
import { credentialsOf } from '../helpers/vendor-requests.js';
import { arbitraryFor, deref, requestSchema, type Schema } from '../helpers/schema-arbitrary.js';

// Every registered vendor, the tests' fake one included.
const makeSandbox = (options: Parameters<typeof makeAnySandbox>[0] = {}) => makeAnySandbox({ vendors: REGISTERED, ...options });
const sandbox = await makeSandbox();
const VENDORS = sandbox.runtime.vendors;
const DEEP = '"__DEEP__"';

/** The vendor's answer to a bad parameter, as its envelope renders it. */
function paramError(vendor: VendorModule): Record<string, unknown> {
  const body = vendor.envelope.error(new SandboxError('invalid_param')).body as Record<string, unknown>;
  return { [vendor.envelope.codeField]: body[vendor.envelope.codeField] };
}

/** `fields` signed for `op`, `after` laid over the signed body, then the DEEP marker in the text replaced by `replacement`. */
function send(sb: Sandbox, vendor: VendorModule, opName: string, fields: Record<string, unknown>, replacement = '', after: Record<string, unknown> = {}) {
  const creds = credentialsOf(vendor);
  const op = vendor.operations.find((o) => o.name === opName)!;
  const { headers, fields: signed } = creds.sign(sb, op, fields, 'valid');
  const text = JSON.stringify({ ...signed, ...after }).replace(DEEP, replacement);
  return request(sb.app).post(`${creds.base}${op.path}`).set(headers).send(text);
}

const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const nestedObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe.each(VENDORS.map((v) => [v.slug, v] as const))('%s: nesting depth', (_slug, vendor) => {
  it(`refuses an extra field 4,000 and 5,000 levels deep on every operation with its parameter error, naming the field`, async () => {
    const sb = await makeSandbox();
    for (const op of vendor.operations) {
      for (const [levels, deep] of [
        [4000, nested(4000)],
        [5000, nestedObject(5000)],
      ] as const) {
        const res = await send(sb, vendor, op.name, { extra: '__DEEP__' }, deep);
        expect(res.status, `${op.name} ${levels}`).toBeLessThan(500);
        expect(res.body, `${op.name} ${levels}`).toMatchObject(paramError(vendor));
        expectContract(`${vendor.slug}/envelope.error`, res.body);
        expect(res.headers['x-sandbox-diagnostic']).toMatch(new RegExp(`^invalid_param: extra nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels`));
      }
    }
  });

  it('refuses a credential field 5,000 levels deep before authenticating', async () => {
    const sb = await makeSandbox();
    const op = vendor.operations[0]!;
    const { fields } = credentialsOf(vendor).sign(sb, op, {}, 'valid');
    for (const field of [...Object.keys(fields), 'username']) {
      const res = await send(sb, vendor, op.name, {}, nested(5000), { [field]: '__DEEP__' });
      expect(res.body, field).toMatchObject(paramError(vendor));
      expect(res.headers['x-sandbox-diagnostic'], field).toContain(`${field} nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels`);
    }
  });

  it(`takes ${MAX_JSON_DEPTH} levels (a bound, not a ban), and counts brackets inside strings as text`, async () => {
    const sb = await makeSandbox();
    const op = vendor.operations[0]!;
    for (const deep of [nested(MAX_JSON_DEPTH - 1), JSON.stringify('['.repeat(5000))]) {
      const res = await send(sb, vendor, op.name, { extra: '__DEEP__' }, deep);
      expect(res.headers['x-sandbox-diagnostic'] ?? '').not.toMatch(/nests/);
    }
  });
});

describe('control plane: nesting depth', () => {
  it.each(['/clock', '/tenants', '/faults', '/scenarios'])('refuses a body 5,000 levels deep on POST %s with a 400 naming the field', async (path) => {
    const sb = await makeSandbox();
    const res = await request(sb.app)
      .post(`/__sandbox${path}`)
      .set('content-type', 'application/json')
      .send(`{"now":${nested(5000)}}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_param', field: 'now' });
    expect(res.headers['x-sandbox-diagnostic']).toMatch(/now nests objects or arrays deeper than 32 levels/);
    expect((await control(sb).get('/health')).status).toBe(200);
  });
});

const contracts = sandbox.runtime.contracts;

/** A pattern that cannot match more than a fixed number of characters: no `+`, `*` or `{n,}` outside classes and escapes. */
function boundedPattern(pattern: string): boolean {
  const bare = pattern.replace(/\\./g, '').replace(/\[[^\]]*\]/g, '');
  return bare.startsWith('^') && bare.endsWith('$') && !/[+*]|\{\d+,\}/.test(bare);
}

/** Every place in a request schema that could take an unbounded value, as `<path> <what>`. */
function unbounded(id: string, schema: Schema, path: string, out: string[]): string[] {
  const s = deref(contracts, id, schema);
  if (s.enum || s.const !== undefined) return out;
  const types = s.type === undefined ? ['object'] : Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('string') && s.maxLength === undefined && s.format !== 'date' && !(s.pattern && boundedPattern(s.pattern))) out.push(`${path} string`);
  if (types.includes('array')) {
    if (s.maxItems === undefined) out.push(`${path} array`);
    if (s.items) unbounded(id, s.items, `${path}[]`, out);
  }
  if (types.includes('object')) {
    if (s.maxProperties === undefined && (s as { additionalProperties?: unknown }).additionalProperties !== false) out.push(`${path || 'body'} object`);
    for (const [k, v] of Object.entries(s.properties ?? {})) unbounded(id, v, path ? `${path}.${k}` : k, out);
  }
  return out;
}

describe('request contracts: every field is bounded', () => {
  it.each(VENDORS.map((v) => [v.slug, v] as const))('%s: every string has a length, every array a count, every body a field count', (_slug, vendor) => {
    const problems = vendor.operations.flatMap((op) =>
      unbounded(`${vendor.slug}/${op.name}.request`, requestSchema(contracts, `${vendor.slug}/${op.name}.request`), '', []).map((p) => `${op.name}: ${p}`),
    );
    expect(problems).toEqual([]);
  });
});

/** A body valid in shape for `op` (its required fields drawn from the contract), from a fixed seed. */
function validFields(vendor: VendorModule, opName: string): Record<string, unknown> {
  const id = `${vendor.slug}/${opName}.request`;
  return fc.sample(arbitraryFor(contracts, id, requestSchema(contracts, id)), { seed: 10, numRuns: 1 })[0] as Record<string, unknown>;
}

describe.each(VENDORS.map((v) => [v.slug, v] as const))('%s: field lengths', (_slug, vendor) => {
  it('refuses every bounded field one character past its limit with the parameter error, naming the field and the limit', async () => {
    const sb = await makeSandbox();
    let checked = 0;
    for (const op of vendor.operations) {
      const id = `${vendor.slug}/${op.name}.request`;
      const credentialFields = Object.keys(credentialsOf(vendor).sign(sb, op, {}, 'valid').fields);
      for (const [field, prop] of Object.entries(requestSchema(contracts, id).properties ?? {})) {
        const s = deref(contracts, id, prop);
        const types = Array.isArray(s.type) ? s.type : [s.type];
        if (s.maxLength === undefined || !types.includes('string') || credentialFields.includes(field)) continue;
        const res = await send(sb, vendor, op.name, { ...validFields(vendor, op.name), [field]: 'x'.repeat(s.maxLength + 1) });
        expect(res.body, `${op.name}.${field}`).toMatchObject(paramError(vendor));
        expect(res.headers['x-sandbox-diagnostic'], `${op.name}.${field}`).toContain(`${field} must NOT have more than ${s.maxLength} characters`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('refuses a body of more than 64 fields with the parameter error', async () => {
    const sb = await makeSandbox();
    const op = vendor.operations[0]!;
    const extra = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`extra${i}`, i]));
    const res = await send(sb, vendor, op.name, { ...validFields(vendor, op.name), ...extra });
    expect(res.body).toMatchObject(paramError(vendor));
    expect(res.headers['x-sandbox-diagnostic']).toContain('body must NOT have more than 64 properties');
  });
});

describe('finext account/create: bounded fields', () => {
  const finext = VENDORS.find((v) => v.slug === 'finext')!;
  const account = (overrides: Record<string, unknown>) => ({
    card_type: 1,
    card_level: 1,
    first_name: 'Ada',
    last_name: 'Lovelace',
    username: 'ada1',
    title: 'Ms',
    email: 'ada1@example.com',
    mobile_number: '4155550001',
    gender: 'Female',
    card_holder_name: 'Ada Lovelace',
    country_code: 'US',
    country: 'United States',
    date_of_birth: '1990-12-10',
    calling_code: '1',
    calling_country_code: 'US',
    state: 'California',
    city: 'San Francisco',
    postal_code: '94105',
    address: '12 Market St',
    ...overrides,
  });

  it.each([
    ['country', 64],
    ['state', 64],
    ['city', 64],
    ['postal_code', 16],
    ['address', 256],
    ['secondary_address', 256],
  ])('refuses a %s longer than %i characters with 10400 and stores nothing', async (field, max) => {
    const sb = await makeSandbox();
    const accounts = sb.store.count('finext.accounts');
    const res = await send(sb, finext, 'createAccount', account({ [field]: 'A'.repeat(max + 1) }));
    expect(res.body).toEqual({ code: 10400, msg: `parameter error: ${field} must NOT have more than ${max} characters` });
    expect(res.headers['x-sandbox-diagnostic']).toMatch(
      new RegExp(`^invalid_param: request does not match finext/createAccount.request: ${field} must NOT have more than ${max} characters`),
    );
    expect(sb.store.count('finext.accounts')).toBe(accounts);
    expect((await send(sb, finext, 'createAccount', account({ [field]: 'A'.repeat(max) }))).body).toMatchObject({ code: 10200 });
  });

  it('refuses a 16 MB body before reading it, with 10400 naming the limit, and stores nothing', async () => {
    const sb = await makeSandbox();
    const accounts = sb.store.count('finext.accounts');
    const res = await send(sb, finext, 'createAccount', account({ secondary_address: 'A'.repeat(16 * 1024 * 1024) }));
    expect(res.body).toEqual({ code: 10400, msg: 'parameter error' });
    expect(res.headers['x-sandbox-diagnostic']).toBe(`payload_too_large: body exceeds the ${7 * 1024 * 1024}-byte limit`);
    expect(sb.store.count('finext.accounts')).toBe(accounts);
  });
});

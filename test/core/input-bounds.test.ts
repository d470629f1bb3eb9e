/**
 * Bounds on what a request may carry, on every operation of every registered vendor: nesting depth
 * (refused from the raw bytes, before authentication or anything else walks the body), field lengths
 * and body size. Each refusal is the vendor's own parameter error with a diagnostic naming the field and
 * the limit.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { SandboxError } from '../../src/core/errors.js';
import { MAX_JSON_DEPTH } from '../../src/core/json-depth.js';
import type { VendorModule } from '../../src/vendors/types.js';
import type { Sandbox } from '../../src/sandbox.js';
import { control, expectContract, makeSandbox } from '../helpers/sandbox.js';
import { credentialsOf } from '../helpers/vendor-requests.js';

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
      for (const [levels, deep] of [[4000, nested(4000)], [5000, nestedObject(5000)]] as const) {
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
    const res = await request(sb.app).post(`/__sandbox${path}`).set('content-type', 'application/json').send(`{"now":${nested(5000)}}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_param', field: 'now' });
    expect(res.headers['x-sandbox-diagnostic']).toMatch(/now nests objects or arrays deeper than 32 levels/);
    expect((await control(sb).get('/health')).status).toBe(200);
  });
});

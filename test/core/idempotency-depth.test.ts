/**
 * The idempotency fingerprint walks the whole body, so a body nested deeper than the call stack must
 * still get an answer: every keyed operation of every registered vendor, with an extra field 4,000
 * levels deep, answers the vendor's envelope (success or a business error), never an internal error.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { REGISTERED, profileOf } from '../helpers/registered.js';
import { makeSandbox } from '../helpers/sandbox.js';
import { canonicalDigest } from '../../src/core/fingerprint.js';
import type { Operation, VendorModule } from '../../src/core/vendor.js';
import type { Sandbox } from '../../src/sandbox.js';

const DEPTH = 4000;
const deep = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;

/** Every keyed operation of every registered vendor, the fake one included; the bodies come from each vendor's test profile. */
const KEYED = REGISTERED.flatMap((v) => v.operations.filter((op) => op.idempotencyKey).map((op) => ({ id: `${v.slug}/${op.name}`, vendor: v, op })));

/** The vendor's request line and credentials, with the deep field spliced into the JSON text (no serializer recursion on our side). */
function send(sb: Sandbox, vendor: VendorModule, op: Operation, fields: Record<string, unknown>) {
  const { base, sign } = profileOf(vendor).credentials;
  const signed = sign(sb, op, fields, 'valid');
  const text = `${JSON.stringify(signed.fields).slice(0, -1)},"extra":${deep}}`;
  return request(sb.app).post(`${base}${op.path}`).set(signed.headers).set('Content-Type', 'application/json').send(text);
}

describe('idempotency fingerprints of deeply nested bodies', () => {
  it('has a body for every keyed operation of the registered vendors', () => {
    expect(KEYED.filter((k) => !profileOf(k.vendor).keyedBodies[k.op.name]).map((k) => k.id)).toEqual([]);
    expect(KEYED.map((k) => k.id).sort()).toEqual(REGISTERED.flatMap((v) => Object.keys(profileOf(v).keyedBodies).map((name) => `${v.slug}/${name}`)).sort());
  });

  it.each(KEYED)('$id answers the vendor envelope, not an internal error', async ({ vendor, op }) => {
    const sb = await makeSandbox({ vendors: REGISTERED });
    const res = await send(sb, vendor, op, profileOf(vendor).keyedBodies[op.name]!());
    const diagnostic = String(res.headers['x-sandbox-diagnostic'] ?? '');
    expect(res.status, res.text).toBeLessThan(500);
    expect(diagnostic, res.text).not.toMatch(/^internal/);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('digests a value far deeper than the call stack, the same for any key order', () => {
    let a: unknown = 1;
    let b: unknown = 1;
    for (let i = 0; i < 200_000; i++) {
      a = { x: a, y: [i] };
      b = { y: [i], x: b };
    }
    expect(canonicalDigest(a).equals(canonicalDigest(b))).toBe(true);
    expect(canonicalDigest({ x: 1, y: [2] }).toString('hex')).not.toBe(canonicalDigest({ x: 1, y: [3] }).toString('hex'));
  });
});

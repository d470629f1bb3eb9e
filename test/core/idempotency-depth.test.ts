/**
 * The idempotency fingerprint walks the whole body, so a body nested deeper than the call stack must
 * still get an answer: every keyed operation of every registered vendor, with an extra field 4,000
 * levels deep, answers the vendor's envelope (success or a business error), never an internal error.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { LILI12, MERCHANT as FINEXT, signedBody } from '../helpers/finext.js';
import { API_KEY, cardholderBody } from '../helpers/onerway.js';
import { MERCHANT as OPENAPI } from '../helpers/openapi-cn.js';
import { makeSandbox } from '../helpers/sandbox.js';
import { canonicalDigest } from '../../src/core/fingerprint.js';
import { VENDORS } from '../../src/vendors/index.js';
import type { Sandbox } from '../../src/sandbox.js';

const DEPTH = 4000;
const deep = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;

/** A body that passes each keyed operation's request contract (the fingerprint comes after it). */
const BODIES: Record<string, (sb: Sandbox) => Record<string, unknown>> = {
  'onerway/createCardholder': () => cardholderBody({ clientRequestId: 'DEEP_HOLDER' }),
  'onerway/updateCardholder': () => ({ clientRequestId: 'DEEP_UPDATE', cardholderId: 300001, firstName: 'Ada' }),
  'onerway/createCard': () => ({ clientRequestId: 'DEEP_CREATE', cardholderId: 300001, productId: 1, amount: 10 }),
  'onerway/operate': () => ({ clientRequestId: 'DEEP_OPERATE', cardId: 100001, type: 'FREEZE' }),
  'onerway/deposit': () => ({ clientRequestId: 'DEEP_DEPOSIT', cardId: 100001, amount: 10 }),
  'finext/topup': (sb) => signedBody(sb, FINEXT, 'topup', { username: LILI12.username, kit_number: LILI12.kit_number, amount: '1.00', transaction_id: 'DEEP_TOPUP_0000000000001' }),
  'openapi-cn/cardCancel': () => ({ card_id: 'cid_fBWWMWm8aUUYy3sd', request_no: 'DEEP-CANCEL' }),
  'openapi-cn/paymentCreate': () => ({ payee_id: 'pye_0000000000000000', amount: '1.00', currency: 'USD', fee_mode: 'OUR', reason: 'GOODS_TRADE', request_no: 'DEEP-PAY' }),
  'openapi-cn/orderOpenCard': () => ({ bin_id: 'bin_0000000000000000', holder_id: 'hld_0000000000000000', request_no: 'DEEP-OPEN' }),
  'openapi-cn/orderRecharge': () => ({ card_id: 'cid_fBWWMWm8aUUYy3sd', amount: '1.00', request_no: 'DEEP-RECHARGE' }),
};

const KEYED = VENDORS.flatMap((v) => v.operations.filter((op) => op.idempotencyKey).map((op) => ({ id: `${v.slug}/${op.name}`, slug: v.slug, op })));

/** The vendor's request line and credentials, with the deep field spliced into the JSON text (no serializer recursion on our side). */
function send(sb: Sandbox, slug: string, path: string, fields: Record<string, unknown>) {
  const text = (body: Record<string, unknown>) => `${JSON.stringify(body).slice(0, -1)},"extra":${deep}}`;
  const post = (url: string) => request(sb.app).post(url).set('Content-Type', 'application/json');
  if (slug === 'onerway') return post(`/api/v1/merchant${path}`).set('ApiKey', API_KEY).send(text(fields));
  if (slug === 'finext') return post(`/api/v1${path}`).set('authorization', 'Bearer deep').send(text(fields));
  return post(`/v1/openApi${path}`).send(text({ ...fields, customer_id: OPENAPI.customer_id, app_id: OPENAPI.app_id, key: OPENAPI.key }));
}

describe('idempotency fingerprints of deeply nested bodies', () => {
  it('has a body for every keyed operation of the registered vendors', () => {
    expect(KEYED.map((k) => k.id).sort()).toEqual(Object.keys(BODIES).sort());
  });

  it.each(KEYED)('$id answers the vendor envelope, not an internal error', async ({ id, slug, op }) => {
    const sb = await makeSandbox();
    const res = await send(sb, slug, op.path, BODIES[id]!(sb));
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

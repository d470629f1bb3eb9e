/**
 * Authentication diagnostics: they may say a credential is unknown or wrong, never show the right one or
 * any part of a secret; and a credential field of any shape (nested thousands of levels deep) is the
 * vendor's parameter error, not an internal error.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { AUTHORIZATION, LILI12, MERCHANT as FINEXT, NO_USER_OPERATIONS, OPERATIONS, signedBody, type OperationName } from '../helpers/finext.js';
import { API_KEY, BASE } from '../helpers/onerway.js';
import { MERCHANT as OPENAPI } from '../helpers/openapi-cn.js';
import { control, makeSandbox } from '../helpers/sandbox.js';

/** `{"a":{"a":…1…}}`, `depth` levels deep, as JSON text (too deep for JSON.stringify to write). */
const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** JSON text of `body` with `field` set to the raw JSON `value`. */
function withRaw(body: Record<string, unknown>, field: string, value: string): string {
  const rest = Object.fromEntries(Object.entries(body).filter(([k]) => k !== field));
  return `${JSON.stringify(rest).slice(0, -1)},"${field}":${value}}`;
}

describe('auth diagnostics reveal no credential', () => {
  it('onerway: an unknown ApiKey is named by its length, no part of it shown', async () => {
    const sb = await makeSandbox();
    const sent = `${API_KEY.slice(0, -1)}X`;
    const res = await request(sb.app).post(`${BASE}/common/regionList`).set('ApiKey', sent).send({}).expect(401);
    const diagnostic = res.headers['x-sandbox-diagnostic'] as string;
    expect(diagnostic).toBe(`unauthenticated: ApiKey sent (${sent.length} characters) belongs to no Onerway merchant (GET /__sandbox/tenants lists them)`);
    for (const part of [sent.slice(0, 4), sent.slice(-4), API_KEY.slice(-4)]) expect(diagnostic).not.toContain(part);
  });

  it('finext: an unknown api_key is named by its length, no part of it shown', async () => {
    const sb = await makeSandbox();
    const body = signedBody(sb, FINEXT, 'getAccountDetails', { username: LILI12.username, api_key: `${FINEXT.api_key.slice(0, -1)}0` });
    const res = await request(sb.app).post('/api/v1/account/getAccountDetails').set('authorization', AUTHORIZATION).send(body);
    expect(res.body).toEqual({ code: 10401, msg: 'authentication failed: api_key is invalid' });
    expect(res.headers['x-sandbox-diagnostic']).toMatch(/the api_key sent \(32 characters\) belongs to no Finext merchant/);
    expect(res.headers['x-sandbox-diagnostic']).not.toContain(FINEXT.api_key.slice(0, 8));
  });

  it('openapi-cn: a wrong key says which app it does not match, and shows neither key', async () => {
    const sb = await makeSandbox();
    const sent = `${OPENAPI.key.slice(0, -4)}0000`;
    const res = await request(sb.app).post('/v1/openApi/wallet/list').send({ customer_id: OPENAPI.customer_id, app_id: OPENAPI.app_id, key: sent });
    expect(res.headers['x-sandbox-diagnostic']).toBe(`unauthenticated: key does not match app ${OPENAPI.app_id} of customer ${OPENAPI.customer_id}`);
    const journal = JSON.stringify((await control(sb).get('/requests').expect(200)).body);
    for (const key of [OPENAPI.key, sent, OPENAPI.key.slice(0, 8)]) expect(journal).not.toContain(key);
  });
});

describe('credential fields of any shape', () => {
  const EVERY = (Object.keys(OPERATIONS) as OperationName[]).filter((op) => !NO_USER_OPERATIONS.includes(op));

  // 20 levels: within the request depth bound (32), so the value reaches authentication; deeper ones are
  // refused before it (test/core/input-bounds.test.ts).
  it.each(EVERY)('finext %s: a username nested 20 levels deep is a parameter error naming username', async (operation) => {
    const sb = await makeSandbox();
    const text = withRaw(signedBody(sb, FINEXT, operation, { username: 'x' }), 'username', deep(20));
    const res = await request(sb.app)
      .post(`/api/v1${OPERATIONS[operation]}`)
      .set('authorization', AUTHORIZATION)
      .set('Content-Type', 'application/json')
      .send(text);
    expect(res.body).toEqual({ code: 10400, msg: 'parameter error: username must be a string' });
    expect(res.headers['x-sandbox-diagnostic']).toBe('invalid_param: username must be a non-empty string, got an object');
  });

  it.each([
    ['api_key', deep(20), 'api_key must be a string'],
    ['timestamp', `[${deep(20)}]`, 'timestamp must be a 13-digit millisecond timestamp'],
    ['request_id', '12345678901234567890', 'request_id must be a string'],
    ['sign', 'true', 'sign must be a string'],
  ])('finext: %s of another shape is a parameter error', async (field, value, msg) => {
    const sb = await makeSandbox();
    const text = withRaw(signedBody(sb, FINEXT, 'getAccountDetails', { username: LILI12.username }), field, value);
    const res = await request(sb.app)
      .post('/api/v1/account/getAccountDetails')
      .set('authorization', AUTHORIZATION)
      .set('Content-Type', 'application/json')
      .send(text);
    expect(res.body).toEqual({ code: 10400, msg: `parameter error: ${msg}` });
  });

  it.each(['customer_id', 'app_id', 'key'])('openapi-cn: a %s nested 5,000 levels deep is a parameter error', async (field) => {
    const sb = await makeSandbox();
    const text = withRaw({ customer_id: OPENAPI.customer_id, app_id: OPENAPI.app_id, key: OPENAPI.key }, field, deep(5000));
    const res = await request(sb.app).post('/v1/openApi/wallet/list').set('Content-Type', 'application/json').send(text);
    expect(res.body.code).not.toBe(5000);
    expect(res.headers['x-sandbox-diagnostic']).toMatch(new RegExp(`^invalid_param: ${field}`));
  });
});

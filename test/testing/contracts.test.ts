/**
 * The kit's contract validators and schemaFor: each vendor's real paths lead to its operation, a real
 * request and the sandbox's real answer conform, and a broken body is refused with its problems listed.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import { ContractError, contractIds, expectContract, schemaFor, validate } from '../../src/testing/index.js';
import { VENDORS } from '../../src/vendors/index.js';
import { LILI12, MERCHANT as FINEXT, signedBody } from '../helpers/finext.js';
import { MERCHANT as OPENAPI } from '../helpers/openapi-cn.js';
import { T0 } from '../helpers/sandbox.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await createSandbox({ db: ':memory:', frozenAt: T0, logLevel: 'silent' });
});
afterAll(() => sb.close());

/** Per vendor: a real path, the request the test sends there, and its headers. */
const CASES = () => [
  { vendor: 'onerway', path: '/api/v1/merchant/cardholder/getCardholder', headers: { ApiKey: 'onerway-test-apikey-0001' }, body: { cardholderId: 300001 } },
  {
    vendor: 'finext',
    path: '/api/v1/mastercardService/card/balance',
    headers: { authorization: 'Bearer finext-sandbox-token' },
    body: signedBody(sb, FINEXT, 'balance', { username: LILI12.username, kit_number: LILI12.kit_number }),
  },
  { vendor: 'openapi-cn', path: '/v1/openApi/bin/list', headers: {}, body: { customer_id: OPENAPI.customer_id, app_id: OPENAPI.app_id, key: OPENAPI.key } },
];

describe('schemaFor', () => {
  it("finds the operation and its schema ids from the vendor's own path", () => {
    expect(schemaFor('POST', '/api/v1/merchant/card/deposit')).toEqual({
      vendor: 'onerway',
      operation: 'deposit',
      params: {},
      request: 'onerway/deposit.request',
      response: 'onerway/deposit.response',
      error: 'onerway/envelope.error',
    });
    expect(schemaFor('post', 'http://127.0.0.1:4010/v2/openApi/card/detail?x=1')).toMatchObject({
      vendor: 'openapi-cn',
      operation: 'cardDetail',
      params: { version: 'v2' },
    });
    expect(schemaFor('POST', '/api/v1/account/create')).toMatchObject({ vendor: 'finext', operation: 'createAccount' });
    expect(schemaFor('finext', 'POST', '/api/v1/mastercardService/card/balance')).toMatchObject({ vendor: 'finext', operation: 'balance' });
    // Under /<slug> too, as the sandbox serves it.
    expect(schemaFor('POST', '/onerway/api/v1/merchant/card/operate')).toMatchObject({ vendor: 'onerway', operation: 'operate' });
    expect(schemaFor('GET', '/api/v1/merchant/card/deposit')).toBeUndefined();
    expect(schemaFor('POST', '/api/v1/merchant/card/nothing')).toBeUndefined();
    expect(schemaFor('onerway', 'POST', '/api/v1/account/create')).toBeUndefined();
    expect(() => schemaFor('nobank', 'POST', '/x')).toThrow(/no vendor nobank/);
  });

  it('every operation of every vendor is found at each of its base paths, with schemas the kit has', () => {
    const ids = new Set(contractIds());
    for (const vendor of VENDORS)
      for (const base of vendor.basePaths)
        for (const op of vendor.operations) {
          const path = `${base.replace(':version', 'v1')}${op.path}`;
          const found = schemaFor(vendor.slug, 'POST', path);
          expect(found, path).toMatchObject({ vendor: vendor.slug, operation: op.name });
          for (const id of [found!.request, found!.response, found!.error]) expect(ids.has(id), id).toBe(true);
        }
  });
});

describe('validate and expectContract', () => {
  it.each(['onerway', 'finext', 'openapi-cn'])('%s: a real request and its answer conform; broken ones list their problems', async (slug) => {
    const c = CASES().find((x) => x.vendor === slug)!;
    const found = schemaFor('POST', c.path)!;
    expect(found.vendor).toBe(slug);
    expect(validate(slug, found.operation, 'request', c.body)).toEqual([]);
    expectContract(slug, found.operation, 'request', c.body);
    const res = await request(sb.app).post(c.path).set(c.headers).send(c.body).expect(200);
    expect(validate(slug, found.operation, 'response', res.body), JSON.stringify(res.body)).toEqual([]);

    const broken = { ...c.body, unexpectedField: { nested: true } };
    delete (broken as Record<string, unknown>)[Object.keys(c.body).at(-1)!];
    const problems = validate(slug, found.operation, 'request', broken);
    expect(problems.length).toBeGreaterThan(0);
    expect(() => expectContract(slug, found.operation, 'request', broken)).toThrow(ContractError);
    const thrown = (() => {
      try {
        expectContract(slug, found.operation, 'response', { nothing: 'here' });
      } catch (e) {
        return e as ContractError;
      }
    })();
    expect(thrown).toBeInstanceOf(ContractError);
    expect(thrown!.schema).toBe(`${slug}/${found.operation}.response`);
    expect(thrown!.message).toContain(thrown!.problems[0]);

    // The vendor's error envelope, from a real refusal (no credentials).
    const refused = await request(sb.app).post(c.path).send({});
    expect(validate(slug, found.operation, 'error', refused.body), JSON.stringify(refused.body)).toEqual([]);
  });

  it('webhook events by contract name or by their delivered name', async () => {
    await request(sb.app)
      .patch('/__sandbox/tenants/onerway-default')
      .send({ settings: { settleDelayMs: 0 } });
    await request(sb.app)
      .post('/api/v1/merchant/card/createCard')
      .set('ApiKey', 'onerway-test-apikey-0001')
      .send({ clientRequestId: 'KIT_HOOK', cardholderId: 300001, productId: 1, amount: 10 })
      .expect(200);
    await request(sb.app).post('/__sandbox/clock').send({ advanceMs: 1000 }).expect(200);
    const { deliveries } = (await request(sb.app).get('/__sandbox/webhooks?tenant=onerway-default&event=issuing.cardOperateEvent').expect(200)).body;
    expect(deliveries.length).toBeGreaterThan(0);
    const event = JSON.parse(deliveries[0].body);
    expect(validate('onerway', 'cardOperateEvent', 'webhook', event)).toEqual([]);
    expect(validate('onerway', 'issuing.cardOperateEvent', 'webhook', event)).toEqual([]);
    expect(validate('onerway', 'cardOperateEvent', 'webhook', { ...event, event_type: 'issuing.other' })).not.toEqual([]);
  });

  it('lists every problem of a body, not only the first', () => {
    expect(validate('onerway', 'deposit', 'request', { cardId: 'x' })).toEqual([
      "/ must have required property 'clientRequestId' (#/required)",
      "/ must have required property 'amount' (#/required)",
      '/cardId must be integer (common#/definitions/long/type)',
    ]);
  });

  it('an unknown schema is an error naming what the vendor has', () => {
    expect(() => validate('onerway', 'nothing', 'request', {})).toThrow(/no contract onerway\/nothing\.request; onerway has .*onerway\/deposit\.request/);
    expect(() => validate('nobank', 'x', 'request', {})).toThrow(/vendors are onerway|vendors are/);
  });
});

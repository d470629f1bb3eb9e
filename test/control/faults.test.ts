/** /__sandbox/faults: the rules, how they match, and how each refusal leaves the rules as they were. */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { finext, LILI12 } from '../helpers/finext.js';
import { API_KEY, BASE, SECOND_API_KEY, SECOND_TENANT, onerway } from '../helpers/onerway.js';
import { openapi } from '../helpers/openapi-cn.js';
import { control, makeSandbox } from '../helpers/sandbox.js';
import type { Sandbox } from '../../src/sandbox.js';

const addFault = async (sb: Sandbox, rule: Record<string, unknown>) => (await control(sb).post('/faults', rule).expect(201)).body;
const faults = async (sb: Sandbox) => (await control(sb).get('/faults').expect(200)).body.faults as any[];
const regionList = (sb: Sandbox, apiKey = API_KEY, headers: Record<string, string> = {}) =>
  request(sb.app).post(`${BASE}/common/regionList`).set('ApiKey', apiKey).set(headers).send({});

describe('fault rules /__sandbox/faults', () => {
  it('adds a rule (201, with its id and defaults), lists it, and removes it by id', async () => {
    const sb = await makeSandbox();
    const rule = await addFault(sb, { vendor: 'onerway', operation: 'deposit', fault: 'http_error', times: 2 });
    expect(rule).toEqual({ id: 'flt_1', vendor: 'onerway', operation: 'deposit', fault: 'http_error', times: 2, status: 500 });
    expect(await faults(sb)).toEqual([{ ...rule, remaining: 2 }]);
    expect((await request(sb.app).delete('/__sandbox/faults/flt_1').expect(200)).body).toEqual({ status: 'ok', id: 'flt_1' });
    expect(await faults(sb)).toEqual([]);
    expect((await request(sb.app).delete('/__sandbox/faults/flt_1').expect(404)).body.error.code).toBe('resource_not_found');
  });

  it('clears every rule on DELETE', async () => {
    const sb = await makeSandbox();
    await addFault(sb, { fault: 'drop' });
    await addFault(sb, { fault: 'rate_limit', retryAfter: 3 });
    expect((await request(sb.app).delete('/__sandbox/faults').expect(200)).body).toEqual({ status: 'ok', removed: 2 });
    expect(await faults(sb)).toEqual([]);
  });

  it.each([
    ['a body that is not an object', [1, 2], 'body'],
    ['an unknown field', { fault: 'drop', delay: 5 }, 'delay'],
    ['an unknown fault', { fault: 'explode' }, 'fault'],
    ['no fault', { vendor: 'onerway' }, 'fault'],
    ['a field of another fault', { fault: 'drop', latencyMs: 5 }, 'latencyMs'],
    ['an unknown vendor', { vendor: 'visa', fault: 'drop' }, 'vendor'],
    ['an operation the vendor does not have', { vendor: 'finext', operation: 'createCard', fault: 'drop' }, 'operation'],
    ['an operation no vendor has', { operation: 'launchRocket', fault: 'drop' }, 'operation'],
    ['an unknown tenant', { tenant: 'nobody', fault: 'drop' }, 'tenant'],
    ["another vendor's tenant", { vendor: 'finext', tenant: 'onerway-default', fault: 'drop' }, 'tenant'],
    ['times 0', { fault: 'drop', times: 0 }, 'times'],
    ['times 1.5', { fault: 'drop', times: 1.5 }, 'times'],
    ['probability 1.2', { fault: 'drop', probability: 1.2 }, 'probability'],
    ['probability as text', { fault: 'drop', probability: '0.5' }, 'probability'],
    ['latency without latencyMs', { fault: 'latency' }, 'latencyMs'],
    ['a negative latency', { fault: 'latency', latencyMs: -1 }, 'latencyMs'],
    ['a latency range upside down', { fault: 'latency', latencyMs: [500, 100] }, 'latencyMs'],
    ['a latency over 5 minutes', { fault: 'latency', latencyMs: 300_001 }, 'latencyMs'],
    ['an error without a code', { vendor: 'onerway', fault: 'error' }, 'code'],
    ['a code the vendor does not have', { vendor: 'onerway', fault: 'error', code: '99999' }, 'code'],
    ["the vendor's success code", { vendor: 'finext', fault: 'error', code: 10200 }, 'code'],
    ["a vendor's code without the vendor", { fault: 'error', code: '80007' }, 'code'],
    ['a 4xx http_error', { fault: 'http_error', status: 404 }, 'status'],
    ['a negative retryAfter', { fault: 'rate_limit', retryAfter: -1 }, 'retryAfter'],
  ])('refuses %s (400 naming the field) and changes nothing', async (_what, rule, field) => {
    const sb = await makeSandbox();
    await addFault(sb, { vendor: 'openapi-cn', fault: 'latency', latencyMs: 1 });
    const before = await faults(sb);
    const res = await control(sb).post('/faults', rule).expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_param', field });
    expect(res.headers['x-sandbox-diagnostic']).toMatch(/^invalid_param: /);
    expect(await faults(sb)).toEqual(before);
    expect((await addFault(sb, { fault: 'drop', probability: 0 })).id).toBe('flt_2');
  });

  it("answers a forced error in the vendor's own envelope, from its code or a canonical name", async () => {
    const sb = await makeSandbox();
    await addFault(sb, { vendor: 'onerway', operation: 'getCardInfo', fault: 'error', code: '80007' });
    await addFault(sb, { vendor: 'finext', fault: 'error', code: 'insufficient_balance' });
    await addFault(sb, { vendor: 'openapi-cn', fault: 'error', code: 3001 });
    const one = await onerway(sb).getCardInfo({ cardId: 100001 });
    expect(one.body).toEqual({ respCode: '80007', respMsg: 'Merchant balance not enough', data: null });
    expect(one.headers['x-sandbox-diagnostic']).toMatch(/^insufficient_balance: fault rule flt_1: forced error 80007/);
    expect((await finext(sb).call('balance', { username: LILI12.username, kit_number: LILI12.kit_number })).body).toEqual({
      code: 10410,
      msg: 'insufficient balance',
    });
    expect((await openapi(sb).call('walletList', '/wallet/list')).body).toEqual({ code: 3001, message: 'insufficient wallet balance' });
  });

  it('renders a forced code with the HTTP status the vendor gives it (Onerway 81000 is a 401)', async () => {
    const sb = await makeSandbox();
    await addFault(sb, { vendor: 'onerway', fault: 'error', code: 81000 });
    const res = await regionList(sb).expect(401);
    expect(res.body).toEqual({ respCode: '81000', respMsg: 'Unauthorized Merchant', data: null });
  });

  it('matches by vendor and operation', async () => {
    const sb = await makeSandbox();
    await addFault(sb, { vendor: 'onerway', operation: 'regionList', fault: 'http_error', status: 502 });
    await regionList(sb).expect(502);
    await request(sb.app).post(`${BASE}/common/mobileAreaCodeList`).set('ApiKey', API_KEY).send({}).expect(200);
    await request(sb.app).post('/v1/openApi/wallet/list').send({}).expect(200);
  });

  it("matches a tenant's rule only after authentication, so it never fires for bad credentials", async () => {
    const sb = await makeSandbox();
    await addFault(sb, { tenant: SECOND_TENANT, fault: 'error', code: 'merchant_inactive' });
    expect((await regionList(sb)).body.respCode).toBe('20000');
    expect((await regionList(sb, SECOND_API_KEY)).body.respCode).toBe('80004');
    expect((await regionList(sb, 'not-a-key-at-all')).status).toBe(401);
    expect((await regionList(sb, 'not-a-key-at-all')).body.respCode).toBe('81000');
  });

  it('applies a rule without a tenant before the credentials are checked (an outage checks no keys)', async () => {
    const sb = await makeSandbox();
    await addFault(sb, { vendor: 'onerway', fault: 'http_error', status: 503 });
    const res = await regionList(sb, 'not-a-key-at-all').expect(503);
    expect(res.body).toEqual({ respCode: '80000', respMsg: 'Internal service error', data: null });
  });

  it('removes a rule once it has fired `times` times', async () => {
    const sb = await makeSandbox();
    await addFault(sb, { vendor: 'onerway', fault: 'http_error', times: 2 });
    await regionList(sb).expect(500);
    expect((await faults(sb))[0].remaining).toBe(1);
    await regionList(sb).expect(500);
    expect(await faults(sb)).toEqual([]);
    await regionList(sb).expect(200);
  });

  it('never fires at probability 0 (and keeps its times), always at probability 1', async () => {
    const sb = await makeSandbox();
    await addFault(sb, { vendor: 'onerway', fault: 'http_error', probability: 0, times: 1 });
    for (let i = 0; i < 5; i++) await regionList(sb).expect(200);
    expect((await faults(sb))[0].remaining).toBe(1);
    await addFault(sb, { vendor: 'onerway', fault: 'rate_limit', probability: 1 });
    for (let i = 0; i < 5; i++) await regionList(sb).expect(429);
  });

  it('fires at about the given probability, and a seed makes the run reproducible', async () => {
    const run = async () => {
      const sb = await makeSandbox({ journalEntries: 0 });
      await addFault(sb, { vendor: 'onerway', fault: 'http_error', probability: 0.3, seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) statuses.push((await regionList(sb)).status);
      return statuses;
    };
    const first = await run();
    const fired = first.filter((s) => s === 500).length;
    expect(fired).toBeGreaterThan(40);
    expect(fired).toBeLessThan(80);
    expect(await run()).toEqual(first);
  });

  it('takes the first matching rule in the order they were added, one fault per request', async () => {
    const sb = await makeSandbox();
    await addFault(sb, { vendor: 'onerway', fault: 'http_error', status: 501, times: 1 });
    await addFault(sb, { vendor: 'onerway', fault: 'http_error', status: 502 });
    await regionList(sb).expect(501);
    await regionList(sb).expect(502);
  });

  it('journals a faulted request with the fault applied', async () => {
    const sb = await makeSandbox();
    await addFault(sb, { vendor: 'onerway', fault: 'rate_limit', retryAfter: 7 });
    await regionList(sb).expect(429);
    const [entry] = (await control(sb).get('/requests').expect(200)).body.requests;
    expect(entry).toMatchObject({
      operation: 'regionList',
      status: 429,
      code: '80000',
      fault: { rule: 'flt_1', fault: 'rate_limit', retryAfter: 7 },
      diagnostic: expect.stringMatching(/rate limited/),
    });
  });
});

describe('X-Sandbox-Fault header', () => {
  it('applies a rule given as JSON to the request that carries it, and to no other', async () => {
    const sb = await makeSandbox();
    const res = await regionList(sb, API_KEY, { 'X-Sandbox-Fault': '{"fault":"error","code":"80004"}' });
    expect(res.body).toEqual({ respCode: '80004', respMsg: 'Merchant status is invalid', data: null });
    await regionList(sb).expect(200);
    expect(await faults(sb)).toEqual([]);
  });

  it.each([
    ['rate_limit; retryAfter=2', 429, { fault: 'rate_limit', retryAfter: 2 }],
    ['http_error;status=504', 504, { fault: 'http_error', status: 504 }],
    ['error; code=40000', 200, { fault: 'error', code: '40000' }],
    ['latency; latencyMs=1-3', 200, { fault: 'latency' }],
    ['http_error; operation=regionList; probability=1', 500, { fault: 'http_error', status: 500 }],
    ['http_error; operation=cityList', 200, null],
  ])('accepts the compact form %j', async (header, status, fault) => {
    const sb = await makeSandbox();
    await regionList(sb, API_KEY, { 'X-Sandbox-Fault': header }).expect(status);
    expect((await control(sb).get('/requests').expect(200)).body.requests[0].fault).toEqual(
      fault && { rule: 'header', ...fault, ...(fault.fault === 'latency' ? { latencyMs: expect.any(Number) } : {}) },
    );
  });

  it.each([
    [
      'onerway',
      (sb: Sandbox, h: string) => regionList(sb, API_KEY, { 'X-Sandbox-Fault': h }),
      { respCode: '40000', respMsg: 'Param error: X-Sandbox-Fault is invalid', data: null },
    ],
    [
      'finext',
      (sb: Sandbox, h: string) => request(sb.app).post('/api/v1/card/balance').set('X-Sandbox-Fault', h).send({}),
      { code: 10400, msg: 'parameter error: X-Sandbox-Fault is invalid' },
    ],
    [
      'openapi-cn',
      (sb: Sandbox, h: string) => request(sb.app).post('/v1/openApi/wallet/list').set('X-Sandbox-Fault', h).send({}),
      { code: 1001, message: 'param error: X-Sandbox-Fault is invalid' },
    ],
  ])("refuses a bad header with %s's own parameter error and a diagnostic", async (_vendor, send, body) => {
    const sb = await makeSandbox();
    for (const [header, why] of [
      ['explode', /fault must be one of/],
      ['{"fault":', /not valid JSON/],
      ['latency; latencyMs', /not key=value/],
      ['error; code=nope', /has no error code "nope"/],
    ] as const) {
      const res = await send(sb, header);
      expect(res.body).toEqual(body);
      expect(res.headers['x-sandbox-diagnostic']).toMatch(/^invalid_param: X-Sandbox-Fault: /);
      expect(res.headers['x-sandbox-diagnostic']).toMatch(why);
    }
  });
});

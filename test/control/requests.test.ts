/** GET/DELETE /__sandbox/requests: the request journal, its filters, its bounds and its masking, on each store. */
import pino from 'pino';
import request from 'supertest';
import { expect, it } from 'vitest';
import { finext, LILI12, MERCHANT as FINEXT, signedBody, AUTHORIZATION } from '../helpers/finext.js';
import { API_KEY, BASE, DEFAULT_TENANT, SEED_EXAMPLES, onerway } from '../helpers/onerway.js';
import { MERCHANT as OPENAPI, SEED_EXAMPLES as OPENAPI_EXAMPLES, openapi } from '../helpers/openapi-cn.js';
import { T0, control } from '../helpers/sandbox.js';
import { describeStores } from '../helpers/stores.js';
import type { Sandbox } from '../../src/sandbox.js';

const journal = async (sb: Sandbox, query = '') => (await control(sb).get(`/requests${query}`).expect(200)).body.requests as any[];

describeStores('request journal /__sandbox/requests', (makeSandbox) => {
  it('records a vendor request with its operation, tenant, status, vendor code, duration and bodies', async () => {
    const sb = await makeSandbox();
    await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    const [entry] = await journal(sb);
    expect(entry).toMatchObject({
      at: T0,
      method: 'POST',
      path: `${BASE}/card/createCard`,
      vendor: 'onerway',
      operation: 'createCard',
      tenantId: DEFAULT_TENANT,
      status: 200,
      code: '20000',
      diagnostic: null,
      fault: null,
      request: { body: SEED_EXAMPLES.createCard },
      response: { body: { respCode: '20000', respMsg: 'success', data: { cardId: 100001 } } },
    });
    expect(entry.id).toMatch(/^[\w-]+$/);
    expect(entry.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('uses the X-Request-Id the client sent as the entry id', async () => {
    const sb = await makeSandbox();
    await request(sb.app).post(`${BASE}/common/regionList`).set('ApiKey', API_KEY).set('X-Request-Id', 'trace-me-42').send({}).expect(200);
    expect((await journal(sb))[0].id).toBe('trace-me-42');
  });

  it('records refusals with their diagnostic: a bad key (401), an unknown path, a body that is not JSON', async () => {
    const sb = await makeSandbox();
    await request(sb.app).post(`${BASE}/card/getCardInfo`).set('ApiKey', 'nope-nope-nope').send({ cardId: 1 }).expect(401);
    await request(sb.app).post(`${BASE}/card/nothing`).set('ApiKey', API_KEY).send({}).expect(200);
    await request(sb.app).post(`${BASE}/card/getCardInfo`).set('ApiKey', API_KEY).set('Content-Type', 'application/json').send('{"cardId":').expect(200);
    const [notJson, unknownPath, badKey] = await journal(sb);
    expect(badKey).toMatchObject({
      operation: 'getCardInfo',
      tenantId: null,
      status: 401,
      code: '81000',
      diagnostic: expect.stringMatching(/^unauthenticated: ApiKey/),
    });
    expect(unknownPath).toMatchObject({ operation: null, status: 200, code: '40004', diagnostic: expect.stringMatching(/^route_not_found/) });
    expect(notJson).toMatchObject({
      operation: 'getCardInfo',
      code: '40013',
      diagnostic: expect.stringMatching(/^malformed_body/),
      request: { body: '{"cardId":' },
    });
  });

  it('masks the ApiKey header, and the card number (last 4 shown) and CVV of getCardSensitiveInfo', async () => {
    const sb = await makeSandbox();
    const api = onerway(sb);
    const cardId = await api.activeCard();
    const { cardNo, cvv } = (await api.getCardSensitiveInfo({ cardId })).body.data;
    const [entry] = await journal(sb, '?operation=getCardSensitiveInfo');
    expect(entry.request.headers).toMatchObject({ apikey: '****', 'content-type': 'application/json' });
    expect(entry.response.body.data).toEqual({
      cardId,
      cardNo: `${'*'.repeat(cardNo.length - 4)}${cardNo.slice(-4)}`,
      cvv: '****',
      expiryDate: expect.any(String),
    });
    expect(JSON.stringify(entry)).not.toContain(cardNo);
    expect(JSON.stringify(entry)).not.toContain(`"${cvv}"`);
    expect(JSON.stringify(entry)).not.toContain(API_KEY);
  });

  it('masks finext credentials (api_key, sign, authorization) and the activation PIN, keeping the timestamp', async () => {
    const sb = await makeSandbox();
    await finext(sb).ok('balance', { username: LILI12.username, kit_number: LILI12.kit_number });
    const body = signedBody(sb, FINEXT, 'activeCard', { username: LILI12.username, kit_number: LILI12.kit_number, pin: '4321' });
    await request(sb.app).post('/api/v1/card/active').set('authorization', AUTHORIZATION).send(body).expect(200);
    const [activation, balance] = await journal(sb, '?vendor=finext');
    expect(balance).toMatchObject({
      operation: 'balance',
      tenantId: FINEXT.tenant,
      code: 10200,
      response: { body: { code: 10200, msg: 'ok', data: { balance: expect.any(String) } } },
    });
    expect(balance.request.body).toMatchObject({ api_key: '****', sign: '****', username: 'lili12', kit_number: LILI12.kit_number, timestamp: String(T0) });
    expect(balance.request.headers.authorization).toBe('****');
    expect(activation.request.body).toMatchObject({ pin: '****', sign: '****' });
    expect(JSON.stringify([activation, balance])).not.toContain(FINEXT.api_key);
  });

  it('masks the openapi-cn body credential key and keeps customer_id and app_id', async () => {
    const sb = await makeSandbox();
    await openapi(sb).ok('cardFreeze', '/card/freeze', { card_id: OPENAPI_EXAMPLES[1].card_id });
    const [entry] = await journal(sb);
    expect(entry).toMatchObject({ vendor: 'openapi-cn', operation: 'cardFreeze', tenantId: OPENAPI.tenant, code: 0 });
    expect(entry.request.body).toEqual({ customer_id: OPENAPI.customer_id, app_id: OPENAPI.app_id, key: '****', card_id: OPENAPI_EXAMPLES[1].card_id });
  });

  it('masks card numbers by their shape under any key, with or without separators, but not millisecond times', async () => {
    const sb = await makeSandbox();
    const body = { cardId: 1, note: '4111 1111 1111 1111', pan2: 5555555555554444, createTime: 1772323200000, clientRequestId: 'REQ_1772323200000_1' };
    await request(sb.app).post(`${BASE}/card/getCardInfo`).set('ApiKey', API_KEY).send(body).expect(200);
    expect((await journal(sb))[0].request.body).toEqual({
      cardId: 1,
      note: '**** **** **** 1111',
      pan2: '************4444',
      createTime: 1772323200000,
      clientRequestId: 'REQ_1772323200000_1',
    });
  });

  it('masks after parsing: keys written with unicode escapes, a card number with an escaped digit or under a time-like key', async () => {
    const sb = await makeSandbox();
    const raw =
      '{"cardId":1,"\\u0063vv":"123","\\u0073ecret":"s3cr3t","\\u0061piKey":"ak-secret","note":"\\u0034111111111111111","timestamp":"5555555555554444","createdAt":4000056655665556,"at":1683293970762}';
    await request(sb.app).post(`${BASE}/card/getCardInfo`).set('ApiKey', API_KEY).set('Content-Type', 'application/json').send(raw).expect(200);
    const [entry] = await journal(sb);
    expect(entry.request.body).toEqual({
      cardId: 1,
      cvv: '****',
      secret: '****',
      apiKey: '****',
      note: '************1111',
      timestamp: '************4444',
      createdAt: '************5556',
      at: 1683293970762,
    });
    for (const clear of ['s3cr3t', 'ak-secret', '"123"', '4111111111111111', '5555555555554444', '4000056655665556'])
      expect(JSON.stringify(entry)).not.toContain(clear);
  });

  it('masks a body that is not JSON, or nests too deep to show as JSON, as text', async () => {
    const sb = await makeSandbox();
    await request(sb.app)
      .post(`${BASE}/card/getCardInfo`)
      .set('ApiKey', API_KEY)
      .set('Content-Type', 'application/json')
      .send('cvv=123&pan=4111111111111111&{"\\u0070in":"4321"')
      .expect(200);
    const deep = `${'{"a":'.repeat(3000)}{"cvv":"987","note":"4000056655665556"}${'}'.repeat(3000)}`;
    await request(sb.app).post(`${BASE}/card/getCardInfo`).set('ApiKey', API_KEY).set('Content-Type', 'application/json').send(deep);
    const [nested, notJson] = await journal(sb);
    expect(notJson.request.body).toBe('cvv=****&pan="************1111"&{"\\u0070in":"****"');
    expect(nested.request.body).toEqual(expect.stringContaining('{"cvv":"****","note":"************5556"}'));
  });

  it("stores and logs a refusal's diagnostic masked", async () => {
    const lines: string[] = [];
    const sb = await makeSandbox({ logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }) });
    const res = await finext(sb).call('getAccountDetails', { username: LILI12.username, timestamp: '4111111111111111' });
    expect(res.body.code).toBe(10400);
    const [entry] = await journal(sb);
    expect(res.headers['x-sandbox-diagnostic']).toContain('************1111');
    expect(entry.diagnostic).toContain('************1111');
    expect(lines.join('')).toContain('************1111');
    for (const text of [res.headers['x-sandbox-diagnostic'], entry.diagnostic, lines.join('')]) expect(text).not.toContain('4111111111111111');
  });

  it('filters by vendor, operation, tenant, vendor code, status and time, newest first', async () => {
    const sb = await makeSandbox();
    const api = onerway(sb);
    await api.regionList();
    await control(sb).advance(1000);
    await api.getCardInfo({ cardId: 999 });
    await control(sb).advance(1000);
    await openapi(sb).ok('walletList', '/wallet/list');
    await request(sb.app).post(`${BASE}/common/regionList`).set('ApiKey', 'wrong-key-123').send({}).expect(401);
    const ops = (rows: any[]) => rows.map((r) => `${r.vendor}/${r.operation}`);
    expect(ops(await journal(sb))).toEqual(['onerway/regionList', 'openapi-cn/walletList', 'onerway/getCardInfo', 'onerway/regionList']);
    expect(ops(await journal(sb, '?vendor=onerway&operation=regionList'))).toEqual(['onerway/regionList', 'onerway/regionList']);
    expect(ops(await journal(sb, `?tenant=${DEFAULT_TENANT}`))).toEqual(['onerway/getCardInfo', 'onerway/regionList']);
    expect(ops(await journal(sb, '?code=40000'))).toEqual(['onerway/getCardInfo']);
    expect(ops(await journal(sb, '?code=0'))).toEqual(['openapi-cn/walletList']);
    expect(ops(await journal(sb, '?status=401'))).toEqual(['onerway/regionList']);
    expect(ops(await journal(sb, `?since=${T0 + 1000}&until=${T0 + 1000}`))).toEqual(['onerway/getCardInfo']);
    expect(ops(await journal(sb, '?limit=2'))).toEqual(['onerway/regionList', 'openapi-cn/walletList']);
  });

  it.each([
    ['?status=abc', 'status'],
    ['?limit=0', 'limit'],
    ['?since=-5', 'since'],
    ['?vendor=visa', 'vendor'],
    ['?colour=red', 'colour'],
  ])('refuses the filter %s (400 naming it)', async (query, field) => {
    const sb = await makeSandbox();
    const res = await control(sb).get(`/requests${query}`).expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_param', field });
  });

  it('keeps only the newest entries when full (journalEntries)', async () => {
    const sb = await makeSandbox({ journalEntries: 3 });
    for (let i = 1; i <= 5; i++) await onerway(sb).getCardInfo({ cardId: i });
    expect((await journal(sb)).map((e) => e.request.body.cardId)).toEqual([5, 4, 3]);
  });

  it('keeps each body to journalBodyBytes, marked as cut, masking a card number the cut went through', async () => {
    const body = { clientRequestId: 'REQ_CUT_SHORT', cardNo: '4111111111111111', padding: 'x'.repeat(500) };
    const raw = JSON.stringify(body);
    const keep = raw.indexOf('4111') + 10;
    const sb = await makeSandbox({ journalBodyBytes: keep });
    await request(sb.app).post(`${BASE}/card/getCardInfo`).set('ApiKey', API_KEY).send(body).expect(200);
    const [entry] = await journal(sb);
    expect(entry.request.body).toMatch(new RegExp(`…\\[truncated: ${keep} of ${raw.length} bytes kept\\]$`));
    expect(entry.request.body).toContain('"cardNo":"****"…');
    expect(entry.request.body).not.toMatch(/\d{6}/);
    expect(entry.response.body).toMatch(/^\{"respCode":"40000".*…\[truncated/);
  });

  it('masks a secret whose value the size bound cut in the middle', async () => {
    const sb = await makeSandbox({ journalBodyBytes: 55 });
    await request(sb.app).post('/v1/openApi/wallet/list').send({ customer_id: OPENAPI.customer_id, app_id: OPENAPI.app_id, key: OPENAPI.key }).expect(200);
    const [entry] = await journal(sb);
    expect(entry.request.body).not.toContain(OPENAPI.key.slice(0, 4));
    expect(entry.request.body).toMatch(/"key":"\*\*\*\*"…\[truncated/);
  });

  it('clears on DELETE, and keeps nothing with journalEntries 0', async () => {
    const sb = await makeSandbox();
    await onerway(sb).regionList();
    expect((await request(sb.app).delete('/__sandbox/requests').expect(200)).body).toEqual({ status: 'ok', removed: 1 });
    expect(await journal(sb)).toEqual([]);
    const off = await makeSandbox({ journalEntries: 0 });
    await onerway(off).regionList();
    expect(await journal(off)).toEqual([]);
  });
});

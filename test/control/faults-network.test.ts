/**
 * Each fault kind as a real client sees it: the sandbox listens on a free port and Node's fetch talks to
 * it. Timings are checked loosely (at least the configured delay), never tightly.
 */
import { describe, expect, it } from 'vitest';
import { AUTHORIZATION, MERCHANT as FINEXT, activeCard as finextCard, finext, signedBody, transactionId } from '../helpers/finext.js';
import { API_KEY, BASE, onerway } from '../helpers/onerway.js';
import { MERCHANT as OPENAPI } from '../helpers/openapi-cn.js';
import { control, makeSandbox } from '../helpers/sandbox.js';
import type { Sandbox } from '../../src/sandbox.js';

async function served() {
  const sb = await makeSandbox();
  const url = await sb.listen(0, '127.0.0.1');
  return { sb, url };
}

const addFault = async (sb: Sandbox, rule: Record<string, unknown>) => (await control(sb).post('/faults', rule).expect(201)).body;
const post = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const onerwayPost = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  post(url, `${BASE}${path}`, body, { ApiKey: API_KEY, ...headers });
const wallets = (url: string) => post(url, '/v1/openApi/wallet/list', { customer_id: OPENAPI.customer_id, app_id: OPENAPI.app_id, key: OPENAPI.key });
const lastEntries = async (sb: Sandbox, query: string) => (await control(sb).get(`/requests${query}`).expect(200)).body.requests as any[];

describe('faults seen from a real client', () => {
  it('latency: a fixed delay holds the answer at least that long, then answers normally', async () => {
    const { sb, url } = await served();
    await addFault(sb, { vendor: 'openapi-cn', fault: 'latency', latencyMs: 200 });
    const started = performance.now();
    const res = await wallets(url);
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    expect((await res.json()).code).toBe(0);
    expect((await lastEntries(sb, ''))[0].fault).toEqual({ rule: 'flt_1', fault: 'latency', latencyMs: 200 });
  });

  it('latency: a random delay falls within [min, max]', async () => {
    const { sb, url } = await served();
    await addFault(sb, { vendor: 'openapi-cn', fault: 'latency', latencyMs: [100, 150] });
    const started = performance.now();
    expect((await wallets(url)).status).toBe(200);
    const applied = (await lastEntries(sb, ''))[0].fault.latencyMs as number;
    expect(applied).toBeGreaterThanOrEqual(100);
    expect(applied).toBeLessThanOrEqual(150);
    expect(performance.now() - started).toBeGreaterThanOrEqual(applied - 5);
  });

  it("error: the vendor's code in its envelope, and nothing done", async () => {
    const { sb, url } = await served();
    await addFault(sb, { vendor: 'onerway', operation: 'createCard', fault: 'error', code: '80007' });
    const res = await onerwayPost(url, '/card/createCard', { clientRequestId: 'REQ_ERR_1', cardholderId: 300001, productId: 1, amount: 100 });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ respCode: '80007', respMsg: 'Merchant balance not enough', data: null });
    expect(res.headers.get('x-sandbox-diagnostic')).toMatch(/forced error 80007/);
    expect((await onerway(sb).getCardInfo({ cardId: 100001 })).body.respCode).toBe('40000');
  });

  it("http_error: the status asked for, with the vendor's internal-error body", async () => {
    const { sb, url } = await served();
    await addFault(sb, { vendor: 'openapi-cn', fault: 'http_error', status: 503 });
    const res = await wallets(url);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ code: 5000, message: 'system error' });
    expect(res.headers.get('x-sandbox-diagnostic')).toMatch(/^service_unavailable: fault rule flt_1: HTTP 503/);
  });

  it('rate_limit: 429 with Retry-After', async () => {
    const { sb, url } = await served();
    await addFault(sb, { vendor: 'onerway', fault: 'rate_limit', retryAfter: 2 });
    const res = await onerwayPost(url, '/common/regionList', {});
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect((await res.json()).respCode).toBe('80000');
  });

  it('drop: the connection closes without an answer, nothing changes, and the next request is served', async () => {
    const { sb, url } = await served();
    const api = onerway(sb);
    const cardId = await api.activeCard();
    await addFault(sb, { vendor: 'onerway', operation: 'deposit', fault: 'drop', times: 1 });
    await expect(onerwayPost(url, '/card/deposit', { clientRequestId: 'REQ_DROP_1', cardId, amount: 25 })).rejects.toThrow(/fetch failed/);
    expect(await api.records({ cardId, type: 'DEPOSIT' })).toEqual([]);
    const [entry] = await lastEntries(sb, '?operation=deposit');
    expect(entry).toMatchObject({
      status: null,
      code: null,
      fault: { rule: 'flt_1', fault: 'drop' },
      request: { body: { clientRequestId: 'REQ_DROP_1' } },
      response: { body: null },
    });
    expect((await onerwayPost(url, '/card/deposit', { clientRequestId: 'REQ_DROP_1', cardId, amount: 25 })).status).toBe(200);
  });

  it('drop through the X-Sandbox-Fault header, before the key is even looked at', async () => {
    const { url } = await served();
    await expect(onerwayPost(url, '/common/regionList', {}, { ApiKey: 'nobody', 'X-Sandbox-Fault': 'drop' })).rejects.toThrow(/fetch failed/);
    expect((await onerwayPost(url, '/common/regionList', {})).status).toBe(200);
  });

  it('commit_then_drop (Onerway deposit): the deposit happens, the client sees a failure, a retry with the clientRequestId replays the answer', async () => {
    const { sb, url } = await served();
    const api = onerway(sb);
    const cardId = await api.activeCard(100);
    await addFault(sb, { vendor: 'onerway', operation: 'deposit', fault: 'commit_then_drop', times: 1 });
    const body = { clientRequestId: 'REQ_COMMIT_DROP_1', cardId, amount: 25 };
    await expect(onerwayPost(url, '/card/deposit', body)).rejects.toThrow(/fetch failed/);
    const retry = await onerwayPost(url, '/card/deposit', body);
    const answer = await retry.json();
    expect(answer).toMatchObject({ respCode: '20000', data: { operateRecordId: expect.any(Number) } });
    expect((await api.records({ cardId, type: 'DEPOSIT' })).map((r) => r.operateRecordId)).toEqual([answer.data.operateRecordId]);
    expect((await api.getCardBalance({ cardId })).body.data.balance).toBe(125);
    const [replayed, dropped] = await lastEntries(sb, '?operation=deposit');
    expect(dropped).toMatchObject({ status: null, fault: { rule: 'flt_1', fault: 'commit_then_drop' }, response: { body: answer } });
    expect(replayed).toMatchObject({ status: 200, fault: null, response: { body: answer } });
  });

  it('commit_then_drop (Finext top-up): a retry with the same transaction_id and a fresh request_id replays, and tops up once', async () => {
    const { sb, url } = await served();
    const card = await finextCard(sb);
    await addFault(sb, { vendor: 'finext', operation: 'topup', fault: 'commit_then_drop', times: 1 });
    const transaction_id = transactionId();
    const send = () =>
      post(
        url,
        '/api/v1/card/topup',
        signedBody(sb, FINEXT, 'topup', { username: card.username, kit_number: card.kit_number, amount: '10.00', transaction_id }),
        { authorization: AUTHORIZATION },
      );
    await expect(send()).rejects.toThrow(/fetch failed/);
    expect(await (await send()).json()).toEqual({ code: 10200, msg: 'ok' });
    const topups = (await finext(sb).transactions()).list.filter((t) => t.category === 'CR TOP-UP' && t.kit_number === card.kit_number);
    expect(topups.map((t) => t.transaction_id)).toEqual([transaction_id]);
    expect(await finext(sb).balance(card.username, card.kit_number)).toBe('9.90');
  });
});

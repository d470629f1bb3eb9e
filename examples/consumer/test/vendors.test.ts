/**
 * A consumer's suite: one in-process sandbox for the file (in memory, port 0, the clock frozen at the
 * Finext docs' timestamp so that their signed example is fresh), a request to each vendor as its docs
 * print it, and the control plane.
 */
import { createSandbox, type Sandbox } from 'card-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FINEXT_EXAMPLE_AT = 1683293970762;
let sandbox: Sandbox;
let url: string;

beforeAll(async () => {
  sandbox = await createSandbox({ logLevel: 'silent', frozenAt: FINEXT_EXAMPLE_AT });
  url = await sandbox.listen(0);
});
afterAll(() => sandbox.close());

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return res.json();
}

describe('card-sandbox from its tarball', () => {
  it('is healthy, in memory, and serves the three vendors', async () => {
    const health = await (await fetch(`${url}/__sandbox/health`)).json();
    expect(health).toMatchObject({ status: 'ok', store: ':memory:', vendors: ['onerway', 'finext', 'openapi-cn'] });
  });

  it('Onerway: creates a card', async () => {
    const body = { clientRequestId: 'REQ_20260101_001', cardholderId: 300001, productId: 1, amount: 100 };
    expect(await post('/api/v1/merchant/card/createCard', body, { apikey: 'onerway-test-apikey-0001' })).toEqual({
      respCode: '20000',
      respMsg: 'success',
      data: { cardId: 100001 },
    });
  });

  it("Finext: blocks a card with the docs' signed request", async () => {
    const body = {
      api_key: 'fd01a53d7834b06c080cd1024ae9c60a',
      request_id: '1b608ec128f34834a176f70d7ca6e3f7',
      timestamp: String(FINEXT_EXAMPLE_AT),
      username: 'lili12',
      card_id: '4b7e1f659b2f413e8863ec88004ba1f8',
      op_status: 11,
      op_cause_type: 1,
      sign: '6d97e5373268d92bf9e799121899b7f4',
    };
    expect(await post('/api/v1/card/modifyOpStatus', body, { authorization: 'any' })).toEqual({ code: 10200, msg: 'ok' });
  });

  it('OPEN-API: freezes a card', async () => {
    const merchant = { customer_id: 10001004, app_id: 100006, key: '0408ab79eb214e7d81d9fd447b5916a2' };
    expect(await post('/v1/openApi/card/freeze', { ...merchant, card_id: 'cid_fBWWMWm8aUUYy3sd' })).toEqual({ code: 0, message: 'success' });
    const detail = (await post('/v1/openApi/card/detail', { ...merchant, card_id: 'cid_fBWWMWm8aUUYy3sd' })) as { data: { card_status: number } };
    expect(detail.data.card_status).toBe(2);
  });

  it('advances the clock in process and through the control plane', async () => {
    sandbox.clock.set(Date.UTC(2026, 2, 1));
    const clock = await post('/__sandbox/clock', { advanceMs: 60_000 });
    // `ran` lists what fell due in that minute: here, the retention sweep.
    expect(clock).toEqual({ now: Date.UTC(2026, 2, 1) + 60_000, mode: 'frozen', ran: expect.any(Array) });
  });
});

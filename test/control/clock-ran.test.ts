/**
 * POST /__sandbox/clock answers what fell due and ran, in order: settlements, webhook attempts (with
 * their answer and the next retry) and retention expiries, whichever way the clock moved.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT, onerway, requestId } from '../helpers/onerway.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { T0, control, expectContract, makeSandbox } from '../helpers/sandbox.js';
import type { Sandbox } from '../../src/sandbox.js';

const MINUTE = 60_000;
const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function clock(sb: Sandbox, body: object) {
  const res = await control(sb).post('/clock', body).expect(200);
  expectContract('sandbox/clock.response', res.body);
  return res.body;
}

/** A card frozen through card/operate, its settlement held back a minute, webhooks to a real receiver. */
async function pendingFreeze(sb: Sandbox, receiver: Receiver) {
  const api = onerway(sb);
  const cardId = await api.activeCard(100);
  await control(sb)
    .patch(`/tenants/${DEFAULT_TENANT}`, { webhookUrl: receiver.url, settings: { settleDelayMs: MINUTE } })
    .expect(200);
  const res = await api.operate({ clientRequestId: requestId('FREEZE'), cardId, type: 'FREEZE' });
  return { cardId, operateRecordId: res.body.data.operateRecordId as number };
}

describe('POST /__sandbox/clock answers what ran', () => {
  it('advanceMs: the settlement, then its webhook delivered', async () => {
    const sb = await makeSandbox();
    const receiver = await startReceiver();
    receivers.push(receiver);
    const { operateRecordId } = await pendingFreeze(sb, receiver);

    expect(await clock(sb, { advanceMs: MINUTE - 1 })).toEqual({ now: T0 + MINUTE - 1, mode: 'frozen', ran: [] });
    const body = await clock(sb, { advanceMs: 1 });
    expect(body.now).toBe(T0 + MINUTE);
    expect(body.ran).toEqual([
      { at: T0 + MINUTE, kind: 'settlement', job: 'onerway.settleOperateRecord', tenant: DEFAULT_TENANT, vendor: 'onerway', payload: { operateRecordId } },
      {
        at: T0 + MINUTE,
        kind: 'webhook',
        job: 'webhook.deliver',
        tenant: DEFAULT_TENANT,
        deliveryId: expect.stringMatching(/^whd_/),
        event: expect.any(String),
        attempt: 1,
        url: receiver.url,
        status: 200,
        error: null,
        state: 'delivered',
        nextAttemptAt: null,
      },
    ]);
    expect(receiver.received).toHaveLength(1);
    const [delivery] = (await control(sb).get(`/webhooks?tenant=${DEFAULT_TENANT}&state=delivered`).expect(200)).body.deliveries;
    expect(delivery.id).toBe(body.ran[1].deliveryId);
  });

  it('a refused webhook: the attempt with its status and next retry, and the retry when the clock gets there', async () => {
    const sb = await makeSandbox();
    const receiver = await startReceiver();
    receivers.push(receiver);
    receiver.respondWith(503, 'down');
    await pendingFreeze(sb, receiver);
    const first = await clock(sb, { advanceMs: MINUTE });
    const attempt = first.ran.find((r: any) => r.kind === 'webhook');
    expect(attempt).toMatchObject({ attempt: 1, status: 503, state: 'retrying', nextAttemptAt: expect.any(Number) });
    receiver.respondWith(200, '{"respCode":"20000","respMsg":"success"}');
    const retry = await clock(sb, { advanceMs: attempt.nextAttemptAt - first.now });
    expect(retry.ran).toEqual([
      expect.objectContaining({ at: attempt.nextAttemptAt, kind: 'webhook', deliveryId: attempt.deliveryId, attempt: 2, status: 200, state: 'delivered' }),
    ]);
  });

  it('now: freezing the clock past a due settlement runs it and says so; freezing where nothing is due says so too', async () => {
    const sb = await makeSandbox();
    const receiver = await startReceiver();
    receivers.push(receiver);
    await pendingFreeze(sb, receiver);
    const set = await clock(sb, { now: T0 + 2 * MINUTE });
    expect(set.ran.map((r: any) => [r.kind, r.job, r.at])).toEqual([
      ['settlement', 'onerway.settleOperateRecord', T0 + 2 * MINUTE],
      ['webhook', 'webhook.deliver', T0 + 2 * MINUTE],
    ]);
    expect(await clock(sb, { mode: 'frozen' })).toEqual({ now: T0 + 2 * MINUTE, mode: 'frozen', ran: [] });
  });

  it('expiry: the retention sweep reports what it forgot', async () => {
    const sb = await makeSandbox({ retention: { webhooksMs: MINUTE } });
    const receiver = await startReceiver();
    receivers.push(receiver);
    await pendingFreeze(sb, receiver);
    await clock(sb, { advanceMs: MINUTE });
    const later = await clock(sb, { advanceMs: 10 * MINUTE });
    expect(later.ran).toContainEqual({ at: later.now, kind: 'expiry', job: 'retention', tenant: null, removed: expect.any(Number) });
    expect((await control(sb).get(`/webhooks?tenant=${DEFAULT_TENANT}&state=delivered`).expect(200)).body.deliveries).toEqual([]);
  });

  it('a system clock cannot be advanced; bad input is refused with the error envelope', async () => {
    const sb = await makeSandbox();
    await clock(sb, { mode: 'system' });
    const res = await control(sb).post('/clock', { advanceMs: 1 }).expect(409);
    expect(res.body.error.code).toBe('invalid_state');
    await clock(sb, { mode: 'frozen' });
    const bad = await control(sb).post('/clock', { advanceMs: -1 }).expect(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_param', field: 'advanceMs' });
  });
});

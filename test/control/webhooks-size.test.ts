import { describe, expect, it } from 'vitest';
import { DELIVERIES, type WebhookDelivery } from '../../src/core/webhooks.js';
import { T0, control, describeStores, makeSandbox } from '../helpers/sandbox.js';

const MANY = 200_000;

const delivery = (seq: number, tenantId: string, createdAt: number): WebhookDelivery => ({
  id: `whd_${seq}`,
  tenantId,
  vendor: 'onerway',
  event: seq % 2 ? 'issuing.cardOperateEvent' : 'issuing.cardTransactionEvent',
  body: '{}',
  state: 'no_url',
  attempts: [],
  createdAt,
  nextAttemptAt: null,
});

/** MANY deliveries of onerway-default, and every thousandth one of onerway-second instead, written straight to the store. */
async function bigLog() {
  const sb = await makeSandbox();
  const tx = sb.store.begin();
  for (let seq = 1; seq <= MANY; seq++) tx.put(DELIVERIES, delivery(seq, seq % 1000 ? 'onerway-default' : 'onerway-second', T0 + seq));
  await sb.store.commit(tx);
  return sb;
}

const ids = (body: { deliveries: WebhookDelivery[] }) => body.deliveries.map((d) => d.id);

describeStores('webhooks-size', () => {
  describe('GET /__sandbox/webhooks of a long log', () => {
    it(`lists ${MANY} deliveries of two merchants, oldest first`, async () => {
      const sb = await bigLog();
      const { body } = await control(sb).get('/webhooks').expect(200);
      expect(body.deliveries).toHaveLength(MANY);
      expect(body.deliveries.every((d: WebhookDelivery, i: number) => d.id === `whd_${i + 1}`)).toBe(true);
    }, 60_000);

    it('pages with limit and after, and filters by tenant and event', async () => {
      const sb = await bigLog();
      expect(ids((await control(sb).get('/webhooks?limit=2').expect(200)).body)).toEqual(['whd_1', 'whd_2']);
      expect(ids((await control(sb).get('/webhooks?limit=2&after=whd_2').expect(200)).body)).toEqual(['whd_3', 'whd_4']);
      expect(ids((await control(sb).get('/webhooks?tenant=onerway-second&limit=3&after=whd_1000').expect(200)).body)).toEqual([
        'whd_2000',
        'whd_3000',
        'whd_4000',
      ]);
      expect(ids((await control(sb).get('/webhooks?event=issuing.cardOperateEvent&limit=2&after=whd_10').expect(200)).body)).toEqual(['whd_11', 'whd_13']);
      expect((await control(sb).get(`/webhooks?after=whd_${MANY}`).expect(200)).body).toEqual({ deliveries: [] });
    }, 60_000);

    it.each([
      ['an unknown filter', '/webhooks?status=failed', 400, 'status'],
      ['a limit of 0', '/webhooks?limit=0', 400, 'limit'],
      ['a limit that is not a number', '/webhooks?limit=ten', 400, 'limit'],
      ['a tenant given twice', '/webhooks?tenant=a&tenant=b', 400, 'tenant'],
      ['an after naming no delivery', '/webhooks?after=whd_0', 404, 'after'],
    ])('refuses %s', async (_name, path, status, field) => {
      const sb = await makeSandbox();
      const res = await control(sb).get(path).expect(status);
      expect(res.body.error.field).toBe(field);
      expect(res.headers['x-sandbox-diagnostic']).toBeTruthy();
    });
  });
});

/** POST /__sandbox/webhooks/<id>/resend and `card-sandbox webhooks resend`, delivered to a real receiving server. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runClient } from '../../src/cli/index.js';
import { SEED_EXAMPLES, onerway } from '../helpers/onerway.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { T0, control, describeStores, makeSandbox, expectContract } from '../helpers/sandbox.js';

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(() => receiver.close().catch(() => undefined));

/** A sandbox whose Onerway merchant posts to the receiver, with one card's operate event sent and settled. */
async function withOneDelivery() {
  const sb = await makeSandbox();
  await control(sb).patch('/tenants/onerway-default', { webhookUrl: receiver.url }).expect(200);
  await onerway(sb).createCard(SEED_EXAMPLES.createCard);
  await receiver.waitFor(1);
  await control(sb).advance(0);
  const [delivery] = (await control(sb).get('/webhooks').expect(200)).body.deliveries;
  return { sb, delivery };
}

async function listed(sb: Awaited<ReturnType<typeof makeSandbox>>, id: string) {
  const { body } = await control(sb).get('/webhooks').expect(200);
  return body.deliveries.find((d: { id: string }) => d.id === id);
}

describeStores('webhook-resend', () => {
  describe('webhook resend', () => {
    it('sends a delivered event again, the same body, and answers the delivery as the log shows it', async () => {
      const { sb, delivery } = await withOneDelivery();
      expect(delivery.state).toBe('delivered');
      const res = await control(sb).post(`/webhooks/${delivery.id}/resend`).expect(200);
      expect(res.body).toMatchObject({ id: delivery.id, state: 'pending', nextAttemptAt: T0, attempts: delivery.attempts });
      const [first, again] = await receiver.waitFor(2);
      expect(again.body).toBe(first.body);
      expectContract('onerway/webhook.cardOperateEvent', again.json);
      await control(sb).advance(0);
      const after = await listed(sb, delivery.id);
      expect(after).toMatchObject({ state: 'delivered', nextAttemptAt: null });
      expect(after.attempts).toHaveLength(2);
    });

    it('starts the retry ladder over: a failed delivery resent gets the first attempt and all 10 retries again', async () => {
      receiver.respondWith(500, 'nope');
      const { sb, delivery } = await withOneDelivery();
      await control(sb).advance(15_000 * 12);
      expect((await listed(sb, delivery.id)).state).toBe('failed');
      expect(receiver.received).toHaveLength(11);

      const res = await control(sb).post(`/webhooks/${delivery.id}/resend`).expect(200);
      expect(res.body).toMatchObject({ state: 'pending', retriesFrom: 11 });
      await receiver.waitFor(12);
      await control(sb).advance(0);
      expect(await listed(sb, delivery.id)).toMatchObject({ state: 'retrying', nextAttemptAt: T0 + 15_000 * 12 + 15_000 });
      await control(sb).advance(15_000 * 12);
      expect(receiver.received).toHaveLength(22);
      const after = await listed(sb, delivery.id);
      expect(after).toMatchObject({ state: 'failed', nextAttemptAt: null });
      expect(after.attempts).toHaveLength(22);
    });

    it('refuses a delivery still being retried (409), an unknown one (404) and one that had no URL (409), in JSON', async () => {
      receiver.respondWith(503, '');
      const { sb, delivery } = await withOneDelivery();
      expect(delivery.state).toBe('retrying');
      const busy = await control(sb).post(`/webhooks/${delivery.id}/resend`).expect(409);
      expect(busy.body.error).toMatchObject({ code: 'invalid_state', field: 'id' });
      expect(busy.headers['x-sandbox-diagnostic']).toMatch(/retrying/);
      expect(receiver.received).toHaveLength(1);

      const unknown = await control(sb).post('/webhooks/whd_999/resend').expect(404);
      expect(unknown.body.error).toMatchObject({ code: 'resource_not_found', field: 'id' });
      expect(unknown.headers['x-sandbox-diagnostic']).toMatch(/whd_999/);

      await control(sb).patch('/tenants/onerway-default', { webhookUrl: null }).expect(200);
      await onerway(sb).createCard({ ...SEED_EXAMPLES.createCard, clientRequestId: 'REQ_NO_URL' });
      const skipped = (await control(sb).get('/webhooks?state=no_url').expect(200)).body.deliveries[0];
      const noUrl = await control(sb).post(`/webhooks/${skipped.id}/resend`).expect(409);
      expect(noUrl.body.error.code).toBe('invalid_state');
      expect(noUrl.headers['x-sandbox-diagnostic']).toMatch(/no URL/);
    });

    it('card-sandbox webhooks resend <id> prints the delivery; an unknown id exits 1 with the server message', async () => {
      const { sb, delivery } = await withOneDelivery();
      const url = await sb.listen(0, '127.0.0.1');
      const run = async (argv: string[]) => {
        const out = { stdout: '', stderr: '' };
        const io = { env: { SANDBOX_URL: url }, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) };
        return { code: await runClient(argv, io), ...out };
      };
      const ok = await run(['webhooks', 'resend', delivery.id]);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ id: delivery.id, state: 'pending' });
      await receiver.waitFor(2);
      const missing = await run(['webhooks', 'resend', 'whd_999']);
      expect(missing).toMatchObject({ code: 1, stdout: '' });
      expect(missing.stderr).toMatch(/whd_999 \(404 resource_not_found, field id\)/);
      const list = await run(['webhooks', '--state', 'pending']);
      expect(list.code).toBe(0);
    });
  });
});

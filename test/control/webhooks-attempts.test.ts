/**
 * GET /__sandbox/webhooks as the dashboard reads it: each delivery with every attempt (URL, status,
 * answer or error) and its next retry; filtered by vendor and by state, an unknown state or vendor refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DIAGNOSTIC_HEADER } from '../../src/core/answer.js';
import type { Sandbox } from '../../src/sandbox.js';
import { DEFAULT_TENANT, onerway } from '../helpers/onerway.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { control, describeStores, makeSandbox, expectContract } from '../helpers/sandbox.js';

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function deliveries(sb: Sandbox, query: string) {
  const body = (await control(sb).get(`/webhooks${query}`).expect(200)).body;
  expectContract('sandbox/webhooks.response', body);
  return body.deliveries as any[];
}

describeStores('webhooks-attempts', () => {
  describe('GET /__sandbox/webhooks: attempts and filters', () => {
    it('shows every attempt with its URL, status and answer, and the next retry; filters by state and vendor', async () => {
      const sb = await makeSandbox();
      const receiver = await startReceiver();
      receivers.push(receiver);
      receiver.respondWith(500, 'busy');
      await control(sb).patch(`/tenants/${DEFAULT_TENANT}`, { webhookUrl: receiver.url }).expect(200);
      await onerway(sb).activeCard(100);
      await receiver.waitFor(1);
      await sb.runtime.scheduler.idle();

      const [retrying] = await deliveries(sb, '?vendor=onerway&state=retrying');
      expect(retrying).toMatchObject({ vendor: 'onerway', tenantId: DEFAULT_TENANT, state: 'retrying', nextAttemptAt: expect.any(Number) });
      expect(retrying.attempts).toEqual([{ at: retrying.createdAt, url: receiver.url, status: 500, response: 'busy', ms: expect.any(Number) }]);
      expect(retrying.nextAttemptAt).toBeGreaterThan(retrying.createdAt);

      receiver.respondWith(200, '{"respCode":"20000","respMsg":"success"}');
      await control(sb).advance(retrying.nextAttemptAt - retrying.createdAt);
      const [delivered] = await deliveries(sb, '?state=delivered');
      expect(delivered).toMatchObject({ id: retrying.id, state: 'delivered', nextAttemptAt: null });
      expect(delivered.attempts.map((a: any) => [a.status, a.response.slice(0, 10)])).toEqual([
        [500, 'busy'],
        [200, '{"respCode'],
      ]);
      expect(await deliveries(sb, '?state=retrying')).toEqual([]);
      expect(await deliveries(sb, '?vendor=finext&state=delivered')).toEqual([]);
      expect((await deliveries(sb, '?vendor=onerway')).every((d) => d.vendor === 'onerway')).toBe(true);
    });

    it('refuses an unknown state or vendor rather than answering nothing', async () => {
      const sb = await makeSandbox();
      for (const [query, field] of [
        ['state=sent', 'state'],
        ['vendor=nobank', 'vendor'],
      ]) {
        const res = await control(sb).get(`/webhooks?${query}`).expect(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_param', field });
        expect(res.headers[DIAGNOSTIC_HEADER.toLowerCase()]).toMatch(/^invalid_param: /);
      }
    });
  });
});

/**
 * Finext Card Status Notification [DOC: webhook-1.0.3, op_status 22 Preparing | 10 Mailed | 6 Active |
 * 8 Block only]. INFERRED (src/vendors/finext/cards.ts): a change to an op_status the notification does
 * not document (11 card issue, 9 cancelled, 12 replaced, 0 awaiting KYC) sends nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LILI111, MERCHANT, deliveries, finext, setSettings, settle } from '../../helpers/finext.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { control, expectContract, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const DOCUMENTED = [22, 10, 6, 8];

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
  receiver.respondWith(200, '{"code":10200,"msg":"ok"}');
});
afterEach(async () => {
  await receiver.close();
});

async function sandbox() {
  const sb = await makeSandbox();
  await control(sb)
    .patch(`/tenants/${MERCHANT.tenant}`, { webhookUrls: { card_status: receiver.url } })
    .expect(200);
  return sb;
}

const statuses = async (sb: Awaited<ReturnType<typeof makeSandbox>>) =>
  (await deliveries(sb, 'card_status')).map((d) => JSON.parse(d.body) as { card_ids: string[]; op_status: number });

describeStores('finext card-status-notification', () => {
  describe('finext Card Status Notification carries only op_status 22, 10, 6, 8', () => {
    it.each([
      ['card issue (11), modifyOpStatus cause 2', 11, { op_status: 11, op_cause_type: 2 }],
      ['card issue (11), modifyOpStatus cause 7', 11, { op_status: 11, op_cause_type: 7 }],
    ])('sends nothing for a move to %s, which getAccountDetails still shows', async (_case, opStatus, fields) => {
      const sb = await sandbox();
      await finext(sb).ok('modifyOpStatus', { username: LILI111.username, card_id: LILI111.card_id, ...fields });
      await settle(sb);
      expect(await finext(sb).opStatus(LILI111.username, LILI111.card_id)).toBe(opStatus);
      expect(await deliveries(sb, 'card_status')).toEqual([]);
    });

    it('sends nothing when an active card is cancelled (9)', async () => {
      const sb = await sandbox();
      await finext(sb).ok('cancelCard', { username: LILI111.username, kit_number: LILI111.kit_number });
      await settle(sb);
      expect(await finext(sb).opStatus(LILI111.username, LILI111.card_id)).toBe(9);
      expect(await deliveries(sb, 'card_status')).toEqual([]);
    });

    it('sends 8 for the block, nothing for the retired card (12), and 22 then 10 for its replacement', async () => {
      const sb = await sandbox();
      await setSettings(sb, { mailDelayMs: 60_000 });
      const api = finext(sb);
      await api.ok('modifyOpStatus', { username: LILI111.username, card_id: LILI111.card_id, op_status: 11, op_cause_type: 1 });
      const { card_id } = await api.ok('replaceCard', { username: LILI111.username, kit_number: LILI111.kit_number, replace: 1 });
      await control(sb).advance(60_000);
      expect((await statuses(sb)).map((e) => [e.card_ids[0], e.op_status])).toEqual([
        [LILI111.card_id, 8],
        [card_id, 22],
        [card_id, 10],
      ]);
      const hooks = await receiver.waitFor(3);
      for (const hook of hooks) {
        expectContract('finext/webhook.cardStatus', hook.json);
        expect(DOCUMENTED).toContain(hook.json.op_status);
      }
    });

    it('refuses, in its contract, an op_status the docs do not list', () => {
      const body = { api_key: MERCHANT.api_key, request_id: 'ab'.repeat(16), timestamp: '1682075328711', sign: 'cd'.repeat(16), card_ids: [LILI111.card_id] };
      expectContract('finext/webhook.cardStatus', { ...body, op_status: 8 });
      expect(() => expectContract('finext/webhook.cardStatus', { ...body, op_status: 9 })).toThrow();
    });
  });
});

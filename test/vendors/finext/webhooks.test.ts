/**
 * Finext webhooks [DOC: webhook-1.0.3], received by a real HTTP server: the no-user sign inside the body,
 * an `authorization` header, one URL per event if the merchant wants, and retries on the sandbox clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox.js';
import {
  LILI111,
  LILI12,
  MERCHANT,
  SECOND,
  SIGN,
  activeCard,
  deliveries,
  finext,
  md5,
  newAccount,
  settle,
  simulate,
  submitKyc,
  type Merchant,
} from '../../helpers/finext.js';
import { startReceiver, type Received, type Receiver } from '../../helpers/receiver.js';
import { T0, control, expectContract, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const ACK = '{"code":10200,"msg":"ok"}';

let receiver: Receiver;
let second: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
  receiver.respondWith(200, ACK);
  second = await startReceiver();
  second.respondWith(200, ACK);
});
afterEach(async () => {
  await Promise.all([receiver.close(), second.close()]).catch(() => undefined);
});

async function sandboxWithHook(merchant: Merchant = MERCHANT, patch: Record<string, unknown> = { webhookUrl: receiver.url }) {
  const sb = await makeSandbox();
  await control(sb).patch(`/tenants/${merchant.tenant}`, patch).expect(200);
  return sb;
}

/** The body's sign is MD5(api_key + timestamp + secret + request_id), and the header is there. */
function expectSigned(hook: Received, merchant: Merchant): void {
  const { api_key, timestamp, request_id, sign } = hook.json;
  expect(api_key).toBe(merchant.api_key);
  expect(sign).toBe(md5(api_key + timestamp + merchant.secret + request_id));
  expect(hook.headers.authorization).toBeTruthy();
  expect(hook.headers['content-type']).toMatch(/^application\/json/);
}

const blockLili12 = (sb: Sandbox) => finext(sb).ok('modifyOpStatus', { username: LILI12.username, card_id: LILI12.card_id, op_status: 11, op_cause_type: 1 });

describeStores('finext webhooks', () => {
  describe('finext webhooks: the four events', () => {
    it('sends a Card Status Notification when modifyOpStatus blocks a card, signed in the no-user form', async () => {
      const sb = await sandboxWithHook();
      await blockLili12(sb);
      const [hook] = await receiver.waitFor(1);
      expectContract('finext/webhook.cardStatus', hook.json);
      expectSigned(hook, MERCHANT);
      expect(hook.json).toEqual({
        api_key: MERCHANT.api_key,
        request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        timestamp: String(T0),
        sign: expect.any(String),
        card_ids: [LILI12.card_id],
        op_status: 8,
      });
      await sb.runtime.scheduler.idle();
      expect((await deliveries(sb, 'card_status'))[0]).toMatchObject({ state: 'delivered', attempts: [{ at: T0, status: 200 }] });
    });

    it('sends KYC Status Notifications to the kyc_status URL and card statuses to the general URL', async () => {
      const sb = await sandboxWithHook(MERCHANT, { webhookUrl: receiver.url, webhookUrls: { kyc_status: second.url } });
      const { username, card_id } = await newAccount(sb);
      await submitKyc(sb, username);
      await settle(sb);
      const kyc = await second.waitFor(2);
      for (const hook of kyc) expectContract('finext/webhook.kycStatus', hook.json);
      for (const hook of kyc) expectSigned(hook, MERCHANT);
      expect(kyc.map((h) => [h.json.username, h.json.kyc_status, h.json.kyc_reject_reason]).sort()).toEqual([
        [username, 1, ''],
        [username, 2, ''],
      ]);
      const cards = await receiver.waitFor(2);
      expect(cards.map((h) => [h.json.card_ids, h.json.op_status]).sort()).toEqual([
        [[card_id], 10],
        [[card_id], 22],
      ]);
    });

    it('sends a New Card Transaction Notification with the top-up and its fee', async () => {
      const sb = await sandboxWithHook(MERCHANT, { webhookUrls: { new_card_transaction: receiver.url } });
      await finext(sb).topup(LILI111.username, LILI111.kit_number, '10.22', { transaction_id: 'TOPUP-WEBHOOK-000000000001' });
      const [hook] = await receiver.waitFor(1);
      expectContract('finext/webhook.newCardTransaction', hook.json);
      expectSigned(hook, MERCHANT);
      expect(hook.json.transactions.map((t: { amount: string; category: string; origin_id: string }) => [t.amount, t.category, t.origin_id])).toEqual([
        ['+10.22', 'CR TOP-UP', 'TOPUP-WEBHOOK-000000000001'],
        ['-0.10', 'DR FEE', 'TOPUP-WEBHOOK-000000000001'],
      ]);
    });

    it('sends a Card Transaction Voided Notification when an authorization is fully reversed', async () => {
      const sb = await sandboxWithHook(MERCHANT, { webhookUrls: { card_transaction_voided: receiver.url } });
      const auth = await simulate(sb, 'authorize', { cardId: LILI111.card_id, amount: '3.00' }).expect(200);
      await simulate(sb, 'reverse', { cardId: LILI111.card_id, transactionId: auth.body.transaction.id }).expect(200);
      const [hook] = await receiver.waitFor(1);
      expectContract('finext/webhook.cardTransactionVoided', hook.json);
      expectSigned(hook, MERCHANT);
      const [pos] = (await finext(sb).transactions()).list;
      expect(hook.json.transaction_ids).toEqual([pos.transaction_id]);
    });

    it('keeps the events of a merchant without a URL in the log as no_url, and sends nothing', async () => {
      const sb = await makeSandbox();
      await blockLili12(sb);
      await sb.runtime.scheduler.idle();
      expect((await deliveries(sb)).map((d) => [d.event, d.state])).toEqual([['card_status', 'no_url']]);
      expect(receiver.received).toEqual([]);
    });

    it("sends the merchant's pinned authorization value as the header", async () => {
      const sb = await sandboxWithHook();
      const tx = sb.store.begin();
      const tenant = (await sb.store.lookup('_tenants', MERCHANT.tenant, MERCHANT.tenant)) as unknown as { credentials: Record<string, string> };
      tx.put('_tenants', { ...tenant, credentials: { ...tenant.credentials, authorization: 'Bearer pinned-0002' } } as never);
      await sb.store.commit(tx);
      await finext(sb, MERCHANT, { authorization: 'Bearer pinned-0002' }).ok('modifyOpStatus', {
        username: LILI12.username,
        card_id: LILI12.card_id,
        op_status: 11,
        op_cause_type: 1,
      });
      const [hook] = await receiver.waitFor(1);
      expect(hook.headers.authorization).toBe('Bearer pinned-0002');
    });
  });

  /** The webhook vectors of VENDORS.md §B.3: the merchant, the instant, and an action that sends that event. */
  const WEBHOOK_VECTORS: Array<[string, Merchant, number, string, string, string, (sb: Sandbox) => Promise<unknown>]> = [
    ['card status / KYC', MERCHANT, 1682075328711, '0f817ab66154454fadeea20ae2bfecc2', '786b0623ead8c40049265e03497af503', 'card_status', blockLili12],
    [
      'new txn',
      SECOND,
      1701686571977,
      '926a1b796b574d3898b57188d100b16d',
      '3a48beadb69702da46dbd4169197f7f6',
      'new_card_transaction',
      async (sb) => {
        const card = await activeCard(sb, SECOND);
        await finext(sb, SECOND).topup(card.username, card.kit_number, '5.00');
      },
    ],
    [
      'voided',
      SECOND,
      1701689169309,
      '19eac333cc3b4f8782508532e2dcca23',
      'a8afd47810df5bae1fcc3a9d9e9c12dd',
      'card_transaction_voided',
      async (sb) => {
        const card = await activeCard(sb, SECOND);
        await finext(sb, SECOND).topup(card.username, card.kit_number, '5.00');
        await simulate(sb, 'authorize', { cardId: card.kit_number, amount: '1.00' }).expect(200);
        await simulate(sb, 'reverse', { cardId: card.kit_number }).expect(200);
      },
    ],
  ];

  describe('finext webhooks: the documented webhook vectors', () => {
    it.each(WEBHOOK_VECTORS)(
      "webhook %s: our signer uses the form that gives the documented sign, at the vector's instant",
      async (_case, merchant, at, vectorRequestId, vectorSign, event, trigger) => {
        expect(SIGN.none({ api_key: merchant.api_key, timestamp: String(at), secret: merchant.secret, request_id: vectorRequestId })).toBe(vectorSign);
        const sb = await sandboxWithHook(merchant, { webhookUrls: { [event]: receiver.url } });
        await control(sb).post('/clock', { now: at }).expect(200);
        await trigger(sb);
        const [hook] = await receiver.waitFor(1);
        expect(hook.json.timestamp).toBe(String(at));
        expect(hook.json.sign).toBe(SIGN.none({ api_key: merchant.api_key, timestamp: String(at), secret: merchant.secret, request_id: hook.json.request_id }));
      },
    );
  });

  describe('finext webhooks: acknowledgement and retries', () => {
    it('retries a refused delivery after 30 s, 1, 5, 15, 60 min and 2 h on the sandbox clock, then marks it failed', async () => {
      const sb = await sandboxWithHook();
      receiver.respondWith(200, '{"code":10500,"msg":"busy"}');
      await blockLili12(sb);
      await receiver.waitFor(1);
      await control(sb).advance(29_999);
      expect(receiver.received).toHaveLength(1);
      await control(sb).advance(1 + 60_000 + 300_000 + 900_000 + 3_600_000 + 7_200_000 + 86_400_000);
      const times = receiver.received.map((h) => Number(h.json.timestamp));
      expect(times.slice(1).map((t, i) => t - times[i])).toEqual([30_000, 60_000, 300_000, 900_000, 3_600_000, 7_200_000]);
      const [delivery] = await deliveries(sb, 'card_status');
      expect(delivery).toMatchObject({ state: 'failed', nextAttemptAt: null });
      expect(delivery.attempts).toHaveLength(7);
    });

    it('keeps the request_id on every retry, with a new timestamp and a sign that matches it', async () => {
      const sb = await sandboxWithHook();
      receiver.respondWith(503, '');
      await blockLili12(sb);
      await receiver.waitFor(1);
      await control(sb).advance(30_000 + 60_000);
      const hooks = await receiver.waitFor(3);
      expect(new Set(hooks.map((h) => h.json.request_id)).size).toBe(1);
      expect(hooks.map((h) => h.json.timestamp)).toEqual([String(T0), String(T0 + 30_000), String(T0 + 90_000)]);
      for (const hook of hooks) expectSigned(hook, MERCHANT);
      expect(new Set(hooks.map((h) => h.json.sign)).size).toBe(3);
    });

    it('stops retrying once the receiver answers {"code":10200}', async () => {
      const sb = await sandboxWithHook();
      receiver.respondWith(500, 'oops');
      await blockLili12(sb);
      await receiver.waitFor(1);
      receiver.respondWith(200, ACK);
      await control(sb).advance(86_400_000);
      expect(receiver.received).toHaveLength(2);
      expect((await deliveries(sb, 'card_status'))[0]).toMatchObject({ state: 'delivered', nextAttemptAt: null });
    });

    it.each([
      ['HTTP 200 with code 10500', 200, '{"code":10500,"msg":"no"}'],
      ['HTTP 200 with code "10200" as a string', 200, '{"code":"10200","msg":"ok"}'],
      ['HTTP 200 with a body that is not JSON', 200, 'ok'],
      ['HTTP 500 with code 10200', 500, ACK],
    ])('treats %s as a refusal, to be retried in 30 s', async (_case, status, body) => {
      const sb = await sandboxWithHook();
      receiver.respondWith(status, body);
      await blockLili12(sb);
      await receiver.waitFor(1);
      await sb.runtime.scheduler.idle();
      expect((await deliveries(sb, 'card_status'))[0]).toMatchObject({ state: 'retrying', nextAttemptAt: T0 + 30_000 });
    });
  });
});

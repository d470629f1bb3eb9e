/**
 * Finext top-up settlement and the Card Topup Status Notification [DOC: topup-card, "There may be a delay
 * in updating the card balance"; webhook-1.0.3 card-topup-status-notification]: status 1 success | 2 fail
 * with fail_reason 1 | 2 | 3, received by a real HTTP server; `topupSettleDelayMs` keeps a top-up pending.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox.js';
import { LILI111, MERCHANT, SECOND, SIGN, deliveries, finext, ledger, md5, setSettings, transactionId, type Merchant } from '../../helpers/finext.js';
import { startReceiver, type Received, type Receiver } from '../../helpers/receiver.js';
import { T0, control, expectContract, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const ACK = '{"code":10200,"msg":"ok"}';
const HOUR = 3_600_000;
const CARD = `card:${LILI111.card_id}`;
/** The default scenario's card of the second merchant (the create-card-transaction example's). */
const SECOND_LILI111 = { username: 'lili111', kit_number: '2000001791317913' };

let receiver: Receiver;
let other: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
  receiver.respondWith(200, ACK);
  other = await startReceiver();
  other.respondWith(200, ACK);
});
afterEach(async () => {
  await Promise.all([receiver.close(), other.close()]);
});

async function sandbox(settings: Record<string, unknown> = {}): Promise<Sandbox> {
  const sb = await makeSandbox();
  await control(sb)
    .patch(`/tenants/${MERCHANT.tenant}`, { webhookUrl: other.url, webhookUrls: { card_topup_status: receiver.url } })
    .expect(200);
  if (Object.keys(settings).length) await setSettings(sb, settings);
  return sb;
}

const topup = (sb: Sandbox, amount: string, transaction_id = transactionId()) =>
  finext(sb).ok('topup', { username: LILI111.username, kit_number: LILI111.kit_number, amount, transaction_id });

/** A signed, contract-conforming Card Topup Status Notification. */
function expectNotification(hook: Received, merchant: Merchant = MERCHANT): void {
  expectContract('finext/webhook.cardTopupStatus', hook.json);
  expect(hook.json.api_key).toBe(merchant.api_key);
  expect(hook.json.sign).toBe(md5(merchant.api_key + hook.json.timestamp + merchant.secret + hook.json.request_id));
  expect(hook.headers.authorization).toBeTruthy();
}

const held = async (sb: Sandbox, merchant: Merchant = MERCHANT) =>
  ((await sb.store.lookup('_accounts', merchant.tenant, 'merchant:USD')) as unknown as { held: number }).held;
const balance = (sb: Sandbox) => finext(sb).balance(LILI111.username, LILI111.kit_number);

describeStores('finext topup-settlement', () => {
  describe('finext Card Topup Status Notification', () => {
    it('reports a top-up that settles at once (topupSettleDelayMs 0) as status 1, to its own URL, signed in the no-user form', async () => {
      const sb = await sandbox();
      const transaction_id = transactionId();
      await topup(sb, '10.22', transaction_id);
      const [hook] = await receiver.waitFor(1);
      expectNotification(hook);
      expect(hook.json).toEqual({
        api_key: MERCHANT.api_key,
        request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        timestamp: String(T0),
        sign: expect.any(String),
        card_id: LILI111.card_id,
        transaction_id,
        status: 1,
      });
      const [transactions] = await other.waitFor(1);
      expect(transactions.json.transactions.map((t: { category: string }) => t.category)).toEqual(['CR TOP-UP', 'DR FEE']);
      expect(await balance(sb)).toBe('20.34');
    });

    it.each([
      ['20.91', 1],
      ['20.92', 2],
      ['20.93', 3],
    ])('reports a top-up of %s as status 2 with fail_reason %i; no money moves and nothing is listed', async (amount, fail_reason) => {
      const sb = await sandbox();
      const before = await ledger(sb);
      const transaction_id = transactionId();
      await topup(sb, amount, transaction_id);
      const [hook] = await receiver.waitFor(1);
      expectNotification(hook);
      expect(hook.json).toMatchObject({ card_id: LILI111.card_id, transaction_id, status: 2, fail_reason });
      expect(await ledger(sb)).toEqual(before);
      expect((await finext(sb).transactions()).list).toEqual([]);
      expect(await deliveries(sb, 'new_card_transaction')).toEqual([]);
    });
  });

  describe('finext Card Topup Status Notification: the documented vector', () => {
    it("signs at the example's instant (1682075328711) in the form that gives the documented sign 786b0623…", async () => {
      expect(
        SIGN.none({ api_key: MERCHANT.api_key, timestamp: '1682075328711', secret: MERCHANT.secret, request_id: '0f817ab66154454fadeea20ae2bfecc2' }),
      ).toBe('786b0623ead8c40049265e03497af503');
      const sb = await sandbox();
      await control(sb).post('/clock', { now: 1682075328711 }).expect(200);
      await topup(sb, '10.22');
      const [hook] = await receiver.waitFor(1);
      expect(hook.json.timestamp).toBe('1682075328711');
      expect(hook.json.sign).toBe(
        SIGN.none({ api_key: MERCHANT.api_key, timestamp: '1682075328711', secret: MERCHANT.secret, request_id: hook.json.request_id }),
      );
    });
  });

  describe('finext top-ups with topupSettleDelayMs', () => {
    it('keeps a top-up pending, the amount held on the merchant, until the clock passes the delay; then credits and notifies', async () => {
      const sb = await sandbox({ topupSettleDelayMs: HOUR });
      const before = await ledger(sb);
      await topup(sb, '10.22');
      expect(await balance(sb)).toBe('10.22');
      expect(await ledger(sb)).toEqual(before);
      expect(await held(sb)).toBe(1022);
      expect((await finext(sb).transactions()).list).toEqual([]);
      await control(sb).advance(HOUR - 1);
      expect(await deliveries(sb, 'card_topup_status')).toEqual([]);
      await control(sb).advance(1);
      const [hook] = await receiver.waitFor(1);
      expect(hook.json).toMatchObject({ status: 1, timestamp: String(T0 + HOUR) });
      expect(await balance(sb)).toBe('20.34');
      expect(await held(sb)).toBe(0);
      expect((await ledger(sb))[CARD] - before[CARD]).toBe(1012);
    });

    it('releases the held amount when a pending top-up fails (magic amount .92)', async () => {
      const sb = await sandbox({ topupSettleDelayMs: HOUR });
      const before = await ledger(sb);
      await topup(sb, '30.92');
      expect(await held(sb)).toBe(3092);
      await control(sb).advance(HOUR);
      const [hook] = await receiver.waitFor(1);
      expect(hook.json).toMatchObject({ status: 2, fail_reason: 2 });
      expect(await held(sb)).toBe(0);
      expect(await ledger(sb)).toEqual(before);
    });

    it('fails a pending top-up with no fail_reason when the card is blocked before it settles', async () => {
      const sb = await sandbox({ topupSettleDelayMs: HOUR });
      const before = await ledger(sb);
      await topup(sb, '10.00');
      await finext(sb).ok('modifyOpStatus', { username: LILI111.username, card_id: LILI111.card_id, op_status: 11, op_cause_type: 1 });
      await control(sb).advance(HOUR);
      const [hook] = await receiver.waitFor(1);
      expectNotification(hook);
      expect(hook.json.status).toBe(2);
      expect(hook.json).not.toHaveProperty('fail_reason');
      expect(await held(sb)).toBe(0);
      expect(await ledger(sb)).toEqual(before);
    });

    it('does not let the merchant spend held funds twice: the second merchant (10,000.00) cannot top up 6,000.00 twice', async () => {
      const sb = await makeSandbox();
      await setSettings(sb, { topupSettleDelayMs: HOUR }, SECOND);
      const api = finext(sb, SECOND);
      await api.ok('topup', { ...SECOND_LILI111, amount: '6000.00', transaction_id: transactionId() });
      const res = await api.call('topup', { ...SECOND_LILI111, amount: '6000.00', transaction_id: transactionId() });
      expect(res.body).toEqual({ code: 10410, msg: 'insufficient balance' });
      expect(await held(sb, SECOND)).toBe(600_000);
    });

    it('holds once for a pending top-up retried with the same transaction_id, and settles it once', async () => {
      const sb = await sandbox({ topupSettleDelayMs: HOUR });
      const transaction_id = transactionId();
      await topup(sb, '10.22', transaction_id);
      await topup(sb, '10.22', transaction_id);
      expect(await held(sb)).toBe(1022);
      await control(sb).advance(HOUR);
      expect(await balance(sb)).toBe('20.34');
      expect(await deliveries(sb, 'card_topup_status')).toHaveLength(1);
    });

    it.each([-1, 1.5, 'soon'])('refuses topupSettleDelayMs %s with 400 naming the setting', async (value) => {
      const sb = await makeSandbox();
      const res = await control(sb)
        .patch(`/tenants/${MERCHANT.tenant}`, { settings: { topupSettleDelayMs: value } })
        .expect(400);
      expect(res.body.error.field).toBe('settings.topupSettleDelayMs');
    });
  });

  describe('finext top-ups: forcing the outcome (POST /__sandbox/outcomes, kind topup)', () => {
    const force = (sb: Sandbox, id: string, outcome: string, tenant?: string) =>
      control(sb).post('/outcomes', { vendor: 'finext', kind: 'topup', id, outcome, tenant });

    it('fails a pending top-up now: the hold is released, status 2 with no fail_reason is sent, and the later settlement does nothing', async () => {
      const sb = await sandbox({ topupSettleDelayMs: HOUR });
      const before = await ledger(sb);
      const transaction_id = transactionId();
      await topup(sb, '10.22', transaction_id);
      const res = await force(sb, transaction_id, 'failed').expect(200);
      expect(res.body.record).toMatchObject({ transaction_id, card_status: 3, status: 1 });
      const [hook] = await receiver.waitFor(1);
      expect(hook.json).toMatchObject({ transaction_id, status: 2 });
      expect(hook.json).not.toHaveProperty('fail_reason');
      await control(sb).advance(HOUR);
      expect(await held(sb)).toBe(0);
      expect(await ledger(sb)).toEqual(before);
      expect(await deliveries(sb, 'card_topup_status')).toHaveLength(1);
    });

    it('credits a pending top-up now when forced to success, even one whose amount would fail it', async () => {
      const sb = await sandbox({ topupSettleDelayMs: HOUR });
      const transaction_id = transactionId();
      await topup(sb, '10.91', transaction_id);
      await force(sb, transaction_id, 'success').expect(200);
      expect(await balance(sb)).toBe('21.02');
      expect(await held(sb)).toBe(0);
    });

    it("credits the default scenario's on-chain top-up (48.29) from outside the merchant when forced to success", async () => {
      const sb = await makeSandbox();
      const before = await ledger(sb, SECOND);
      const res = await force(sb, 'e25ff5a4f219456ab79504dafb480dbb', 'success').expect(200);
      expect(res.body).toMatchObject({ tenant: SECOND.tenant, record: { amount: '48.29', card_status: 2, top_up_method: 3 } });
      expect(await finext(sb, SECOND).balance('frfrfr', '2000001785317853')).toBe('47.81');
      expect((await ledger(sb, SECOND))['merchant:USD']).toBe(before['merchant:USD']);
      expect(await held(sb, SECOND)).toBe(0);
    });

    it('refuses (409) a top-up that has settled, and success for one whose card was blocked meanwhile', async () => {
      const sb = await sandbox({ topupSettleDelayMs: HOUR });
      const [settled, blocked] = [transactionId(), transactionId()];
      await topup(sb, '5.00', settled);
      await force(sb, settled, 'success').expect(200);
      expect((await force(sb, settled, 'failed').expect(409)).body.error.message).toMatch(/no longer pending/);
      await topup(sb, '5.00', blocked);
      await finext(sb).ok('modifyOpStatus', { username: LILI111.username, card_id: LILI111.card_id, op_status: 11, op_cause_type: 1 });
      expect((await force(sb, blocked, 'success').expect(409)).body.error.message).toMatch(/can only fail/);
      await force(sb, blocked, 'failed').expect(200);
    });
  });
});

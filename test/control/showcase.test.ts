import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEAD_WEBHOOK_URL, SHOWCASE_FILE } from '../../scripts/showcase.js';
import type { Scenario } from '../../src/core/scenario.js';
import type { Sandbox } from '../../src/sandbox.js';
import { CARD_MACHINE as ONERWAY_CARD } from '../../src/vendors/onerway/machines/card.js';
import { OP_STATUS } from '../../src/vendors/finext/machines/card.js';
import { KYC_STATUS } from '../../src/vendors/finext/machines/kyc.js';
import { CARD_STATUS, ORDER_STATUS, PAYEE_STATUS } from '../../src/vendors/openapi-cn/inferred.js';
import { finext } from '../helpers/finext.js';
import { onerway } from '../helpers/onerway.js';
import { openapi } from '../helpers/openapi-cn.js';
import { control, describeStores, makeSandbox, snapshot } from '../helpers/sandbox.js';

const pack = JSON.parse(readFileSync(SHOWCASE_FILE, 'utf8')) as Scenario;
const load = () => makeSandbox({ scenario: structuredClone(pack) });

/** Finext accounts of the pack → kyc_status and the op_status of each card, in the order issued. */
const FINEXT_ACCOUNTS: Record<string, { kyc: number; cards: number[] }> = {
  kycnone: { kyc: 0, cards: [0] },
  kycsubmit: { kyc: 1, cards: [0] },
  kycresub: { kyc: 3, cards: [0] },
  kycreject: { kyc: 4, cards: [0] },
  cardprep: { kyc: 2, cards: [22] },
  cardmailed: { kyc: 2, cards: [10] },
  cardactive: { kyc: 2, cards: [6] },
  cardblock: { kyc: 2, cards: [8] },
  cardissue: { kyc: 2, cards: [11] },
  cardcancel: { kyc: 2, cards: [9] },
  cardrepl: { kyc: 2, cards: [12, 6] },
};

const ONERWAY_CARDS = { 100001: 'ACTIVE', 100002: 'FROZEN', 100003: 'TERMINATED', 100004: 'FAILED', 100005: 'PROCESSING' } as const;

const openapiList = async (sb: Sandbox, operation: string, path: string, fields: Record<string, unknown> = {}) =>
  (await openapi(sb).ok(operation, path, { page_size: 100, ...fields })).list as Array<Record<string, any>>;

describeStores('showcase', () => {
  describe('the showcase pack', () => {
    it('loads as it is: the loaded store exports back to the same pack', async () => {
      const sb = await load();
      expect(JSON.parse(await snapshot(sb)).collections).toEqual(pack.collections);
    });
  });

  describe('the showcase pack, loaded: onerway', () => {
    it('has a card in every state of the card machine', async () => {
      const api = onerway(await load());
      for (const [cardId, status] of Object.entries(ONERWAY_CARDS)) expect(await api.cardStatus(Number(cardId))).toBe(status);
      expect(new Set(Object.values(ONERWAY_CARDS))).toEqual(new Set(ONERWAY_CARD.states));
    });

    it('lists operate records that succeeded, failed and are still pending', async () => {
      const records = await onerway(await load()).records();
      expect(records.filter((r) => r.status === 'P').map((r) => [r.operateRecordId, r.type])).toEqual([
        [200006, 'UNFREEZE'],
        [200005, 'DEPOSIT'],
        [900000005, 'CREATE'],
      ]);
      expect(records.filter((r) => r.status === 'F').map((r) => r.clientRequestId)).toEqual(['SHOW_DEPOSIT_FAIL', 'SHOW_CREATE_FAIL']);
    });

    it('lists every kind of transaction, with the declines and their reasons', async () => {
      const { records } = (await onerway(await load()).queryTxnList({ pageNum: 1, pageSize: 100 })).body.data;
      expect(new Set(records.map((t: any) => t.txnType))).toEqual(new Set(['AUTHORIZATION', 'VERIFICATION', 'CLEARING', 'REVERSAL', 'REFUND']));
      expect(records.filter((t: any) => t.txnStatus === 'F').map((t: any) => [t.cardId, t.remark])).toEqual([
        ['100003', 'Card status TERMINATED'],
        ['100002', 'Card status FROZEN'],
        ['100001', 'Insufficient balance'],
      ]);
      expect(records.filter((t: any) => t.txnType === 'REVERSAL').map((t: any) => t.transactionAmount)).toEqual([30, 60]);
    });
  });

  describe('the showcase pack, loaded: finext', () => {
    it('has accounts in every KYC state and cards in every op_status', async () => {
      const api = finext(await load());
      for (const [username, expected] of Object.entries(FINEXT_ACCOUNTS)) {
        const details = await api.details(username);
        expect({ username, kyc: details.kyc_status, cards: details.cards.map((c: { op_status: number }) => c.op_status) }).toEqual({ username, ...expected });
      }
      const seen = Object.values(FINEXT_ACCOUNTS);
      expect(new Set(seen.map((a) => a.kyc))).toEqual(new Set(Object.values(KYC_STATUS)));
      expect(new Set(seen.flatMap((a) => a.cards))).toEqual(new Set(Object.values(OP_STATUS)));
    });

    it('lists top-ups, fees, purchases, adjustments, a voided authorization, a partial reversal and a refund', async () => {
      const sb = await load();
      const api = finext(sb);
      const kit = (await api.cards('cardactive'))[0].kit_number;
      const { list } = await api.transactions({ kit_numbers: [kit] });
      expect(new Set(list.map((t) => t.category))).toEqual(new Set(['CR TOP-UP', 'DR FEE', 'DR POS', 'CR ADJUSTMENT', 'CR REVERSAL', 'CR REFUND']));
      expect(list.filter((t) => t.transaction_status === 2).map((t) => [t.category, t.amount])).toEqual([['DR POS', '-60.00']]);
      expect(await api.balance('cardactive', kit)).toBe('287.10');
    });

    it('keeps the declines that Finext does not list in the network record', async () => {
      const sb = await load();
      const declines = (await sb.store.read('_card_txns')).filter((t: any) => t.vendor === 'finext' && t.status === 'declined') as any[];
      expect(declines.map((t) => t.declineReason)).toEqual(['Insufficient balance', 'Card op_status is not active (BLOCKED)']);
    });
  });

  describe('the showcase pack, loaded: openapi-cn', () => {
    it('has a card in every status', async () => {
      const sb = await load();
      for (const status of Object.values(CARD_STATUS)) {
        expect((await openapiList(sb, 'cardList', '/card/list', { card_status: status })).length, `card_status ${status}`).toBeGreaterThan(0);
      }
    });

    it('has open-card, recharge and cancel orders processing, and orders that succeeded and failed', async () => {
      const sb = await load();
      const processing = await openapiList(sb, 'orderList', '/order/list', { order_status: ORDER_STATUS.PROCESSING });
      expect(processing.map((o) => o.order_type).sort()).toEqual([1, 2, 3]);
      expect((await openapiList(sb, 'orderList', '/order/list', { order_status: ORDER_STATUS.FAILED })).map((o) => o.request_no)).toEqual([
        'SHOW-OPEN-5_FAIL',
        'SHOW-RECHARGE-2',
      ]);
      expect((await openapiList(sb, 'orderList', '/order/list', { order_status: ORDER_STATUS.SUCCESS })).length).toBeGreaterThan(5);
    });

    it('has payees in every review status and payments processing, paid, failed and returned', async () => {
      const sb = await load();
      for (const status of Object.values(PAYEE_STATUS))
        expect(await openapiList(sb, 'payeeList', '/payee/list', { status }), `payee status ${status}`).toHaveLength(1);
      const payments = await openapiList(sb, 'paymentList', '/payment/list');
      expect(payments.map((p) => [p.amount, p.status])).toEqual([
        ['75.00', 1],
        ['60.14', 4],
        ['45.13', 3],
        ['100.00', 2],
      ]);
    });

    it('lists the card trades, the declines and the reversals among them', async () => {
      const sb = await load();
      const trades = await openapiList(sb, 'cardTradeList', '/card/trade/list');
      expect(new Set(trades.map((t) => t.trade_type))).toEqual(new Set(['auth', 'settle', 'reversal', 'refund']));
      expect(trades.filter((t) => t.trade_result === 'fail').map((t) => t.fail_reason)).toEqual(['Card status FROZEN', 'Insufficient balance']);
      expect(trades.filter((t) => t.trade_type === 'reversal').map((t) => t.amount)).toEqual(['30.00', '60.00']);
    });
  });

  describe('the showcase pack, loaded: webhooks', () => {
    it("shows each vendor's second merchant with deliveries that failed after the whole retry schedule", async () => {
      const { body } = await control(await load())
        .get('/webhooks?state=failed')
        .expect(200);
      const failed = body.deliveries as Array<{ tenantId: string; attempts: Array<{ url: string; error: string }> }>;
      expect(failed.map((w) => [w.tenantId, w.attempts.length])).toEqual([
        ['onerway-second', 11],
        ['onerway-second', 11],
        ['finext-webhooks', 7],
        ['finext-webhooks', 7],
        ['openapi-cn-second', 6],
        ['openapi-cn-second', 6],
      ]);
      expect(new Set(failed.flatMap((w) => w.attempts.map((a) => `${a.url} ${a.error}`)))).toEqual(
        new Set([`${DEAD_WEBHOOK_URL} TypeError: connect ECONNREFUSED 127.0.0.1:4`]),
      );
    });
  });

  describe('the showcase pack, loaded: pending records', () => {
    it('stay pending for years, and settle once the clock passes their hold (2036-01-01, as the README says)', async () => {
      const sb = await load();
      await control(sb).advance(365 * 86_400_000);
      expect(await onerway(sb).cardStatus(100005)).toBe('PROCESSING');
      await control(sb)
        .post('/clock', { now: Date.UTC(2036, 0, 1) })
        .expect(200);
      const api = onerway(sb);
      expect([await api.cardStatus(100005), await api.cardStatus(100002)]).toEqual(['ACTIVE', 'ACTIVE']);
      expect((await api.records()).filter((r) => r.status === 'P')).toEqual([]);
      expect([await finext(sb).kycStatus('kycsubmit'), await finext(sb).opStatus('kycsubmit', (await finext(sb).cards('kycsubmit'))[0].card_id)]).toEqual([
        2, 10,
      ]);
      expect((await finext(sb).cards('cardprep'))[0].op_status).toBe(10);
      expect(await openapiList(sb, 'orderList', '/order/list', { order_status: ORDER_STATUS.PROCESSING })).toEqual([]);
      expect(await openapiList(sb, 'cardList', '/card/list', { card_status: CARD_STATUS.OPENING })).toEqual([]);
      expect(await openapiList(sb, 'payeeList', '/payee/list', { status: PAYEE_STATUS.REVIEWING })).toEqual([]);
    });
  });
});

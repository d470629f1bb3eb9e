/**
 * GET /__sandbox/cards/<vendor>/<cardId>/timeline: each vendor's card through creation, a status change
 * and back, money in, an authorization and its clearing, with the clock advanced a second between steps.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { finext, MERCHANT as FINEXT, newAccount, simulate as finextSimulate, submitKyc } from '../helpers/finext.js';
import { DEFAULT_TENANT, SECOND_TENANT, onerway, simulate as onerwaySimulate } from '../helpers/onerway.js';
import { MERCHANT as OPENAPI, SEED_EXAMPLES as OPENAPI_EXAMPLES, openapi } from '../helpers/openapi-cn.js';
import { startReceiver } from '../helpers/receiver.js';
import { T0, control, describeStores, makeSandbox } from '../helpers/sandbox.js';
import type { Sandbox } from '../../src/sandbox.js';

const timeline = async (sb: Sandbox, vendor: string, cardId: string | number, query = '') =>
  (await control(sb).get(`/cards/${vendor}/${cardId}/timeline${query}`).expect(200)).body;

/** One line per event: its kind and what identifies it, with the second since T0. */
function lines(events: any[]): string[] {
  return events.map((e) => {
    const s = `+${(e.at - T0) / 1000}s`;
    if (e.kind === 'request') return `${s} request ${e.operation} ${e.status}`;
    if (e.kind === 'transition') return `${s} transition ${e.from}>${e.to}`;
    if (e.kind === 'ledger') return `${s} ledger ${e.source} ${e.movement} ${e.source === 'network' ? `hold ${e.hold}` : `${e.amount} = ${e.balance}`}`;
    return `${s} webhook ${e.event} ${e.attempt === null ? e.state : `attempt ${e.attempt} ${e.status}`}`;
  });
}

describeStores('timeline', () => {
  describe('card timeline /__sandbox/cards/:vendor/:cardId/timeline', () => {
    it('onerway: requests, transitions, ledger and webhooks of one card, in order', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const step = () => control(sb).advance(1000);
      const cardId = await api.activeCard(100);
      await step();
      await api.operate({ clientRequestId: 'TL_FREEZE', cardId, type: 'FREEZE' });
      await step();
      await api.operate({ clientRequestId: 'TL_UNFREEZE', cardId, type: 'UNFREEZE' });
      await step();
      await api.deposit({ clientRequestId: 'TL_DEPOSIT', cardId, amount: 50 });
      await step();
      await onerwaySimulate(sb, 'authorize', { cardId, amount: '10.00' }).expect(200);
      await step();
      await onerwaySimulate(sb, 'clear', { cardId, amount: '10.00' }).expect(200);
      await api.getCardInfo({ cardId: 999 });
      const body = await timeline(sb, 'onerway', cardId);
      expect(body).toMatchObject({ vendor: 'onerway', cardId: String(cardId), tenantId: DEFAULT_TENANT });
      expect(lines(body.events)).toEqual([
        '+0s request createCard 200',
        '+0s transition PROCESSING>ACTIVE',
        '+0s ledger entry CREATE +100.00 = 100.00',
        '+0s webhook issuing.cardOperateEvent no_url',
        '+1s request operate 200',
        '+1s transition ACTIVE>FROZEN',
        '+1s webhook issuing.cardOperateEvent no_url',
        '+2s request operate 200',
        '+2s transition FROZEN>ACTIVE',
        '+2s webhook issuing.cardOperateEvent no_url',
        '+3s request deposit 200',
        '+3s ledger entry DEPOSIT +50.00 = 150.00',
        '+3s webhook issuing.cardOperateEvent no_url',
        '+4s ledger network authorization hold +10.00',
        '+4s webhook issuing.cardTransactionEvent no_url',
        '+5s ledger network clearing hold -10.00',
        '+5s ledger entry clearing -10.00 = 140.00',
        '+5s webhook issuing.cardTransactionEvent no_url',
      ]);
      expect(body.events[4]).toMatchObject({
        request: { body: { clientRequestId: 'TL_FREEZE', type: 'FREEZE' }, headers: { apikey: '****' } },
        response: { body: { respCode: '20000' } },
      });
    });

    it("onerway: only the card's own ledger, among the merchant's other cards, in the order recorded", async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const mine = await api.activeCard(100);
      const other = await api.activeCard(200);
      // One instant (the clock is frozen): the order is the order recorded.
      await api.deposit({ clientRequestId: 'TL_MINE_1', cardId: mine, amount: 5 });
      await api.deposit({ clientRequestId: 'TL_OTHER_1', cardId: other, amount: 9 });
      await onerwaySimulate(sb, 'authorize', { cardId: other, amount: '3.00' }).expect(200);
      await api.deposit({ clientRequestId: 'TL_MINE_2', cardId: mine, amount: 7 });
      const ledger = (await timeline(sb, 'onerway', mine)).events.filter((e: { kind: string }) => e.kind === 'ledger');
      expect(lines(ledger)).toEqual([
        '+0s ledger entry CREATE +100.00 = 100.00',
        '+0s ledger entry DEPOSIT +5.00 = 105.00',
        '+0s ledger entry DEPOSIT +7.00 = 112.00',
      ]);
      const theirs = (await timeline(sb, 'onerway', other)).events.filter((e: { kind: string }) => e.kind === 'ledger');
      expect(lines(theirs)).toEqual([
        '+0s ledger network authorization hold +3.00',
        '+0s ledger entry CREATE +200.00 = 200.00',
        '+0s ledger entry DEPOSIT +9.00 = 209.00',
      ]);
    });

    it('finext: the card named by card_id or kit_number, through activation, a top-up, a purchase and a block', async () => {
      const sb = await makeSandbox();
      const receiver = await startReceiver();
      receiver.respondWith(200, '{"code":10200}');
      await control(sb).patch(`/tenants/${FINEXT.tenant}`, { webhookUrl: receiver.url }).expect(200);
      const step = () => control(sb).advance(1000);
      const card = await newAccount(sb);
      await step();
      await submitKyc(sb, card.username);
      await step();
      await finext(sb).ok('activeCard', { username: card.username, kit_number: card.kit_number, pin: '4321' });
      await step();
      await finext(sb).topup(card.username, card.kit_number, '20.00');
      await step();
      await finextSimulate(sb, 'authorize', { cardId: card.card_id, amount: '5.00' }).expect(200);
      await step();
      await finextSimulate(sb, 'clear', { cardId: card.card_id, amount: '5.00' }).expect(200);
      await step();
      await finext(sb).ok('modifyOpStatus', { username: card.username, card_id: card.card_id, op_status: 11, op_cause_type: 1 });
      await step();
      await receiver.close();
      const byKit = await timeline(sb, 'finext', card.kit_number);
      expect(byKit).toEqual(await timeline(sb, 'finext', card.card_id));
      expect(byKit).toMatchObject({ cardId: card.card_id, tenantId: FINEXT.tenant });
      expect(lines(byKit.events)).toEqual([
        '+0s request createAccount 200',
        '+0s request getAccountDetails 200',
        '+1s transition AWAITING_KYC>PREPARING',
        '+1s transition PREPARING>MAILED',
        '+1s webhook card_status attempt 1 200',
        '+1s webhook card_status attempt 1 200',
        '+2s request activeCard 200',
        '+2s transition MAILED>ACTIVE',
        '+2s webhook card_status attempt 1 200',
        '+3s request topup 200',
        '+3s ledger entry topup +20.00 = 20.00',
        '+3s ledger entry topup_fee -0.20 = 19.80',
        '+3s webhook new_card_transaction attempt 1 200',
        '+3s webhook card_topup_status attempt 1 200',
        '+4s ledger network authorization hold +5.00',
        '+4s webhook new_card_transaction attempt 1 200',
        '+5s ledger network clearing hold -5.00',
        '+5s ledger entry clearing -5.00 = 14.80',
        '+6s request modifyOpStatus 200',
        '+6s transition ACTIVE>BLOCKED',
        '+6s webhook card_status attempt 1 200',
      ]);
    });

    it('openapi-cn: a physical card opened, activated, frozen and unfrozen, recharged, used', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const step = () => control(sb).advance(1000);
      const holder_id = (await api.ok('cardDetail', '/card/detail', { card_id: OPENAPI_EXAMPLES[1].card_id })).holder_id;
      await step();
      const { card_id } = await api.ok('orderOpenCard', '/order/openCard', { bin_id: 'bin_p_usd', holder_id, amount: '20.00', request_no: 'TL_OPEN' });
      for (const [operation, path] of [
        ['cardActive', '/card/active'],
        ['cardFreeze', '/card/freeze'],
        ['cardUnfreeze', '/card/unfreeze'],
      ]) {
        await step();
        await api.ok(operation, path, { card_id });
      }
      await step();
      await api.ok('orderRecharge', '/order/recharge', { card_id, amount: '30.00', request_no: 'TL_RECHARGE' });
      await step();
      await request(sb.app).post('/__sandbox/simulate/authorize').send({ vendor: 'openapi-cn', cardId: card_id, amount: '7.00' }).expect(200);
      await step();
      await request(sb.app).post('/__sandbox/simulate/clear').send({ vendor: 'openapi-cn', cardId: card_id, amount: '7.00' }).expect(200);
      const body = await timeline(sb, 'openapi-cn', card_id, `?tenant=${OPENAPI.tenant}`);
      expect(lines(body.events)).toEqual([
        '+1s request orderOpenCard 200',
        '+1s transition OPENING>INACTIVE',
        '+1s ledger entry order_settle +20.00 = 20.00',
        '+1s webhook order no_url',
        '+1s webhook card no_url',
        '+1s webhook order no_url',
        '+2s request cardActive 200',
        '+2s transition INACTIVE>ACTIVE',
        '+2s webhook card no_url',
        '+3s request cardFreeze 200',
        '+3s transition ACTIVE>FROZEN',
        '+3s webhook card no_url',
        '+4s request cardUnfreeze 200',
        '+4s transition FROZEN>ACTIVE',
        '+4s webhook card no_url',
        '+5s request orderRecharge 200',
        '+5s ledger entry order_settle +30.00 = 50.00',
        '+5s webhook order no_url',
        '+5s webhook order no_url',
        '+6s ledger network authorization hold +7.00',
        '+6s webhook card_trade no_url',
        '+7s ledger network clearing hold -7.00',
        '+7s ledger entry clearing -7.00 = 43.00',
        '+7s webhook card_trade no_url',
      ]);
    });

    it('answers 404 for an unknown vendor, an unknown card, and a card of another tenant', async () => {
      const sb = await makeSandbox();
      const cardId = await onerway(sb).activeCard();
      expect((await control(sb).get(`/cards/visa/${cardId}/timeline`).expect(404)).body.error).toMatchObject({ code: 'route_not_found', field: 'vendor' });
      expect((await control(sb).get('/cards/onerway/424242/timeline').expect(404)).body.error).toMatchObject({ code: 'card_not_found', field: 'cardId' });
      await control(sb).get(`/cards/onerway/${cardId}/timeline?tenant=${SECOND_TENANT}`).expect(404);
      await control(sb).get(`/cards/onerway/${cardId}/timeline?tenant=${DEFAULT_TENANT}`).expect(200);
    });
  });
});

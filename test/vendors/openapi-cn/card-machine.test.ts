/**
 * The card machine (src/vendors/openapi-cn/machines/card.ts), driven through HTTP on a physical card,
 * every (state, API event) pair; the table is restated here so a change to either side shows. The
 * settlement events (OPENED_*, OPEN_FAILED, CANCEL_SETTLED) come only from a card's own orders, once,
 * while it is OPENING or CANCELLING; they are driven by their orders below.
 */
import { describe, expect, it } from 'vitest';
import { CARD_STATUS, CARD_TYPE } from '../../../src/vendors/openapi-cn/inferred.js';
import type { Card } from '../../../src/vendors/openapi-cn/card-model.js';
import { CARD_MACHINE } from '../../../src/vendors/openapi-cn/machines/card.js';
import { MERCHANT, SEED_EXAMPLES, openapi } from '../../helpers/openapi-cn.js';
import { control, makeSandbox, describeStores } from '../../helpers/sandbox.js';
import type { Sandbox } from '../../../src/sandbox.js';

type State = keyof typeof CARD_STATUS;
type ApiEvent = 'ACTIVATE' | 'FREEZE' | 'UNFREEZE' | 'CANCEL' | 'RECHARGE' | 'AUTHORIZE';

const CARD_TABLE = {
  OPENING: { OPENED_VIRTUAL: 'ACTIVE', OPENED_PHYSICAL: 'INACTIVE', OPEN_FAILED: 'FAILED' },
  INACTIVE: { ACTIVATE: 'ACTIVE' },
  ACTIVE: { FREEZE: 'FROZEN', CANCEL: 'CANCELLING', RECHARGE: 'ACTIVE', AUTHORIZE: 'ACTIVE' },
  FROZEN: { UNFREEZE: 'ACTIVE', CANCEL: 'CANCELLING', RECHARGE: 'FROZEN' },
  CANCELLING: { CANCEL_SETTLED: 'CANCELLED' },
  CANCELLED: {},
  FAILED: {},
} as const satisfies Record<State, object>;

const STATES = Object.keys(CARD_TABLE) as State[];
const API_EVENTS: ApiEvent[] = ['ACTIVATE', 'FREEZE', 'UNFREEZE', 'CANCEL', 'RECHARGE', 'AUTHORIZE'];
const PAIRS = STATES.flatMap((state) =>
  API_EVENTS.map((event) => [state, event, (CARD_TABLE[state] as Partial<Record<string, State>>)[event] ?? 'refused'] as const),
);
const PATHS: Record<Exclude<ApiEvent, 'AUTHORIZE'>, [string, string]> = {
  ACTIVATE: ['cardActive', '/card/active'],
  FREEZE: ['cardFreeze', '/card/freeze'],
  UNFREEZE: ['cardUnfreeze', '/card/unfreeze'],
  CANCEL: ['cardCancel', '/card/cancel'],
  RECHARGE: ['orderRecharge', '/order/recharge'],
};

const settleDelay = (sb: Sandbox, ms: number) =>
  control(sb)
    .patch(`/tenants/${MERCHANT.tenant}`, { settings: { settleDelayMs: ms } })
    .expect(200);

/** A fresh sandbox with a new physical card (20.00 on it) of the default merchant in `state`; settlements then held. */
async function cardIn(state: State) {
  const sb = await makeSandbox();
  const api = openapi(sb);
  const holder_id = (await api.ok('cardDetail', '/card/detail', { card_id: SEED_EXAMPLES[1].card_id })).holder_id;
  if (state === 'OPENING') await settleDelay(sb, 60_000);
  const request_no = state === 'FAILED' ? 'MACHINE_FAIL' : `MACHINE_${state}`;
  const { card_id } = await api.ok('orderOpenCard', '/order/openCard', { bin_id: 'bin_p_usd', holder_id, amount: '20.00', request_no });
  if (!['OPENING', 'INACTIVE', 'FAILED'].includes(state)) await api.ok('cardActive', '/card/active', { card_id });
  if (state === 'FROZEN') await api.ok('cardFreeze', '/card/freeze', { card_id });
  if (state === 'CANCELLING') await settleDelay(sb, 60_000);
  if (state === 'CANCELLING' || state === 'CANCELLED') await api.ok('cardCancel', '/card/cancel', { card_id });
  await settleDelay(sb, 60_000);
  const status = async () => (await api.ok('cardDetail', '/card/detail', { card_id })).card_status as number;
  expect(await status()).toBe(CARD_STATUS[state]);
  return { sb, api, card_id, status };
}

/** Sends `event` to the card through the API; answers the vendor code (0 accepted), or the network's verdict. */
async function send(sb: Sandbox, card_id: string, event: ApiEvent): Promise<number> {
  if (event === 'AUTHORIZE') {
    const { body } = await control(sb).post('/simulate/authorize', { vendor: 'openapi-cn', cardId: card_id, amount: '1.00' }).expect(200);
    return body.transaction.status === 'approved' ? 0 : -1;
  }
  const [operation, path] = PATHS[event];
  return (await openapi(sb).call(operation, path, { card_id, amount: '20.00' })).body.code as number;
}

describeStores('openapi-cn card-machine', () => {
  describe('openapi-cn card machine', () => {
    it('has the table these tests drive', () => {
      expect(CARD_MACHINE.table).toEqual(CARD_TABLE);
      expect([...CARD_MACHINE.states].sort()).toEqual(Object.keys(CARD_STATUS).sort());
      expect([...CARD_MACHINE.events].sort()).toEqual([...API_EVENTS, 'OPENED_VIRTUAL', 'OPENED_PHYSICAL', 'OPEN_FAILED', 'CANCEL_SETTLED'].sort());
    });

    it.each(PAIRS)('%s + %s → %s', async (state, event, to) => {
      const { sb, card_id, status } = await cardIn(state);
      const code = await send(sb, card_id, event);
      expect(code).toBe(to !== 'refused' ? 0 : event === 'AUTHORIZE' ? -1 : 2002);
      expect(await status()).toBe(CARD_STATUS[to === 'refused' ? state : to]);
    });

    it("records every status change in the card's history, with the event and the time", async () => {
      const { sb, card_id } = await cardIn('FROZEN');
      const { history } = (await sb.store.lookup('openapi-cn.cards', MERCHANT.tenant, card_id)) as Card;
      expect(history).toEqual([
        { from: 'OPENING', to: 'INACTIVE', event: 'OPENED_PHYSICAL', at: expect.any(Number) },
        { from: 'INACTIVE', to: 'ACTIVE', event: 'ACTIVATE', at: expect.any(Number) },
        { from: 'ACTIVE', to: 'FROZEN', event: 'FREEZE', at: expect.any(Number) },
      ]);
    });

    it('declines an authorization on a card that is not ACTIVE with the card status as the reason', async () => {
      const { sb, card_id } = await cardIn('FROZEN');
      const { body } = await control(sb).post('/simulate/authorize', { vendor: 'openapi-cn', cardId: card_id, amount: '1.00' }).expect(200);
      expect(body.transaction).toMatchObject({ status: 'declined', declineReason: 'Card status FROZEN' });
    });
  });

  describe('openapi-cn card machine: settlement events', () => {
    it('OPENING + OPENED_PHYSICAL → INACTIVE: a physical card waits for card/active once its order settles', async () => {
      const { sb, status } = await cardIn('OPENING');
      await control(sb).advance(59_999);
      expect(await status()).toBe(CARD_STATUS.OPENING);
      await control(sb).advance(1);
      expect(await status()).toBe(CARD_STATUS.INACTIVE);
    });

    it('OPENING + OPENED_VIRTUAL → ACTIVE: a virtual card is usable as soon as its order settles', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      await settleDelay(sb, 60_000);
      const holder_id = (await api.ok('cardDetail', '/card/detail', { card_id: SEED_EXAMPLES[1].card_id })).holder_id;
      const { card_id } = await api.ok('orderOpenCard', '/order/openCard', { bin_id: 'bin_v_usd', holder_id, amount: '10.00' });
      await control(sb).advance(60_000);
      expect(await api.ok('cardDetail', '/card/detail', { card_id })).toMatchObject({
        card_type: CARD_TYPE.VIRTUAL,
        card_status: CARD_STATUS.ACTIVE,
        balance: '10.00',
      });
    });

    it('OPENING + OPEN_FAILED → FAILED: an open-card order that fails leaves the card FAILED and empty', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      await settleDelay(sb, 60_000);
      const holder_id = (await api.ok('cardDetail', '/card/detail', { card_id: SEED_EXAMPLES[1].card_id })).holder_id;
      const { card_id } = await api.ok('orderOpenCard', '/order/openCard', { bin_id: 'bin_p_usd', holder_id, amount: '20.00', request_no: 'OPEN_FAIL' });
      expect((await api.ok('cardDetail', '/card/detail', { card_id })).card_status).toBe(CARD_STATUS.OPENING);
      await control(sb).advance(60_000);
      expect(await api.ok('cardDetail', '/card/detail', { card_id })).toMatchObject({ card_status: CARD_STATUS.FAILED, balance: '0.00' });
    });

    it('CANCELLING + CANCEL_SETTLED → CANCELLED: the cancel order settles on the sandbox clock', async () => {
      const { sb, status } = await cardIn('CANCELLING');
      await control(sb).advance(60_000);
      expect(await status()).toBe(CARD_STATUS.CANCELLED);
    });
  });

  describe('openapi-cn card machine: physical-only events on a virtual card', () => {
    it.each([
      ['cardActive', '/card/active'],
      ['cardFreeze', '/card/freeze'],
      ['cardUnfreeze', '/card/unfreeze'],
    ])('%s answers 2003 on every live virtual card, before its status is considered', async (operation, path) => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const { card_id } = (await api.ok('cardList', '/card/list', { card_type: CARD_TYPE.VIRTUAL })).list[0];
      expect((await api.call(operation, path, { card_id })).body.code).toBe(2003);
      await api.ok('cardCancel', '/card/cancel', { card_id });
      expect((await api.call(operation, path, { card_id })).body.code).toBe(2003);
    });
  });
});

/**
 * The card machine (src/vendors/onerway/machines/card.ts) and the operate-record machine, driven through
 * HTTP. The expected tables are restated here, so a change to either side shows. CREATE_SUCCEEDED and
 * CREATE_FAILED come only from the settlement of a card's own CREATE record, which happens once, while
 * the card is PROCESSING; from any other state those two events cannot be reached through the API.
 */
import { describe, expect, it } from 'vitest';
import { CARD_MACHINE } from '../../../src/vendors/onerway/machines/card.js';
import { OPERATE_RECORD_MACHINE } from '../../../src/vendors/onerway/machines/operate-record.js';
import { account, holdSettlements, onerway, requestId, settle, simulate } from '../../helpers/onerway.js';
import { control, makeSandbox, describeStores } from '../../helpers/sandbox.js';
import type { Sandbox } from '../../../src/sandbox.js';

type State = 'PROCESSING' | 'ACTIVE' | 'FROZEN' | 'TERMINATED' | 'FAILED';
type ApiEvent = 'FREEZE' | 'UNFREEZE' | 'TERMINATE' | 'DEPOSIT' | 'AUTHORIZE';

const CARD_TABLE = {
  PROCESSING: { CREATE_SUCCEEDED: 'ACTIVE', CREATE_FAILED: 'FAILED' },
  ACTIVE: { FREEZE: 'FROZEN', TERMINATE: 'TERMINATED', DEPOSIT: 'ACTIVE', AUTHORIZE: 'ACTIVE' },
  FROZEN: { UNFREEZE: 'ACTIVE', TERMINATE: 'TERMINATED', DEPOSIT: 'FROZEN' },
  TERMINATED: {},
  FAILED: {},
} as const satisfies Record<State, object>;

const STATES = Object.keys(CARD_TABLE) as State[];
const API_EVENTS: ApiEvent[] = ['FREEZE', 'UNFREEZE', 'TERMINATE', 'DEPOSIT', 'AUTHORIZE'];
const PAIRS = STATES.flatMap((state) =>
  API_EVENTS.map((event) => [state, event, (CARD_TABLE[state] as Partial<Record<string, State>>)[event] ?? 'refused'] as const),
);

/** A fresh sandbox with one card of the default merchant in `state`, holding 100.00 once ACTIVE. */
async function cardIn(state: State) {
  const sb = await makeSandbox();
  const api = onerway(sb);
  if (state === 'PROCESSING') await holdSettlements(sb);
  const clientRequestId = state === 'FAILED' ? 'MACHINE_FAIL' : requestId('CREATE');
  const cardId = (await api.createCard({ clientRequestId, cardholderId: 300001, productId: 1, amount: 100 })).body.data.cardId as number;
  if (state === 'FROZEN' || state === 'TERMINATED')
    await api.operate({ clientRequestId: requestId('SETUP'), cardId, type: state === 'FROZEN' ? 'FREEZE' : 'TERMINATE' });
  await settle(sb);
  expect(await api.cardStatus(cardId)).toBe(state);
  return { sb, api, cardId };
}

/** Sends `event` to the card through the API; answers whether it was accepted. */
async function send(sb: Sandbox, cardId: number, event: ApiEvent): Promise<boolean> {
  const api = onerway(sb);
  if (event === 'AUTHORIZE') return (await simulate(sb, 'authorize', { cardId, amount: 1 }).expect(200)).body.transaction.status === 'approved';
  const res =
    event === 'DEPOSIT'
      ? await api.deposit({ clientRequestId: requestId(event), cardId, amount: 10 })
      : await api.operate({ clientRequestId: requestId(event), cardId, type: event });
  expect(['20000', '40000']).toContain(res.body.respCode);
  return res.body.respCode === '20000';
}

describeStores('onerway card-machine', () => {
  describe('onerway card machine', () => {
    it('has the table these tests drive', () => {
      expect(CARD_MACHINE.table).toEqual(CARD_TABLE);
      expect([...CARD_MACHINE.events].sort()).toEqual([...API_EVENTS, 'CREATE_SUCCEEDED', 'CREATE_FAILED'].sort());
    });

    it.each(PAIRS)('%s + %s → %s', async (state, event, to) => {
      const { sb, api, cardId } = await cardIn(state);
      const records = (await api.records({ cardId })).length;
      expect(await send(sb, cardId, event)).toBe(to !== 'refused');
      await settle(sb);
      expect(await api.cardStatus(cardId)).toBe(to === 'refused' ? state : to);
      const added = event === 'AUTHORIZE' || to === 'refused' ? 0 : 1;
      expect((await api.records({ cardId })).length).toBe(records + added);
      if (added) expect((await api.records({ cardId }))[0].status).toBe('S');
    });

    it('PROCESSING + CREATE_SUCCEEDED: the card stays PROCESSING until its CREATE record settles, then is ACTIVE', async () => {
      const { sb, api, cardId } = await cardIn('PROCESSING');
      await control(sb).advance(59_999);
      expect(await api.cardStatus(cardId)).toBe('PROCESSING');
      await control(sb).advance(1);
      expect(await api.cardStatus(cardId)).toBe('ACTIVE');
      expect((await api.getCardBalance({ cardId })).body.data.balance).toBe(100);
    });

    it('PROCESSING + CREATE_FAILED: a createCard whose clientRequestId ends in _FAIL leaves the card FAILED', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const { body } = await api.createCard({ clientRequestId: 'REQ_X_FAIL', cardholderId: 300001, productId: 1, amount: 100 });
      expect(body.respCode).toBe('20000');
      await settle(sb);
      expect(await api.cardStatus(body.data.cardId)).toBe('FAILED');
      expect(await sb.store.lookup('onerway.cards', 'onerway-default', String(body.data.cardId))).toMatchObject({
        history: [{ from: 'PROCESSING', to: 'FAILED', event: 'CREATE_FAILED' }],
      });
    });

    it("keeps the card's history of transitions in order", async () => {
      const { sb, api, cardId } = await cardIn('ACTIVE');
      for (const type of ['FREEZE', 'UNFREEZE', 'TERMINATE']) await api.operate({ clientRequestId: requestId(type), cardId, type });
      await settle(sb);
      const card = (await sb.store.lookup('onerway.cards', 'onerway-default', String(cardId))) as unknown as { history: Array<{ event: string; to: string }> };
      expect(card.history.map((h) => `${h.event}→${h.to}`)).toEqual(['CREATE_SUCCEEDED→ACTIVE', 'FREEZE→FROZEN', 'UNFREEZE→ACTIVE', 'TERMINATE→TERMINATED']);
    });
  });

  describe('onerway operate-record machine', () => {
    it('has the documented P → S | F table', () => {
      expect(OPERATE_RECORD_MACHINE.table).toEqual({ P: { SUCCEED: 'S', FAIL: 'F' }, S: {}, F: {} });
    });

    it('P → S: a record stays P while settleDelayMs runs and is S once the clock passes it', async () => {
      const { sb, api, cardId } = await cardIn('ACTIVE');
      await holdSettlements(sb);
      await api.operate({ clientRequestId: 'REC_FREEZE', cardId, type: 'FREEZE' });
      expect((await api.records({ clientRequestId: 'REC_FREEZE' }))[0]).toMatchObject({ status: 'P', remark: '' });
      expect(await api.cardStatus(cardId)).toBe('ACTIVE');
      await control(sb).advance(60_000);
      expect((await api.records({ clientRequestId: 'REC_FREEZE' }))[0].status).toBe('S');
      expect(await api.cardStatus(cardId)).toBe('FROZEN');
    });

    it('P → F: a deposit whose clientRequestId ends in _FAIL settles F and returns amount + fee to the merchant', async () => {
      const { sb, api, cardId } = await cardIn('ACTIVE');
      const merchant = (await account(sb, 'merchant:USD')).balance;
      await api.deposit({ clientRequestId: 'REC_DEP_FAIL', cardId, amount: 50 });
      await settle(sb);
      expect((await api.records({ clientRequestId: 'REC_DEP_FAIL' }))[0]).toMatchObject({ status: 'F', remark: expect.stringContaining('_FAIL') });
      expect((await account(sb, 'merchant:USD')).balance).toBe(merchant);
      expect((await api.getCardBalance({ cardId })).body.data.balance).toBe(100);
    });

    it('P → F: of two FREEZEs accepted while the card was ACTIVE, the second settles F with a remark', async () => {
      const { sb, api, cardId } = await cardIn('ACTIVE');
      await holdSettlements(sb);
      expect((await api.operate({ clientRequestId: 'FREEZE_1', cardId, type: 'FREEZE' })).body.respCode).toBe('20000');
      expect((await api.operate({ clientRequestId: 'FREEZE_2', cardId, type: 'FREEZE' })).body.respCode).toBe('20000');
      await control(sb).advance(60_000);
      const [second, first] = await api.records({ type: 'FREEZE' });
      expect(first).toMatchObject({ clientRequestId: 'FREEZE_1', status: 'S', remark: '' });
      expect(second).toMatchObject({ clientRequestId: 'FREEZE_2', status: 'F', remark: 'Card status FROZEN does not allow FREEZE' });
      expect(await api.cardStatus(cardId)).toBe('FROZEN');
    });

    it('P → F: a deposit queued behind a TERMINATE settles F and its money goes back to the merchant', async () => {
      const { sb, api, cardId } = await cardIn('ACTIVE');
      await holdSettlements(sb);
      const merchant = (await account(sb, 'merchant:USD')).balance;
      await api.operate({ clientRequestId: 'Q_TERM', cardId, type: 'TERMINATE' });
      await api.deposit({ clientRequestId: 'Q_DEP', cardId, amount: 40 });
      await control(sb).advance(60_000);
      expect((await api.records({ clientRequestId: 'Q_DEP' }))[0]).toMatchObject({ status: 'F', remark: 'Card status TERMINATED does not allow DEPOSIT' });
      expect((await account(sb, 'merchant:USD')).balance).toBe(merchant + 10_000);
      expect((await account(sb, 'transit:USD')).balance).toBe(0);
    });

    it('settles a deposit queued before a TERMINATE first, so the terminated balance includes it', async () => {
      const { sb, api, cardId } = await cardIn('ACTIVE');
      await holdSettlements(sb);
      const merchant = (await account(sb, 'merchant:USD')).balance;
      await api.deposit({ clientRequestId: 'D_FIRST', cardId, amount: 40 });
      await api.operate({ clientRequestId: 'T_SECOND', cardId, type: 'TERMINATE' });
      await control(sb).advance(60_000);
      expect((await api.records({ cardId })).slice(0, 2).map((r) => r.status)).toEqual(['S', 'S']);
      expect((await account(sb, 'merchant:USD')).balance).toBe(merchant - 40 /* fee */ + 10_000);
      expect((await api.getCardBalance({ cardId })).body.data.balance).toBe(0);
    });
  });
});

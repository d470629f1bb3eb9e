/**
 * The card machine (src/vendors/finext/machines/card.ts), driven pair by pair through HTTP and the
 * network simulation. The expected table is restated here, so a change on either side shows.
 * KYC_APPROVED and MAIL come only from the KYC review and the mailing job (kyc-machine.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { CARD_MACHINE } from '../../../src/vendors/finext/machines/card.js';
import type { Sandbox } from '../../../src/sandbox.js';
import {
  LILI111,
  LILI111_SECOND,
  LILI12,
  MERCHANT,
  activeCard,
  deliveries,
  finext,
  ledger,
  mailedCard,
  newAccount,
  setSettings,
  settle,
  simulate,
  storedCard,
  submitKyc,
} from '../../helpers/finext.js';
import { makeSandbox, describeStores } from '../../helpers/sandbox.js';

const CARD_TABLE = {
  AWAITING_KYC: { KYC_APPROVED: 'PREPARING' },
  PREPARING: { MAIL: 'MAILED' },
  MAILED: { ACTIVATE: 'ACTIVE', BLOCK: 'BLOCKED', REPORT_ISSUE: 'CARD_ISSUE' },
  ACTIVE: { BLOCK: 'BLOCKED', REPORT_ISSUE: 'CARD_ISSUE', CANCEL: 'CANCELLED', BALANCE: 'ACTIVE', TOPUP: 'ACTIVE', AUTHORIZE: 'ACTIVE' },
  BLOCKED: { REPLACE: 'REPLACED', CANCEL: 'CANCELLED' },
  CARD_ISSUE: { REPLACE: 'REPLACED' },
  CANCELLED: {},
  REPLACED: {},
} as const;

type State = keyof typeof CARD_TABLE;
type ApiEvent = 'ACTIVATE' | 'BLOCK' | 'REPORT_ISSUE' | 'REPLACE' | 'CANCEL' | 'BALANCE' | 'TOPUP' | 'AUTHORIZE';

const OP_STATUS: Record<State, number> = { AWAITING_KYC: 0, PREPARING: 22, MAILED: 10, ACTIVE: 6, BLOCKED: 8, CARD_ISSUE: 11, CANCELLED: 9, REPLACED: 12 };
/** The op_status values the Card Status Notification documents: a move to any other sends none (INFERRED). */
const NOTIFIED = [22, 10, 6, 8];
const STATES = Object.keys(CARD_TABLE) as State[];
const API_EVENTS: ApiEvent[] = ['ACTIVATE', 'BLOCK', 'REPORT_ISSUE', 'REPLACE', 'CANCEL', 'BALANCE', 'TOPUP', 'AUTHORIZE'];
const PAIRS = STATES.flatMap((state) =>
  API_EVENTS.map((event) => [state, event, (CARD_TABLE[state] as Partial<Record<string, State>>)[event] ?? 'refused'] as const),
);

interface CardRef {
  username: string;
  card_id: string;
  kit_number: string;
}

/** Sends `event` to the card; answers whether it was accepted (10200, or an approved authorization). */
async function send(sb: Sandbox, card: CardRef, event: ApiEvent): Promise<boolean> {
  if (event === 'AUTHORIZE')
    return (await simulate(sb, 'authorize', { cardId: card.kit_number, amount: '1.00' }).expect(200)).body.transaction.status === 'approved';
  const api = finext(sb);
  const { username, card_id, kit_number } = card;
  const res = {
    ACTIVATE: () => api.call('activeCard', { username, kit_number, pin: '1234' }),
    BLOCK: () => api.call('modifyOpStatus', { username, card_id, op_status: 11, op_cause_type: 1 }),
    REPORT_ISSUE: () => api.call('modifyOpStatus', { username, card_id, op_status: 11, op_cause_type: 2 }),
    REPLACE: () => api.call('replaceCard', { username, kit_number, replace: 1 }),
    CANCEL: () => api.call('cancelCard', { username, kit_number }),
    BALANCE: () => api.call('balance', { username, kit_number }),
    TOPUP: () => api.topup(username, kit_number, '5.00'),
  }[event];
  const { body } = await res();
  expect([10200, 10409]).toContain(body.code);
  return body.code === 10200;
}

/** A fresh card of a new account of the default merchant in `state`; an active one holds 20.00 less the 0.20 fee. */
async function cardIn(state: State) {
  const sb = await makeSandbox();
  let card: CardRef;
  if (state === 'AWAITING_KYC') card = await newAccount(sb);
  else if (state === 'PREPARING') {
    await setSettings(sb, { mailDelayMs: 3_600_000 });
    card = await newAccount(sb);
    await submitKyc(sb, card.username);
    await settle(sb);
  } else if (state === 'MAILED') card = await mailedCard(sb);
  else {
    card = await activeCard(sb);
    await finext(sb).topup(card.username, card.kit_number, '20.00');
    const setup: Partial<Record<State, ApiEvent[]>> = {
      BLOCKED: ['BLOCK'],
      CARD_ISSUE: ['REPORT_ISSUE'],
      CANCELLED: ['CANCEL'],
      REPLACED: ['BLOCK', 'REPLACE'],
    };
    for (const event of setup[state] ?? []) expect(await send(sb, card, event)).toBe(true);
  }
  await settle(sb);
  expect(await finext(sb).opStatus(card.username, card.card_id)).toBe(OP_STATUS[state]);
  return { sb, card };
}

/** The op_status values of the Card Status webhooks sent for this card. */
const statusEvents = async (sb: Sandbox, cardId: string) =>
  (await deliveries(sb, 'card_status'))
    .map((d) => JSON.parse(d.body) as { card_ids: string[]; op_status: number })
    .filter((e) => e.card_ids.includes(cardId))
    .map((e) => e.op_status);

describeStores('finext card-machine', () => {
  describe('finext card machine', () => {
    it('has the table these tests drive', () => {
      expect(CARD_MACHINE.table).toEqual(CARD_TABLE);
      expect([...CARD_MACHINE.events].sort()).toEqual([...API_EVENTS, 'KYC_APPROVED', 'MAIL'].sort());
    });

    it.each(PAIRS)('%s + %s → %s', async (state, event, to) => {
      const { sb, card } = await cardIn(state);
      const sent = (await statusEvents(sb, card.card_id)).length;
      expect(await send(sb, card, event)).toBe(to !== 'refused');
      await settle(sb);
      const after = to === 'refused' ? state : to;
      expect(await finext(sb).opStatus(card.username, card.card_id)).toBe(OP_STATUS[after]);
      expect((await storedCard(sb, card.card_id)).state).toBe(after);
      expect((await statusEvents(sb, card.card_id)).slice(sent)).toEqual(after === state || !NOTIFIED.includes(OP_STATUS[after]) ? [] : [OP_STATUS[after]]);
    });
  });

  describe('finext card/modifyOpStatus', () => {
    it.each([
      [1, 'Stolen/Lost', 8],
      [8, 'Fraud', 8],
      [2, 'Damaged', 11],
      [5, 'Activation Issue', 11],
      [6, 'Reset PIN issue', 11],
      [7, 'Delivery Issue', 11],
    ])('moves an active card for cause %i (%s) to op_status %i', async (op_cause_type, _name, opStatus) => {
      const sb = await makeSandbox();
      const fraud = { issue_transaction_id: 'TX123', issue_date: '2026-02-27', issue_amount: '99.00', issue_merchant: 'SHOP', issue_text: 'not me' };
      const res = await finext(sb).call('modifyOpStatus', { username: LILI12.username, card_id: LILI12.card_id, op_status: 11, op_cause_type, ...fraud });
      expect(res.body).toEqual({ code: 10200, msg: 'ok' });
      expect(await finext(sb).opStatus(LILI12.username, LILI12.card_id)).toBe(opStatus);
      expect(await sb.store.lookup('finext.cards', MERCHANT.tenant, LILI12.card_id)).toMatchObject({ opCause: op_cause_type });
    });

    it.each(['issue_transaction_id', 'issue_date', 'issue_amount', 'issue_merchant', 'issue_text'])(
      'answers 10400 naming %s when cause 8 (Fraud) comes without it',
      async (field) => {
        const sb = await makeSandbox();
        const fraud: Record<string, unknown> = {
          issue_transaction_id: 'TX123',
          issue_date: '2026-02-27',
          issue_amount: '99.00',
          issue_merchant: 'SHOP',
          issue_text: 'not me',
          [field]: undefined,
        };
        const res = await finext(sb).call('modifyOpStatus', { username: LILI12.username, card_id: LILI12.card_id, op_status: 11, op_cause_type: 8, ...fraud });
        expect(res.body).toEqual({ code: 10400, msg: `parameter error: ${field} is required when op_cause_type is 8 (Fraud)` });
        expect(await finext(sb).opStatus(LILI12.username, LILI12.card_id)).toBe(6);
      },
    );

    it('answers 10400 naming issue_text when cause 8 sends it empty', async () => {
      const sb = await makeSandbox();
      const fraud = { issue_transaction_id: 'TX123', issue_date: '2026-02-27', issue_amount: '99.00', issue_merchant: 'SHOP', issue_text: '' };
      const res = await finext(sb).call('modifyOpStatus', { username: LILI12.username, card_id: LILI12.card_id, op_status: 11, op_cause_type: 8, ...fraud });
      expect(res.body.msg).toBe('parameter error: issue_text is required when op_cause_type is 8 (Fraud)');
    });

    it.each([
      ['op_status', 8],
      ['op_status', '11'],
      ['op_cause_type', 3],
      ['op_cause_type', 0],
    ])('answers 10400 naming %s when it is %j', async (field, value) => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('modifyOpStatus', {
        username: LILI12.username,
        card_id: LILI12.card_id,
        op_status: 11,
        op_cause_type: 1,
        [field]: value,
      });
      expect(res.body.code).toBe(10400);
      expect(res.body.msg).toContain(field);
    });

    it("answers 10404 for the card_id of another account (lili111's card sent as lili12's)", async () => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('modifyOpStatus', { username: LILI12.username, card_id: LILI111.card_id, op_status: 11, op_cause_type: 1 });
      expect(res.body).toEqual({ code: 10404, msg: 'card not found' });
      expect(await finext(sb).opStatus(LILI111.username, LILI111.card_id)).toBe(6);
    });
  });

  describe('finext card/replace', () => {
    it.each([
      ['BLOCKED', 1],
      ['CARD_ISSUE', 2],
    ] as const)('with replace 1 from %s retires the card (12) and issues a new one at 22 holding the balance', async (_state, op_cause_type) => {
      const sb = await makeSandbox();
      const api = finext(sb);
      await setSettings(sb, { mailDelayMs: 3_600_000 });
      await api.ok('modifyOpStatus', { username: LILI111.username, card_id: LILI111.card_id, op_status: 11, op_cause_type });
      const data = await api.ok('replaceCard', { username: LILI111.username, kit_number: LILI111.kit_number, replace: 1 });
      expect(data).toEqual({ card_id: expect.stringMatching(/^[0-9a-f]{32}$/), kit_number: '2000000003' });
      expect(await api.cards(LILI111.username)).toEqual([
        { card_id: LILI111.card_id, kit_number: LILI111.kit_number, op_status: 12, card_type: 1, card_level: 1, balance: '0.00' },
        { card_id: LILI111_SECOND.card_id, kit_number: LILI111_SECOND.kit_number, op_status: 6, card_type: 1, card_level: 1, balance: '0.00' },
        { card_id: data.card_id, kit_number: '2000000003', op_status: 22, card_type: 1, card_level: 1, balance: '10.22' },
      ]);
      expect((await storedCard(sb, data.card_id)).replaces).toBe(LILI111.card_id);
    });

    it('with replace 2 (refuse) leaves a blocked card blocked and issues nothing', async () => {
      const sb = await makeSandbox();
      const api = finext(sb);
      await api.ok('modifyOpStatus', { username: LILI111.username, card_id: LILI111.card_id, op_status: 11, op_cause_type: 1 });
      const sent = (await deliveries(sb, 'card_status')).length;
      expect((await api.call('replaceCard', { username: LILI111.username, kit_number: LILI111.kit_number, replace: 2 })).body).toEqual({
        code: 10200,
        msg: 'ok',
      });
      expect((await api.cards(LILI111.username)).map((c) => c.op_status)).toEqual([8, 6]);
      expect(await deliveries(sb, 'card_status')).toHaveLength(sent);
    });

    it('answers 10409 to replace 2 on an active card, as to replace 1', async () => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('replaceCard', { username: LILI111.username, kit_number: LILI111.kit_number, replace: 2 });
      expect(res.body.code).toBe(10409);
      expect(res.body.msg).toContain('does not allow REPLACE');
    });

    it('answers 10400 for replace 3', async () => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('replaceCard', { username: LILI111.username, kit_number: LILI111.kit_number, replace: 3 });
      expect(res.body.code).toBe(10400);
      expect(res.body.msg).toContain('replace');
    });
  });

  describe('finext card/cancel', () => {
    it.each([
      ['ACTIVE', []],
      ['BLOCKED', [1]],
    ] as const)('cancels an %s card (→ 9) and returns its balance to the merchant', async (_state, causes) => {
      const sb = await makeSandbox();
      const api = finext(sb);
      for (const op_cause_type of causes)
        await api.ok('modifyOpStatus', { username: LILI111.username, card_id: LILI111.card_id, op_status: 11, op_cause_type });
      const before = await ledger(sb);
      expect((await api.call('cancelCard', { username: LILI111.username, kit_number: LILI111.kit_number })).body).toEqual({ code: 10200, msg: 'ok' });
      expect(await api.opStatus(LILI111.username, LILI111.card_id)).toBe(9);
      expect((await ledger(sb))[`card:${LILI111.card_id}`]).toBe(0);
      expect((await ledger(sb))['merchant:USD']).toBe(before['merchant:USD'] + 1022);
    });

    it('answers 10404 for a kit_number the account does not have', async () => {
      const sb = await makeSandbox();
      expect((await finext(sb).call('cancelCard', { username: LILI12.username, kit_number: LILI111_SECOND.kit_number })).body).toEqual({
        code: 10404,
        msg: 'card not found',
      });
    });
  });

  describe('finext card/active', () => {
    it.each(['123', '12345', 'abcd', 1234])('answers 10400 naming pin when it is %j (not 4 digits)', async (pin) => {
      const sb = await makeSandbox();
      const card = await mailedCard(sb);
      const res = await finext(sb).call('activeCard', { username: card.username, kit_number: card.kit_number, pin });
      expect(res.body.code).toBe(10400);
      expect(res.body.msg).toContain('pin');
      expect(await finext(sb).opStatus(card.username, card.card_id)).toBe(10);
    });

    it("answers 10404 for a kit_number that is not the account's", async () => {
      const sb = await makeSandbox();
      const card = await mailedCard(sb);
      const res = await finext(sb).call('activeCard', { username: card.username, kit_number: LILI12.kit_number, pin: '1234' });
      expect(res.body).toEqual({ code: 10404, msg: 'card not found' });
    });
  });

  describe('finext card/balance', () => {
    it('answers lili111\'s balance as the string "10.22"', async () => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('balance', { username: LILI111.username, kit_number: LILI111.kit_number });
      expect(res.body).toEqual({ code: 10200, msg: 'ok', data: { balance: '10.22' } });
    });

    it('answers 10404 for a kit_number the merchant has not issued', async () => {
      const sb = await makeSandbox();
      expect((await finext(sb).call('balance', { username: LILI111.username, kit_number: '2999999999' })).body).toEqual({ code: 10404, msg: 'card not found' });
    });
  });
});

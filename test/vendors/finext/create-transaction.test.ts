/**
 * Finext card/createTransaction [DOC: create-card-transaction, "Only development is available"]: a
 * transaction written on a card as the network would, which moves the balance, is listed, and is sent
 * as a New Card Transaction Notification; the no-user sign form.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox.js';
import {
  AUTHORIZATION,
  LILI111,
  LILI111_SECOND,
  LILI12_MAILED,
  MERCHANT,
  SECOND,
  SIGN,
  finext,
  ledger,
  md5,
  simulate,
  type Merchant,
} from '../../helpers/finext.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { control, expectContract, makeSandbox, describeStores } from '../../helpers/sandbox.js';

/** The docs' example, verbatim. */
const EXAMPLE = {
  api_key: 'ac97c403062e94a094131aa332df6458',
  request_id: '8328849454b64a82b113cdf2ce489651',
  timestamp: '1700562785998',
  kit_number: '2000001791317913',
  category: 'CR TOP-UP',
  amount: '14.13',
  origin_type: 1,
  origin_id: '',
  sign: 'd3ef835ee52e8e36927aea60aebf2a59',
};

/** The categories the sandbox writes (README, transactions.ts): CR credits the card, DR debits it. */
const CATEGORIES = ['CR TOP-UP', 'DR FEE', 'DR POS', 'CR REVERSAL', 'CR REFUND', 'CR ADJUSTMENT', 'DR ADJUSTMENT'];

const create = (sb: Sandbox, fields: Record<string, unknown>, merchant: Merchant = MERCHANT) =>
  finext(sb, merchant).call('createTransaction', {
    kit_number: LILI111.kit_number,
    category: 'CR REFUND',
    amount: '5.00',
    origin_type: 1,
    origin_id: '',
    ...fields,
  });

const lili111Balance = (sb: Sandbox) => finext(sb).balance(LILI111.username, LILI111.kit_number);

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describeStores('finext create-transaction', () => {
  describe('finext card/createTransaction: the documented example', () => {
    it('is signed in the no-user form: MD5(api_key + timestamp + secret + request_id) gives the documented sign', () => {
      expect(SIGN.none({ api_key: EXAMPLE.api_key, timestamp: EXAMPLE.timestamp, secret: SECOND.secret, request_id: EXAMPLE.request_id })).toBe(EXAMPLE.sign);
    });

    it('answers {"code":10200,"msg":"ok"} sent verbatim at its timestamp, and credits kit 2000001791317913 with "+14.13" CR TOP-UP', async () => {
      const sb = await makeSandbox();
      await control(sb)
        .post('/clock', { now: Number(EXAMPLE.timestamp) })
        .expect(200);
      const res = await request(sb.app).post('/api/v1/card/createTransaction').set('authorization', AUTHORIZATION).send(EXAMPLE);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ code: 10200, msg: 'ok' });
      expectContract('finext/createTransaction.response', res.body);
      const { list } = await finext(sb, SECOND).transactions();
      expect(list).toEqual([
        expect.objectContaining({
          kit_number: EXAMPLE.kit_number,
          amount: '+14.13',
          category: 'CR TOP-UP',
          transaction_status: 1,
          origin_type: 1,
          timestamp: Number(EXAMPLE.timestamp),
          txn_date: '2023-11-21',
        }),
      ]);
      expect(list[0].origin_id).toBe(list[0].transaction_id);
      expect(Object.values(await ledger(sb, SECOND)).filter((b) => b === 1413)).toHaveLength(1);
    });
  });

  describe('finext card/createTransaction: what it feeds', () => {
    it('sends the New Card Transaction Notification, signed, to a real receiver', async () => {
      receiver = await startReceiver();
      receiver.respondWith(200, '{"code":10200,"msg":"ok"}');
      const sb = await makeSandbox();
      await control(sb)
        .patch(`/tenants/${MERCHANT.tenant}`, { webhookUrls: { new_card_transaction: receiver.url } })
        .expect(200);
      expect((await create(sb, { category: 'CR REFUND', amount: '2.50' })).body).toEqual({ code: 10200, msg: 'ok' });
      const [hook] = await receiver.waitFor(1);
      expectContract('finext/webhook.newCardTransaction', hook.json);
      expect(hook.json.sign).toBe(md5(MERCHANT.api_key + hook.json.timestamp + MERCHANT.secret + hook.json.request_id));
      expect(hook.json.transactions).toEqual([
        expect.objectContaining({ kit_number: LILI111.kit_number, amount: '+2.50', category: 'CR REFUND', origin_type: 1 }),
      ]);
    });

    it('moves the balance: 10.22 + 5.00 CR REFUND − 1.25 DR FEE = "13.97"', async () => {
      const sb = await makeSandbox();
      await create(sb, { category: 'CR REFUND', amount: '5.00' });
      await create(sb, { category: 'DR FEE', amount: '1.25' });
      expect(await lili111Balance(sb)).toBe('13.97');
      expect((await finext(sb).transactions()).list.map((t) => [t.category, t.amount])).toEqual([
        ['CR REFUND', '+5.00'],
        ['DR FEE', '-1.25'],
      ]);
    });

    it('ties a secondary transaction (origin_type 2) to its original by origin_id', async () => {
      const sb = await makeSandbox();
      await create(sb, { category: 'DR POS', amount: '3.00' });
      const [pos] = (await finext(sb).transactions()).list;
      expect((await create(sb, { category: 'DR FEE', amount: '0.30', origin_type: 2, origin_id: pos.transaction_id })).body.code).toBe(10200);
      const [, fee] = (await finext(sb).transactions()).list;
      expect(fee).toMatchObject({ category: 'DR FEE', amount: '-0.30', origin_type: 2, origin_id: pos.transaction_id });
      expect(await lili111Balance(sb)).toBe('6.92');
    });

    it('takes a card named by its card_id, as the network does, and lists the transaction under its kit_number', async () => {
      const sb = await makeSandbox();
      expect((await create(sb, { kit_number: LILI111.card_id })).body).toEqual({ code: 10200, msg: 'ok' });
      expect((await finext(sb).transactions()).list.map((t) => [t.kit_number, t.category, t.amount])).toEqual([[LILI111.kit_number, 'CR REFUND', '+5.00']]);
      expect(await lili111Balance(sb)).toBe('15.22');
    });

    it.each(CATEGORIES)('accepts the category %s, crediting CR and debiting DR', async (category) => {
      const sb = await makeSandbox();
      expect((await create(sb, { category, amount: '1.00' })).body).toEqual({ code: 10200, msg: 'ok' });
      expect(await lili111Balance(sb)).toBe(category.startsWith('CR ') ? '11.22' : '9.22');
    });

    it('accepts every category the sandbox itself writes for top-ups and network events', async () => {
      const sb = await makeSandbox();
      const api = finext(sb);
      await api.ok('topup', { username: LILI111.username, kit_number: LILI111.kit_number, amount: '5.00', transaction_id: 'CATALOGUE-TOPUP-0000000001' });
      const auth = await simulate(sb, 'authorize', { cardId: LILI111.kit_number, amount: '4.00' }).expect(200);
      await simulate(sb, 'reverse', { cardId: LILI111.kit_number, transactionId: auth.body.transaction.id, amount: '1.00' }).expect(200);
      const clearing = await simulate(sb, 'clear', { cardId: LILI111.kit_number, transactionId: auth.body.transaction.id, amount: '2.00' }).expect(200);
      await simulate(sb, 'refund', { cardId: LILI111.kit_number, transactionId: clearing.body.transaction.id, amount: '0.50' }).expect(200);
      const written = [...new Set((await api.transactions()).list.map((t) => t.category))];
      expect(written.length).toBeGreaterThanOrEqual(5);
      for (const category of written) expect((await create(sb, { category, amount: '0.01' })).body, category).toEqual({ code: 10200, msg: 'ok' });
    });
  });

  describe('finext card/createTransaction: refusals change nothing', () => {
    it.each([
      ['an unknown category', 10400, 'category', { category: 'CR BONUS' }],
      ['a category in lower case', 10400, 'category', { category: 'cr top-up' }],
      ['no category', 10400, 'category', { category: undefined }],
      ['amount 0', 10400, 'amount', { amount: '0' }],
      ['a negative amount', 10400, 'amount', { amount: '-1.00' }],
      ['3 decimal places', 10400, 'amount', { amount: '1.234' }],
      ['an amount that is not a number', 10400, 'amount', { amount: 'ten' }],
      ['an amount sent as a JSON number', 10400, 'amount', { amount: 5 }],
      ['origin_type 3', 10400, 'origin_type', { origin_type: 3 }],
      ['no origin_id', 10400, 'origin_id', { origin_id: undefined }],
      ['origin_type 2 with an empty origin_id', 10400, 'origin_id', { origin_type: 2, origin_id: '' }],
      ['origin_type 2 naming no transaction', 10404, 'origin_id', { origin_type: 2, origin_id: 'FX999999999999' }],
      ['an unknown kit_number', 10404, 'kit_number', { kit_number: '9999999999' }],
      ['a debit beyond the balance (10.22)', 10410, 'card:', { category: 'DR POS', amount: '10.23' }],
    ] as const)('answers %s with %i, its diagnostic naming %s', async (_case, code, named, fields) => {
      const sb = await makeSandbox();
      const before = await ledger(sb);
      const res = await create(sb, fields);
      expect(res.body.code).toBe(code);
      expect(res.headers['x-sandbox-diagnostic']).toContain(named);
      expect(await ledger(sb)).toEqual(before);
      expect((await finext(sb).transactions()).list).toEqual([]);
    });

    it("answers 10404 for a kit_number only the second merchant holds, sent with the first merchant's keys", async () => {
      const sb = await makeSandbox();
      // The docs give kit 2000001791317913 to both merchants; frfrfr's 2000001785317853 is the second's alone.
      expect((await create(sb, { kit_number: '2000001785317853' })).body).toEqual({ code: 10404, msg: 'card not found' });
    });

    it("answers 10404 for an origin_id naming another card's transaction", async () => {
      const sb = await makeSandbox();
      await create(sb, { kit_number: LILI111_SECOND.kit_number, amount: '1.00' });
      const [other] = (await finext(sb).transactions()).list;
      const res = await create(sb, { category: 'DR FEE', amount: '0.10', origin_type: 2, origin_id: other.transaction_id });
      expect(res.body.code).toBe(10404);
      expect(res.headers['x-sandbox-diagnostic']).toContain(`origin_id ${other.transaction_id} names no transaction of card ${LILI111.kit_number}`);
      expect((await finext(sb).transactions()).total).toBe(1);
    });

    it('answers 10409 for kit 111111 once both of its cards have been activated', async () => {
      const sb = await makeSandbox();
      await finext(sb).ok('activeCard', { username: LILI12_MAILED.username, kit_number: LILI12_MAILED.kit_number, pin: '1213' });
      const res = await create(sb, {});
      expect(res.body.code).toBe(10409);
      expect(res.headers['x-sandbox-diagnostic']).toContain(`two activated cards with kit_number ${LILI111.kit_number}`);
    });

    it('answers 10409 on a blocked card', async () => {
      const sb = await makeSandbox();
      await finext(sb).ok('modifyOpStatus', { username: LILI111.username, card_id: LILI111.card_id, op_status: 11, op_cause_type: 1 });
      expect((await create(sb, {})).body.code).toBe(10409);
    });

    it('answers 10401 to a request signed in the user form, naming the no-user form', async () => {
      const sb = await makeSandbox();
      const timestamp = String(sb.clock.now());
      const request_id = 'ab'.repeat(16);
      const sign = SIGN.user({ api_key: MERCHANT.api_key, username: LILI111.username, timestamp, secret: MERCHANT.secret, request_id });
      const res = await create(sb, { username: LILI111.username, timestamp, request_id, sign });
      expect(res.body).toEqual({ code: 10401, msg: 'sign error' });
      expect(res.headers['x-sandbox-diagnostic']).toContain('no-user form');
    });
  });
});

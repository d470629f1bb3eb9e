/**
 * Finext card/getTopupTransaction [DOC: get-topup-status]: one top-up of a card by transaction_id or
 * transaction_hash, user-form sign; `status` is the receive status (1 success, 2 fail), `card_status`
 * the card side (1 pending, 2 success, 3 fail), `top_up_method` 3 on chain or 5 through the API.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox.js';
import { AUTHORIZATION, LILI111, LILI12, SECOND, SIGN, finext, setSettings, transactionId } from '../../helpers/finext.js';
import { T0, control, expectContract, makeSandbox, describeStores } from '../../helpers/sandbox.js';

/** The docs' example, verbatim. */
const EXAMPLE = {
  api_key: 'ac97c403062e94a094131aa332df6458',
  request_id: '4a72be58c71d49ebaaaab8a7894c8e1e',
  timestamp: '1722238541353',
  username: 'frfrfr',
  kit_number: '2000001785317853',
  transaction_id: 'e25ff5a4f219456ab79504dafb480dbb',
  transaction_hash: '53a49700738721ed4f3dd49b324f350b2f1e417b4b1c6b2dc96d9bff55dc6691',
  sign: '7a9db29e07f205be4c07e0a07ef6e736',
};

/** The docs' answer as far as the page shows it (it is cut after transaction_…). */
const EXAMPLE_DATA = { amount: '48.29', status: 1, token_type: 'USDT', card_status: 1, top_up_method: 3, token_amount: '50', time: 1721901242605 };

const HOUR = 3_600_000;
const status = (sb: Sandbox, fields: Record<string, unknown>) =>
  finext(sb).call('getTopupTransaction', { username: LILI111.username, kit_number: LILI111.kit_number, ...fields });

async function topup(sb: Sandbox, amount: string): Promise<string> {
  const transaction_id = transactionId();
  await finext(sb).ok('topup', { username: LILI111.username, kit_number: LILI111.kit_number, amount, transaction_id });
  return transaction_id;
}

describeStores('finext get-topup-status', () => {
  describe('finext card/getTopupTransaction: the documented example', () => {
    it('is signed in the user form: the documented sign', () => {
      expect(
        SIGN.user({
          api_key: EXAMPLE.api_key,
          username: EXAMPLE.username,
          timestamp: EXAMPLE.timestamp,
          secret: SECOND.secret,
          request_id: EXAMPLE.request_id,
        }),
      ).toBe(EXAMPLE.sign);
    });

    it('answers the documented top-up sent verbatim at its timestamp: 48.29 received as 50 USDT on chain, pending on the card', async () => {
      const sb = await makeSandbox();
      await control(sb)
        .post('/clock', { now: Number(EXAMPLE.timestamp) })
        .expect(200);
      const res = await request(sb.app).post('/api/v1/card/getTopupTransaction').set('authorization', AUTHORIZATION).send(EXAMPLE);
      expect(res.status).toBe(200);
      expectContract('finext/getTopupTransaction.response', res.body);
      expect(res.body).toEqual({
        code: 10200,
        msg: 'ok',
        data: { ...EXAMPLE_DATA, transaction_id: EXAMPLE.transaction_id, transaction_hash: EXAMPLE.transaction_hash },
      });
      expect(Object.keys(res.body.data).slice(0, 7)).toEqual(Object.keys(EXAMPLE_DATA));
    });

    it('finds the same top-up by its transaction_hash alone', async () => {
      const sb = await makeSandbox();
      const data = await finext(sb, SECOND).ok('getTopupTransaction', {
        username: EXAMPLE.username,
        kit_number: EXAMPLE.kit_number,
        transaction_hash: EXAMPLE.transaction_hash,
      });
      expect(data).toMatchObject({ ...EXAMPLE_DATA, transaction_id: EXAMPLE.transaction_id });
    });
  });

  describe('finext card/getTopupTransaction: top-ups made through the API (method 5)', () => {
    it('reports a pending top-up as card_status 1, then 2 once it settles', async () => {
      const sb = await makeSandbox();
      await setSettings(sb, { topupSettleDelayMs: HOUR });
      const transaction_id = await topup(sb, '10.22');
      const pending = (await status(sb, { transaction_id })).body.data;
      expect(pending).toEqual({ amount: '10.22', status: 1, card_status: 1, top_up_method: 5, time: T0, transaction_id });
      await control(sb).advance(HOUR);
      expect((await status(sb, { transaction_id })).body.data).toEqual({ ...pending, card_status: 2 });
    });

    it.each([
      ['20.91', 2],
      ['20.92', 1],
      ['20.93', 1],
    ])('reports a top-up of %s that failed as card_status 3, receive status %i', async (amount, received) => {
      const sb = await makeSandbox();
      const transaction_id = await topup(sb, amount);
      expect((await status(sb, { transaction_id })).body.data).toMatchObject({ amount, status: received, card_status: 3, top_up_method: 5 });
    });
  });

  describe('finext card/getTopupTransaction: refusals', () => {
    it('answers 10400 naming transaction_id when neither it nor transaction_hash is sent', async () => {
      const sb = await makeSandbox();
      const res = await status(sb, {});
      expect(res.body).toEqual({ code: 10400, msg: 'parameter error: transaction_id is required when transaction_hash is not set' });
    });

    it.each([
      ['an unknown transaction_id', { transaction_id: 'NO-SUCH-TOPUP-000000001' }],
      ['a transaction_hash the top-up does not have', { transaction_hash: 'ab'.repeat(32) }],
    ])('answers 10404 for %s', async (_case, fields) => {
      const sb = await makeSandbox();
      const res = await status(sb, fields);
      expect(res.body).toEqual({ code: 10404, msg: 'not found: top-up not found' });
      expect(res.headers['x-sandbox-diagnostic']).toContain(LILI111.kit_number);
    });

    it('answers 10404 for a top-up of another card of the merchant', async () => {
      const sb = await makeSandbox();
      const transaction_id = await topup(sb, '10.00');
      const res = await finext(sb).call('getTopupTransaction', { username: LILI12.username, kit_number: LILI12.kit_number, transaction_id });
      expect(res.body.code).toBe(10404);
    });

    it('answers 10404 when the transaction_id and the transaction_hash name different top-ups', async () => {
      const sb = await makeSandbox();
      const res = await finext(sb, SECOND).call('getTopupTransaction', {
        username: EXAMPLE.username,
        kit_number: EXAMPLE.kit_number,
        transaction_id: 'OTHER-TOPUP-0000000000001',
        transaction_hash: EXAMPLE.transaction_hash,
      });
      expect(res.body.code).toBe(10404);
    });

    it('answers 10400 naming transaction_id for one of 19 characters', async () => {
      const sb = await makeSandbox();
      const res = await status(sb, { transaction_id: 'x'.repeat(19) });
      expect(res.body.code).toBe(10400);
      expect(res.body.msg).toContain('transaction_id');
    });
  });
});

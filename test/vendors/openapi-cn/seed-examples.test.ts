/** Seed 000: both card/freeze examples, posted exactly as written, freeze the example cards. */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../../src/vendors/openapi-cn/card-model.js';
import { MERCHANT, SECOND, SEED_EXAMPLES, openapi } from '../../helpers/openapi-cn.js';
import { expectContract, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const FROZEN = 2;

describeStores('openapi-cn seed-examples', () => {
  describe('openapi-cn seed 000 card/freeze examples', () => {
    it.each(SEED_EXAMPLES)('answers exactly {"code":0,"message":"success"} to the example for card $card_id', async (example) => {
      const sb = await makeSandbox();
      const res = await request(sb.app).post('/v1/openApi/card/freeze').set('Content-Type', 'application/json').send(JSON.stringify(example));
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"code":0,"message":"success"}');
      expectContract('openapi-cn/cardFreeze.response', res.body);
    });

    it.each([
      { merchant: MERCHANT, cardId: SEED_EXAMPLES[1].card_id },
      { merchant: SECOND, cardId: SEED_EXAMPLES[0].card_id },
    ])('leaves the example card $cardId FROZEN, with its freeze in the history', async ({ merchant, cardId }) => {
      const sb = await makeSandbox();
      const example = SEED_EXAMPLES.find((e) => e.card_id === cardId)!;
      await request(sb.app).post('/v1/openApi/card/freeze').send(example).expect(200);
      expect((await openapi(sb, merchant).ok('cardDetail', '/card/detail', { card_id: cardId })).card_status).toBe(FROZEN);
      const stored = (await sb.store.lookup('openapi-cn.cards', merchant.tenant, cardId)) as Card;
      expect(stored.history.at(-1)).toMatchObject({ from: 'ACTIVE', to: 'FROZEN', event: 'FREEZE' });
    });

    it('seeds each example card as an ACTIVE physical USD card on bin_p_usd with a balance', async () => {
      const sb = await makeSandbox();
      for (const [merchant, example] of [
        [SECOND, SEED_EXAMPLES[0]],
        [MERCHANT, SEED_EXAMPLES[1]],
      ] as const) {
        const card = await openapi(sb, merchant).ok('cardDetail', '/card/detail', { card_id: example.card_id });
        expect(card).toMatchObject({ card_id: example.card_id, card_type: 2, card_status: 1, bin_id: 'bin_p_usd', currency: 'USD', balance: '50.00' });
      }
    });

    it('answers the examples under /openapi-cn and any v<n> version alike', async () => {
      const sb = await makeSandbox();
      const res = await request(sb.app).post('/openapi-cn/v2/openApi/card/freeze').send(SEED_EXAMPLES[0]);
      expect(res.body).toEqual({ code: 0, message: 'success' });
    });

    it("refuses an example sent with the other merchant's credentials: the card is not theirs (2001)", async () => {
      const sb = await makeSandbox();
      const res = await request(sb.app)
        .post('/v1/openApi/card/freeze')
        .send({ ...SEED_EXAMPLES[1], card_id: SEED_EXAMPLES[0].card_id });
      expect(res.body).toEqual({ code: 2001, message: 'card not found: card_id not found' });
      expect((await openapi(sb, SECOND).ok('cardDetail', '/card/detail', { card_id: SEED_EXAMPLES[0].card_id })).card_status).toBe(1);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { SEED_EXAMPLES, onerway } from '../../helpers/onerway.js';
import { makeSandbox, describeStores } from '../../helpers/sandbox.js';

describeStores('onerway seed-examples', () => {
  describe('onerway seed 002 examples', () => {
    it('answers createCard, operate FREEZE and deposit, in order, with the documented ids', async () => {
      const api = onerway(await makeSandbox());
      const created = await api.createCard(SEED_EXAMPLES.createCard);
      expect(created.body).toEqual({ respCode: '20000', respMsg: 'success', data: { cardId: 100001 } });
      const frozen = await api.operate(SEED_EXAMPLES.operate);
      expect(frozen.body).toEqual({ respCode: '20000', respMsg: 'success', data: { operateRecordId: 200001 } });
      const deposited = await api.deposit(SEED_EXAMPLES.deposit);
      expect(deposited.body).toEqual({ respCode: '20000', respMsg: 'success', data: { operateRecordId: 200002 } });
    });

    it('leaves the card FROZEN with 150.00 on it once every record has settled', async () => {
      const api = onerway(await makeSandbox());
      for (const [op, body] of Object.entries(SEED_EXAMPLES)) await api.call(op, op === 'createCard' ? '/card/createCard' : `/card/${op}`, body);
      expect((await api.getCardInfo({ cardId: 100001 })).body.data.cardStatus).toBe('FROZEN');
      expect((await api.getCardBalance({ cardId: 100001 })).body.data).toMatchObject({ balance: 150, availableBalance: 150, currency: 'USD' });
    });

    it('serves the same operations under /onerway as at the root', async () => {
      const sb = await makeSandbox();
      const { default: request } = await import('supertest');
      const res = await request(sb.app)
        .post('/onerway/api/v1/merchant/card/createCard')
        .set('ApiKey', 'onerway-test-apikey-0001')
        .send(SEED_EXAMPLES.createCard);
      expect(res.body.data).toEqual({ cardId: 100001 });
    });
  });
});

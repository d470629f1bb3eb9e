/** POST /__sandbox/simulate with "tenant": the card must be that tenant's. */
import { describe, expect, it } from 'vitest';
import { control, describeStores, makeSandbox } from '../helpers/sandbox.js';

const CARD = 'cid_fBWWMWm8aUUYy3sd';

describeStores('simulate-tenant', () => {
  describe('POST /__sandbox/simulate with a tenant', () => {
    it("authorizes on the tenant's own card", async () => {
      const sb = await makeSandbox();
      const res = await control(sb)
        .post('/simulate/authorize', { vendor: 'openapi-cn', cardId: CARD, amount: '1.00', tenant: 'openapi-cn-default' })
        .expect(200);
      expect(res.body.transaction).toMatchObject({ cardId: CARD, status: 'approved' });
    });

    it("refuses another tenant's card (404) and records nothing", async () => {
      const sb = await makeSandbox();
      const res = await control(sb)
        .post('/simulate/authorize', { vendor: 'openapi-cn', cardId: CARD, amount: '1.00', tenant: 'openapi-cn-second' })
        .expect(404);
      expect(res.body.error).toMatchObject({ code: 'card_not_found', field: 'cardId', message: expect.stringContaining('openapi-cn-second') });
      expect(await sb.store.read('_card_txns')).toEqual([]);
    });
  });
});

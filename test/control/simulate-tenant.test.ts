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
  describe('which authorization a clear or a reversal settles', () => {
    const simulate = (sb: Awaited<ReturnType<typeof makeSandbox>>, action: string, body: Record<string, unknown>) =>
      control(sb).post(`/simulate/${action}`, { vendor: 'openapi-cn', cardId: CARD, ...body });

    it('the newest authorization with a hold left, when none is named; the one named otherwise', async () => {
      const sb = await makeSandbox();
      const first = (await simulate(sb, 'authorize', { amount: '1.00' }).expect(200)).body.transaction;
      const second = (await simulate(sb, 'authorize', { amount: '2.00' }).expect(200)).body.transaction;
      const declined = (await simulate(sb, 'authorize', { amount: '99999999.00' }).expect(200)).body.transaction;
      expect(declined.status).toBe('declined');
      const cleared = (await simulate(sb, 'clear', { amount: '2.00' }).expect(200)).body.transaction;
      expect(cleared).toMatchObject({ kind: 'clearing', originId: second.id });
      // The second has no hold left: the first is the newest open one, and a declined one is never open.
      const reversed = (await simulate(sb, 'reverse', {}).expect(200)).body.transaction;
      expect(reversed).toMatchObject({ kind: 'reversal', originId: first.id, amount: '1.00' });
      const none = await simulate(sb, 'clear', { amount: '1.00' }).expect(404);
      expect(none.body.error.message).toMatch(/no open authorization/);
      const again = await simulate(sb, 'clear', { amount: '1.00', transactionId: first.id });
      expect(again.body.error).toMatchObject({
        code: 'invalid_state',
        message: expect.stringContaining(`authorization ${first.id} is already cleared or reversed`),
      });
      const unknown = await simulate(sb, 'reverse', { transactionId: declined.id }).expect(404);
      expect(unknown.body.error.message).toMatch(`no approved authorization ${declined.id}`);
    });
  });
});

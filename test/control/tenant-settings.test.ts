/** GET /__sandbox/tenants lists each vendor's merchant settings (rule, default, meaning) beside the merchants. */
import { describe, expect, it } from 'vitest';
import { control, describeStores, makeSandbox } from '../helpers/sandbox.js';

describeStores('tenant-settings', () => {
  describe("GET /__sandbox/tenants: the vendors' settings", () => {
    it('lists, per vendor, every setting with its rule, default and doc; a merchant has only what it changed', async () => {
      const sb = await makeSandbox();
      const { body } = await control(sb).get('/tenants').expect(200);
      expect(Object.keys(body.settings).sort()).toEqual(['finext', 'onerway', 'openapi-cn']);
      expect(body.settings.onerway.settleDelayMs).toEqual({ type: 'integer', default: 0, doc: expect.stringContaining('settles') });
      expect(body.settings.onerway.status).toMatchObject({ type: 'enum', values: ['ACTIVE', 'INACTIVE'], default: 'ACTIVE' });
      expect(body.settings.finext.timestampWindowMs).toMatchObject({ type: 'integer', nullable: true, default: 30_000 });
      expect(body.settings.finext.topupFeeBps).toMatchObject({ max: 10_000, default: 100 });
      expect(body.tenants.find((t: { id: string }) => t.id === 'onerway-default').settings).toEqual({});

      await control(sb)
        .patch('/tenants/onerway-default', { settings: { settleDelayMs: 60_000 } })
        .expect(200);
      const after = (await control(sb).get('/tenants').expect(200)).body;
      expect(after.tenants.find((t: { id: string }) => t.id === 'onerway-default').settings).toEqual({ settleDelayMs: 60_000 });
      expect(after.settings).toEqual(body.settings);
    });

    it('refuses a value its rule does not allow, with the rule in the diagnostic, and changes nothing', async () => {
      const sb = await makeSandbox();
      const res = await control(sb)
        .patch('/tenants/onerway-default', { settings: { settleDelayMs: -5 } })
        .expect(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_param', field: 'settings.settleDelayMs' });
      expect(res.headers['x-sandbox-diagnostic']).toContain('settings.settleDelayMs must be an integer from 0');
      const { body } = await control(sb).get('/tenants').expect(200);
      expect(body.tenants.find((t: { id: string }) => t.id === 'onerway-default').settings).toEqual({});
    });
  });
});

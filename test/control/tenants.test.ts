import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox.js';
import { finext, LILI111, LILI12, MERCHANT as FINEXT_DEFAULT, accountBody, type Merchant as FinextMerchant } from '../helpers/finext.js';
import { API_KEY, SEED_EXAMPLES, onerway, requestId } from '../helpers/onerway.js';
import { SEED_EXAMPLES as OPENAPI_EXAMPLES, openapi } from '../helpers/openapi-cn.js';
import { control, describeStores, makeSandbox, snapshot } from '../helpers/sandbox.js';

interface NewTenant {
  id: string;
  vendor: string;
  name: string;
  credentials: Record<string, string>;
}

async function newTenant(sb: Sandbox, body: Record<string, unknown>): Promise<NewTenant> {
  return (await control(sb).post('/tenants', body).expect(201)).body as NewTenant;
}

const finextMerchant = (t: NewTenant): FinextMerchant => ({ tenant: t.id, api_key: t.credentials.api_key, secret: t.credentials.secret });

/** Every record in the store that belongs to the tenant, the shared jobs working for it included. */
async function owned(sb: Sandbox, id: string): Promise<number> {
  const snap = (await Promise.all((await sb.store.collections()).map((c) => sb.store.read(c)))).flat();
  return snap.filter((r) => r.tenantId === id || (r as { owner?: string }).owner === id).length;
}

describeStores('merchants', () => {
  describe('POST /__sandbox/tenants', () => {
    it('creates a merchant (201) with fresh credentials, listed with the others', async () => {
      const sb = await makeSandbox();
      const res = await control(sb).post('/tenants', { vendor: 'onerway', name: 'CI pipeline 42' }).expect(201);
      expect(res.headers.location).toBe(`/__sandbox/tenants/${res.body.id}`);
      expect(res.body).toMatchObject({ id: expect.stringMatching(/^onerway-[0-9a-f]{8}$/), vendor: 'onerway', name: 'CI pipeline 42', webhookUrl: null });
      expect(res.body.tenantId).toBe(res.body.id);
      expect(res.body.credentials.apiKey).not.toBe(API_KEY);
      const { body } = await control(sb).get('/tenants').expect(200);
      expect(body.tenants.find((t: NewTenant) => t.id === res.body.id)).toEqual(res.body);
    });

    it.each([
      ['onerway', { apiKey: /^onerway-test-apikey-[0-9a-f]{24}$/, webhookSecret: /^whsec_onerway_[0-9a-f]{32}$/ }],
      ['finext', { api_key: /^[0-9a-f]{32}$/, secret: /^[0-9a-f]{32}$/ }],
      ['openapi-cn', { customer_id: /^[1-9]\d{7}$/, app_id: /^[1-9]\d{5}$/, key: /^[0-9a-f]{32}$/ }],
    ])("draws %s credentials in the vendor's format, different for every merchant", async (vendor, format) => {
      const sb = await makeSandbox();
      const [a, b] = [await newTenant(sb, { vendor }), await newTenant(sb, { vendor })];
      expect(Object.keys(a.credentials).sort()).toEqual(Object.keys(format).sort());
      for (const [field, pattern] of Object.entries(format)) {
        expect(a.credentials[field]).toMatch(pattern);
        expect(b.credentials[field]).not.toBe(a.credentials[field]);
      }
      expect(a.name).toMatch(new RegExp(`${a.id}$`));
    });

    it('gives an Onerway merchant its own copy of the default data: the seed examples work with its key', async () => {
      const sb = await makeSandbox();
      const t = await newTenant(sb, { vendor: 'onerway' });
      const api = onerway(sb, t.credentials.apiKey);
      const created = await api.createCard(SEED_EXAMPLES.createCard);
      expect(created.body).toMatchObject({ respCode: '20000', data: { cardId: expect.any(Number) } });
      const { cardId } = created.body.data;
      expect((await api.operate({ ...SEED_EXAMPLES.operate, cardId })).body.respCode).toBe('20000');
      expect((await api.deposit({ ...SEED_EXAMPLES.deposit, cardId })).body.respCode).toBe('20000');
      expect(await api.cardStatus(cardId)).toBe('FROZEN');
    });

    it("gives a Finext merchant the docs' accounts and an OPEN-API merchant the seed's example card", async () => {
      const sb = await makeSandbox();
      const fx = finextMerchant(await newTenant(sb, { vendor: 'finext' }));
      expect(await finext(sb, fx).balance(LILI111.username, LILI111.kit_number)).toBe('10.22');
      const cn = await newTenant(sb, { vendor: 'openapi-cn' });
      const merchant = { tenant: cn.id, customer_id: Number(cn.credentials.customer_id), app_id: Number(cn.credentials.app_id), key: cn.credentials.key };
      const res = await openapi(sb, merchant).call('cardFreeze', '/card/freeze', { card_id: OPENAPI_EXAMPLES[1].card_id });
      expect(res.body).toEqual({ code: 0, message: 'success' });
      expect((await openapi(sb).ok('cardDetail', '/card/detail', { card_id: OPENAPI_EXAMPLES[1].card_id })).card_status).not.toBe(2);
    });

    it('from the empty scenario, creates a merchant with money and products but no cardholders', async () => {
      const sb = await makeSandbox();
      const t = await newTenant(sb, { vendor: 'onerway', scenario: 'empty' });
      const api = onerway(sb, t.credentials.apiKey);
      expect((await api.getCardholderList({ pageNum: 1, pageSize: 10 })).body.data.totalRecords).toBe(0);
      expect((await api.createCard(SEED_EXAMPLES.createCard)).body.respCode).not.toBe('20000');
    });

    it.each([
      ['no vendor', {}, 400, 'vendor'],
      ['an unknown vendor', { vendor: 'visa' }, 400, 'vendor'],
      ['an unknown scenario', { vendor: 'onerway', scenario: 'nope' }, 404, 'scenario'],
      ['a scenario name with a slash', { vendor: 'onerway', scenario: 'a/b' }, 400, 'scenario'],
      ['a name that is not a string', { vendor: 'onerway', name: 42 }, 400, 'name'],
      ['an empty name', { vendor: 'onerway', name: '' }, 400, 'name'],
      ['an unknown field', { vendor: 'onerway', credentials: { apiKey: 'mine' } }, 400, 'credentials'],
      ['an array body', [{ vendor: 'onerway' }], 400, 'body'],
    ])('refuses %s, changing nothing', async (_name, body, status, field) => {
      const sb = await makeSandbox();
      const before = await snapshot(sb);
      const res = await control(sb).post('/tenants', body).expect(status);
      expect(res.body.error.field).toBe(field);
      expect(await snapshot(sb)).toBe(before);
    });

    it('refuses a body that is not JSON with a JSON 400, changing nothing', async () => {
      const sb = await makeSandbox();
      const before = await snapshot(sb);
      const res = await request(sb.app).post('/__sandbox/tenants').set('content-type', 'application/json').send('"onerway"').expect(400);
      expect(res.body.error.code).toBe('malformed_body');
      expect(await snapshot(sb)).toBe(before);
    });
  });

  describe('isolated tenants running the same script concurrently', () => {
    it('onerway: each pipeline sees only its own cards and operate records', async () => {
      const sb = await makeSandbox();
      const tenants = [await newTenant(sb, { vendor: 'onerway' }), await newTenant(sb, { vendor: 'onerway' })];
      const script = async (t: NewTenant) => {
        const api = onerway(sb, t.credentials.apiKey);
        const { cardId } = (await api.createCard({ ...SEED_EXAMPLES.createCard, clientRequestId: 'CI-CREATE-1' })).body.data as { cardId: number };
        await api.operate({ clientRequestId: 'CI-FREEZE-1', cardId, type: 'FREEZE' });
        await api.deposit({ clientRequestId: 'CI-DEPOSIT-1', cardId, amount: 50 });
        return { cardId, records: await api.records() };
      };
      const [a, b] = await Promise.all(tenants.map(script));
      expect(a.cardId).not.toBe(b.cardId);
      for (const [mine, theirs, t] of [
        [a, b, tenants[0]],
        [b, a, tenants[1]],
      ] as const) {
        expect(new Set(mine.records.map((r) => r.cardId))).toEqual(new Set([mine.cardId]));
        expect(mine.records.map((r) => r.type).sort()).toEqual(['CREATE', 'DEPOSIT', 'FREEZE']);
        expect((await onerway(sb, t.credentials.apiKey).getCardInfo({ cardId: theirs.cardId })).body.respCode).toBe('40000');
      }
      expect(await onerway(sb).records()).toEqual([]);
    });

    it('finext: each pipeline creates the same username, tops up the same card, and sees only its own money', async () => {
      const sb = await makeSandbox();
      const merchants = [finextMerchant(await newTenant(sb, { vendor: 'finext' })), finextMerchant(await newTenant(sb, { vendor: 'finext' }))];
      const script = async (m: FinextMerchant) => {
        const api = finext(sb, m);
        await api.ok('createAccount', accountBody({ username: 'pipeline1', email: 'pipeline1@example.com', mobile_number: '4155550001' }));
        await api.ok('modifyOpStatus', { username: LILI12.username, card_id: LILI12.card_id, op_status: 11, op_cause_type: 1 });
        expect((await api.topup(LILI111.username, LILI111.kit_number, '5.00')).body.code).toBe(10200);
        return { balance: await api.balance(LILI111.username, LILI111.kit_number), txns: (await api.transactions()).list };
      };
      const [a, b] = await Promise.all(merchants.map(script));
      for (const run of [a, b]) {
        expect(run.balance).toBe('15.17');
        expect(run.txns.filter((t) => t.kit_number === LILI111.kit_number && t.category !== 'DR FEE')).toHaveLength(1);
      }
      expect(a.txns.map((t) => t.transaction_id)).not.toEqual(b.txns.map((t) => t.transaction_id));
      expect(await finext(sb).balance(LILI111.username, LILI111.kit_number)).toBe('10.22');
      expect(await finext(sb).opStatus(LILI12.username, LILI12.card_id)).not.toBe(11);
    });
  });

  describe('POST /__sandbox/simulate on a card id several merchants hold', () => {
    it('refuses without "tenant" (409) and moves only the named merchant\'s money with it', async () => {
      const sb = await makeSandbox();
      const t = await newTenant(sb, { vendor: 'finext' });
      const body = { vendor: 'finext', cardId: LILI111.card_id, amount: '1.00' };
      const refused = await control(sb).post('/simulate/authorize', body).expect(409);
      expect(refused.body.error).toMatchObject({ code: 'duplicate_resource', field: 'tenant' });
      expect(refused.body.error.message).toContain(t.id);
      await control(sb)
        .post('/simulate/authorize', { ...body, tenant: t.id })
        .expect(200);
      expect((await finext(sb, finextMerchant(t)).transactions()).list).toHaveLength(1);
      expect((await finext(sb, FINEXT_DEFAULT).transactions()).list).toHaveLength(0);
    });

    it.each([
      ['an unknown tenant', { tenant: 'nobody' }, 404, 'tenant'],
      ['a tenant of another vendor', { tenant: 'onerway-default' }, 404, 'tenant'],
      ['a tenant that does not hold the card', { tenant: 'finext-webhooks' }, 404, 'cardId'],
    ])('refuses %s', async (_name, extra, status, field) => {
      const sb = await makeSandbox();
      const res = await control(sb)
        .post('/simulate/authorize', { vendor: 'finext', cardId: LILI111.card_id, amount: '1.00', ...extra })
        .expect(status);
      expect(res.body.error.field).toBe(field);
    });
  });

  describe('DELETE /__sandbox/tenants/<id>', () => {
    it('removes the merchant and every record it owns (jobs, webhooks, idempotency, nonces), and nothing else', async () => {
      const sb = await makeSandbox();
      const t = await newTenant(sb, { vendor: 'onerway' });
      await control(sb).patch(`/tenants/${t.id}`, { webhookUrl: 'http://127.0.0.1:9/hooks' }).expect(200);
      const api = onerway(sb, t.credentials.apiKey);
      await api.createCard({ ...SEED_EXAMPLES.createCard, clientRequestId: requestId() });
      const fx = finextMerchant(await newTenant(sb, { vendor: 'finext' }));
      await finext(sb, fx).balance(LILI111.username, LILI111.kit_number);
      const others = await control(sb)
        .get('/tenants')
        .then((r) => r.body.tenants.filter((x: NewTenant) => x.id !== t.id));
      const before = await owned(sb, t.id);
      expect((await sb.store.read('_idempotency', t.id)).length).toBeGreaterThan(0);
      expect(sb.runtime.scheduler.pending().some((j) => j.owner === t.id)).toBe(true);

      const res = await control(sb).delete(`/tenants/${t.id}`).expect(200);
      expect(res.body).toEqual({ status: 'ok', id: t.id, removed: before });
      expect(await owned(sb, t.id)).toBe(0);
      expect((await control(sb).get('/tenants')).body.tenants).toEqual(others);
      expect((await api.getCardholderList({ pageNum: 1, pageSize: 10 })).status).toBe(401);
      expect(await sb.store.read('_nonces', fx.tenant)).toHaveLength(1);
    });

    it('gives the memory back: no collection keeps an empty place for the merchant', async () => {
      const sb = await makeSandbox();
      const t = await newTenant(sb, { vendor: 'onerway' });
      await onerway(sb, t.credentials.apiKey).createCard({ ...SEED_EXAMPLES.createCard, clientRequestId: requestId() });
      const holds = async (c: string) => (await sb.store.owners(c)).includes(t.id);
      const holding = async () => {
        const collections = await sb.store.collections();
        const held = await Promise.all(collections.map(holds));
        return collections.filter((_c, i) => held[i]);
      };
      expect((await holding()).length).toBeGreaterThan(3);
      await control(sb).delete(`/tenants/${t.id}`).expect(200);
      const everywhere = ['_tenants', '_accounts', '_idempotency', 'onerway.cards', 'onerway.cardholders', 'onerway.operateRecords', 'onerway.products'];
      const held = await Promise.all(everywhere.map(holds));
      expect(everywhere.filter((_c, i) => held[i])).toEqual([]);
      expect(await holding()).toEqual([]);
    });

    it('removes a tenant of the scenario too', async () => {
      const sb = await makeSandbox();
      await control(sb).delete('/tenants/finext-webhooks').expect(200);
      expect((await control(sb).get('/tenants')).body.tenants.map((t: NewTenant) => t.id)).not.toContain('finext-webhooks');
    });

    it('answers 404 for an unknown tenant, changing nothing', async () => {
      const sb = await makeSandbox();
      const before = await snapshot(sb);
      const res = await control(sb).delete('/tenants/nobody').expect(404);
      expect(res.body.error).toMatchObject({ code: 'resource_not_found', field: 'id' });
      expect(await snapshot(sb)).toBe(before);
    });
  });

  describe('POST /__sandbox/reset {"tenant"} of a created merchant', () => {
    it('restores its copy of the scenario and keeps its id, name and credentials', async () => {
      const sb = await makeSandbox();
      const t = await newTenant(sb, { vendor: 'onerway', name: 'nightly' });
      const api = onerway(sb, t.credentials.apiKey);
      const { cardId } = (await api.createCard(SEED_EXAMPLES.createCard)).body.data as { cardId: number };
      await control(sb).post('/reset', { tenant: t.id }).expect(200);
      expect((await api.getCardInfo({ cardId })).body.respCode).toBe('40000');
      expect((await api.createCard({ ...SEED_EXAMPLES.createCard, clientRequestId: requestId() })).body.respCode).toBe('20000');
      expect((await control(sb).get('/tenants')).body.tenants.find((x: NewTenant) => x.id === t.id)).toEqual(t);
    });

    it('refuses a scenario with no merchant of its vendor, changing nothing', async () => {
      const sb = await makeSandbox();
      const t = await newTenant(sb, { vendor: 'onerway' });
      const before = await snapshot(sb);
      const pack = JSON.parse(before);
      pack.collections = { _tenants: pack.collections._tenants.filter((x: NewTenant) => x.vendor !== 'onerway') };
      const res = await request(sb.app).post(`/__sandbox/scenarios?tenant=${t.id}`).send(pack).expect(400);
      expect(res.body.error.field).toBe('body');
      expect(await snapshot(sb)).toBe(before);
    });
  });

  describe('PATCH /__sandbox/tenants/<id> credentials', () => {
    it('refuses credentials another merchant of the vendor already has (409), changing nothing', async () => {
      const sb = await makeSandbox();
      const before = await snapshot(sb);
      const res = await control(sb)
        .patch('/tenants/onerway-second', { credentials: { apiKey: API_KEY } })
        .expect(409);
      expect(res.body.error).toMatchObject({ code: 'duplicate_resource', field: 'credentials', message: expect.stringContaining('onerway-default') });
      expect(await snapshot(sb)).toBe(before);
    });

    it('accepts a new key, which then authenticates as that merchant', async () => {
      const sb = await makeSandbox();
      await control(sb)
        .patch('/tenants/onerway-second', { credentials: { apiKey: 'onerway-rotated-key' } })
        .expect(200);
      const res = await onerway(sb, 'onerway-rotated-key').getCardholderList({ pageNum: 1, pageSize: 10 });
      expect(res.body.respCode).toBe('20000');
    });
  });

  describe('POST /__sandbox/finext/kyc/<username> on a username several merchants hold', () => {
    it('refuses without "tenant" (409, naming the merchants) and reaches the named merchant\'s account with it', async () => {
      const sb = await makeSandbox();
      const copy = await newTenant(sb, { vendor: 'finext' });
      const before = await snapshot(sb);
      const refused = await control(sb).post('/finext/kyc/lili12', { outcome: 'rejected' }).expect(409);
      expect(refused.body.error).toMatchObject({ code: 'duplicate_resource', field: 'tenant', message: expect.stringContaining(copy.id) });
      expect(await snapshot(sb)).toBe(before);
      // With the tenant named, the request reaches that merchant's lili12, whose review is already decided.
      const named = await control(sb).post('/finext/kyc/lili12', { outcome: 'rejected', tenant: copy.id }).expect(409);
      expect(named.body.error).toMatchObject({ code: 'invalid_state', message: expect.stringContaining('lili12 is already decided') });
    });
  });
});

import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { SEED_EXAMPLES, onerway } from '../helpers/onerway.js';
import { T0, control, makeSandbox } from '../helpers/sandbox.js';
import { VENDORS } from '../../src/vendors/index.js';

describe('control plane /__sandbox', () => {
  it('reports health with the vendors and the clock', async () => {
    const sb = await makeSandbox();
    const { body } = await control(sb).get('/health').expect(200);
    expect(body).toMatchObject({ status: 'ok', vendors: VENDORS.map((v) => v.slug), clock: { now: T0, mode: 'frozen' } });
  });

  it('freezes the clock at an instant, advances it, and returns to system time', async () => {
    const sb = await makeSandbox({ frozenAt: undefined });
    expect((await control(sb).get('/clock')).body.mode).toBe('system');
    expect((await control(sb).post('/clock', { now: 1683293970762 })).body).toEqual({ now: 1683293970762, mode: 'frozen', ran: [] });
    expect((await control(sb).post('/clock', { advanceMs: 1000 })).body).toEqual({ now: 1683293971762, mode: 'frozen', ran: [] });
    const back = await control(sb).post('/clock', { mode: 'system' });
    expect(back.body.mode).toBe('system');
    expect(Math.abs(back.body.now - Date.now())).toBeLessThan(5_000);
  });

  it.each([[{ advanceMs: -1 }], [{ now: 'soon' }], [{}], [{ advanceMs: 1.5 }]])('answers 400 with a reason for clock body %j', async (body) => {
    const sb = await makeSandbox();
    const res = await control(sb).post('/clock', body).expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_param' });
  });

  it('refuses to advance a system clock (409)', async () => {
    const sb = await makeSandbox({ frozenAt: undefined });
    const res = await control(sb).post('/clock', { advanceMs: 1000 }).expect(409);
    expect(res.body.error.message).toMatch(/freeze the clock first/);
  });

  it('settles delayed operate records when the clock is advanced past them', async () => {
    const sb = await makeSandbox();
    await control(sb)
      .patch('/tenants/onerway-default', { settings: { settleDelayMs: 60_000 } })
      .expect(200);
    await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    expect((await onerway(sb).getCardInfo({ cardId: 100001 })).body.data.cardStatus).toBe('PROCESSING');
    await control(sb).advance(59_999);
    expect((await onerway(sb).getCardInfo({ cardId: 100001 })).body.data.cardStatus).toBe('PROCESSING');
    await control(sb).advance(1);
    expect((await onerway(sb).getCardInfo({ cardId: 100001 })).body.data.cardStatus).toBe('ACTIVE');
  });

  it('restores the default scenario on reset', async () => {
    const sb = await makeSandbox();
    await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    await control(sb).post('/reset').expect(200);
    expect((await onerway(sb).getCardInfo({ cardId: 100001 })).body.respCode).toBe('40000');
    expect((await onerway(sb).createCard(SEED_EXAMPLES.createCard)).body.data).toEqual({ cardId: 100001 });
  });

  it('answers 404 for an unknown scenario', async () => {
    const sb = await makeSandbox();
    const res = await control(sb).post('/reset', { scenario: 'nope' }).expect(404);
    expect(res.body.error.field).toBe('scenario');
  });

  it('lists tenants with their credentials and webhook URL', async () => {
    const sb = await makeSandbox();
    const { body } = await control(sb).get('/tenants').expect(200);
    const tenants = body.tenants as Array<{ id: string; vendor: string }>;
    // Every registered vendor has merchants, and the package vendors' are exactly these.
    expect(new Set(tenants.map((t) => t.vendor))).toEqual(new Set(VENDORS.map((v) => v.slug)));
    expect(tenants.filter((t) => ['onerway', 'finext', 'openapi-cn'].includes(t.vendor)).map((t) => t.id)).toEqual([
      'onerway-default',
      'onerway-second',
      'finext-default',
      'finext-webhooks',
      'openapi-cn-default',
      'openapi-cn-second',
    ]);
    expect(body.tenants[0]).toMatchObject({ vendor: 'onerway', credentials: { apiKey: 'onerway-test-apikey-0001' }, webhookUrl: null });
  });

  it.each([
    ['a URL that is not http(s)', { webhookUrl: 'ftp://x' }, 400],
    ['settings that are not an object', { settings: 3 }, 400],
  ])('refuses to patch a tenant with %s', async (_name, body, status) => {
    const sb = await makeSandbox();
    await control(sb).patch('/tenants/onerway-default', body).expect(status);
  });

  it('answers 404 for an unknown tenant', async () => {
    const sb = await makeSandbox();
    await control(sb).patch('/tenants/nobody', { webhookUrl: null }).expect(404);
  });

  it('answers malformed JSON with a JSON 400, never HTML', async () => {
    const sb = await makeSandbox();
    const res = await request(sb.app).post('/__sandbox/clock').set('content-type', 'application/json').send('{oops').expect(400);
    expect(res.body.error.code).toBe('malformed_body');
  });

  it('answers unknown paths anywhere with JSON 404', async () => {
    const sb = await makeSandbox();
    const inside = await control(sb).get('/nothing-here').expect(404);
    expect(inside.body.error.code).toBe('route_not_found');
    const outside = await request(sb.app).get('/nothing/here').expect(404);
    expect(outside.headers['content-type']).toMatch(/application\/json/);
    expect(outside.body.error.vendors[0]).toEqual({ slug: 'onerway', basePaths: ['/api/v1/merchant'] });
  });
});

describe('control plane /__sandbox/simulate', () => {
  it.each([
    ['an unknown event', '/simulate/steal', { vendor: 'onerway', cardId: 1, amount: 1 }, 404],
    ['an unknown vendor', '/simulate/authorize', { vendor: 'visa', cardId: 1, amount: 1 }, 400],
    ['an unknown card', '/simulate/authorize', { vendor: 'onerway', cardId: 999, amount: 1 }, 404],
    ['a missing amount', '/simulate/clear', { vendor: 'onerway', cardId: 100001 }, 400],
    ['an amount with 3 decimals', '/simulate/authorize', { vendor: 'onerway', cardId: 100001, amount: '1.001' }, 400],
  ])('refuses %s', async (_name, path, body, status) => {
    const sb = await makeSandbox();
    await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    await control(sb).post(path, body).expect(status);
  });

  it('refuses to clear a card with no open authorization (404)', async () => {
    const sb = await makeSandbox();
    await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    const res = await control(sb).post('/simulate/clear', { vendor: 'onerway', cardId: 100001, amount: 1 }).expect(404);
    expect(res.body.error.message).toMatch(/no open authorization/);
  });

  it('holds on authorize, settles on clear, and the balances add up', async () => {
    const sb = await makeSandbox();
    await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    const auth = await control(sb).post('/simulate/authorize', { vendor: 'onerway', cardId: 100001, amount: '30.00' }).expect(200);
    expect(auth.body.transaction).toMatchObject({ status: 'approved', holdRemaining: '30.00' });
    expect((await onerway(sb).getCardBalance({ cardId: 100001 })).body.data).toMatchObject({ balance: 100, availableBalance: 70 });
    await control(sb).post('/simulate/clear', { vendor: 'onerway', cardId: 100001, amount: '25.50', transactionId: auth.body.transaction.id }).expect(200);
    expect((await onerway(sb).getCardBalance({ cardId: 100001 })).body.data).toMatchObject({ balance: 74.5, availableBalance: 74.5 });
  });
});

describe('control plane tenant credentials', () => {
  it('merges credentials sent with PATCH, so a Finext merchant can pin its authorization header', async () => {
    const sb = await makeSandbox();
    const { body } = await control(sb)
      .patch('/tenants/finext-default', { credentials: { authorization: 'Bearer pinned' } })
      .expect(200);
    expect(body.credentials).toEqual({
      api_key: 'fd01a53d7834b06c080cd1024ae9c60a',
      secret: '16388ce4331b35e8e0d32777ba57d7d9',
      authorization: 'Bearer pinned',
    });
  });

  it('refuses credentials that are not non-empty strings, changing nothing', async () => {
    const sb = await makeSandbox();
    const res = await control(sb)
      .patch('/tenants/finext-default', { credentials: { authorization: 7 } })
      .expect(400);
    expect(res.body.error.field).toBe('credentials.authorization');
    expect((await control(sb).get('/tenants')).body.tenants[2].credentials.authorization).toBeUndefined();
  });
});

describe('control plane tenant settings', () => {
  it.each([
    ['onerway-default', { settleDelayMs: -1 }, 'settings.settleDelayMs'],
    ['onerway-default', { status: 'SLEEPING' }, 'settings.status'],
    ['finext-default', { timestampWindowMs: 'abc' }, 'settings.timestampWindowMs'],
    ['finext-default', { topupFeeBps: 20_000 }, 'settings.topupFeeBps'],
    ['openapi-cn-default', { webhookSigning: 'md5' }, 'settings.webhookSigning'],
    ['openapi-cn-default', { settleDelay: 5 }, 'settings.settleDelay'],
  ])('refuses %s settings %j naming %s, changing nothing', async (tenant, settings, field) => {
    const sb = await makeSandbox();
    const res = await control(sb).patch(`/tenants/${tenant}`, { settings }).expect(400);
    expect(res.body.error.field).toBe(field);
    const stored = (await control(sb).get('/tenants')).body.tenants.find((t: { id: string }) => t.id === tenant);
    expect(stored.settings).toEqual({});
  });

  it('accepts a null timestamp window for Finext (the check switched off)', async () => {
    const sb = await makeSandbox();
    const { body } = await control(sb)
      .patch('/tenants/finext-default', { settings: { timestampWindowMs: null } })
      .expect(200);
    expect(body.settings).toEqual({ timestampWindowMs: null });
  });
});

import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { readScenario, type Scenario } from '../../src/core/scenario.js';
import { finext, LILI111 } from '../helpers/finext.js';
import { SEED_EXAMPLES as ONERWAY_EXAMPLES, SECOND_API_KEY, onerway } from '../helpers/onerway.js';
import { SEED_EXAMPLES as OPENAPI_EXAMPLES } from '../helpers/openapi-cn.js';
import { T0, control, describeStores, expectContract, makeSandbox, snapshot } from '../helpers/sandbox.js';

/** Nothing listens on port 9 (discard): every delivery fails at once and is retried later. */
const DEAD_URL = 'http://127.0.0.1:9/hooks';

const clone = (pack: Scenario): Scenario => JSON.parse(JSON.stringify(pack)) as Scenario;

describeStores('scenario packs and snapshots', () => {
  describe('GET /__sandbox/scenarios', () => {
    it('lists the checked-in packs by name with a one-line description each', async () => {
      const sb = await makeSandbox();
      const { body } = await control(sb).get('/scenarios').expect(200);
      expect(body.scenarios.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['default', 'empty']));
      for (const s of body.scenarios) expect(s).toEqual({ name: s.name, description: expect.stringMatching(/^[^\n]+$/) });
    });
  });

  describe('POST /__sandbox/scenarios/<name>', () => {
    it('loads the empty pack: every merchant still authenticates, with nothing but money and catalogues', async () => {
      const sb = await makeSandbox();
      expect((await control(sb).post('/scenarios/empty').expect(200)).body).toEqual({ status: 'ok', scenario: 'empty' });
      const list = await onerway(sb).getCardholderList({ pageNum: 1, pageSize: 10 });
      expect(list.body.data).toMatchObject({ totalRecords: 0, records: [] });
      expect((await onerway(sb).createCard(ONERWAY_EXAMPLES.createCard)).body.respCode).not.toBe('20000');
      expect((await finext(sb).call('getAccountDetails', { username: 'lili12' })).body.code).not.toBe(10200);
    });

    it('replaces state made by requests with the pack', async () => {
      const sb = await makeSandbox();
      await onerway(sb).createCard(ONERWAY_EXAMPLES.createCard);
      await control(sb).post('/scenarios/default').expect(200);
      expect((await onerway(sb).getCardInfo({ cardId: 100001 })).body.respCode).toBe('40000');
    });

    it("with a tenant, replaces that tenant's records only", async () => {
      const sb = await makeSandbox();
      const mine = await onerway(sb).activeCard();
      const theirs = await onerway(sb, SECOND_API_KEY).createCardholder({
        clientRequestId: 'HOLDER-1',
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.com',
        mobileAreaCode: '+44',
        mobile: '7700900123',
        regionCode: 'GB',
        cityCode: 'GB-LND',
        address: '1 Road',
        postCode: 'SW1Y 4JH',
        birthday: '1990-12-10',
      });
      expect(theirs.body.respCode).toBe('20000');
      const answer = await control(sb).post('/scenarios/default', { tenant: 'onerway-second' }).expect(200);
      expect(answer.body).toEqual({ status: 'ok', scenario: 'default', tenant: 'onerway-second' });
      expect((await onerway(sb, SECOND_API_KEY).getCardholderList({ pageNum: 1, pageSize: 10 })).body.data.totalRecords).toBe(1);
      expect(await onerway(sb).cardStatus(mine)).toBe('ACTIVE');
    });

    it.each([
      ['an unknown scenario', '/scenarios/nope', {}, 404, 'name'],
      ['a name with capitals and underscores', '/scenarios/Bad_Name', {}, 400, 'name'],
      ['a name of 65 characters', `/scenarios/${'a'.repeat(65)}`, {}, 400, 'name'],
      ['an array body', '/scenarios/default', [], 400, 'body'],
      ['an unknown field', '/scenarios/default', { tenants: 'onerway-default' }, 400, 'tenants'],
      ['a tenant that is not a string', '/scenarios/default', { tenant: 7 }, 400, 'tenant'],
      ['an unknown tenant', '/scenarios/default', { tenant: 'nobody' }, 404, 'tenant'],
    ])('refuses %s, changing nothing', async (_name, path, body, status, field) => {
      const sb = await makeSandbox();
      await onerway(sb).activeCard();
      const before = await snapshot(sb);
      const res = await control(sb).post(path, body).expect(status);
      expect(res.body.error.field).toBe(field);
      expect(res.headers['x-sandbox-diagnostic']).toBeTruthy();
      expect(await snapshot(sb)).toBe(before);
    });
  });

  describe('POST /__sandbox/scenarios (a pack sent inline)', () => {
    it('loads a pack sent as JSON', async () => {
      const sb = await makeSandbox();
      const pack = clone(readScenario('default'));
      pack.name = 'mine';
      pack.collections['onerway.cardholders'] = pack.collections['onerway.cardholders'].filter((c) => c.id !== '300001');
      expect((await control(sb).post('/scenarios', pack).expect(200)).body).toEqual({ status: 'ok', scenario: 'mine' });
      expect((await onerway(sb).createCard(ONERWAY_EXAMPLES.createCard)).body.respCode).not.toBe('20000');
    });

    it("with ?tenant=, loads that tenant's part of the pack only", async () => {
      const sb = await makeSandbox();
      const mine = await onerway(sb).activeCard();
      const pack = readScenario('empty');
      await request(sb.app).post('/__sandbox/scenarios?tenant=finext-default').send(pack).expect(200);
      expect((await finext(sb).call('getAccountDetails', { username: 'lili12' })).body.code).not.toBe(10200);
      expect(await onerway(sb).cardStatus(mine)).toBe('ACTIVE');
    });

    it('accepts a pack larger than the 1 MB limit of other bodies', async () => {
      const sb = await makeSandbox();
      const pack = clone(readScenario('default'));
      pack.collections['x.filler'] = Array.from({ length: 20_000 }, (_, i) => ({ id: `filler-${i}`, tenantId: 'onerway-default', text: 'x'.repeat(40) }));
      expect(JSON.stringify(pack).length).toBeGreaterThan(1024 * 1024);
      await control(sb).post('/scenarios', pack).expect(200);
      expect(await sb.store.read('x.filler')).toHaveLength(20_000);
    });

    type Edit = (pack: Scenario & Record<string, any>) => void;
    it.each<[string, Edit, string]>([
      ['no collections', (p) => delete (p as Partial<Scenario>).collections, '/collections'],
      ['a name with a space', (p) => (p.name = 'my pack'), '/name'],
      ['a description of two lines', (p) => (p.description = 'one\ntwo'), '/description'],
      ['a refDate that is not an integer', (p) => (p.refDate = 1.5), '/refDate'],
      ['a field packs do not have', (p) => (p.color = 'blue'), '/color'],
      ['no _tenants', (p) => delete p.collections._tenants, '/collections/_tenants'],
      ['a collection named with a space', (p) => (p.collections['my cards'] = []), '/collections/my cards'],
      ['a collection that is not a list', (p) => ((p.collections as any)['onerway.cards'] = {}), '/collections/onerway.cards'],
      ['a record without tenantId', (p) => (p.collections['x.things'] = [{ id: '1' } as any]), '/collections/x.things/0/tenantId'],
      ['a record of a tenant the pack lacks', (p) => (p.collections['onerway.products'][2].tenantId = 'ghost'), '/collections/onerway.products/2/tenantId'],
      ['a record id used twice by one tenant', (p) => (p.collections['onerway.products'][1].id = '1'), '/collections/onerway.products/1/id'],
      ['a tenant of an unknown vendor', (p) => ((p.collections._tenants[0] as any).vendor = 'visa'), '/collections/_tenants/0/vendor'],
      ['a tenant whose tenantId is not its id', (p) => (p.collections._tenants[1].tenantId = 'onerway-default'), '/collections/_tenants/1/tenantId'],
      [
        'a tenant with a setting its vendor refuses',
        (p) => ((p.collections._tenants[0] as any).settings = { settleDelayMs: -5 }),
        '/collections/_tenants/0/settings/settleDelayMs',
      ],
      [
        'a tenant with a credential that is not a string',
        (p) => ((p.collections._tenants[2] as any).credentials.secret = 5),
        '/collections/_tenants/2/credentials/secret',
      ],
      [
        'two merchants of one vendor with one api key',
        (p) => ((p.collections._tenants[1] as any).credentials.apiKey = (p.collections._tenants[0] as any).credentials.apiKey),
        '/collections/_tenants/1/credentials',
      ],
      ['a counter owned by a tenant', (p) => (p.collections._counters[0].tenantId = 'onerway-default'), '/collections/_counters/0/tenantId'],
      [
        'a job of an unknown type',
        (p) => (p.collections._jobs = [{ id: 'job_1', tenantId: '_', seq: 1, type: 'mail.pigeon', dueAt: 0, payload: {}, owner: 'onerway-default' } as any]),
        '/collections/_jobs/0/type',
      ],
      [
        'a job for a tenant the pack lacks',
        (p) => (p.collections._jobs = [{ id: 'job_1', tenantId: '_', seq: 1, type: 'webhook.deliver', dueAt: 0, payload: {}, owner: 'ghost' } as any]),
        '/collections/_jobs/0/owner',
      ],
      ['a clock in an unknown mode', (p) => (p.clock = { now: 0, mode: 'paused' as 'system' }), '/clock/mode'],
    ])('refuses a pack with %s, naming %s, changing nothing', async (_name, edit, field) => {
      const sb = await makeSandbox();
      await onerway(sb).activeCard();
      const before = await snapshot(sb);
      const pack = clone(readScenario('default'));
      edit(pack);
      const res = await control(sb).post('/scenarios', pack).expect(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_param', field });
      expect(res.body.error.message).toContain(field);
      expect(await snapshot(sb)).toBe(before);
    });

    it.each([
      ['an array', [], 400, ''],
      ['a JSON string', '"default"', 400, null],
      ['no body at all', undefined, 400, 'body'],
    ])('refuses %s as a pack, changing nothing', async (_name, body, status, field) => {
      const sb = await makeSandbox();
      const before = await snapshot(sb);
      let req = request(sb.app).post('/__sandbox/scenarios');
      if (body !== undefined) req = req.set('content-type', 'application/json');
      const res = await (body === undefined ? req : req.send(typeof body === 'string' ? body : (body as object))).expect(status);
      expect(res.body.error.field).toBe(field);
      expect(await snapshot(sb)).toBe(before);
    });
  });

  describe('GET /__sandbox/snapshot', () => {
    it('is a pack with the clock and every collection, valid against the pack schema', async () => {
      const sb = await makeSandbox();
      await onerway(sb).activeCard();
      const { body } = await control(sb).get('/snapshot').expect(200);
      expectContract('sandbox/scenario', body);
      expect(body).toMatchObject({ name: 'snapshot', refDate: T0, clock: { now: T0, mode: 'frozen' } });
      expect(Object.keys(body.collections)).toEqual(
        expect.arrayContaining(['_tenants', '_counters', '_idempotency', 'onerway.cards', 'onerway.operateRecords']),
      );
    });

    it('posted back after other changes, restores the state and the clock byte for byte', async () => {
      const sb = await makeSandbox();
      await control(sb).patch('/tenants/onerway-default', { webhookUrl: DEAD_URL }).expect(200);
      const api = onerway(sb);
      expect((await api.createCard(ONERWAY_EXAMPLES.createCard)).body.respCode).toBe('20000');
      expect((await api.operate(ONERWAY_EXAMPLES.operate)).body.respCode).toBe('20000');
      expect((await api.deposit(ONERWAY_EXAMPLES.deposit)).body.respCode).toBe('20000');
      await finext(sb).topup(LILI111.username, LILI111.kit_number, '5.00');
      await request(sb.app).post('/v1/openApi/card/freeze').send(OPENAPI_EXAMPLES[0]).expect(200);
      await control(sb).post('/tenants', { vendor: 'finext' }).expect(201);
      await control(sb).post('/simulate/authorize', { vendor: 'onerway', cardId: 100001, amount: '1.00' }).expect(200);
      const before = await snapshot(sb);
      expect(Object.keys(JSON.parse(before).collections)).toEqual(expect.arrayContaining(['_jobs', '_webhook_deliveries', '_nonces', '_card_txns']));

      await control(sb).post('/reset', { scenario: 'empty' }).expect(200);
      await control(sb).advance(3_600_000);
      expect((await control(sb).post('/scenarios', JSON.parse(before)).expect(200)).body).toEqual({ status: 'ok', scenario: 'snapshot' });

      expect(await snapshot(sb)).toBe(before);
      expect(sb.clock.toJSON()).toEqual({ now: T0, mode: 'frozen' });
      expect(await api.cardStatus(100001)).toBe('FROZEN');
      expect(await finext(sb).balance(LILI111.username, LILI111.kit_number)).toBe('15.17');
    });

    it('of a system clock loads as a system clock; of a frozen one freezes a running clock', async () => {
      const sb = await makeSandbox({ frozenAt: undefined });
      const running = JSON.parse(await snapshot(sb));
      expect(running.clock.mode).toBe('system');
      const frozen = { ...running, clock: { now: T0, mode: 'frozen' } };
      await control(sb).post('/scenarios', frozen).expect(200);
      expect(sb.clock.toJSON()).toEqual({ now: T0, mode: 'frozen' });
      await control(sb).post('/scenarios', running).expect(200);
      expect(sb.clock.mode).toBe('system');
    });

    it('leaves the clock alone when a pack without one (a named pack) is loaded', async () => {
      const sb = await makeSandbox();
      await control(sb).advance(5_000);
      await control(sb).post('/scenarios/default').expect(200);
      expect(sb.clock.toJSON()).toEqual({ now: T0 + 5_000, mode: 'frozen' });
    });
  });

  describe('names that are also Object.prototype names', () => {
    it('keeps a collection called __proto__, a tenant called constructor and record ids such as toString, through a snapshot and back', async () => {
      const sb = await makeSandbox();
      const pack = clone(readScenario('empty'));
      pack.name = 'prototypes';
      pack.collections._tenants.push({
        id: 'constructor',
        tenantId: 'constructor',
        vendor: 'onerway',
        name: 'prototype merchant',
        credentials: { apiKey: 'onerway-proto-key', webhookSecret: 'whsec_proto' },
        webhookUrl: null,
        settings: {},
      } as never);
      const records = [
        { id: 'toString', tenantId: 'constructor' },
        { id: '__proto__', tenantId: 'onerway-default' },
        { id: 'hasOwnProperty', tenantId: 'constructor' },
      ];
      // JSON text, so that __proto__ is an own key (as it is for a client sending JSON).
      const text = JSON.stringify(pack).replace(
        '"collections":{',
        `"collections":{"__proto__":${JSON.stringify(records)},"valueOf":${JSON.stringify(records.slice(0, 1))},`,
      );
      await request(sb.app).post('/__sandbox/scenarios').set('content-type', 'application/json').send(text).expect(200);
      expect(await sb.store.read('__proto__')).toHaveLength(3);
      const snap = await snapshot(sb);
      const collections = JSON.parse(snap).collections;
      expect(Object.hasOwn(collections, '__proto__')).toBe(true);
      // Grouped by tenant, as every collection of a snapshot is.
      expect(collections['__proto__']).toEqual([records[0], records[2], records[1]]);
      expect(collections.valueOf).toEqual(records.slice(0, 1));
      expect(collections._tenants.map((t: { id: string }) => t.id)).toContain('constructor');
      await control(sb).post('/reset', { scenario: 'empty' }).expect(200);
      await request(sb.app).post('/__sandbox/scenarios').set('content-type', 'application/json').send(snap).expect(200);
      expect(await snapshot(sb)).toBe(snap);
      expect((await onerway(sb, 'onerway-proto-key').getCardholderList({ pageNum: 1, pageSize: 10 })).body.respCode).toBe('20000');
    });
  });

  describe('POST /__sandbox/reset', () => {
    it('loads a named scenario ({"scenario"}) or the default one', async () => {
      const sb = await makeSandbox();
      expect((await control(sb).post('/reset', { scenario: 'empty' }).expect(200)).body).toEqual({ status: 'ok', scenario: 'empty' });
      expect((await onerway(sb).getCardholderList({ pageNum: 1, pageSize: 10 })).body.data.totalRecords).toBe(0);
      expect((await control(sb).post('/reset').expect(200)).body).toEqual({ status: 'ok', scenario: 'default' });
      expect((await onerway(sb).getCardholderList({ pageNum: 1, pageSize: 10 })).body.data.totalRecords).toBe(1);
    });

    it("with a tenant, resets only that tenant and keeps the other tenants' records", async () => {
      const sb = await makeSandbox();
      const mine = await onerway(sb).activeCard();
      await finext(sb).topup(LILI111.username, LILI111.kit_number, '5.00');
      expect((await control(sb).post('/reset', { tenant: 'finext-default' }).expect(200)).body).toEqual({
        status: 'ok',
        scenario: 'default',
        tenant: 'finext-default',
      });
      expect(await finext(sb).balance(LILI111.username, LILI111.kit_number)).toBe('10.22');
      expect(await onerway(sb).cardStatus(mine)).toBe('ACTIVE');
    });

    it('with a tenant and the empty scenario, leaves that tenant only its merchant, money and catalogue', async () => {
      const sb = await makeSandbox();
      await control(sb).post('/reset', { scenario: 'empty', tenant: 'onerway-default' }).expect(200);
      expect((await onerway(sb).getCardholderList({ pageNum: 1, pageSize: 10 })).body.data.totalRecords).toBe(0);
      expect((await onerway(sb, SECOND_API_KEY).getCardholderList({ pageNum: 1, pageSize: 10 })).body.data.totalRecords).toBe(1);
    });

    it.each([
      ['an unknown tenant', { tenant: 'nobody' }, 404, 'tenant'],
      ['an unknown scenario', { scenario: 'nope' }, 404, 'scenario'],
      ['a scenario name with a dot', { scenario: '../default' }, 400, 'scenario'],
      ['a scenario that is not a string', { scenario: 3 }, 400, 'scenario'],
      ['an unknown field', { scenery: 'default' }, 400, 'scenery'],
      ['an array body', ['default'], 400, 'body'],
    ])('refuses %s, changing nothing', async (_name, body, status, field) => {
      const sb = await makeSandbox();
      await onerway(sb).activeCard();
      const before = await snapshot(sb);
      const res = await control(sb).post('/reset', body).expect(status);
      expect(res.body.error.field).toBe(field);
      expect(await snapshot(sb)).toBe(before);
    });
  });
});

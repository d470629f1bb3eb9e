import pino from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  AUTHORIZATION,
  LILI111,
  LILI12,
  LILI12_MAILED,
  MERCHANT,
  OPERATIONS,
  SECOND,
  expectFinextContract,
  finext,
  ledger,
  requestId,
  signedBody,
  transactionId,
  type OperationName,
} from '../../helpers/finext.js';
import { T0, control, makeSandbox, describeStores } from '../../helpers/sandbox.js';
import type { Sandbox } from '../../../src/sandbox.js';

/** Seed 001's example request, exactly as written. */
const SEED_EXAMPLE = {
  api_key: 'fd01a53d7834b06c080cd1024ae9c60a',
  request_id: '1b608ec128f34834a176f70d7ca6e3f7',
  timestamp: '1683293970762',
  username: 'lili12',
  card_id: '4b7e1f659b2f413e8863ec88004ba1f8',
  op_status: 11,
  op_cause_type: 1,
  sign: '6d97e5373268d92bf9e799121899b7f4',
};

const DETAILS = '/api/v1/account/getAccountDetails';

function postRaw(sb: Sandbox, path: string, body: unknown, authorization: string | null = AUTHORIZATION) {
  const req = request(sb.app).post(path);
  return (authorization === null ? req : req.set('authorization', authorization)).send(body as object);
}

/** getAccountDetails of lili12 with the timestamp `skew` ms from the sandbox clock. */
const withSkew = (sb: Sandbox, skew: number) => finext(sb).call('getAccountDetails', { username: LILI12.username, timestamp: String(sb.clock.now() + skew) });

describeStores('finext auth-and-transport', () => {
  describe('finext seed 001: the modifyOpStatus example', () => {
    it('answers {"code":10200,"msg":"ok"} with the clock frozen at its timestamp, and blocks lili12\'s card (op_status 8)', async () => {
      const sb = await makeSandbox();
      await control(sb).post('/clock', { now: 1683293970762 }).expect(200);
      const res = await postRaw(sb, '/api/v1/card/modifyOpStatus', SEED_EXAMPLE, 'any-token');
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"code":10200,"msg":"ok"}');
      expect(await finext(sb).opStatus(LILI12.username, LILI12.card_id)).toBe(8);
      expect(await sb.store.lookup('finext.cards', MERCHANT.tenant, LILI12.card_id)).toMatchObject({ state: 'BLOCKED', opCause: 1 });
    });

    it('answers 10402 at real time, and leaves the card active', async () => {
      const sb = await makeSandbox({ frozenAt: undefined });
      const res = await postRaw(sb, '/api/v1/card/modifyOpStatus', SEED_EXAMPLE, 'any-token');
      expect(res.body).toEqual({ code: 10402, msg: 'timestamp expired' });
      expectFinextContract('modifyOpStatus', res.body);
      expect(res.headers['x-sandbox-diagnostic']).toMatch(/timestamp 1683293970762 is -\d+ ms from the sandbox clock/);
      expect(await sb.store.lookup('finext.cards', MERCHANT.tenant, LILI12.card_id)).toMatchObject({ state: 'ACTIVE' });
    });
  });

  describe('finext timestamp window', () => {
    it.each([30_000, -30_000, 0])('accepts a timestamp %i ms from the sandbox clock', async (skew) => {
      const sb = await makeSandbox();
      expect((await withSkew(sb, skew)).body.code).toBe(10200);
    });

    it.each([
      [30_001, 'ahead'],
      [-30_001, 'behind'],
    ])('answers 10402 for a timestamp %i ms off, with the skew in the diagnostic', async (skew, side) => {
      const sb = await makeSandbox();
      const res = await withSkew(sb, skew);
      expect(res.body).toEqual({ code: 10402, msg: 'timestamp expired' });
      expect(res.headers['x-sandbox-diagnostic']).toContain(`is ${skew} ms from the sandbox clock ${T0} (${side}); the window is +/-30000 ms`);
    });

    it('accepts any timestamp once the merchant switches the window off (timestampWindowMs null)', async () => {
      const sb = await makeSandbox();
      await control(sb)
        .patch(`/tenants/${MERCHANT.tenant}`, { settings: { timestampWindowMs: null } })
        .expect(200);
      expect((await withSkew(sb, -3 * 365 * 86_400_000)).body.code).toBe(10200);
      expect((await withSkew(sb, 86_400_000)).body.code).toBe(10200);
    });

    it("applies a merchant's own window (5 s) and leaves the other merchant at 30 s", async () => {
      const sb = await makeSandbox();
      await control(sb)
        .patch(`/tenants/${MERCHANT.tenant}`, { settings: { timestampWindowMs: 5_000 } })
        .expect(200);
      expect((await withSkew(sb, 5_000)).body.code).toBe(10200);
      expect((await withSkew(sb, 5_001)).body.code).toBe(10402);
      const other = await finext(sb, SECOND).call('getAllTransactionsOfCards', {
        page: 1,
        start_time: String(T0),
        end_time: String(T0),
        timestamp: String(T0 + 20_000),
      });
      expect(other.body.code).toBe(10200);
    });

    it.each([['168329397076'], ['16832939707620'], ['1683293970.76']])('answers 10400 naming timestamp for %s (not 13 digits)', async (timestamp) => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('getAccountDetails', { username: LILI12.username, timestamp });
      expect(res.body).toEqual({ code: 10400, msg: 'parameter error: timestamp must be a 13-digit millisecond timestamp' });
    });
  });

  describe('finext request_id', () => {
    it.each([19, 65])('answers 10400 for a request_id of %i characters', async (length) => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('getAccountDetails', { username: LILI12.username, request_id: 'r'.repeat(length) });
      expect(res.body).toEqual({ code: 10400, msg: 'parameter error: request_id must be 20 to 64 characters' });
      expect(res.headers['x-sandbox-diagnostic']).toContain(`request_id has ${length} characters`);
    });

    it.each([20, 64])('accepts a request_id of %i characters', async (length) => {
      const sb = await makeSandbox();
      expect((await finext(sb).call('getAccountDetails', { username: LILI12.username, request_id: 'r'.repeat(length) })).body.code).toBe(10200);
    });

    it('answers 10403 to a reused request_id, even on another endpoint', async () => {
      const sb = await makeSandbox();
      const api = finext(sb);
      const request_id = requestId();
      expect((await api.call('getAccountDetails', { username: LILI12.username, request_id })).body.code).toBe(10200);
      const res = await api.call('balance', { username: LILI111.username, kit_number: LILI111.kit_number, request_id });
      expect(res.body).toEqual({ code: 10403, msg: 'duplicate request_id' });
      expect(res.headers['x-sandbox-diagnostic']).toContain(`request_id ${request_id} was already used`);
    });

    it('changes nothing on a reused request_id: a top-up with a new transaction_id credits nothing', async () => {
      const sb = await makeSandbox();
      const api = finext(sb);
      const request_id = requestId();
      expect((await api.topup(LILI111.username, LILI111.kit_number, '5.00', { request_id })).body.code).toBe(10200);
      const before = await ledger(sb);
      const res = await api.topup(LILI111.username, LILI111.kit_number, '5.00', { request_id, transaction_id: transactionId() });
      expect(res.body.code).toBe(10403);
      expect(await ledger(sb)).toEqual(before);
      expect((await api.transactions()).total).toBe(2);
    });

    it('lets the other merchant use a request_id the first one has used', async () => {
      const sb = await makeSandbox();
      const request_id = requestId();
      expect((await finext(sb).call('getAccountDetails', { username: LILI12.username, request_id })).body.code).toBe(10200);
      const res = await finext(sb, SECOND).call('getAllTransactionsOfCards', { page: 1, start_time: String(T0), end_time: String(T0), request_id });
      expect(res.body.code).toBe(10200);
    });

    it('does not use up the request_id of a request refused for its sign', async () => {
      const sb = await makeSandbox();
      const api = finext(sb);
      const request_id = requestId();
      expect((await api.call('getAccountDetails', { username: LILI12.username, request_id, sign: '0'.repeat(32) })).body.code).toBe(10401);
      expect((await api.call('getAccountDetails', { username: LILI12.username, request_id })).body.code).toBe(10200);
    });
  });

  describe('finext authorization header, api_key and sign', () => {
    it('answers 10401 when the authorization header is missing', async () => {
      const sb = await makeSandbox();
      const res = await finext(sb, MERCHANT, { authorization: null }).call('getAccountDetails', { username: LILI12.username });
      expect(res.body).toEqual({ code: 10401, msg: 'authentication failed: authorization header is required' });
      expect(res.headers['x-sandbox-diagnostic']).toMatch(/missing authorization header/);
    });

    it('accepts any non-empty authorization header while the merchant pins none', async () => {
      const sb = await makeSandbox();
      const res = await finext(sb, MERCHANT, { authorization: 'x' }).call('getAccountDetails', { username: LILI12.username });
      expect(res.body.code).toBe(10200);
    });

    it('answers 10401 to another value when the merchant pins its authorization header, and accepts the pinned one', async () => {
      const sb = await makeSandbox();
      const tx = sb.store.begin();
      const tenant = (await sb.store.lookup('_tenants', MERCHANT.tenant, MERCHANT.tenant)) as unknown as { credentials: Record<string, string> };
      tx.put('_tenants', { ...tenant, credentials: { ...tenant.credentials, authorization: 'Bearer pinned-0001' } } as never);
      await sb.store.commit(tx);
      const wrong = await finext(sb).call('getAccountDetails', { username: LILI12.username });
      expect(wrong.body).toEqual({ code: 10401, msg: 'authentication failed: authorization is invalid' });
      const right = await finext(sb, MERCHANT, { authorization: 'Bearer pinned-0001' }).call('getAccountDetails', { username: LILI12.username });
      expect(right.body.code).toBe(10200);
    });

    it('answers 10401 to an api_key that belongs to no merchant', async () => {
      const sb = await makeSandbox();
      const stranger = { tenant: 'none', api_key: '00000000000000000000000000000000', secret: MERCHANT.secret };
      const res = await finext(sb, stranger).call('getAccountDetails', { username: LILI12.username });
      expect(res.body).toEqual({ code: 10401, msg: 'authentication failed: api_key is invalid' });
    });

    it('answers 10401 to a sign made with another secret; the diagnostic names the form and the string to sign, and never what the sign should be', async () => {
      const lines: string[] = [];
      const sb = await makeSandbox({ logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }) });
      const fields = { username: LILI12.username, request_id: 'a'.repeat(32) };
      const res = await finext(sb, { ...MERCHANT, secret: SECOND.secret }).call('getAccountDetails', fields);
      expect(res.body).toEqual({ code: 10401, msg: 'sign error' });
      const diagnostic = res.headers['x-sandbox-diagnostic'] as string;
      const expected = signedBody(sb, MERCHANT, 'getAccountDetails', fields).sign as string;
      const received = signedBody(sb, { ...MERCHANT, secret: SECOND.secret }, 'getAccountDetails', fields).sign as string;
      expect(diagnostic).toContain('user form, MD5(api_key + username + timestamp + secret + request_id)');
      expect(diagnostic).toContain(`MD5("<api_key>lili12${T0}<secret>${'a'.repeat(32)}")`);
      expect(diagnostic).toContain(`received "${received}"`);
      const journal = JSON.stringify((await control(sb).get('/requests').expect(200)).body);
      for (const text of [diagnostic, journal, lines.join('')]) {
        expect(text).toContain(received);
        for (const leak of [expected, MERCHANT.secret, MERCHANT.secret.slice(-4), MERCHANT.api_key]) expect(text).not.toContain(leak);
      }
    });

    it.each(['api_key', 'sign', 'username'])('answers 10400 naming %s when it is missing', async (field) => {
      const sb = await makeSandbox();
      const body = signedBody(sb, MERCHANT, 'getAccountDetails', { username: LILI12.username });
      delete body[field];
      const res = await postRaw(sb, DETAILS, body);
      expect(res.body).toEqual({ code: 10400, msg: `parameter error: ${field} is required` });
    });
  });

  describe('finext base paths', () => {
    it.each(['/api/v1', '/finext/api/v1', '/api/v1/mastercardService', '/finext/api/v1/mastercardService'])(
      'serves getAccountDetails under %s',
      async (base) => {
        const sb = await makeSandbox();
        const data = await finext(sb, MERCHANT, { base }).ok('getAccountDetails', { username: LILI12.username });
        expect(data).toMatchObject({
          username: 'lili12',
          kyc_status: 2,
          cards: [
            { card_id: LILI12.card_id, op_status: 6 },
            { card_id: LILI12_MAILED.card_id, op_status: 10 },
          ],
        });
      },
    );

    const EVERY = (Object.keys(OPERATIONS) as OperationName[]).flatMap((op) =>
      ['/finext/api/v1', '/api/v1/mastercardService'].map((base) => [op, base] as const),
    );
    it.each(EVERY)('serves %s under %s (a request without its fields is judged by the operation, not "api not found")', async (operation, base) => {
      const sb = await makeSandbox();
      const res = await finext(sb, MERCHANT, { base }).call(operation, operation === 'getAllTransactionsOfCards' ? {} : { username: LILI12.username });
      expect(res.body.code, res.body.msg).toBe(operation === 'getAccountDetails' ? 10200 : 10400);
    });

    it.each(['/finext/api/v1', '/api/v1/mastercardService'])('signs top-ups in the top-up form under %s too', async (base) => {
      const sb = await makeSandbox();
      const api = finext(sb, MERCHANT, { base });
      expect((await api.topup(LILI111.username, LILI111.kit_number, '1.00')).body).toEqual({ code: 10200, msg: 'ok' });
      expect(await api.balance(LILI111.username, LILI111.kit_number)).toBe('11.21');
    });

    it('signs getAllTransactionsOfCards in the no-user form under /api/v1/mastercardService', async () => {
      const sb = await makeSandbox();
      const res = await finext(sb, MERCHANT, { base: '/api/v1/mastercardService' }).call('getAllTransactionsOfCards', {
        page: 1,
        start_time: String(T0),
        end_time: String(T0),
      });
      expect(res.body.code).toBe(10200);
    });
  });

  describe('finext transport errors', () => {
    it('answers 10404 "api not found" for an unknown path under the base', async () => {
      const sb = await makeSandbox();
      const res = await postRaw(sb, '/api/v1/card/freeze', {});
      expect(res.body).toEqual({ code: 10404, msg: 'api not found' });
      expect(res.headers['x-sandbox-diagnostic']).toBeTruthy();
    });

    it.each(['get', 'put', 'delete'] as const)('answers 10405 to %s on a known path', async (method) => {
      const sb = await makeSandbox();
      const res = await request(sb.app)[method](DETAILS).set('authorization', AUTHORIZATION);
      expect(res.body).toEqual({ code: 10405, msg: 'method not allowed' });
    });

    it.each([
      ['a body that is not JSON', 'application/json', '{"api_key": "x",'],
      ['a JSON array', 'application/json', '[]'],
      ['a text/plain body', 'text/plain', '{}'],
    ])('answers 10400 in JSON to %s', async (_case, type, text) => {
      const sb = await makeSandbox();
      const res = await request(sb.app).post(DETAILS).set('authorization', AUTHORIZATION).set('Content-Type', type).send(text);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ code: 10400, msg: 'parameter error' });
    });

    it('answers every error with HTTP 200, JSON and a diagnostic header', async () => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('getAccountDetails', { username: 'nobody' });
      expect(res.body).toEqual({ code: 10404, msg: 'account not found' });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['x-sandbox-diagnostic']).toMatch(/has no account nobody/);
    });
  });
});

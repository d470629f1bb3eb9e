/**
 * The vendor dispatcher (src/core/operations.ts vendorDispatcher): which vendor a path reaches, on
 * Node's own request before Express, and the body reader's limits. Through HTTP: supertest on the app
 * (which calls the dispatcher first), and a real port where the transfer itself is the point.
 */
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { newRequestId, vendorDispatcher } from '../../src/core/dispatch.js';
import { API_KEY, SEED_EXAMPLES } from '../helpers/onerway.js';
import { expectContract, makeSandbox } from '../helpers/sandbox.js';
import { post } from '../helpers/vendor-requests.js';

const createCard = (path: string) =>
  makeSandbox().then(async (sb) => ({ sb, res: await request(sb.app).post(path).set('ApiKey', API_KEY).send(SEED_EXAMPLES.createCard) }));

describe('vendor dispatcher: which vendor a path reaches', () => {
  it('routes by the longest base path: /api/v1/merchant/… is Onerway, the rest of /api/v1/… is Finext', async () => {
    const sb = await makeSandbox();
    const onerway = await request(sb.app).post('/api/v1/merchant/noSuchOperation').set('ApiKey', API_KEY).send({});
    expect(onerway.body).toMatchObject({ respCode: '40004', data: null });
    const finext = await request(sb.app).post('/api/v1/noSuchOperation').send({});
    expect(finext.body).toEqual({ code: 10404, msg: 'api not found' });
    expect(finext.headers['x-sandbox-diagnostic']).toMatch(/no Finext Eastern Bank operation at POST \/api\/v1\/noSuchOperation/);
  });

  it('routes by the longest base path whatever the order the vendors are listed in', async () => {
    const sb = await makeSandbox();
    const dispatch = vendorDispatcher({ ...sb.runtime, vendors: [...sb.runtime.vendors].reverse() });
    const server = createServer((req, res) => void (dispatch(req, res) || res.writeHead(404).end()));
    const res = await request(server).post('/api/v1/merchant/card/createCard').set('ApiKey', API_KEY).send(SEED_EXAMPLES.createCard);
    expect(res.body).toMatchObject({ respCode: '20000', data: { cardId: 100001 } });
  });

  it('matches a base path case-insensitively and ignores the query string', async () => {
    const { sb, res } = await createCard('/API/V1/Merchant/card/createCard?trace=1');
    expectContract('onerway/createCard.response', res.body);
    expect(res.body.data).toEqual({ cardId: 100001 });
    expect(sb.store.count('onerway.cards')).toBe(1);
  });

  it('serves every vendor again under /<slug>', async () => {
    const { res } = await createCard('/onerway/api/v1/merchant/card/createCard');
    expect(res.body).toMatchObject({ respCode: '20000', data: { cardId: 100001 } });
    const sb = await makeSandbox();
    expect((await request(sb.app).post('/finext/api/v1/noSuchOperation').send({})).body).toEqual({ code: 10404, msg: 'api not found' });
    const openapi = await request(sb.app).post('/openapi-cn/v1/openApi/card/freeze').send({});
    expect(openapi.body).toMatchObject({ code: 1001 });
  });

  it('takes an operation path with a trailing slash for the same operation', async () => {
    const { res } = await createCard('/api/v1/merchant/card/createCard/');
    expect(res.body).toMatchObject({ respCode: '20000', data: { cardId: 100001 } });
  });

  it('leaves /__sandbox to the control plane, even when a vendor path follows it', async () => {
    const { sb, res } = await createCard('/__sandbox/api/v1/merchant/card/createCard');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'route_not_found' });
    expect(sb.store.count('onerway.cards')).toBe(0);
  });

  it('answers a path no vendor serves with a JSON 404 that lists the base paths, and a diagnostic', async () => {
    const sb = await makeSandbox();
    for (const path of ['/nowhere', '/%E0%A4%A/nowhere/card/freeze']) {
      const res = await request(sb.app).post(path).send({});
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error.vendors).toContainEqual({ slug: 'onerway', basePaths: ['/api/v1/merchant'] });
      expect(res.headers['x-sandbox-diagnostic']).toMatch(/^route_not_found: no vendor or control-plane route at POST .*\/api\/v1\/merchant \(onerway\)/);
    }
  });
});

describe('vendor dispatcher: request targets a client may send', () => {
  /** Sends `head` and `body` as written on a raw socket and reads the whole answer (the server closes it). */
  function rawRequest(url: string, head: string, body: string): Promise<{ status: number; headers: string; body: string }> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () =>
        socket.end(`${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`),
      );
      let text = '';
      socket
        .setEncoding('utf8')
        .on('data', (c: string) => (text += c))
        .on('error', reject)
        .on('end', () => {
          const [headers = '', rest = ''] = text.split('\r\n\r\n', 2);
          resolve({ status: Number(headers.split(' ', 2)[1]), headers, body: rest });
        });
    });
  }

  it('serves an absolute-form target (as sent through a proxy) as the path it names', async () => {
    const sb = await makeSandbox();
    const url = await sb.listen(0, '127.0.0.1');
    const head = `POST ${url}/api/v1/merchant/card/createCard?x=1 HTTP/1.1\r\nHost: ${new URL(url).host}\r\nContent-Type: application/json\r\nApiKey: ${API_KEY}`;
    const res = await rawRequest(url, head, JSON.stringify(SEED_EXAMPLES.createCard));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ respCode: '20000', respMsg: 'success', data: { cardId: 100001 } });
    expect(sb.store.count('onerway.cards')).toBe(1);
  });

  it('answers an absolute-form target to an unknown operation in the vendor envelope, not a generic 404', async () => {
    const sb = await makeSandbox();
    const url = await sb.listen(0, '127.0.0.1');
    const res = await rawRequest(
      url,
      `POST ${url}/api/v1/merchant/card/nothing HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nApiKey: ${API_KEY}`,
      '{}',
    );
    expect(JSON.parse(res.body)).toMatchObject({ respCode: '40004', data: null });
    expect(res.headers).toMatch(/x-sandbox-diagnostic: route_not_found: no Onerway/i);
  });

  it.each([
    ['an empty version', '//openApi/card/freeze', /\{version\} segment is empty/],
    ['an undecodable version', '/%ZZ/openApi/card/freeze', /\{version\} segment "%ZZ" is not valid percent-encoding/],
    ['a half escape', '/%E0%A4%A/openApi/card/freeze', /not valid percent-encoding/],
    ['a version that is not v<digits>', '/x1/openApi/card/freeze', /version segment "x1" is not v<digits>/],
  ])('answers OPEN-API paths with %s in its own envelope (1005), whatever the body', async (_name, path, diagnostic) => {
    const sb = await makeSandbox();
    for (const body of ['{}', 'not json']) {
      const res = await request(sb.app).post(path).set('Content-Type', 'application/json').send(body);
      if (body === '{}' || !/x1/.test(path)) {
        expect(res.body, `${path} ${body}`).toEqual({ code: 1005, message: 'api not found' });
        expect(res.headers['x-sandbox-diagnostic']).toMatch(diagnostic);
      }
      expectContract('openapi-cn/envelope.error', res.body);
    }
  });
});

describe('vendor dispatcher: reading the body', () => {
  /** POSTs `chunks` with Transfer-Encoding: chunked (no Content-Length) to a listening sandbox. */
  function postChunked(url: string, path: string, chunks: string[]): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json', apikey: API_KEY } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      // The sandbox may answer (and stop reading) before the last chunk: that is what is being tested.
      req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });
  }

  it('refuses a chunked body that grows past the limit while it streams, in the vendor envelope', async () => {
    const sb = await makeSandbox({ bodyLimitBytes: 1024 });
    const url = await sb.listen(0, '127.0.0.1');
    const res = await postChunked(url, '/api/v1/merchant/card/createCard', [`{"clientRequestId":"BIG","remark":"`, 'x'.repeat(800), 'x'.repeat(800), '"}']);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ respCode: '40013', respMsg: 'HttpMessageNotReadable', data: null });
    expect(res.headers['x-sandbox-diagnostic']).toMatch(/1024-byte limit/);
    expect(sb.store.count('onerway.cards')).toBe(0);
  });

  it('reads a chunked body within the limit like any other', async () => {
    const sb = await makeSandbox({ bodyLimitBytes: 1024 });
    const url = await sb.listen(0, '127.0.0.1');
    const text = JSON.stringify(SEED_EXAMPLES.createCard);
    const res = await postChunked(url, '/api/v1/merchant/card/createCard', [text.slice(0, 10), text.slice(10)]);
    expect(JSON.parse(res.body)).toEqual({ respCode: '20000', respMsg: 'success', data: { cardId: 100001 } });
  });

  // Raw bytes over a real port: supertest would send a Buffer as JSON.
  it.each([
    ['a byte that starts nothing', [0xff]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a cut sequence', [0xc3]],
  ])('refuses a body with %s (not UTF-8) in the vendor envelope, and creates nothing', async (_name, bytes) => {
    const sb = await makeSandbox();
    const text = JSON.stringify({ ...SEED_EXAMPLES.createCard, remark: '@' });
    const at = text.indexOf('@');
    const body = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bytes), Buffer.from(text.slice(at + 1))]);
    const res = await post(await sb.listen(0, '127.0.0.1'), '/api/v1/merchant/card/createCard', { apikey: API_KEY, 'content-type': 'application/json' }, body);
    expect(JSON.parse(res.text)).toEqual({ respCode: '40013', respMsg: 'HttpMessageNotReadable', data: null });
    expect(res.diagnostic).toBe('malformed_body: body is not valid UTF-8');
    expect(sb.store.count('onerway.cards')).toBe(0);
  });

  it('reads a body that starts with a UTF-8 byte order mark', async () => {
    const sb = await makeSandbox();
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(SEED_EXAMPLES.createCard))]);
    const res = await post(await sb.listen(0, '127.0.0.1'), '/api/v1/merchant/card/createCard', { apikey: API_KEY, 'content-type': 'application/json' }, body);
    expect(JSON.parse(res.text)).toMatchObject({ respCode: '20000', data: { cardId: 100001 } });
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const sb = await makeSandbox({ bodyLimitBytes: 1024 });
    const res = await request(sb.app)
      .post('/api/v1/merchant/card/createCard')
      .set('ApiKey', API_KEY)
      .set('Content-Type', 'application/json')
      .send(`{"remark":"${'x'.repeat(2000)}"}`);
    expect(res.body).toEqual({ respCode: '40013', respMsg: 'HttpMessageNotReadable', data: null });
    expect(res.headers['x-sandbox-diagnostic']).toMatch(/1024-byte limit/);
  });
});

describe('request ids', () => {
  it('draws again a UUID whose digits read as a card number, which a diagnostic quoting it would show starred', () => {
    // 4111-1111-1111-14 across the dashes: 14 digits that pass the Luhn check.
    const drawn = ['abcd4111-1111-1111-14aa-d2793959e597', 'acda5f1e-0c2b-4e8a-89aa-d2793959e597'];
    expect(newRequestId(() => drawn.shift()!)).toBe('acda5f1e-0c2b-4e8a-89aa-d2793959e597');
    expect(drawn).toEqual([]);
    expect(newRequestId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

/** `--cors`: preflight and actual requests, on vendor paths and the control plane, with and without the option. */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { SEED_EXAMPLES, API_KEY } from '../helpers/onerway.js';
import { makeSandbox } from '../helpers/sandbox.js';

const CREATE_CARD = '/api/v1/merchant/card/createCard';
const APP = 'https://app.example.com';

function preflight(app: Parameters<typeof request>[0], path: string, origin = APP) {
  return request(app)
    .options(path)
    .set('Origin', origin)
    .set('Access-Control-Request-Method', 'POST')
    .set('Access-Control-Request-Headers', 'apikey,content-type');
}

describe('CORS', () => {
  it('is off by default: a preflight is not answered as one, and no answer carries Access-Control-Allow-Origin', async () => {
    const sb = await makeSandbox();
    const pre = await preflight(sb.app, CREATE_CARD);
    expect(pre.status).not.toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const res = await request(sb.app).post(CREATE_CARD).set('Origin', APP).set('ApiKey', API_KEY).send(SEED_EXAMPLES.createCard).expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const health = await request(sb.app).get('/__sandbox/health').set('Origin', APP).expect(200);
    expect(health.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('with *: answers a preflight on a vendor path and on /__sandbox with 204, and marks the actual answers', async () => {
    const sb = await makeSandbox({ cors: '*' });
    for (const path of [CREATE_CARD, '/__sandbox/reset']) {
      const pre = await preflight(sb.app, path).expect(204);
      expect(pre.headers['access-control-allow-origin']).toBe('*');
      expect(pre.headers['access-control-allow-methods']).toContain('POST');
      expect(pre.headers['access-control-allow-headers']).toBe('apikey,content-type');
      expect(pre.text).toBe('');
    }
    const res = await request(sb.app).post(CREATE_CARD).set('Origin', APP).set('ApiKey', API_KEY).send(SEED_EXAMPLES.createCard).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']).toContain('X-Sandbox-Diagnostic');
    expect(res.body.respCode).toBe('20000');
    // A refusal is marked too, so a page can read the vendor's error and the diagnostic.
    const refused = await request(sb.app).post(CREATE_CARD).set('Origin', APP).send({}).expect(401);
    expect(refused.headers['access-control-allow-origin']).toBe('*');
    const health = await request(sb.app).get('/__sandbox/health').set('Origin', APP).expect(200);
    expect(health.headers['access-control-allow-origin']).toBe('*');
  });

  it('with a list of origins: an allowed origin is echoed (Vary: Origin), another gets no CORS headers', async () => {
    const sb = await makeSandbox({ cors: [APP, 'http://localhost:3000'] });
    const pre = await preflight(sb.app, CREATE_CARD, 'http://localhost:3000').expect(204);
    expect(pre.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(pre.headers.vary).toMatch(/Origin/);
    const other = await preflight(sb.app, CREATE_CARD, 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const res = await request(sb.app).get('/__sandbox/clock').set('Origin', APP).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    const denied = await request(sb.app).get('/__sandbox/clock').set('Origin', 'https://evil.example').expect(200);
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('works on the listening server, where vendor requests bypass Express', async () => {
    const sb = await makeSandbox({ cors: '*' });
    const url = await sb.listen(0, '127.0.0.1');
    const pre = await fetch(`${url}${CREATE_CARD}`, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'apikey' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    const res = await fetch(`${url}${CREATE_CARD}`, {
      method: 'POST',
      headers: { origin: APP, apikey: API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify(SEED_EXAMPLES.createCard),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-origin')).not.toContain(',');
    const health = await fetch(`${url}/__sandbox/health`, { headers: { origin: APP } });
    expect(health.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('is read from --cors and SANDBOX_CORS, and refuses an origin that is not one', () => {
    expect(loadConfig([]).cors).toBeUndefined();
    expect(loadConfig(['--cors', `${APP}, http://localhost:3000/`]).cors).toEqual([APP, 'http://localhost:3000']);
    expect(loadConfig([], { SANDBOX_CORS: '*' }).cors).toBe('*');
    expect(loadConfig(['--cors', APP], { SANDBOX_CORS: '*' }).cors).toEqual([APP]);
    expect(() => loadConfig(['--cors', 'app.example.com'])).toThrow(ConfigError);
    expect(() => loadConfig(['--cors', `${APP}/path`])).toThrow(/scheme:\/\/host/);
    expect(() => loadConfig(['--cors', ','])).toThrow(ConfigError);
  });
});

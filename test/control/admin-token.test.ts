/** The admin token: the control plane (all but health) needs it when set; vendor routes never do. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, checkListen, isLoopback, loadConfig } from '../../src/config.js';
import { finext } from '../helpers/finext.js';
import { runCli, startCli } from '../helpers/process.js';
import { SEED_EXAMPLES, onerway } from '../helpers/onerway.js';
import { T0, makeSandbox } from '../helpers/sandbox.js';

const TOKEN = 'admin-token-for-tests';

describe('admin token on /__sandbox', () => {
  it.each([
    ['no Authorization header', undefined, /needs "Authorization: Bearer <admin token>"/],
    ['a wrong token', `Bearer ${TOKEN}x`, /not the admin token/],
    ['another scheme', `Basic ${TOKEN}`, /needs "Authorization: Bearer/],
  ])('answers 401 JSON to %s, and changes nothing', async (_name, header, message) => {
    const sb = await makeSandbox({ adminToken: TOKEN });
    let req = request(sb.app)
      .post('/__sandbox/clock')
      .send({ now: T0 + 1000 });
    if (header) req = req.set('Authorization', header);
    const res = await req.expect(401);
    expect(res.body).toEqual({ error: { code: 'unauthenticated', field: 'authorization', message: expect.stringMatching(message) } });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(res.headers['x-sandbox-diagnostic']).toMatch(/^unauthenticated: /);
    expect(sb.clock.now()).toBe(T0);
  });

  it('accepts the token (any case of "Bearer")', async () => {
    const sb = await makeSandbox({ adminToken: TOKEN });
    await request(sb.app)
      .post('/__sandbox/clock')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send({ now: T0 + 1000 })
      .expect(200);
    await request(sb.app).get('/__sandbox/tenants').set('Authorization', `bearer ${TOKEN}`).expect(200);
    expect(sb.clock.now()).toBe(T0 + 1000);
  });

  it('guards every control-plane route, vendor ones and unknown paths included, before reading the body', async () => {
    const sb = await makeSandbox({ adminToken: TOKEN });
    for (const [method, path] of [
      ['get', '/webhooks'],
      ['post', '/reset'],
      ['post', '/finext/kyc/lili12'],
      ['post', '/outcomes'],
      ['get', '/magic-values'],
      ['get', '/nope'],
      ['post', '/health'],
    ] as const) {
      expect((await request(sb.app)[method](`/__sandbox${path}`).set('Content-Type', 'application/json').send('{not json')).status, `${method} ${path}`).toBe(
        401,
      );
    }
  });

  it('leaves GET /__sandbox/health open', async () => {
    const sb = await makeSandbox({ adminToken: TOKEN });
    expect((await request(sb.app).get('/__sandbox/health').expect(200)).body.status).toBe('ok');
  });

  it('names no absolute path on the open health route: the store by its file name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'health-path-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const sb = await makeSandbox({ adminToken: TOKEN, db: join(dir, 'sandbox.json') });
    const res = await request(sb.app).get('/__sandbox/health').expect(200);
    expect(res.body.store).toBe('sandbox.json');
    expect(res.text).not.toContain(dir);
  });

  it("leaves vendor routes alone, including Finext's own authorization header", async () => {
    const sb = await makeSandbox({ adminToken: TOKEN });
    expect((await onerway(sb).createCard(SEED_EXAMPLES.createCard)).body.data).toEqual({ cardId: 100001 });
    expect(await finext(sb).kycStatus('lili12')).toBe(2);
  });

  it('is open without a token, as before', async () => {
    const sb = await makeSandbox();
    await request(sb.app).get('/__sandbox/tenants').expect(200);
  });
});

describe('listening beyond loopback', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])('counts %s as loopback', (host) => {
    expect(isLoopback(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '10.0.0.1', '192.168.1.20', '::ffff:10.0.0.1', 'example.com', '128.0.0.1', ''])('counts %j as reachable from elsewhere', (host) => {
    expect(isLoopback(host)).toBe(false);
  });

  it('refuses a public host without a token, with a message that says what to do', () => {
    expect(() => checkListen('0.0.0.0', undefined)).toThrow(ConfigError);
    expect(() => checkListen('0.0.0.0', undefined)).toThrow(/SANDBOX_ADMIN_TOKEN/);
    expect(() => checkListen('0.0.0.0', TOKEN)).not.toThrow();
    expect(() => checkListen('127.0.0.1', undefined)).not.toThrow();
  });

  it.each([
    ['one character', 'x', /admin token of 1 characters: beyond loopback it needs at least 16/],
    ['15 characters', 'a'.repeat(15), /admin token of 15 characters/],
    ['whitespace', '   ', /whitespace/],
    ['a space inside', 'admin token for tests', /whitespace/],
  ])('refuses to listen beyond loopback with a token of %s', (_name, token, message) => {
    expect(() => checkListen('0.0.0.0', token)).toThrow(ConfigError);
    expect(() => checkListen('0.0.0.0', token)).toThrow(message);
  });

  it('takes a token of 16 characters beyond loopback, and a short one on loopback (but never one with whitespace)', () => {
    expect(() => checkListen('0.0.0.0', 'a'.repeat(16))).not.toThrow();
    expect(() => checkListen('::', TOKEN)).not.toThrow();
    expect(() => checkListen('127.0.0.1', 'x')).not.toThrow();
    expect(() => checkListen('127.0.0.1', ' ')).toThrow(/whitespace/);
  });

  it.each([
    ['x', /admin token of 1 characters/],
    [' \t ', /whitespace/],
  ])('a real sandbox given the token %j on 0.0.0.0 exits 2 with the reason, never listening', async (token, message) => {
    const run = runCli(['--host', '0.0.0.0', '--port', '0', '--db', ':memory:'], { SANDBOX_ADMIN_TOKEN: token });
    onTestFinished(() => void run.child.kill('SIGKILL'));
    const { code, stdout, stderr } = await run.output;
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).not.toMatch(/listening/);
  });

  it('a real sandbox on loopback starts with a short token, and guards the control plane with it', async () => {
    const sb = await startCli(['--host', '127.0.0.1', '--db', ':memory:'], { SANDBOX_ADMIN_TOKEN: 'short' });
    try {
      expect((await fetch(`${sb.url}/__sandbox/clock`)).status).toBe(401);
      expect((await fetch(`${sb.url}/__sandbox/clock`, { headers: { authorization: 'Bearer short' } })).status).toBe(200);
    } finally {
      sb.child.kill('SIGTERM');
      await sb.exited;
    }
  });

  it('reads the token from --admin-token over SANDBOX_ADMIN_TOKEN, an empty one being none', () => {
    expect(loadConfig([], { SANDBOX_ADMIN_TOKEN: 'from-env' }).adminToken).toBe('from-env');
    expect(loadConfig(['--admin-token', 'from-flag'], { SANDBOX_ADMIN_TOKEN: 'from-env' }).adminToken).toBe('from-flag');
    expect(loadConfig([], { SANDBOX_ADMIN_TOKEN: '' }).adminToken).toBeUndefined();
  });

  it('makes sandbox.listen refuse 0.0.0.0 without a token', async () => {
    const sb = await makeSandbox();
    await expect(sb.listen(0, '0.0.0.0')).rejects.toThrow(/refusing to listen on "0.0.0.0"/);
  });
});

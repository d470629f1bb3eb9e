/**
 * The control plane's reading of what a client puts in the path and in a tenant's settings: an escape
 * that does not decode is the client's mistake (400 with a diagnostic), and a setting is one the vendor
 * declares, never a name inherited from Object.prototype.
 */
import { describe, expect, it } from 'vitest';
import { control, makeSandbox } from '../helpers/sandbox.js';

describe('control plane: route parameters', () => {
  it.each([
    ['delete', '/tenants/%ZZ'],
    ['patch', '/tenants/%E0%A4%A'],
    ['post', '/simulate/%ZZ'],
    ['get', '/cards/%ZZ/100001/timeline'],
    ['post', '/finext/kyc/%ZZ'],
  ] as const)('answers %s %s (an escape that does not decode) with a 400 JSON error naming the parameter', async (method, path) => {
    const sb = await makeSandbox();
    const res = method === 'get' || method === 'delete' ? await control(sb)[method](path) : await control(sb)[method](path, {});
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.error).toMatchObject({ code: 'invalid_param', field: 'path' });
    expect(res.headers['x-sandbox-diagnostic']).toMatch(/^invalid_param: Failed to decode param .*percent-encoding/);
  });
});

describe('control plane: POST /simulate/:action', () => {
  it.each(['toString', 'constructor', 'hasOwnProperty', '__proto__'])('answers /simulate/%s as an unknown network event, and records nothing', async (name) => {
    const sb = await makeSandbox();
    const before = sb.store.count('_card_txns');
    const res = await control(sb).post(`/simulate/${name}`, { vendor: 'onerway', cardId: '100001', amount: 1 });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'route_not_found' });
    expect(res.headers['x-sandbox-diagnostic']).toMatch(/unknown network event .*; use authorize, clear, reverse or refund/);
    expect(sb.store.count('_card_txns')).toBe(before);
  });
});

describe('control plane: PATCH /tenants settings', () => {
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'])('refuses %s like any other unknown setting', async (name) => {
    const sb = await makeSandbox();
    const before = (await control(sb).get('/tenants')).body.tenants.find((t: { id: string }) => t.id === 'finext-default');
    const res = await control(sb).patch('/tenants/finext-default', JSON.parse(`{"settings":{"${name}":5}}`));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_param', field: `settings.${name}` });
    expect(res.headers['x-sandbox-diagnostic']).toMatch(/is not a setting of this vendor; known: timestampWindowMs/);
    const after = (await control(sb).get('/tenants')).body.tenants.find((t: { id: string }) => t.id === 'finext-default');
    expect(after.settings).toEqual(before.settings);
  });

  it('still takes a setting the vendor declares', async () => {
    const sb = await makeSandbox();
    const res = await control(sb).patch('/tenants/finext-default', { settings: { mailDelayMs: 5 } });
    expect(res.status).toBe(200);
    expect(res.body.settings).toMatchObject({ mailDelayMs: 5 });
  });
});

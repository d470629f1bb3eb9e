import request from 'supertest';
import { setImmediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/core/scenario-check.js';
import { readScenario, type Scenario } from '../../src/core/scenario.js';
import type { Tenant } from '../../src/core/tenants.js';
import { makeSandbox } from '../helpers/sandbox.js';

const TENANTS = 200_000;

/** The default pack plus `n` Onerway merchants, each with a key of its own and a funded account. */
function bigPack(n: number): Scenario {
  const pack = readScenario('default');
  const tenants = [...pack.collections._tenants];
  const accounts = [...pack.collections._accounts];
  for (let i = 0; i < n; i++) {
    const id = `onerway-m${i}`;
    tenants.push({
      id,
      tenantId: id,
      vendor: 'onerway',
      name: `merchant ${i}`,
      credentials: { apiKey: `onerway-key-${i}`, webhookSecret: `whsec-${i}` },
      webhookUrl: null,
      settings: {},
    } as Tenant);
    accounts.push({ id: 'USD', tenantId: id, currency: 'USD', balance: 100_000 } as never);
  }
  return { ...pack, name: 'big', collections: { ...pack.collections, _tenants: tenants, _accounts: accounts } };
}

describe('scenario packs of 200k merchants', () => {
  it('finds two merchants sharing a key at the end of the pack, naming the second, in a short message', async () => {
    const sb = await makeSandbox();
    const pack = bigPack(TENANTS);
    const last = pack.collections._tenants.length - 1;
    (pack.collections._tenants[last] as Tenant).credentials.apiKey = 'onerway-key-0';
    const refusal = await checkScenario(pack, sb.runtime).catch((error: unknown) => error as { field: string; diagnostic: string });
    expect(refusal).toMatchObject({ field: `/collections/_tenants/${last}/credentials`, diagnostic: expect.stringContaining('tenant onerway-m0') });
  }, 60_000);

  it('names a few of the tenants when a record names none of them', async () => {
    const sb = await makeSandbox();
    const pack = bigPack(20_000);
    pack.collections._accounts.push({ id: 'USD', tenantId: 'ghost', currency: 'USD', balance: 0 } as never);
    const refusal = (await checkScenario(pack, sb.runtime).catch((error: unknown) => error)) as { field: string; diagnostic: string };
    expect(refusal.field).toBe(`/collections/_accounts/${pack.collections._accounts.length - 1}/tenantId`);
    expect(refusal.diagnostic).toMatch(/and \d+ more\)$/);
    expect(refusal.diagnostic.length).toBeLessThan(400);
  });

  it('keeps the state before a load until the whole pack is in, at once, never a part of it', async () => {
    const sb = await makeSandbox();
    const pack = bigPack(50_000);
    const before = sb.store.count('_tenants');
    let answered = false;
    const load = request(sb.app)
      .post('/__sandbox/scenarios')
      .send(pack)
      .then((res) => ((answered = true), res));
    const seen = new Set<number>();
    while (!answered) {
      seen.add(sb.store.count('_tenants'));
      await setImmediate();
    }
    expect((await load).status).toBe(200);
    expect([...seen].filter((n) => n !== before && n !== 50_006)).toEqual([]);
    expect(seen.has(before)).toBe(true);
    expect(sb.store.count('_tenants')).toBe(50_006);
  }, 60_000);

  it('loads over HTTP while health keeps answering, and refuses a second load meanwhile (409)', async () => {
    const sb = await makeSandbox();
    const url = await sb.listen(0, '127.0.0.1');
    const body = JSON.stringify(bigPack(TENANTS));
    // A reset to a pack that does not exist: 404 when nothing is loading (and changes nothing), 409 during a load.
    const probe = async () =>
      (await fetch(`${url}/__sandbox/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"scenario":"no-such-pack"}' })).status;
    let finished = false;
    const load = fetch(`${url}/__sandbox/scenarios`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (res) => {
      finished = true;
      return { status: res.status, body: (await res.json()) as unknown };
    });
    const seen: string[] = [];
    while (!finished) {
      const health = await fetch(`${url}/__sandbox/health`);
      await health.text();
      const status = await probe();
      if (!finished) seen.push(`health ${health.status}`, `load ${status}`);
    }
    expect(await load).toEqual({ status: 200, body: { status: 'ok', scenario: 'big' } });
    const busy = seen.indexOf('load 409');
    expect(busy, seen.join(', ')).toBeGreaterThanOrEqual(0);
    expect(seen.slice(busy)).toContain('health 200');
    expect(await probe()).toBe(404);
    expect(sb.store.count('_tenants')).toBe(TENANTS + 6);
    const res = await fetch(`${url}/api/v1/merchant/cardholder/getCardholderList`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ApiKey: `onerway-key-${TENANTS - 1}` },
      body: '{"pageNum":1,"pageSize":10}',
    });
    expect(await res.json()).toMatchObject({ respCode: '20000', data: { totalRecords: 0 } });
  }, 60_000);
});

/**
 * The typed control-plane client, every route, against a sandbox on a real port started by the test kit
 * (the network is the point: the client is what a consumer's suite and the CLI use).
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type * as Wire from '../../src/client/types.js';
import type { ClockMode } from '../../src/core/clock.js';
import type { FaultRule } from '../../src/core/fault-rules.js';
import type { JournalEntry } from '../../src/core/journal.js';
import type { MagicValue } from '../../src/core/magic.js';
import type { Tenant } from '../../src/core/tenants.js';
import type { WebhookDelivery } from '../../src/core/webhooks.js';
import { ControlPlaneError, SandboxClient, SandboxUnreachable, startSandbox, type StartedSandbox } from '../../src/testing/index.js';
import { VENDORS } from '../../src/vendors/index.js';
import { T0 } from '../helpers/sandbox.js';

const ONERWAY_KEY = 'onerway-test-apikey-0001';
const EXAMPLE_CARD = 'cid_fBWWMWm8aUUYy3sd';

describe('SandboxClient', () => {
  let kit: StartedSandbox;
  let client: SandboxClient;
  beforeAll(async () => {
    kit = await startSandbox({ frozenAt: T0, strictContracts: true, logLevel: 'silent' });
    client = kit.client;
  });
  afterAll(() => kit.close());

  /** An Onerway card, created through the vendor's own route. */
  async function createCard(clientRequestId: string): Promise<number> {
    const res = await fetch(`${kit.url}/api/v1/merchant/card/createCard`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ApiKey: ONERWAY_KEY },
      body: JSON.stringify({ clientRequestId, cardholderId: 300001, productId: 1, amount: 10 }),
    });
    const body = (await res.json()) as { respCode: string; data: { cardId: number } };
    expect(body, JSON.stringify(body)).toMatchObject({ respCode: '20000' });
    return body.data.cardId;
  }

  it('health, scenarios, load by name and inline, snapshot, reset', async () => {
    expect(await client.health()).toMatchObject({ status: 'ok', store: ':memory:', vendors: VENDORS.map((v) => v.slug) });
    const { scenarios } = await client.scenarios();
    expect(scenarios.map((s) => s.name)).toContain('default');
    expect(await client.loadScenario('default')).toEqual({ status: 'ok', scenario: 'default' });
    expect(await client.loadScenario('default', { tenant: 'onerway-default' })).toEqual({ status: 'ok', scenario: 'default', tenant: 'onerway-default' });
    await createCard('KIT_SNAP');
    const snapshot = await client.snapshot();
    expect(JSON.parse(snapshot)).toMatchObject({ name: expect.any(String), collections: expect.any(Object) });
    expect(await client.reset()).toEqual({ status: 'ok', scenario: 'default' });
    expect(JSON.parse(await client.snapshot()).collections['onerway.cards'] ?? []).toEqual([]);
    const loaded = await client.loadPack(snapshot);
    expect(loaded.status).toBe('ok');
    expect(await client.snapshot()).toBe(snapshot);
    expect(await client.loadPack(JSON.parse(snapshot) as object)).toMatchObject({ status: 'ok' });
    expect(await client.reset({ scenario: 'default', tenant: 'onerway-default' })).toEqual({ status: 'ok', scenario: 'default', tenant: 'onerway-default' });
  });

  it('tenants: list, create, patch, delete', async () => {
    expect((await client.tenants()).tenants.map((t) => t.id)).toContain('onerway-default');
    const tenant = await client.createTenant({ vendor: 'finext', name: 'Kit merchant' });
    expect(tenant).toMatchObject({ vendor: 'finext', name: 'Kit merchant', id: expect.stringMatching(/^finext-/) });
    const patched = await client.updateTenant(tenant.id, { webhookUrl: 'http://127.0.0.1:9/hooks' });
    expect(patched.webhookUrl).toBe('http://127.0.0.1:9/hooks');
    expect(await client.deleteTenant(tenant.id)).toMatchObject({ status: 'ok', id: tenant.id });
    expect((await client.tenants()).tenants.map((t) => t.id)).not.toContain(tenant.id);
  });

  it('clock: get, set, advance, freeze, system', async () => {
    expect(await client.clock()).toEqual({ now: T0, mode: 'frozen' });
    expect(await client.setClock(new Date(T0 + 1000))).toEqual({ now: T0 + 1000, mode: 'frozen', ran: [] });
    expect(await client.advanceClock(60_000)).toEqual({ now: T0 + 61_000, mode: 'frozen', ran: [] });
    expect((await client.systemClock()).mode).toBe('system');
    expect((await client.freezeClock()).mode).toBe('frozen');
    expect(await client.setClock(T0)).toEqual({ now: T0, mode: 'frozen', ran: [] });
  });

  it('simulate, magic values, outcomes, webhooks, timeline', async () => {
    const { transaction } = await client.simulate('authorize', { vendor: 'openapi-cn', cardId: EXAMPLE_CARD, amount: '12.34', merchantName: 'Corner Cafe' });
    expect(transaction).toMatchObject({ vendor: 'openapi-cn', cardId: EXAMPLE_CARD, status: 'approved', amount: '12.34', kind: 'authorization' });
    expect(Object.keys((await client.magicValues()).vendors)).toEqual(VENDORS.map((v) => v.slug));
    expect((await client.outcomes()).vendors.onerway.map((k) => k.kind)).toContain('operateRecord');

    await client.reset();
    await client.updateTenant('onerway-default', { settings: { settleDelayMs: 60_000 } });
    const cardId = await createCard('KIT_OUTCOME');
    const forced = await client.forceOutcome({ vendor: 'onerway', kind: 'operateRecord', id: '900000001', outcome: 'failed' });
    expect(forced).toMatchObject({ vendor: 'onerway', kind: 'operateRecord', id: '900000001', outcome: 'failed', record: { status: 'F' } });
    const events = await client.webhooks({ tenant: 'onerway-default', event: 'issuing.cardOperateEvent', state: 'no_url' });
    expect(events.deliveries.map((d) => (JSON.parse(d.body) as { data: { status: string } }).data.status)).toEqual(['F']);
    expect((await client.webhooks({ limit: 1 })).deliveries).toHaveLength(1);

    const timeline = await client.timeline('onerway', String(cardId), { tenant: 'onerway-default' });
    expect(timeline).toMatchObject({ vendor: 'onerway', cardId: String(cardId), tenantId: 'onerway-default' });
    expect(timeline.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['request', 'transition']));

    // A second pending record, forced through the per-record route (answered as the vendor shows it).
    await createCard('KIT_OUTCOME_2');
    const pending = kit.sandbox.store.listAll('onerway.operateRecords') as unknown as Array<{ operateRecordId: number; status: string }>;
    const open = pending.filter((r) => r.status !== 'S' && r.status !== 'F').map((r) => String(r.operateRecordId));
    expect(open).toHaveLength(1);
    expect(await client.forceRecordOutcome('onerway', 'operateRecord', open[0], { outcome: 'success' })).toMatchObject({ status: 'S' });
    await client.updateTenant('onerway-default', { settings: { settleDelayMs: 0 } });
  });

  it('faults: add, list, remove one, clear', async () => {
    const rule = await client.addFault({ vendor: 'onerway', operation: 'getCardInfo', fault: 'http_error', status: 503, times: 1 });
    expect(rule).toMatchObject({ id: expect.any(String), fault: 'http_error', status: 503 });
    const other = await client.addFault({ vendor: 'finext', fault: 'latency', latencyMs: 5 });
    expect((await client.faults()).faults.map((f) => f.id)).toEqual([rule.id, other.id]);
    expect(await client.removeFault(rule.id)).toEqual({ status: 'ok', id: rule.id });
    expect(await client.clearFaults()).toEqual({ status: 'ok', removed: 1 });
    expect((await client.faults()).faults).toEqual([]);
  });

  it('journal: filtered listing and clearing', async () => {
    await createCard('KIT_JOURNAL');
    const { requests } = await client.requests({ vendor: 'onerway', operation: 'createCard', code: '20000', status: 200, limit: 1 });
    // The journal keeps the vendor's own code.
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ vendor: 'onerway', operation: 'createCard', status: 200, code: '20000' });
    expect((await client.clearRequests()).removed).toBeGreaterThan(0);
    expect((await client.requests()).requests).toEqual([]);
  });

  it("throws ControlPlaneError carrying the control plane's JSON error", async () => {
    const refused = await client.deleteTenant('no-such-tenant').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ControlPlaneError);
    const error = refused as ControlPlaneError;
    expect([error.status, error.code, error.method, error.path]).toEqual([404, 'resource_not_found', 'DELETE', '/tenants/no-such-tenant']);
    expect(error.error).toMatchObject({ code: 'resource_not_found', field: 'id', message: expect.stringContaining('no-such-tenant') });
    const bad = (await client.advanceClock(-1).catch((e: unknown) => e)) as ControlPlaneError;
    expect([bad.status, bad.code, bad.error?.field]).toEqual([400, 'invalid_param', 'advanceMs']);
  });

  it('refuses a URL that is not http(s), and takes one with a trailing slash', async () => {
    expect(() => new SandboxClient('localhost:4010')).toThrow(TypeError);
    expect(() => new SandboxClient('ftp://127.0.0.1/')).toThrow(/must be an http\(s\) URL, got "ftp:\/\/127.0.0.1\/"/);
    expect((await new SandboxClient(`${kit.url}/`).clock()).mode).toBe('frozen');
  });

  it('an admin token is sent as a bearer; without it the control plane refuses', async () => {
    const guarded = await startSandbox({ adminToken: 'kit-admin-token-0001', logLevel: 'silent' });
    try {
      expect((await guarded.client.clock()).mode).toBeDefined();
      const anonymous = new SandboxClient(guarded.url);
      expect(((await anonymous.clock().catch((e: unknown) => e)) as ControlPlaneError).status).toBe(401);
      expect((await anonymous.health()).status).toBe('ok');
    } finally {
      await guarded.close();
    }
  });
});

describe("the client's wire types", () => {
  it('are the shapes the sandbox answers (written out so that the client needs none of its internals)', () => {
    expectTypeOf<Wire.ClockMode>().toEqualTypeOf<ClockMode>();
    expectTypeOf<Wire.FaultRule>().toEqualTypeOf<FaultRule>();
    expectTypeOf<Wire.Tenant>().toEqualTypeOf<Tenant>();
    expectTypeOf<Wire.JournalEntry>().toEqualTypeOf<JournalEntry>();
    expectTypeOf<Wire.WebhookDelivery>().toEqualTypeOf<WebhookDelivery>();
    expectTypeOf<Wire.MagicValue>().toEqualTypeOf<Omit<MagicValue, 'anyCase'>>();
  });
});

describe('startSandbox', () => {
  it('serves an in-memory store on a free loopback port, and closes cleanly (twice is once)', async () => {
    const kit = await startSandbox({ logLevel: 'silent' });
    expect(kit.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(kit.sandbox.store.inMemory).toBe(true);
    expect((await kit.client.health()).store).toBe(':memory:');
    await Promise.all([kit.close(), kit.close()]);
    const after = await kit.client.health().catch((e: unknown) => e);
    expect(after).toBeInstanceOf(SandboxUnreachable);
    expect((after as Error).message).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:\d+\/__sandbox\/health: ECONNREFUSED$/);
  });
});

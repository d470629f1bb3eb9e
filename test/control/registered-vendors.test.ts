/**
 * The control plane's features, over every registered vendor (the package's and the tests' fake one),
 * driven only by what the vendor module declares and its test profile: adding a vendor adds a row here,
 * with no edit to this file. The vendor-specific suites keep each vendor's exact values.
 */
import { describe, expect, it } from 'vitest';
import { publicMagic } from '../../src/core/magic.js';
import { keyKind } from '../../src/core/masking.js';
import type { VendorModule } from '../../src/core/vendor.js';
import type { Sandbox } from '../../src/sandbox.js';
import { REGISTERED, profileOf, send } from '../helpers/registered.js';
import { control, makeSandbox } from '../helpers/sandbox.js';

const ROWS = REGISTERED.map((v) => [v.slug, v] as const);

/** The envelope's business code on success (`"20000"`, 10200, 0, "OK"). */
const okCode = (vendor: VendorModule) => (vendor.envelope.ok(null) as Record<string, unknown>)[vendor.envelope.codeField];

function expectContract(sb: Sandbox, id: string, body: unknown): void {
  expect(sb.runtime.contracts.has(id), `contract ${id} exists`).toBe(true);
  expect(sb.runtime.contracts.problems(id, body), `${id}: ${JSON.stringify(body)}`).toEqual([]);
}

/** The vendor's probe request, checked: the vendor's success envelope, valid against the operation's contract. */
async function probe(sb: Sandbox, vendor: VendorModule, credentials?: Record<string, string>) {
  const { operation, fields } = profileOf(vendor).probe;
  const res = await send(sb, vendor, operation, fields, credentials);
  expect(res.body[vendor.envelope.codeField], `${vendor.slug} ${operation}: ${String(res.headers['x-sandbox-diagnostic'])}`).toBe(okCode(vendor));
  expectContract(sb, `${vendor.slug}/${operation}.response`, res.body);
  return res;
}

const registeredSandbox = () => makeSandbox({ vendors: REGISTERED });

describe('every registered vendor is served', () => {
  it('health names each of them, in order', async () => {
    const sb = await registeredSandbox();
    expect((await control(sb).get('/health').expect(200)).body.vendors).toEqual(REGISTERED.map((v) => v.slug));
  });
});

describe.each(ROWS)('%s on the control plane', (slug, vendor) => {
  it('answers its probe request for its default merchant', async () => {
    const sb = await registeredSandbox();
    await probe(sb, vendor);
  });

  it('creates a merchant with fresh credentials (POST /tenants) that authenticate with a copy of the default data', async () => {
    const sb = await registeredSandbox();
    const created = (await control(sb).post('/tenants', { vendor: slug }).expect(201)).body;
    expect(created.vendor).toBe(slug);
    expect(Object.keys(created.credentials)).toEqual(expect.arrayContaining([...vendor.credentialKeys]));
    await probe(sb, vendor, created.credentials);
    expect((await control(sb).get('/requests?limit=1').expect(200)).body.requests[0].tenantId).toBe(created.id);
  });

  it('lists its magic values exactly as the module declares them', async () => {
    const sb = await registeredSandbox();
    const listed = (await control(sb).get('/magic-values').expect(200)).body.vendors[slug];
    expect(listed).toEqual(vendor.magicValues.map(publicMagic));
  });

  it('lists its outcome kinds, and refuses to force a record it does not have (404, the id named)', async () => {
    const sb = await registeredSandbox();
    const listed = (await control(sb).get('/outcomes').expect(200)).body.vendors[slug] ?? [];
    const kinds = Object.entries(vendor.outcomes ?? {});
    expect(listed).toEqual(kinds.map(([kind, k]) => ({ kind, id: k.id, outcomes: [...k.outcomes] })));
    for (const [kind, k] of kinds) {
      const res = await control(sb).post(`/${slug}/${kind}/no-such-record`, { outcome: k.outcomes[0] }).expect(404);
      expect(res.body.error.field).toBe('id');
      expect(res.headers['x-sandbox-diagnostic']).toBeTruthy();
    }
  });

  it('authorizes on one of its cards through the network, and shows it on the card timeline', async () => {
    const sb = await registeredSandbox();
    const cardId = await profileOf(vendor).activeCard(sb);
    const { transaction: txn } = (await control(sb).post('/simulate/authorize', { vendor: slug, cardId, amount: '1.00' }).expect(200)).body;
    expect(txn).toMatchObject({ status: 'approved', kind: 'authorization' });
    const timeline = (await control(sb).get(`/cards/${slug}/${cardId}/timeline`).expect(200)).body;
    expect(timeline).toMatchObject({ vendor: slug, cardId, tenantId: profileOf(vendor).credentials.tenant });
    expect(timeline.events).toContainEqual(expect.objectContaining({ kind: 'ledger', source: 'network', movement: 'authorization' }));
  });

  it('answers a forced error in its own error envelope, with a diagnostic', async () => {
    const sb = await registeredSandbox();
    await control(sb).post('/faults', { vendor: slug, fault: 'error', code: 'service_unavailable' }).expect(201);
    const { operation, fields } = profileOf(vendor).probe;
    const res = await send(sb, vendor, operation, fields);
    expect(res.body[vendor.envelope.codeField]).not.toBe(okCode(vendor));
    expectContract(sb, `${slug}/envelope.error`, res.body);
    expect(res.headers['x-sandbox-diagnostic']).toMatch(/^service_unavailable: fault rule flt_1/);
  });

  it('journals its requests with no credential shown', async () => {
    const sb = await registeredSandbox();
    await probe(sb, vendor);
    const { tenant } = profileOf(vendor).credentials;
    const text = (await control(sb).get(`/requests?vendor=${slug}`).expect(200)).text;
    expect(JSON.parse(text).requests[0]).toMatchObject({ vendor: slug, tenantId: tenant, operation: profileOf(vendor).probe.operation });
    const tenants = (await control(sb).get('/tenants').expect(200)).body.tenants as Array<{ id: string; credentials: Record<string, string> }>;
    const { credentials } = tenants.find((t) => t.id === tenant)!;
    // Ids that name a merchant (customer_id, app_id) may show; keys, secrets and signatures never do.
    const secrets = Object.entries(credentials)
      .filter(([field]) => keyKind(field) === 'secret')
      .map(([, value]) => String(value));
    expect(secrets.length).toBeGreaterThan(0);
    for (const value of secrets) expect(text).not.toContain(value);
  });

  it('accepts each of its settings with a value its rule allows, and refuses one it does not have', async () => {
    const sb = await registeredSandbox();
    const { tenant } = profileOf(vendor).credentials;
    const settings = Object.fromEntries(Object.entries(vendor.settings).map(([k, rule]) => [k, rule.type === 'enum' ? rule.values[0] : (rule.min ?? 0)]));
    expect((await control(sb).patch(`/tenants/${tenant}`, { settings }).expect(200)).body.settings).toMatchObject(settings);
    const refused = await control(sb)
      .patch(`/tenants/${tenant}`, { settings: { noSuchSetting: 1 } })
      .expect(400);
    expect(refused.body.error.field).toBe('settings.noSuchSetting');
  });

  it('resets to the empty pack (its merchants, no records) and back to default, built from the registered vendors', async () => {
    const sb = await registeredSandbox();
    await control(sb).post('/reset', { scenario: 'empty' }).expect(200);
    const tenants = (await control(sb).get('/tenants').expect(200)).body.tenants as Array<{ id: string; vendor: string }>;
    expect(tenants.map((t) => t.id)).toContain(profileOf(vendor).credentials.tenant);
    await control(sb).post('/reset', { scenario: 'default' }).expect(200);
    await probe(sb, vendor);
  });
});

describe('a sandbox serving another set of vendors', () => {
  it.each(ROWS)('resets to default and empty built from its vendors only (%s alone)', async (slug, vendor) => {
    const sb = await makeSandbox({ vendors: [vendor] });
    for (const scenario of ['empty', 'default']) {
      await control(sb).post(`/scenarios/${scenario}`).expect(200);
      const tenants = (await control(sb).get('/tenants').expect(200)).body.tenants as Array<{ vendor: string }>;
      expect(new Set(tenants.map((t) => t.vendor))).toEqual(new Set([slug]));
    }
    await probe(sb, vendor);
  });
});

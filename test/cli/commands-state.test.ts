/**
 * Client commands for scenarios, snapshots, tenants (create/delete, reset of one tenant), the request
 * journal, faults and timelines, run as real processes against a sandbox on a real port.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import { runCli } from '../helpers/process.js';
import { T0 } from '../helpers/sandbox.js';

async function cli(url: string, args: string[]) {
  const { output } = runCli(args, { SANDBOX_URL: url, SANDBOX_ADMIN_TOKEN: '' });
  const run = await output;
  expect(run.code, `card-sandbox ${args.join(' ')}: ${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout);
}

// The commands run as real processes, a second or more each on a loaded machine.
describe('card-sandbox commands: scenarios, snapshots, tenants, journal, faults, timelines', { timeout: 60_000 }, () => {
  let sb: Sandbox;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    sb = await createSandbox({ db: ':memory:', strictContracts: true, logLevel: 'silent', frozenAt: T0 });
    url = await sb.listen(0, '127.0.0.1');
    dir = mkdtempSync(join(tmpdir(), 'card-sandbox-cli-'));
  });
  afterAll(async () => {
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scenario list, scenario load <name>, and load into one tenant', async () => {
    // In order: loading a whole pack replaces every tenant, including ones created before it.
    const list = await cli(url, ['scenario', 'list']);
    const load = await cli(url, ['scenario', 'load', 'showcase']);
    const tenant = await cli(url, ['tenant', 'create', 'onerway', '--scenario', 'empty', '--name', 'CI run 1']);
    expect(list.scenarios.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['default', 'empty', 'showcase']));
    expect(list.scenarios.every((s: { description: string }) => typeof s.description === 'string' && s.description.length > 0)).toBe(true);
    expect(load).toEqual({ status: 'ok', scenario: 'showcase' });
    expect(tenant).toMatchObject({ vendor: 'onerway', name: 'CI run 1', id: expect.any(String), credentials: expect.any(Object) });
    expect(await cli(url, ['scenario', 'load', 'default', '--tenant', tenant.id])).toEqual({ status: 'ok', scenario: 'default', tenant: tenant.id });
    expect(await cli(url, ['reset', '--tenant', tenant.id])).toMatchObject({ status: 'ok' });
    const deleted = await cli(url, ['tenant', 'delete', tenant.id]);
    expect(deleted).toMatchObject({ status: 'ok', id: tenant.id, removed: expect.any(Number) });
  });

  it('snapshot --out, then scenario load --file restores it, byte for byte', async () => {
    const file = join(dir, 'pack.json');
    await request(sb.app)
      .post('/api/v1/merchant/card/createCard')
      .set('ApiKey', 'onerway-test-apikey-0001')
      .send({ clientRequestId: 'SNAP_1', cardholderId: 300001, productId: 1, amount: 10 })
      .expect(200);
    expect(await cli(url, ['snapshot', '--out', file])).toMatchObject({ status: 'ok', out: file });
    const saved = readFileSync(file, 'utf8');
    await cli(url, ['reset']);
    expect(await cli(url, ['scenario', 'load', '--file', file])).toMatchObject({ status: 'ok' });
    const again = runCli(['snapshot'], { SANDBOX_URL: url, SANDBOX_ADMIN_TOKEN: '' });
    expect((await again.output).stdout).toBe(saved.endsWith('\n') ? saved : `${saved}\n`);
  });

  it('requests with filters, and timeline of one card', async () => {
    await cli(url, ['reset']);
    const created = await request(sb.app)
      .post('/api/v1/merchant/card/createCard')
      .set('ApiKey', 'onerway-test-apikey-0001')
      .send({ clientRequestId: 'JOURNAL_1', cardholderId: 300001, productId: 1, amount: 10 })
      .expect(200);
    const { cardId } = created.body.data as { cardId: number };
    const [journal, timeline] = await Promise.all([
      cli(url, ['requests', '--vendor', 'onerway', '--operation', 'createCard', '--tenant', 'onerway-default', '--code', '20000', '--limit', '1']),
      cli(url, ['timeline', 'onerway', String(cardId), '--tenant', 'onerway-default']),
    ]);
    expect(journal.requests).toHaveLength(1);
    expect(journal.requests[0]).toMatchObject({ vendor: 'onerway', operation: 'createCard', tenantId: 'onerway-default', code: '20000', status: 200 });
    expect(timeline).toMatchObject({ vendor: 'onerway', cardId: String(cardId), tenantId: 'onerway-default' });
    expect(timeline.events.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['request', 'transition']));
    expect(await cli(url, ['requests', '--clear'])).toMatchObject({ status: 'ok', removed: expect.any(Number) });
    expect((await cli(url, ['requests'])).requests).toEqual([]);
  });

  it('faults add (JSON and flags), list, clear one, clear all', async () => {
    const added = await cli(url, ['faults', 'add', '{"fault":"http_error","status":503}', '--vendor', 'onerway', '--operation', 'createCard', '--times', '1']);
    expect(added).toMatchObject({ id: expect.anything(), vendor: 'onerway', operation: 'createCard', fault: 'http_error', status: 503, times: 1 });
    const latency = await cli(url, ['faults', 'add', '--fault', 'latency', '--latency-ms', '10,20', '--probability', '0.5']);
    expect(latency).toMatchObject({ fault: 'latency', latencyMs: [10, 20], probability: 0.5 });
    expect((await cli(url, ['faults', 'list'])).faults.map((f: { id: unknown }) => f.id)).toEqual([added.id, latency.id]);
    await cli(url, ['faults', 'clear', String(added.id)]);
    expect((await cli(url, ['faults', 'list'])).faults.map((f: { id: unknown }) => f.id)).toEqual([latency.id]);
    await cli(url, ['faults', 'clear']);
    expect((await cli(url, ['faults', 'list'])).faults).toEqual([]);
  });
});

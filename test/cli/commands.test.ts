/**
 * The client commands, run as real processes against a sandbox listening on a real port. Each spawn
 * costs about half a second, so each test batches several commands and runs independent ones together.
 */
import { createServer, type AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import { runCli } from '../helpers/process.js';
import { T0 } from '../helpers/sandbox.js';
import { VENDORS } from '../../src/vendors/index.js';

const TOKEN = 'cli-admin-token';
const EXAMPLE_CARD = 'cid_fBWWMWm8aUUYy3sd';

/** Runs `card-sandbox <args>` against `url` (no token unless given) and resolves with its exit and output. */
async function cli(url: string, args: string[], env: Record<string, string> = {}) {
  const { output } = runCli(args, { SANDBOX_URL: url, SANDBOX_ADMIN_TOKEN: '', ...env });
  return output;
}

/** A port nothing listens on (just freed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function listening(options: { adminToken?: string } = {}): Promise<{ sb: Sandbox; url: string }> {
  const sb = await createSandbox({ db: ':memory:', strictContracts: true, logLevel: 'silent', frozenAt: T0, ...options });
  return { sb, url: await sb.listen(0, '127.0.0.1') };
}

// The commands run as real processes, a second or more each on a loaded machine.
describe('card-sandbox client commands', { timeout: 60_000 }, () => {
  let sb: Sandbox;
  let url: string;
  beforeAll(async () => ({ sb, url } = await listening()));
  afterAll(() => sb.close());

  it('clock get, set (ISO-8601), advance (a duration) and system', async () => {
    const get = await cli(url, ['clock', 'get']);
    expect([get.code, JSON.parse(get.stdout)]).toEqual([0, { now: T0, mode: 'frozen' }]);
    const set = await cli(url, ['clock', 'set', '2026-03-02T00:00:00Z']);
    expect(JSON.parse(set.stdout)).toEqual({ now: Date.UTC(2026, 2, 2), mode: 'frozen', ran: [] });
    const advance = await cli(url, ['clock', 'advance', '1h30m']);
    expect(JSON.parse(advance.stdout)).toEqual({ now: Date.UTC(2026, 2, 2, 1, 30), mode: 'frozen', ran: [] });
    expect(sb.clock.now()).toBe(Date.UTC(2026, 2, 2, 1, 30));
    const system = await cli(url, ['clock', 'system', '--url', url]);
    expect([system.code, JSON.parse(system.stdout).mode, sb.clock.mode]).toEqual([0, 'system', 'system']);
    sb.clock.freeze(T0);
  });

  it('simulate, magic-values, outcome, webhooks, tenant list, then reset', async () => {
    await request(sb.app)
      .patch('/__sandbox/tenants/onerway-default')
      .send({ settings: { settleDelayMs: 60_000 } })
      .expect(200);
    await request(sb.app)
      .post('/api/v1/merchant/card/createCard')
      .set('ApiKey', 'onerway-test-apikey-0001')
      .send({ clientRequestId: 'CLI_1', cardholderId: 300001, productId: 1, amount: 10 })
      .expect(200);
    const [simulate, magic, outcome, tenants] = await Promise.all([
      cli(url, [
        'simulate',
        'authorize',
        '--vendor',
        'openapi-cn',
        '--card',
        EXAMPLE_CARD,
        '--amount',
        '12.34',
        '--merchant-name',
        'Corner Cafe',
        '--mcc',
        '5814',
      ]),
      cli(url, ['magic-values']),
      cli(url, ['outcome', 'onerway', 'operateRecord', '900000001', 'failed']),
      cli(url, ['tenant', 'list']),
    ]);
    expect(simulate.code, simulate.stderr).toBe(0);
    expect(JSON.parse(simulate.stdout).transaction).toMatchObject({
      vendor: 'openapi-cn',
      cardId: EXAMPLE_CARD,
      status: 'approved',
      amount: '12.34',
      merchantName: 'Corner Cafe',
      mcc: '5814',
    });
    expect(Object.keys(JSON.parse(magic.stdout).vendors)).toEqual(VENDORS.map((v) => v.slug));
    expect(JSON.parse(outcome.stdout)).toMatchObject({ vendor: 'onerway', kind: 'operateRecord', id: '900000001', outcome: 'failed', record: { status: 'F' } });
    expect(JSON.parse(tenants.stdout).tenants.map((t: { id: string }) => t.id)).toContain('onerway-default');

    const webhooks = await cli(url, ['webhooks', '--tenant', 'onerway-default', '--event', 'issuing.cardOperateEvent', '--state', 'no_url']);
    expect(JSON.parse(webhooks.stdout).deliveries.map((d: { body: string }) => JSON.parse(d.body).data.status)).toEqual(['F']);
    const [first, next] = await Promise.all([cli(url, ['webhooks', '--limit', '1']), cli(url, ['webhooks'])]);
    const all = JSON.parse(next.stdout).deliveries.map((d: { id: string }) => d.id);
    expect(all.length).toBeGreaterThan(1);
    expect(JSON.parse(first.stdout).deliveries.map((d: { id: string }) => d.id)).toEqual(all.slice(0, 1));
    const page = await cli(url, ['webhooks', '--after', all[0], '--limit', '5']);
    expect(JSON.parse(page.stdout).deliveries.map((d: { id: string }) => d.id)).toEqual(all.slice(1, 6));

    const reset = await cli(url, ['reset', '--scenario', 'default']);
    expect(JSON.parse(reset.stdout)).toEqual({ status: 'ok', scenario: 'default' });
    expect(sb.store.listAll('onerway.cards')).toEqual([]);
  });

  it('cards, card, webhooks --vendor, and requests --follow printing each new request as a JSON line', async () => {
    const [cards, webhooks] = await Promise.all([
      cli(url, ['cards', '--vendor', 'openapi-cn', '--size', '2']),
      cli(url, ['webhooks', '--vendor', 'finext', '--limit', '3']),
    ]);
    const page = JSON.parse(cards.stdout) as { cards: Array<{ vendor: string; cardId: string; tenant: string }>; size: number };
    expect([cards.code, page.size, page.cards.length]).toEqual([0, 2, 2]);
    expect(page.cards.every((c) => c.vendor === 'openapi-cn')).toBe(true);
    expect(JSON.parse(webhooks.stdout).deliveries.every((d: { vendor: string }) => d.vendor === 'finext')).toBe(true);
    const first = page.cards[0]!;
    const card = await cli(url, ['card', 'openapi-cn', first.cardId, '--tenant', first.tenant]);
    expect(JSON.parse(card.stdout)).toMatchObject({ vendor: 'openapi-cn', cardId: first.cardId, tenant: first.tenant });

    const { output } = runCli(['requests', '--follow', '--vendor', 'onerway', '--limit', '2'], { SANDBOX_URL: url, SANDBOX_ADMIN_TOKEN: '' });
    await vi.waitFor(() => expect(sb.runtime.journal.tails).toBe(1), { timeout: 10_000 });
    for (const id of ['FOLLOW_1', 'FOLLOW_2'])
      await request(sb.app)
        .post('/api/v1/merchant/card/createCard')
        .set('ApiKey', 'onerway-test-apikey-0001')
        .send({ clientRequestId: id, cardholderId: 300001, productId: 1, amount: 10 })
        .expect(200);
    const followed = await output;
    expect(followed.code, followed.stderr).toBe(0);
    const lines = followed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { operation: string; request: { body: { clientRequestId: string } } });
    expect(lines.map((l) => [l.operation, l.request.body.clientRequestId])).toEqual([
      ['createCard', 'FOLLOW_1'],
      ['createCard', 'FOLLOW_2'],
    ]);
  });

  it("exits 1 with the server's message on stderr when the sandbox refuses, or cannot be reached", async () => {
    const closed = await closedPort();
    const [refused, unreachable] = await Promise.all([
      cli(url, ['outcome', 'onerway', 'operateRecord', '999', 'failed']),
      cli(`http://127.0.0.1:${closed}`, ['clock', 'get']),
    ]);
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr: 'card-sandbox: no onerway operateRecord with operateRecordId 999 (404 resource_not_found, field id)\n',
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toBe(`card-sandbox: cannot reach http://127.0.0.1:${closed}/__sandbox/clock: ECONNREFUSED\n`);
  });

  it('exits 2 on usage errors, saying what is wrong', async () => {
    const runs = await Promise.all([
      cli(url, ['clock', 'set', 'yesterday']),
      cli(url, ['clock', 'advance', '10 minutes']),
      cli(url, ['simulate', 'authorize', '--card', EXAMPLE_CARD]),
      cli(url, ['clock']),
      cli('ftp://example.com', ['clock', 'get']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(runs[0].stderr).toMatch(/ISO-8601 instant with its zone/);
    expect(runs[1].stderr).toMatch(/15s, 10m, 2h, 1d/);
    expect(runs[2].stderr).toMatch(/required option '--vendor <slug>'/);
    expect(runs[3].stderr).toMatch(/Usage: card-sandbox clock/);
    expect(runs[4].stderr).toMatch(/--url must be an http\(s\) URL/);
    expect(sb.clock.now()).toBe(T0);
  });
});

describe('card-sandbox with an admin token', { timeout: 60_000 }, () => {
  it('sends --token (or SANDBOX_ADMIN_TOKEN) as a bearer; without it the sandbox refuses', async () => {
    const { sb, url } = await listening({ adminToken: TOKEN });
    try {
      const [without, flag, env] = await Promise.all([
        cli(url, ['clock', 'set', '0']),
        cli(url, ['clock', 'get', '--token', TOKEN]),
        cli(url, ['clock', 'get'], { SANDBOX_ADMIN_TOKEN: TOKEN }),
      ]);
      expect(without.code).toBe(1);
      expect(without.stderr).toMatch(/needs "Authorization: Bearer <admin token>".*\(401 unauthenticated, field authorization\)/);
      expect(sb.clock.now()).toBe(T0);
      expect([flag.code, JSON.parse(flag.stdout).now]).toEqual([0, T0]);
      expect([env.code, JSON.parse(env.stdout).now]).toEqual([0, T0]);
    } finally {
      await sb.close();
    }
  });

  it("refuses to serve on 0.0.0.0 without a token (exit 2); `serve --help` is the server's usage", async () => {
    const [refused, help] = await Promise.all([
      runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--db', ':memory:'], { SANDBOX_ADMIN_TOKEN: '' }).output,
      runCli(['serve', '--help']).output,
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^refusing to listen on "0.0.0.0" without an admin token.*SANDBOX_ADMIN_TOKEN/);
    expect(refused.stdout).not.toMatch(/listening/);
    expect([help.code, help.stdout]).toEqual([0, expect.stringMatching(/--admin-token <token>/)]);
  });
});

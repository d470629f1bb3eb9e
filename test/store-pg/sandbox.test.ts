/**
 * A sandbox on the PostgreSQL store (`db: postgres://…`), through HTTP: the default scenario is loaded
 * into an empty database, Onerway money comes out exact (the same answers as on the file store, byte
 * for byte), and a sandbox started again on the same database sees the same state.
 */
import request from 'supertest';
import { expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import { PgRuntimeStore } from '../../src/store-pg/runtime-store.js';
import { API_KEY, BASE, DEFAULT_TENANT, holdSettlements, onerway } from '../helpers/onerway.js';
import { describePostgres } from '../helpers/postgres.js';
import { runCli, startCli } from '../helpers/process.js';
import { startReceiver } from '../helpers/receiver.js';
import { control, expectContract, T0 } from '../helpers/sandbox.js';

const OPENING = 100_000_000;

/** createCard (100.00), deposit (50.25), getCardBalance: the answers' text, and the merchant's account. */
async function moneyFlow(sb: Sandbox): Promise<{ texts: string[]; merchant: unknown }> {
  const api = onerway(sb);
  const created = await api.createCard({ clientRequestId: 'PG_CREATE', cardholderId: 300001, productId: 1, amount: 100 });
  expect(created.body.respCode).toBe('20000');
  const cardId = created.body.data.cardId as number;
  const deposit = await api.deposit({ clientRequestId: 'PG_DEPOSIT', cardId, amount: 50.25 });
  expect(deposit.body.respCode).toBe('20000');
  const balance = await api.getCardBalance({ cardId });
  expect(balance.body.data).toMatchObject({ balance: 150.25, availableBalance: 150.25 });
  const merchant = await sb.store.lookup('_accounts', DEFAULT_TENANT, 'merchant:USD');
  return { texts: [created.text, deposit.text, balance.text], merchant };
}

describePostgres('a sandbox on PostgreSQL', (url) => {
  it('serves the default scenario, and an Onerway createCard + deposit + getCardBalance with exact money, as the file store does', async () => {
    const sb = await createSandbox({ db: url(), frozenAt: T0, logLevel: 'silent' });
    try {
      expect(sb.store).toBeInstanceOf(PgRuntimeStore);
      // The default scenario went into the database, not only into memory.
      expect((await sb.store.read('_tenants')).map((t) => t.id)).toContain(DEFAULT_TENANT);
      const health = await request(sb.app).get('/__sandbox/health');
      expect(health.status).toBe(200);
      const onPg = await moneyFlow(sb);
      const file = await createSandbox({ frozenAt: T0, logLevel: 'silent' });
      try {
        const onFile = await moneyFlow(file);
        expect(onPg.texts).toEqual(onFile.texts);
        expect(onPg.merchant).toEqual(onFile.merchant);
        expect((onPg.merchant as { balance: number }).balance).toBeLessThan(OPENING - 15_025);
      } finally {
        await file.close();
      }
    } finally {
      await sb.close();
    }
  });

  it('a sandbox started again on the same database sees the same state', async () => {
    const first = await createSandbox({ db: url(), frozenAt: T0, logLevel: 'silent' });
    let cardId: number;
    let before: string;
    try {
      cardId = await onerway(first).activeCard(20);
      const deposit = await onerway(first).deposit({ clientRequestId: 'PG_RESTART_DEPOSIT', cardId, amount: 30.1 });
      expect(deposit.body.respCode).toBe('20000');
      before = (await onerway(first).getCardBalance({ cardId })).text;
    } finally {
      await first.close();
    }
    const second = await createSandbox({ db: url(), frozenAt: T0, logLevel: 'silent' });
    try {
      const after = await onerway(second).getCardBalance({ cardId });
      expect(after.text).toBe(before);
      expect(after.body.data).toMatchObject({ balance: 50.1 });
      // The idempotency answer is there too: the same request replays, and moves no money.
      const replay = await request(second.app)
        .post(`${BASE}/card/deposit`)
        .set('ApiKey', API_KEY)
        .send({ clientRequestId: 'PG_RESTART_DEPOSIT', cardId, amount: 30.1 });
      expect(replay.body.respCode).toBe('20000');
      expect((await onerway(second).getCardBalance({ cardId })).text).toBe(before);
    } finally {
      await second.close();
    }
  });

  it('refuses a synchronous read of what a replica does not hold with the internal error, never an empty answer', async () => {
    const sb = await createSandbox({ db: url(), frozenAt: T0, logLevel: 'silent' });
    try {
      // The snapshot is served since step 7 (test/store-pg/snapshot.test.ts); a synchronous read of a vendor collection is not.
      let refused: unknown;
      try {
        sb.store.list('onerway.cards', DEFAULT_TENANT);
      } catch (error) {
        refused = error;
      }
      expect(refused).toMatchObject({
        code: 'internal',
        diagnostic: expect.stringMatching(
          /"onerway.cards" outside a transaction is not served on the PostgreSQL store \(a synchronous read; the sandbox reads through the store port\)/,
        ),
      });
    } finally {
      await sb.close();
    }
  });

  it('runs a due settlement through the scheduler when the clock is advanced', async () => {
    const sb = await createSandbox({ db: url(), frozenAt: T0, logLevel: 'silent' });
    try {
      await holdSettlements(sb);
      const api = onerway(sb);
      const cardId = (await api.createCard({ clientRequestId: 'PG_HELD', cardholderId: 300001, productId: 1, amount: 40 })).body.data.cardId as number;
      expect((await api.records({ cardId }))[0]).toMatchObject({ type: 'CREATE', status: 'P' });
      expect((await api.getCardBalance({ cardId })).body.data).toMatchObject({ balance: 0 });
      await control(sb).advance(60_000);
      expect((await api.records({ cardId }))[0]).toMatchObject({ type: 'CREATE', status: 'S' });
      expect((await api.getCardBalance({ cardId })).body.data).toMatchObject({ balance: 40 });
    } finally {
      await sb.close();
    }
  });

  it('sends a webhook to the merchant’s URL', async () => {
    const receiver = await startReceiver();
    const sb = await createSandbox({ db: url(), frozenAt: T0, logLevel: 'silent' });
    try {
      await control(sb).patch('/tenants/onerway-default', { webhookUrl: receiver.url }).expect(200);
      const cardId = await onerway(sb).activeCard(10);
      // The database keeps the earlier test's settlement delay: advancing past it settles the card either way.
      await control(sb).advance(60_000);
      const [hook] = await receiver.waitFor(1);
      expectContract('onerway/webhook.cardOperateEvent', hook!.json);
      expect(hook!.json.data).toEqual((await onerway(sb).records({ cardId }))[0]);
      expect(receiver.received).toHaveLength(1);
      await control(sb).patch('/tenants/onerway-default', { webhookUrl: null }).expect(200);
    } finally {
      await sb.close();
      await receiver.close();
    }
  });

  it('exits 1 with one line naming the database (without its password) and why, when it cannot be reached at start', async () => {
    const { output } = runCli(['--db', 'postgres://postgres:pg-secret@127.0.0.1:1/nowhere', '--db-connect-timeout', '1s']);
    const { code, stderr } = await output;
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^card-sandbox: cannot open the PostgreSQL store at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nowhere: database unavailable: ECONNREFUSED /,
    );
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toContain('pg-secret');
  });

  it('starts from the command line with --db <url>, and prints the URL without its password', async () => {
    // The throw-away cluster trusts loopback, so a password in the URL is accepted and ignored.
    const withPassword = new URL(url());
    withPassword.username ||= 'postgres';
    withPassword.password = 'pg-secret-in-url';
    const running = await startCli(['--db', withPassword.toString()]);
    try {
      expect(running.stdout()).toContain('(store: postgres://');
      expect(running.stdout()).toContain(':***@');
      expect(running.stdout()).not.toContain('pg-secret-in-url');
      const health = await fetch(`${running.url}/__sandbox/health`);
      expect(health.status).toBe(200);
      expect(JSON.stringify(await health.json())).not.toContain('pg-secret-in-url');
    } finally {
      running.child.kill('SIGTERM');
      await running.exited;
    }
  });
});

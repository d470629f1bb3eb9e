/**
 * The PostgreSQL store when its database goes away (docs/design/shared-store.md §5.7, step 8 of §8):
 * every vendor's request and the control plane get their internal-error envelopes with
 * `database unavailable: …`, health answers 503 and 200 again once the database is back, the sandbox
 * recovers without a restart, and no acknowledged write is lost. The suites that stop the database do it
 * to a cluster of their own (test/helpers/pg-cluster.ts), never to the run's shared server; the
 * statement timeout is reached on the shared server, by a lock held from another connection.
 */
import pg from 'pg';
import request from 'supertest';
import { expect, it } from 'vitest';
import { GLOBAL } from '../../src/core/ids.js';
import { JOBS } from '../../src/core/scheduler.js';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import * as sql from '../../src/store-pg/sql.js';
import { DEFAULT_TENANT, onerway } from '../helpers/onerway.js';
import { describeOwnCluster, type OwnCluster } from '../helpers/pg-cluster.js';
import { createTestDatabase, describePostgres } from '../helpers/postgres.js';
import { depositStorm, onerwayAt, UNAVAILABLE } from '../helpers/deposit-storm.js';
import { startCli } from '../helpers/process.js';
import { control, T0 } from '../helpers/sandbox.js';
import { DRIVERS, failOnStrayRejections, HOUR, newKey } from '../helpers/store-failure.js';

failOnStrayRejections();

const SUCCESS: Record<string, Record<string, unknown>> = { onerway: { respCode: '20000' }, finext: { code: 10200 }, 'openapi-cn': { code: 0 } };

/** Health, until it answers `status` (the database's answer is kept for a second; a restart takes a moment). */
async function healthBecomes(get: () => Promise<{ status: number }>, status: number): Promise<void> {
  await expect.poll(async () => (await get()).status, { timeout: 30_000, interval: 100 }).toBe(status);
}

function expectFailingHealth(health: { status: number; body: any; headers: Record<string, string> }): void {
  expect(health.status).toBe(503);
  expect(health.body).toMatchObject({ status: 'failing', storeFailure: expect.stringMatching(/^database unavailable: /) });
  expect(health.headers['x-sandbox-diagnostic']).toMatch(/^store_failed: database unavailable: /);
}

describeOwnCluster('the database away: stopped and started again, or not answering', 55410, (cluster: () => OwnCluster) => {
  it("every vendor's write and the control plane get their internal errors while it is away, nothing of them is stored, and all works again once it is back", async () => {
    const db = await createTestDatabase(cluster().url);
    let sb: Sandbox | undefined;
    try {
      sb = await createSandbox({ db: db.url, frozenAt: T0, logLevel: 'silent' });
      const app = sb;
      for (const driver of DRIVERS) await driver.setup(app);
      const before = await Promise.all(DRIVERS.map((d) => d.read(app)));
      expect((await request(app.app).get('/__sandbox/health')).status).toBe(200);
      const keys = DRIVERS.map(() => newKey('AWAY'));
      await cluster().pause();
      try {
        for (const [i, driver] of DRIVERS.entries()) {
          const refused = await driver.write(app, keys[i]!);
          expect(refused.body, driver.vendor).toMatchObject(driver.internal);
          expect(refused.headers['x-sandbox-diagnostic'], driver.vendor).toMatch(UNAVAILABLE);
        }
        const patched = await control(app).patch(`/tenants/${DEFAULT_TENANT}`, { settings: { settleDelayMs: 1000 } });
        expect(patched.status).toBe(503);
        expect(patched.body).toEqual({ error: { code: 'internal', field: null, message: expect.stringMatching(/^database unavailable: /) } });
        expect(patched.headers['x-sandbox-diagnostic']).toMatch(UNAVAILABLE);
        expectFailingHealth(await request(app.app).get('/__sandbox/health'));
      } finally {
        await cluster().resume();
      }
      await healthBecomes(() => request(app.app).get('/__sandbox/health'), 200);
      // Nothing of the refused writes was stored, and their keys were not used up: the same requests now go through.
      expect(await Promise.all(DRIVERS.map((d) => d.read(app)))).toEqual(before);
      for (const [i, driver] of DRIVERS.entries()) {
        const done = await driver.write(app, keys[i]!);
        expect(done.body, `${driver.vendor}: ${done.headers['x-sandbox-diagnostic'] ?? ''}`).toMatchObject(SUCCESS[driver.vendor]!);
      }
      expect((await control(app).patch(`/tenants/${DEFAULT_TENANT}`, { settings: { settleDelayMs: 1000 } })).status).toBe(200);
    } finally {
      await sb?.close();
      await db.drop();
    }
  }, 90_000);

  it('a clock advance is refused while it is away; a job falling due meanwhile runs by itself once the database answers again', async () => {
    const db = await createTestDatabase(cluster().url);
    let sb: Sandbox | undefined;
    try {
      sb = await createSandbox({ db: db.url, frozenAt: T0, logLevel: 'silent' });
      const app = sb;
      const driver = DRIVERS.find((d) => d.vendor === 'onerway')!;
      await driver.setup(app);
      const look = await driver.pendingJob(app);
      const pending = await look();
      const due = () => app.store.list(JOBS, GLOBAL).length;
      expect(due()).toBeGreaterThan(0);
      await cluster().pause();
      try {
        const advanced = await control(app).post('/clock', { advanceMs: HOUR });
        expect(advanced.status).toBe(503);
        expect(advanced.body.error).toMatchObject({ code: 'internal', message: expect.stringMatching(/^database unavailable: /) });
        expect(advanced.headers['x-sandbox-diagnostic']).toMatch(UNAVAILABLE);
        expect(advanced.headers['x-sandbox-diagnostic']).not.toMatch(/restart/);
        // The refused advance moved nothing (replicas share the clock through the database). Time passes
        // all the same, as a system clock's would: the job falls due while the database is away.
        expect(app.clock.now()).toBe(T0);
        app.clock.set(T0 + HOUR);
        app.runtime.scheduler.kick();
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(due()).toBeGreaterThan(0);
      } finally {
        await cluster().resume();
      }
      // No request comes: the scheduler is told the database is back, and runs what fell due.
      await expect.poll(due, { timeout: 30_000, interval: 100 }).toBe(0);
      expect(await look()).not.toEqual(pending);
      expect((await request(app.app).get('/__sandbox/health')).status).toBe(200);
    } finally {
      await sb?.close();
      await db.drop();
    }
  }, 60_000);

  it('a sandbox process under a stream of deposits stays up while the database restarts, and loses no acknowledged deposit', async () => {
    const db = await createTestDatabase(cluster().url);
    const sandbox = await startCli(['--db', db.url, '--db-connect-timeout', '1s']);
    try {
      const post = (path: string, body: object) => onerwayAt(sandbox.url, path, body);
      const health = async () => {
        const res = await fetch(`${sandbox.url}/__sandbox/health`);
        return { status: res.status, body: (await res.json()) as any, headers: Object.fromEntries(res.headers) };
      };
      const created = await post('/card/createCard', { clientRequestId: 'STORM_CARD', cardholderId: 300001, productId: 1, amount: 100 });
      expect(created.body.respCode).toBe('20000');
      const cardId = created.body.data.cardId as number;

      // Four clients depositing 1.00 each, every deposit with a key of its own, until told to stop.
      const storm = depositStorm([sandbox.url, sandbox.url, sandbox.url, sandbox.url], cardId, 'STORM');
      const { acknowledged, refused, unexpected } = storm;
      try {
        await expect.poll(() => acknowledged.length, { timeout: 30_000, interval: 10 }).toBeGreaterThanOrEqual(20);
        await cluster().pause();
        try {
          await expect.poll(() => refused.length, { timeout: 30_000, interval: 10 }).toBeGreaterThanOrEqual(20);
          expectFailingHealth(await health());
        } finally {
          await cluster().resume();
        }
        await healthBecomes(health, 200);
        const back = acknowledged.length;
        await expect.poll(() => acknowledged.length, { timeout: 30_000, interval: 10 }).toBeGreaterThanOrEqual(back + 20);
      } finally {
        await storm.stop();
      }
      expect(unexpected).toEqual([]);
      // Still the same process: nothing took it down.
      expect(sandbox.child.exitCode).toBeNull();
      expect(sandbox.child.signalCode).toBeNull();

      const balance = async () => (await post('/card/getCardBalance', { cardId })).body.data.balance as number;
      // Every acknowledged deposit is there; a refused one may be too (its COMMIT's answer lost with the connection).
      const after = await balance();
      expect(after).toBeGreaterThanOrEqual(100 + acknowledged.length);
      expect(after).toBeLessThanOrEqual(100 + acknowledged.length + refused.length);
      // Each refused deposit sent again with its key: done now, or replayed if it had been done; none twice.
      for (const key of refused) expect((await post('/card/deposit', { clientRequestId: key, cardId, amount: 1 })).body.respCode, key).toBe('20000');
      expect(await balance()).toBe(100 + acknowledged.length + refused.length);
    } finally {
      sandbox.child.kill('SIGTERM');
      await sandbox.exited;
      await db.drop();
    }
  }, 120_000);

  it('its processes suspended (a hung host): the internal error once the timeouts pass, health 503, and all works again when it answers', async () => {
    const db = await createTestDatabase(cluster().url);
    let sb: Sandbox | undefined;
    try {
      sb = await createSandbox({ db: db.url, frozenAt: T0, logLevel: 'silent', dbStatementTimeoutMs: 500, dbConnectTimeoutMs: 500 });
      const app = sb;
      const api = onerway(app);
      // The pool now holds idle connections, whose next statement meets the silent server.
      const cardId = await api.activeCard(100);
      expect((await request(app.app).get('/__sandbox/health')).status).toBe(200);
      cluster().freeze();
      try {
        const refused = await api.deposit({ clientRequestId: 'UNANSWERED', cardId, amount: 5 });
        expect(refused.body).toEqual({ respCode: '80000', respMsg: 'Internal service error', data: null });
        expect(refused.headers['x-sandbox-diagnostic']).toMatch(UNAVAILABLE);
        const again = await api.deposit({ clientRequestId: 'UNANSWERED', cardId, amount: 5 });
        expect(again.body.respCode).toBe('80000');
        expect(again.headers['x-sandbox-diagnostic']).toMatch(UNAVAILABLE);
        expectFailingHealth(await request(app.app).get('/__sandbox/health'));
      } finally {
        cluster().thaw();
      }
      await healthBecomes(() => request(app.app).get('/__sandbox/health'), 200);
      expect((await api.deposit({ clientRequestId: 'UNANSWERED', cardId, amount: 5 })).body.respCode).toBe('20000');
      expect((await api.getCardBalance({ cardId })).body.data).toMatchObject({ balance: 105 });
    } finally {
      await sb?.close();
      await db.drop();
    }
  }, 60_000);
});

describePostgres('a statement past --db-statement-timeout', (url) => {
  it("gets the vendor's internal error and the control plane's, health stays 200 (the database answers), and nothing of it is stored", async () => {
    const sb = await createSandbox({ db: url(), frozenAt: T0, logLevel: 'silent', dbStatementTimeoutMs: 300 });
    const holder = new pg.Client({ connectionString: url() });
    try {
      const api = onerway(sb);
      const cardId = await api.activeCard(100);
      await holder.connect();
      // Another connection holds what the sandbox's transactions wait for: the global lock (shared) and the tenant's.
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))', [sql.GLOBAL_LOCK]);
      await holder.query(sql.LOCK, [sql.tenantLock(DEFAULT_TENANT)]);
      try {
        const refused = await api.deposit({ clientRequestId: 'TIMED_OUT', cardId, amount: 5 });
        expect(refused.body).toEqual({ respCode: '80000', respMsg: 'Internal service error', data: null });
        expect(refused.headers['x-sandbox-diagnostic']).toMatch(/^internal: database unavailable: 57014 canceling statement due to statement timeout/);
        const patched = await control(sb).patch(`/tenants/${DEFAULT_TENANT}`, { settings: { settleDelayMs: 1000 } });
        expect(patched.status).toBe(500);
        expect(patched.body).toEqual({ error: { code: 'internal', field: null, message: expect.stringMatching(/^database unavailable: 57014 /) } });
        expect(patched.headers['x-sandbox-diagnostic']).toMatch(/^internal: database unavailable: 57014 /);
        const health = await request(sb.app).get('/__sandbox/health');
        expect(health.status).toBe(200);
        expect(health.body.status).toBe('ok');
      } finally {
        await holder.query('ROLLBACK');
      }
      const done = await api.deposit({ clientRequestId: 'TIMED_OUT', cardId, amount: 5 });
      expect(done.body.respCode).toBe('20000');
      expect((await api.getCardBalance({ cardId })).body.data).toMatchObject({ balance: 105 });
    } finally {
      await holder.end();
      await sb.close();
    }
  }, 60_000);
});

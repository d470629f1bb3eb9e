/**
 * A replica alone on its database skips the shared-state read before vendor requests
 * (src/store-pg/presence.ts); the tests hold it to the promise that makes that safe: by the time a
 * second replica can answer anything, the first reads the shared state before each request again, so
 * a change answered by either is seen by the next request to the other. Two sandboxes in one process
 * on one database stand for two replicas.
 */
import pg from 'pg';
import { pino } from 'pino';
import request from 'supertest';
import { afterEach, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import { Presence, PRESENCE_LOCK } from '../../src/store-pg/presence.js';
import type { PgShared } from '../../src/store-pg/shared.js';
import { API_KEY, BASE } from '../helpers/onerway.js';
import { createTestDatabase, describePostgres, POSTGRES_URL } from '../helpers/postgres.js';
import { control, T0 } from '../helpers/sandbox.js';

const shared = (sb: Sandbox) => sb.runtime.shared as PgShared;
const regionList = (sb: Sandbox) => request(sb.app).post(`${BASE}/common/regionList`).set('ApiKey', API_KEY).send({});

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not in ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describePostgres('replicas knowing whether they are alone on the database', (url) => {
  const opened: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const o of opened.splice(0).reverse()) await o.close();
  });
  const replica = async (closedByTheTest = false) => {
    const sb = await createSandbox({ db: url(), frozenAt: T0, logLevel: 'silent' });
    if (!closedByTheTest) opened.push(sb);
    return sb;
  };
  const admin = async () => {
    const c = new pg.Client({ connectionString: url() });
    await c.connect();
    opened.push({ close: () => c.end() });
    return c;
  };
  const presenceConnections = async (db: pg.Client) =>
    Number(
      (await db.query("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'card-sandbox presence'")).rows[0]
        .n,
    );

  it('a second replica’s arrival makes the first read the shared state before each request before the second answers anything', async () => {
    const a = await replica();
    expect(shared(a).alone, 'the first replica, alone').toBe(true);
    expect((await regionList(a)).body.respCode).toBe('20000');

    const b = await replica();
    // Nothing awaited between B's start and these: A heard of B before B could answer.
    expect(shared(a).alone, 'A once B has started').toBe(false);
    expect(shared(b).alone, 'B, which counted A').toBe(false);

    const rule = await control(b).post('/faults', { vendor: 'onerway', operation: 'regionList', fault: 'http_error', status: 503 });
    expect(rule.status, rule.text).toBe(201);
    expect((await regionList(a)).status, 'a rule added through B, on A’s next request').toBe(503);
    expect((await control(a).delete(`/faults/${rule.body.id}`)).status).toBe(200);
    expect((await regionList(b)).body.respCode, 'the rule removed through A, on B’s next request').toBe('20000');

    const made = await control(a).post('/tenants', { vendor: 'onerway' });
    expect(made.status, made.text).toBe(201);
    const onB = await request(b.app).post(`${BASE}/common/regionList`).set('ApiKey', made.body.credentials.apiKey).send({});
    expect(onB.body.respCode, 'a merchant made through A, on B’s next request').toBe('20000');
  });

  it('is not alone while its presence connection is down, and counts the others again when it is back', async () => {
    const db = await admin();
    const a = await replica();
    expect(shared(a).alone).toBe(true);
    await db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'card-sandbox presence'");
    await until('A notices its presence connection is gone', () => !shared(a).alone);
    // Meanwhile a request reads the shared state, as with several replicas, and is answered.
    expect((await regionList(a)).body.respCode).toBe('20000');
    await until('A joins again, alone', async () => shared(a).alone && (await presenceConnections(db)) === 1);

    const b = await replica();
    expect([shared(a).alone, shared(b).alone]).toEqual([false, false]);
    await db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'card-sandbox presence'");
    await until('both connect again', async () => (await presenceConnections(db)) === 2);
    // A connection is there before its join has counted and been answered: wait for both joins.
    await Promise.all([shared(a).join(), shared(b).join()]);
    expect([shared(a).alone, shared(b).alone], 'each counted the other').toEqual([false, false]);
    const rule = await control(a).post('/faults', { vendor: 'onerway', operation: 'regionList', fault: 'http_error', status: 503 });
    expect((await regionList(b)).status, 'a rule added through A after both joined again, on B').toBe(503);
    expect((await control(b).delete(`/faults/${rule.body.id}`)).status).toBe(200);
  });

  it('counts only replicas on its own database, not those of another database on the same server', async () => {
    const other = await createTestDatabase(POSTGRES_URL!);
    opened.push({ close: () => other.drop() });
    const elsewhere = await createSandbox({ db: other.url, frozenAt: T0, logLevel: 'silent' });
    opened.push(elsewhere);
    const a = await replica();
    // A replica waits only for the holders it counted, and is not alone when it counted any: alone, A
    // counted the other database's replica not at all, and waited for no answer from it.
    expect(shared(a).alone, 'A, beside a replica of another database').toBe(true);
    expect(shared(elsewhere).alone).toBe(true);
  });

  it('a replica closed while its arrival waits for answers lets go of the database at once', async () => {
    const db = await admin();
    // A holder that never answers: a joining replica counts it and waits for its answer (at most 5 s).
    await db.query('SELECT pg_advisory_lock_shared(hashtextextended($1, 0))', [PRESENCE_LOCK]);
    const presence = new Presence(url(), 'closed-while-joining', pino({ level: 'silent' }));
    const joining = presence.ready();
    await until('it has counted the holder and waits', async () => (await presenceConnections(db)) === 1);
    await presence.close();
    expect(await presenceConnections(db), 'its connection, once close has returned').toBe(0);
    await joining;
    expect(presence.alone).toBe(false);
  });

  it('a replica that starts after the others have gone is alone again', async () => {
    const a = await replica(true);
    const b = await replica(true);
    expect(shared(a).alone).toBe(false);
    await b.close();
    await a.close();
    const c = await replica();
    expect(shared(c).alone).toBe(true);
  });
});
